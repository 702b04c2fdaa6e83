package io.synod.bench;

import io.synod.engine.log.DurabilityMode;
import io.synod.engine.log.LogContext;
import io.synod.engine.log.LogSyncer;
import io.synod.engine.log.MappedAcceptorStore;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.*;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SYNC append throughput of the acceptor log with a bounded window of records not yet durable, as the
 * acceptor's pending replies are; one JMH op is one record appended, so at steady state ops/s is records
 * made durable per second. Single-threaded on the JMH thread (the acceptor), plus the syncer's thread.
 * <ul>
 *   <li>{@code INLINE}: the old acceptor duty cycle: up to 64 records (a fragment limit's worth), then a
 *   force on the same thread, which blocks for the whole force.</li>
 *   <li>{@code SYNCER_THREAD}: the syncer forces on its own thread whatever was appended while its
 *   previous force ran; the appending thread only waits when 512 records are outstanding.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens", "java.base/java.nio=ALL-UNNAMED" })
public class GroupCommitBenchmark
{
    private static final long BALLOT = 1L << 16 | 1;
    private static final int WINDOW = 512;
    private static final int CYCLE = 64;

    @Param({ "INLINE", "SYNCER_THREAD" })
    public String syncer;

    @Param({ "100" })
    public int valueLength;

    private Path dir;
    private MappedAcceptorStore store;
    private UnsafeBuffer value;
    private final long[] positions = new long[WINDOW];
    private long head;
    private long tail;
    private long slot;
    private int inCycle;
    private boolean inline;
    private Thread syncerThread;
    private final AtomicBoolean running = new AtomicBoolean(true);

    @Setup(Level.Trial)
    public void setup()
    {
        dir = BenchDirectories.create("synod-group-commit-");
        store = MappedAcceptorStore.open(new LogContext()
            .directory(dir)
            .maxValueLengthBytes(64 * 1024)
            .indexInitialCapacity(1 << 22)
            .durabilityMode(DurabilityMode.SYNC));
        value = new UnsafeBuffer(new byte[valueLength]);
        inline = "INLINE".equals(syncer);
        if (inline)
        {
            store.doWork(System.nanoTime());
        }
        else
        {
            final LogSyncer logSyncer = store.detachSyncer();
            syncerThread = new Thread(() ->
            {
                while (running.get())
                {
                    if (logSyncer.doWork(System.nanoTime()) == 0)
                    {
                        Thread.yield();
                    }
                }
            }, "synod-bench-syncer");
            syncerThread.start();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException
    {
        running.set(false);
        if (null != syncerThread)
        {
            syncerThread.join();
        }
        store.close();
        BenchDirectories.delete(dir);
    }

    @Benchmark
    public long append()
    {
        if (inline)
        {
            final long position = store.accept(slot++, BALLOT, value, 0, valueLength);
            if (++inCycle == CYCLE)
            {
                inCycle = 0;
                store.doWork(System.nanoTime());
            }
            return position;
        }
        while (!store.mayAppendWithoutWaiting() || tail - head == WINDOW)
        {
            if (release() == 0)
            {
                Thread.yield();
            }
        }
        final long position = store.accept(slot++, BALLOT, value, 0, valueLength);
        positions[(int)(tail++ & (WINDOW - 1))] = position;
        release();
        return position;
    }

    private int release()
    {
        final long durable = store.durablePosition();
        int released = 0;
        while (head < tail && positions[(int)(head & (WINDOW - 1))] <= durable)
        {
            head++;
            released++;
        }
        return released;
    }
}
