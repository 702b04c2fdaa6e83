package io.synod.bench;

import io.synod.engine.log.DurabilityMode;
import io.synod.engine.log.LogContext;
import io.synod.engine.log.MappedAcceptorStore;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.*;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Acceptor log append throughput; one JMH op is one record. Every {@code groupSize} records the owner's
 * duty cycle runs ({@code doWork}): in SYNC that is the group commit force, in PAGE_CACHE only the
 * interval force. Records/s is the score; MB/s is records/s x valueLength / 1e6. Single-threaded:
 * the JMH benchmark thread owns the store, as the acceptor agent would.
 * <p>
 * The log is compacted as it goes (deleteBelow once per segment) so a run keeps a few segments on disk.
 * The slot index is sized up front for the ~3 segments of slots it holds at steady state (up to ~3M
 * slots for 32-byte values), as a node would size it; otherwise its one-off doublings (32-64 MB arrays)
 * show up in the first measured iterations of {@code -prof gc}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens", "java.base/java.nio=ALL-UNNAMED" })
public class LogAppendBenchmark
{
    private static final long BALLOT = 1L << 16 | 1;
    private static final int SEGMENT_LENGTH = 64 * 1024 * 1024;

    @Param({ "PAGE_CACHE", "SYNC" })
    public DurabilityMode mode;

    @Param({ "32", "256", "4096" })
    public int valueLength;

    @Param({ "1", "16", "256" })
    public int groupSize;

    private Path dir;
    private MappedAcceptorStore store;
    private UnsafeBuffer value;
    private long slot;
    private int inGroup;
    private long recordsPerSegment;
    private long nextCompactionSlot;

    @Setup(Level.Trial)
    public void setup()
    {
        dir = BenchDirectories.create("synod-append-");
        store = MappedAcceptorStore.open(new LogContext()
            .directory(dir)
            .segmentLengthBytes(SEGMENT_LENGTH)
            .maxValueLengthBytes(64 * 1024)
            .indexInitialCapacity(1 << 23)
            .durabilityMode(mode));
        value = new UnsafeBuffer(new byte[valueLength]);
        for (int i = 0; i < valueLength; i++)
        {
            value.putByte(i, (byte)i);
        }
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

    @Benchmark
    public long append()
    {
        final long position = store.accept(slot++, BALLOT, value, 0, valueLength);
        if (++inGroup == groupSize)
        {
            inGroup = 0;
            store.doWork(System.nanoTime());
            if (slot >= nextCompactionSlot)
            {
                // Keep about two segments of slots; compaction costs once per segment, amortised here.
                store.deleteBelow(slot - 2 * recordsPerSegment);
                nextCompactionSlot = slot + recordsPerSegment;
            }
        }
        return position;
    }
}
