package io.synod.engine.log;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The steady-state append, force and read path allocates nothing: measured with the JVM's per-thread
 * allocation counter around a loop that stays inside one segment (no roll, no compaction, no index growth),
 * with the syncer on the appending thread and on a thread of its own (as in a node).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SteadyStateAllocationTest
{
    @TempDir
    Path dir;

    @Test
    void appendForceAndReadShouldNotAllocate()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final UnsafeBuffer value = new UnsafeBuffer(new byte[64]);
        final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        try (MappedAcceptorStore store = MappedAcceptorStore.open(new LogContext()
            .directory(dir)
            .segmentLengthBytes(16 * 1024 * 1024)
            .maxValueLengthBytes(1024)
            .indexInitialCapacity(1 << 18)
            .durabilityMode(DurabilityMode.SYNC)))
        {
            store.doWork(0);
            long slot = 0;
            slot = run(store, value, view, slot, 2_000); // warm up
            // A per-operation allocation would show in every round (10,000 ops, so >= 10,000 bytes); a
            // one-off JVM event (deoptimisation re-materialising a scalar-replaced object) in one round only.
            long minAllocated = Long.MAX_VALUE;
            for (int round = 0; round < 5; round++)
            {
                final long before = threads.getCurrentThreadAllocatedBytes();
                slot = run(store, value, view, slot, 10_000);
                final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                assertTrue(allocated < 10_000, "round " + round + " allocated " + allocated + " bytes for 10,000 ops");
                minAllocated = Math.min(minAllocated, allocated);
            }
            assertEquals(0, minAllocated, "bytes allocated by 10,000 appends, 625 forces and 10,000 reads");
        }
    }

    @Test
    void appendAndReadWithTheSyncerOnItsOwnThreadShouldNotAllocate() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final UnsafeBuffer value = new UnsafeBuffer(new byte[64]);
        final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        try (MappedAcceptorStore store = MappedAcceptorStore.open(new LogContext()
            .directory(dir)
            .segmentLengthBytes(16 * 1024 * 1024)
            .maxValueLengthBytes(1024)
            .indexInitialCapacity(1 << 18)
            .durabilityMode(DurabilityMode.SYNC)))
        {
            final LogSyncer syncer = store.detachSyncer();
            final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
            final Thread syncerThread = new Thread(() ->
            {
                while (running.get())
                {
                    syncer.doWork(System.nanoTime());
                    Thread.onSpinWait();
                }
            }, "allocation-test-syncer");
            syncerThread.start();
            try
            {
                long slot = 0;
                slot = runDetached(store, value, view, slot, 2_000); // warm up
                long minAllocated = Long.MAX_VALUE;
                for (int round = 0; round < 5; round++)
                {
                    final long before = threads.getCurrentThreadAllocatedBytes();
                    slot = runDetached(store, value, view, slot, 10_000);
                    final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                    assertTrue(allocated < 10_000, "round " + round + " allocated " + allocated + " bytes for 10,000 ops");
                    minAllocated = Math.min(minAllocated, allocated);
                }
                assertEquals(0, minAllocated,
                    "bytes allocated on the appending thread by 10,000 appends, waits for durability and reads");
            }
            finally
            {
                running.set(false);
                syncerThread.join();
            }
        }
    }

    private static long runDetached(
        final MappedAcceptorStore store, final UnsafeBuffer value, final UnsafeBuffer view, final long from,
        final int count)
    {
        long slot = from;
        long sum = 0;
        for (int i = 0; i < count; i++)
        {
            final long position = store.accept(slot, 1L << 16 | 1, value, 0, 64);
            if ((i & 1023) == 1023)
            {
                // As the acceptor's pending replies do: wait until the syncer made the group durable.
                while (store.durablePosition() < position)
                {
                    Thread.onSpinWait();
                }
            }
            sum += store.wrapValue(slot, view) + store.acceptedBallot(slot);
            slot++;
        }
        return sum > 0 ? slot : -1;
    }

    private static long run(
        final MappedAcceptorStore store, final UnsafeBuffer value, final UnsafeBuffer view, final long from,
        final int count)
    {
        long slot = from;
        long sum = 0;
        for (int i = 0; i < count; i++)
        {
            store.accept(slot, 1L << 16 | 1, value, 0, 64);
            if ((i & 15) == 15)
            {
                store.force();
            }
            sum += store.wrapValue(slot, view) + store.acceptedBallot(slot);
            slot++;
        }
        return sum > 0 ? slot : -1;
    }
}
