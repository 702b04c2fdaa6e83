package io.synod.bench;

import io.synod.engine.log.DurabilityMode;
import io.synod.engine.log.LogContext;
import io.synod.engine.log.MappedAcceptorStore;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * Latency of one SYNC group commit (groupSize appends, then the force) next to the machine's raw cost
 * of one 4 KiB write + force through a plain FileChannel, measured in the same run so they can be given
 * as a ratio. Single-threaded: each state is owned by the JMH benchmark thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens", "java.base/java.nio=ALL-UNNAMED" })
public class ForceLatencyBenchmark
{
    private static final long BALLOT = 1L << 16 | 1;
    private static final int RAW_FILE_LENGTH = 64 * 1024 * 1024;
    private static final int SEGMENT_LENGTH = 64 * 1024 * 1024;

    /**
     * A pre-allocated file written 4 KiB at a time, cycling, each write followed by force(false) (fdatasync).
     */
    @State(Scope.Thread)
    public static class RawFile
    {
        private Path dir;
        private FileChannel channel;
        private final ByteBuffer block = ByteBuffer.allocateDirect(4096);
        private long position;

        @Setup(Level.Trial)
        public void setup() throws IOException
        {
            dir = BenchDirectories.create("synod-raw-");
            channel = FileChannel.open(dir.resolve("raw.dat"),
                StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
            final ByteBuffer zeros = ByteBuffer.allocateDirect(1024 * 1024);
            for (long p = 0; p < RAW_FILE_LENGTH; p += zeros.capacity())
            {
                zeros.clear();
                channel.write(zeros, p);
            }
            channel.force(true);
            for (int i = 0; i < 4096; i++)
            {
                block.put(i, (byte)i);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            channel.close();
            BenchDirectories.delete(dir);
        }
    }

    /**
     * A SYNC store; one op appends {@code groupSize} records and forces them once.
     */
    @State(Scope.Thread)
    public static class SyncStore
    {
        @Param({ "32", "256", "4096" })
        public int valueLength;

        @Param({ "1", "16", "256" })
        public int groupSize;

        private Path dir;
        private MappedAcceptorStore store;
        private UnsafeBuffer value;
        private long slot;
        private long recordsPerSegment;
        private long nextCompactionSlot;

        @Setup(Level.Trial)
        public void setup()
        {
            dir = BenchDirectories.create("synod-sync-");
            store = MappedAcceptorStore.open(new LogContext()
                .directory(dir)
                .segmentLengthBytes(SEGMENT_LENGTH)
                .maxValueLengthBytes(64 * 1024)
                .indexInitialCapacity(1 << 23)
                .durabilityMode(DurabilityMode.SYNC));
            value = new UnsafeBuffer(new byte[valueLength]);
            recordsPerSegment = SEGMENT_LENGTH / (32L + valueLength);
            nextCompactionSlot = 2 * recordsPerSegment;
            store.doWork(System.nanoTime());
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            store.close();
            BenchDirectories.delete(dir);
        }
    }

    @Benchmark
    public long rawWrite4KiBAndForce(final RawFile raw) throws IOException
    {
        raw.block.clear();
        final int written = raw.channel.write(raw.block, raw.position);
        raw.channel.force(false);
        raw.position = (raw.position + 4096) & (RAW_FILE_LENGTH - 1);
        return written;
    }

    @Benchmark
    public long syncGroupCommit(final SyncStore s)
    {
        final MappedAcceptorStore store = s.store;
        long position = 0;
        for (int i = 0; i < s.groupSize; i++)
        {
            position = store.accept(s.slot++, BALLOT, s.value, 0, s.valueLength);
        }
        store.doWork(System.nanoTime());
        if (s.slot >= s.nextCompactionSlot)
        {
            store.deleteBelow(s.slot - 2 * s.recordsPerSegment);
            s.nextCompactionSlot = s.slot + s.recordsPerSegment;
        }
        return position + store.durablePosition();
    }
}
