package io.synod.engine.log;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MappedAcceptorStoreTest
{
    private static final int SEGMENT_LENGTH = 64 * 1024;

    @TempDir
    Path dir;

    private final UnsafeBuffer value = new UnsafeBuffer(new byte[8192]);
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);

    private LogContext ctx(final DurabilityMode mode)
    {
        return new LogContext()
            .directory(dir)
            .segmentLengthBytes(SEGMENT_LENGTH)
            .maxValueLengthBytes(8192)
            .durabilityMode(mode);
    }

    private long accept(final MappedAcceptorStore store, final long slot, final long ballot, final int length)
    {
        fill(slot, ballot, length);
        return store.accept(slot, ballot, value, 0, length);
    }

    private void fill(final long slot, final long ballot, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            value.putByte(i, (byte)(slot * 31 + ballot * 7 + i));
        }
    }

    private void assertValue(final MappedAcceptorStore store, final long slot, final long ballot, final int length)
    {
        assertEquals(ballot, store.acceptedBallot(slot), "ballot of slot " + slot);
        assertEquals(length, store.wrapValue(slot, view), "length of slot " + slot);
        for (int i = 0; i < length; i++)
        {
            assertEquals((byte)(slot * 31 + ballot * 7 + i), view.getByte(i), "slot " + slot + " byte " + i);
        }
    }

    @Test
    void shouldAcceptPromiseAndReadBackAfterReopen()
    {
        try (MappedAcceptorStore store = MappedAcceptorStore.open(ctx(DurabilityMode.SYNC)))
        {
            assertEquals(0, store.promisedBallot());
            assertEquals(-1, store.highestSlot());
            final long p1 = store.promise(1 << 16 | 1);
            assertTrue(store.durablePosition() < p1, "SYNC: not durable before a force");
            accept(store, 0, 1 << 16 | 1, 10);
            final long p2 = accept(store, 5, 2 << 16 | 1, 0);
            accept(store, 0, 2 << 16 | 1, 100);
            assertEquals(1, store.force());
            assertEquals(0, store.force(), "nothing new to force");
            assertTrue(store.durablePosition() >= p2);
            assertEquals(2 << 16 | 1, store.promisedBallot());
            assertValue(store, 0, 2 << 16 | 1, 100);
            assertEquals(-1, store.wrapValue(1, view));
            assertEquals(0, store.acceptedBallot(1));
            assertEquals(5, store.highestSlot());
            assertTrue(store.describe().contains("SYNC"));
        }
        try (MappedAcceptorStore store = MappedAcceptorStore.open(ctx(DurabilityMode.SYNC)))
        {
            assertEquals(2 << 16 | 1, store.promisedBallot());
            assertValue(store, 0, 2 << 16 | 1, 100);
            assertValue(store, 5, 2 << 16 | 1, 0);
            assertEquals(5, store.highestSlot());
            assertThrows(IllegalStateException.class, () -> store.promise(1 << 16 | 1));
            assertThrows(IllegalStateException.class, () -> accept(store, 9, 1 << 16 | 1, 1));
        }
    }

    @Test
    void pageCacheModeIsDurableOnWriteAndForcesOnInterval()
    {
        try (MappedAcceptorStore store = MappedAcceptorStore.open(
            ctx(DurabilityMode.PAGE_CACHE).pageCacheForceIntervalNs(1000)))
        {
            final long position = accept(store, 1, 1 << 16 | 2, 64);
            assertEquals(position, store.durablePosition());
            assertTrue(store.doWork(0) >= 1, "creates the next segment");
            assertEquals(0, store.doWork(10), "interval not yet passed and next segment exists");
            assertEquals(1, store.doWork(1000), "forced once the interval passed");
            assertTrue(store.describe().contains("PAGE_CACHE"));
        }
    }

    @Test
    void shouldRollSegmentsAndRecoverAcrossThem() throws IOException
    {
        final int count = 200;
        try (MappedAcceptorStore store = MappedAcceptorStore.open(ctx(DurabilityMode.SYNC)))
        {
            for (int slot = 0; slot < count; slot++)
            {
                accept(store, slot, 1 << 16 | 1, 1000 + slot);
                if (slot % 50 == 0)
                {
                    store.doWork(slot);
                }
            }
        }
        assertTrue(LogDirectory.listSegmentIndices(dir).length >= 4);
        try (MappedAcceptorStore store = MappedAcceptorStore.open(ctx(DurabilityMode.SYNC)))
        {
            for (int slot = 0; slot < count; slot++)
            {
                assertValue(store, slot, 1 << 16 | 1, 1000 + slot);
            }
            assertEquals(count, store.slotCount());
            accept(store, count, 2 << 16 | 1, 10);
        }
        try (MappedAcceptorStore store = MappedAcceptorStore.open(ctx(DurabilityMode.SYNC)))
        {
            assertValue(store, count, 2 << 16 | 1, 10);
        }
    }

    @Test
    void shouldTruncateTornTailAndKeepAppending() throws IOException
    {
        final long lastPosition;
        try (MappedAcceptorStore store = MappedAcceptorStore.open(ctx(DurabilityMode.SYNC)))
        {
            accept(store, 0, 1 << 16 | 1, 100);
            store.force();
            store.doWork(1); // checkpoint not yet due: the checkpoint stays at recovery's
            lastPosition = store.appendPosition();
            accept(store, 1, 1 << 16 | 1, 3000);
            // Simulate a crash: no close, so no final checkpoint; tear the last record below.
            store.force();
        }
        // The close above forced and checkpointed; rewrite the metadata checkpoint to before the last record
        // to model a crash where the last record's sectors were only partly written.
        rewriteCheckpoint(lastPosition);
        final Path segment = LogDirectory.segmentPath(dir, 0);
        zeroBytes(segment, (int)align512(lastPosition + 600), 512);

        try (MappedAcceptorStore store = MappedAcceptorStore.open(ctx(DurabilityMode.SYNC)))
        {
            assertValue(store, 0, 1 << 16 | 1, 100);
            assertEquals(-1, store.wrapValue(1, view), "torn record dropped");
            assertEquals(lastPosition, store.appendPosition());
            accept(store, 2, 1 << 16 | 1, 10);
        }
        try (MappedAcceptorStore store = MappedAcceptorStore.open(ctx(DurabilityMode.SYNC)))
        {
            assertValue(store, 2, 1 << 16 | 1, 10);
            assertEquals(-1, store.wrapValue(1, view));
        }
    }

    @Test
    void shouldRefuseToStartOnCorruptionBeforeTheTail() throws IOException
    {
        try (MappedAcceptorStore store = MappedAcceptorStore.open(ctx(DurabilityMode.SYNC)))
        {
            for (int slot = 0; slot < 10; slot++)
            {
                accept(store, slot, 1 << 16 | 1, 200);
            }
        }
        final Path segment = LogDirectory.segmentPath(dir, 0);
        final int recordOffset = 3 * LogRecordDescriptor.alignedFrameLength(200);
        flipByte(segment, recordOffset + LogRecordDescriptor.VALUE_OFFSET + 17);

        final LogCorruptionException ex = assertThrows(
            LogCorruptionException.class, () -> MappedAcceptorStore.open(ctx(DurabilityMode.SYNC)));
        assertEquals(segment, ex.file());
        assertEquals(recordOffset, ex.offset());
        assertTrue(ex.getMessage().contains("CRC32C"), ex.getMessage());
        assertTrue(ex.getMessage().contains(segment.toString()), ex.getMessage());
    }

    @Test
    void shouldZeroGarbageAfterTheEnd() throws IOException
    {
        final long end;
        try (MappedAcceptorStore store = MappedAcceptorStore.open(ctx(DurabilityMode.SYNC)))
        {
            accept(store, 0, 1 << 16 | 1, 40);
            end = store.appendPosition();
        }
        final Path segment = LogDirectory.segmentPath(dir, 0);
        // an unpublished record: body written, frame length still zero
        writeBytes(segment, (int)end + 8, new byte[]{ 1, 2, 3, 4, 5, 6, 7, 8 });
        try (MappedAcceptorStore store = MappedAcceptorStore.open(ctx(DurabilityMode.SYNC)))
        {
            assertEquals(end, store.appendPosition());
            accept(store, 1, 1 << 16 | 1, 0);
        }
        try (MappedAcceptorStore store = MappedAcceptorStore.open(ctx(DurabilityMode.SYNC)))
        {
            assertValue(store, 0, 1 << 16 | 1, 40);
            assertValue(store, 1, 1 << 16 | 1, 0);
        }
    }

    @Test
    void shouldDeleteSegmentsWhollyBelowSlotAndKeepPromise() throws IOException
    {
        try (MappedAcceptorStore store = MappedAcceptorStore.open(ctx(DurabilityMode.SYNC)))
        {
            store.promise(7 << 16 | 1);
            for (int slot = 0; slot < 100; slot++)
            {
                accept(store, slot, 7 << 16 | 1, 2000);
            }
            final int before = LogDirectory.listSegmentIndices(dir).length;
            final int deleted = store.deleteBelow(50);
            assertTrue(deleted >= 1);
            assertEquals(before - deleted, LogDirectory.listSegmentIndices(dir).length);
            assertEquals(50, store.lowestSlot());
            assertEquals(-1, store.wrapValue(49, view));
            assertValue(store, 50, 7 << 16 | 1, 2000);
            assertThrows(IllegalArgumentException.class, () -> accept(store, 10, 7 << 16 | 1, 1));
        }
        try (MappedAcceptorStore store = MappedAcceptorStore.open(ctx(DurabilityMode.SYNC)))
        {
            assertEquals(50, store.lowestSlot());
            assertEquals(7 << 16 | 1, store.promisedBallot());
            assertEquals(0, store.acceptedBallot(10));
            for (int slot = 50; slot < 100; slot++)
            {
                assertValue(store, slot, 7 << 16 | 1, 2000);
            }
        }
    }

    @Test
    void shouldRefuseAnotherMembersLog()
    {
        MappedAcceptorStore.open(ctx(DurabilityMode.SYNC).memberId(1)).close();
        final LogFailureException ex = assertThrows(
            LogFailureException.class, () -> MappedAcceptorStore.open(ctx(DurabilityMode.SYNC).memberId(2)));
        assertTrue(ex.getMessage().contains("memberId"), ex.getMessage());
    }

    @Test
    void concludeShouldNameTheBadSetting()
    {
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> ctx(DurabilityMode.SYNC).segmentLengthBytes(100_000).conclude()).getMessage()
            .contains("segmentLengthBytes"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> ctx(DurabilityMode.SYNC).segmentLengthBytes(1024).conclude()).getMessage()
            .contains("segmentLengthBytes"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> ctx(DurabilityMode.SYNC).maxValueLengthBytes(SEGMENT_LENGTH).conclude()).getMessage()
            .contains("maxValueLengthBytes"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> new LogContext().directory(null).conclude()).getMessage().contains("directory"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> ctx(DurabilityMode.SYNC).directory(dir.resolve("missing")).createDirectory(false).conclude())
            .getMessage().contains("directory"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> ctx(DurabilityMode.SYNC).pageCacheForceIntervalNs(0).conclude()).getMessage()
            .contains("pageCacheForceIntervalNs"));
    }

    @Test
    void shouldCreateRealBlocksNotSparseFiles() throws IOException
    {
        MappedAcceptorStore.open(ctx(DurabilityMode.SYNC)).close();
        final Path segment = LogDirectory.segmentPath(dir, 0);
        assertEquals(SEGMENT_LENGTH, Files.size(segment));
        // st_blocks counts 512-byte units actually allocated; a sparse file would report ~0.
        final Process stat = new ProcessBuilder("stat", "-c", "%b", segment.toString()).start();
        final String blocks = new String(stat.getInputStream().readAllBytes()).trim();
        assertTrue(Long.parseLong(blocks) * 512 >= SEGMENT_LENGTH, "allocated blocks: " + blocks);
    }

    private void rewriteCheckpoint(final long checkpointPosition)
    {
        try (MetadataFile metadata = MetadataFile.open(MappedSegmentFile.FACTORY, dir, false))
        {
            metadata.write(metadata.promisedBallot(), checkpointPosition, metadata.lowestSlot());
        }
    }

    private static long align512(final long position)
    {
        return (position + 511) & ~511L;
    }

    static void zeroBytes(final Path file, final int offset, final int length) throws IOException
    {
        writeBytes(file, offset, new byte[length]);
    }

    static void flipByte(final Path file, final int offset) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer b = ByteBuffer.allocate(1);
            channel.read(b, offset);
            b.put(0, (byte)(b.get(0) ^ 0x5A)).rewind();
            channel.write(b, offset);
        }
    }

    static void writeBytes(final Path file, final int offset, final byte[] bytes) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.wrap(bytes), offset);
        }
    }
}
