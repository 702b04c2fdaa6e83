package io.synod.engine.log;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The store with its syncer detached onto a thread of its own, as a node runs it: forces and segment
 * creation happen on the syncer's thread only, a force covers everything appended while the previous
 * one ran, and a syncer that dies while preparing a segment stops the acceptor's wait and leaves a log
 * that recovers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LogSyncerTest
{
    private static final int SEGMENT_LENGTH = 64 * 1024;
    private static final int VALUE_LENGTH = 1000;

    @TempDir
    Path dir;

    private final UnsafeBuffer value = new UnsafeBuffer(new byte[VALUE_LENGTH]);
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);

    @Test
    void forcesAndSegmentCreationRunOnlyOnTheSyncerThread() throws Exception
    {
        final HookedSegmentFileFactory factory = new HookedSegmentFileFactory();
        final int records = 8 * SEGMENT_LENGTH / VALUE_LENGTH;
        final List<String> calls;
        try (MappedAcceptorStore store = MappedAcceptorStore.open(ctx(factory)))
        {
            factory.calls.clear(); // recovery at open runs on the opening thread, before any traffic
            final LogSyncer syncer = store.detachSyncer();
            try (SyncerThread thread = new SyncerThread(syncer))
            {
                store.promise(1 << 16 | 1);
                int heldBack = 0;
                for (long slot = 0; slot < records; slot++)
                {
                    // What the acceptor agent does: no input while the next segment is not ready.
                    while (!store.mayAppendWithoutWaiting())
                    {
                        heldBack++;
                        thread.checkAlive();
                        Thread.onSpinWait();
                    }
                    accept(store, slot, 1 << 16 | 1);
                }
                awaitDurable(store, thread);
                assertEquals(0, store.segmentWaits(), "the acceptor never waited for a segment (held back " +
                    heldBack + " times)");
            }
            // Before close, whose final force runs on the closing thread once the syncer stopped.
            calls = List.copyOf(factory.calls);
            assertTrue(syncer.segmentsPrepared() >= 7, "segments prepared ahead: " + syncer.segmentsPrepared());
            assertTrue(syncer.forceCount() >= 1 && syncer.forceCount() <= records, "forces " + syncer.forceCount());
        }
        assertTrue(calls.stream().anyMatch(c -> c.startsWith("force segment")), calls.toString());
        assertTrue(calls.stream().anyMatch(c -> c.startsWith("create segment")), calls.toString());
        for (final String call : calls)
        {
            assertTrue(call.endsWith("@" + SyncerThread.NAME), "ran on the syncer's thread: " + call);
        }
        try (MappedAcceptorStore store = MappedAcceptorStore.open(ctx(MappedSegmentFile.FACTORY)))
        {
            for (long slot = 0; slot < records; slot++)
            {
                assertValue(store, slot, 1 << 16 | 1);
            }
        }
    }

    @Test
    void oneForceCoversEverythingAppendedWhileThePreviousOneRan() throws Exception
    {
        final CountDownLatch firstForceStarted = new CountDownLatch(1);
        final CountDownLatch releaseFirstForce = new CountDownLatch(1);
        final AtomicBoolean first = new AtomicBoolean(true);
        final HookedSegmentFileFactory factory = new HookedSegmentFileFactory();
        try (MappedAcceptorStore store = MappedAcceptorStore.open(ctx(factory)))
        {
            // Armed after open: recovery forces too, on this thread.
            factory.beforeForce = offset ->
            {
                if (first.getAndSet(false))
                {
                    firstForceStarted.countDown();
                    await(releaseFirstForce);
                }
                return true;
            };
            final LogSyncer syncer = store.detachSyncer();
            try (SyncerThread thread = new SyncerThread(syncer))
            {
                final long firstPosition = accept(store, 0, 1 << 16 | 1);
                await(firstForceStarted);
                long lastPosition = 0;
                for (long slot = 1; slot <= 20; slot++)
                {
                    lastPosition = accept(store, slot, 1 << 16 | 1);
                }
                assertTrue(store.durablePosition() < firstPosition, "nothing durable while the first force runs");
                releaseFirstForce.countDown();
                awaitDurable(store, thread);
                assertTrue(store.durablePosition() >= lastPosition);
            }
            assertEquals(2, syncer.forceCount(),
                "one force for slot 0, one for the 20 slots appended while it ran");
        }
    }

    @Test
    void syncerFailingWhilePreparingASegmentEndsTheWaitAndTheLogRecovers() throws Exception
    {
        final HookedSegmentFileFactory factory = new HookedSegmentFileFactory();
        factory.failCreateOfSegment = 2;
        final long[] accepted = { 0 };
        final MappedAcceptorStore store = MappedAcceptorStore.open(ctx(factory));
        try
        {
            final LogSyncer syncer = store.detachSyncer();
            try (SyncerThread thread = new SyncerThread(syncer))
            {
                final LogFailureException failure = assertThrows(LogFailureException.class, () ->
                {
                    // Ignores mayAppendWithoutWaiting on purpose: the roll into segment 2 must wait, then fail.
                    for (long slot = 0; slot < 4L * SEGMENT_LENGTH / VALUE_LENGTH; slot++)
                    {
                        accept(store, slot, 1 << 16 | 1);
                        accepted[0] = slot + 1;
                    }
                });
                assertTrue(failure.getMessage().contains("syncer stopped"), failure.getMessage());
                assertNotNull(thread.failure, "the syncer's thread ended on the failed creation");
                thread.failure = null;
            }
            assertTrue(Files.exists(LogDirectory.segmentPath(dir, 2).resolveSibling(
                LogDirectory.segmentFileName(2) + MappedSegmentFile.TEMP_SUFFIX)), "a half-created segment is left");
        }
        finally
        {
            store.close();
        }
        try (MappedAcceptorStore reopened = MappedAcceptorStore.open(ctx(MappedSegmentFile.FACTORY)))
        {
            // Close forced what the failed syncer had not: every record appended before the failure is there.
            assertTrue(accepted[0] > SEGMENT_LENGTH / VALUE_LENGTH, "filled segments 0 and 1: " + accepted[0]);
            for (long slot = 0; slot < accepted[0]; slot++)
            {
                assertValue(reopened, slot, 1 << 16 | 1);
            }
            try (Stream<Path> files = Files.list(dir))
            {
                assertTrue(files.noneMatch(p -> p.toString().endsWith(MappedSegmentFile.TEMP_SUFFIX)),
                    "recovery deleted the half-created segment");
            }
        }
    }

    private LogContext ctx(final SegmentFileFactory factory)
    {
        return new LogContext()
            .directory(dir)
            .segmentLengthBytes(SEGMENT_LENGTH)
            .maxValueLengthBytes(VALUE_LENGTH)
            .durabilityMode(DurabilityMode.SYNC)
            .segmentFileFactory(factory);
    }

    private long accept(final MappedAcceptorStore store, final long slot, final long ballot)
    {
        for (int i = 0; i < VALUE_LENGTH; i++)
        {
            value.putByte(i, (byte)(slot * 31 + ballot * 7 + i));
        }
        return store.accept(slot, ballot, value, 0, VALUE_LENGTH);
    }

    private void assertValue(final MappedAcceptorStore store, final long slot, final long ballot)
    {
        assertEquals(ballot, store.acceptedBallot(slot), "ballot of slot " + slot);
        assertEquals(VALUE_LENGTH, store.wrapValue(slot, view), "length of slot " + slot);
        for (int i = 0; i < VALUE_LENGTH; i++)
        {
            assertEquals((byte)(slot * 31 + ballot * 7 + i), view.getByte(i), "slot " + slot + " byte " + i);
        }
    }

    private static void awaitDurable(final MappedAcceptorStore store, final SyncerThread thread)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (store.durablePosition() < store.appendPosition())
        {
            thread.checkAlive();
            assertTrue(System.nanoTime() < deadlineNs, "durable " + store.durablePosition() + " < appended " +
                store.appendPosition());
            Thread.onSpinWait();
        }
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            assertTrue(latch.await(30, TimeUnit.SECONDS));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    /**
     * Runs a syncer's duty cycle on a thread of its own until closed; close joins it.
     */
    private static final class SyncerThread implements AutoCloseable
    {
        static final String NAME = "test-syncer";

        private final Thread thread;
        private volatile boolean running = true;
        private volatile Throwable failure;

        SyncerThread(final LogSyncer syncer)
        {
            thread = new Thread(() ->
            {
                try
                {
                    while (running)
                    {
                        syncer.doWork(System.nanoTime());
                        Thread.onSpinWait();
                    }
                }
                catch (final Throwable ex)
                {
                    failure = ex;
                }
            }, NAME);
            thread.start();
        }

        void checkAlive()
        {
            if (null != failure)
            {
                throw new AssertionError("syncer failed", failure);
            }
        }

        public void close() throws InterruptedException
        {
            checkAlive();
            running = false;
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(thread.isAlive(), "syncer thread stopped");
        }
    }
}
