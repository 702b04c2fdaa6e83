package io.synod.bench;

import io.synod.engine.log.DurabilityMode;
import io.synod.engine.log.LogContext;
import io.synod.engine.log.MappedAcceptorStore;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.*;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Recovery time of a 256 MiB log (4 x 64 MiB segments of 256-byte values): open = scan every record,
 * check its CRC32C, rebuild the slot index; multiply by 4 for per GiB. The files are in the page cache
 * (written in setup), so this is the CPU cost of recovery, not a cold read from the device.
 * Single-threaded: the JMH benchmark thread owns each store it opens.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens", "java.base/java.nio=ALL-UNNAMED" })
public class RecoveryBenchmark
{
    public static final long LOG_LENGTH_BYTES = 256L * 1024 * 1024;
    private static final int SEGMENT_LENGTH = 64 * 1024 * 1024;
    private static final int VALUE_LENGTH = 256;

    private Path dir;
    private LogContext ctx;

    @Setup(Level.Trial)
    public void setup()
    {
        dir = BenchDirectories.create("synod-recovery-");
        final UnsafeBuffer value = new UnsafeBuffer(new byte[VALUE_LENGTH]);
        try (MappedAcceptorStore store = MappedAcceptorStore.open(context()))
        {
            long slot = 0;
            // Fill exactly four segments: stop where the next record would roll into a fifth.
            while (store.appendPosition() + 32 + VALUE_LENGTH <= LOG_LENGTH_BYTES - 1)
            {
                value.putLong(0, slot);
                store.accept(slot++, 1L << 16 | 1, value, 0, VALUE_LENGTH);
                if ((slot & 0xFFFF) == 0)
                {
                    store.doWork(System.nanoTime());
                }
            }
        }
    }

    private LogContext context()
    {
        return new LogContext()
            .directory(dir)
            .segmentLengthBytes(SEGMENT_LENGTH)
            .maxValueLengthBytes(64 * 1024)
            .indexInitialCapacity(1 << 21)
            .durabilityMode(DurabilityMode.SYNC);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        BenchDirectories.delete(dir);
    }

    @Benchmark
    public long recover256MiB()
    {
        try (MappedAcceptorStore store = MappedAcceptorStore.open(context()))
        {
            return store.highestSlot();
        }
    }
}
