package io.synod.engine.log;

import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Random;

/**
 * Child JVM of {@link CrashTest}, killed with SIGKILL at a random moment. Its main thread owns every
 * store; stores 0 and 1 run their syncer on the main thread ({@code doWork}), the others on a syncer
 * thread of their own, as a node does, so a kill also lands in the middle of a background force or
 * segment creation. It appends to several stores (even ones SYNC, odd ones PAGE_CACHE), and
 * prints a line for every write once {@code durablePosition()} covers it:
 * {@code A <store> <slot> <ballot>} or {@code P <store> <ballot>}.
 * <p>
 * Values are a function of {@code (slot, ballot)}, so a verifier can tell an intact record from a torn
 * one without knowing what was written.
 */
public final class CrashChild
{
    static final int MAX_VALUE_LENGTH = 2000;
    static final int SEGMENT_LENGTH = 64 * 1024;

    private CrashChild()
    {
    }

    static int valueLength(final long slot, final long ballot)
    {
        return (int)((slot * 131 + (ballot >>> 16) * 17) % MAX_VALUE_LENGTH);
    }

    static byte valueByte(final long slot, final long ballot, final int i)
    {
        return (byte)(slot * 31 + ballot * 7 + i);
    }

    static long accept(final MappedAcceptorStore store, final UnsafeBuffer value, final long slot, final long ballot)
    {
        final int length = valueLength(slot, ballot);
        for (int i = 0; i < length; i++)
        {
            value.putByte(i, valueByte(slot, ballot, i));
        }
        return store.accept(slot, ballot, value, 0, length);
    }

    /**
     * Checks every acknowledged write survived and every record present is intact.
     */
    static void verify(
        final MappedAcceptorStore store,
        final Long2LongHashMap ackedBallots,
        final long ackedPromise,
        final DirectBuffer view,
        final String context)
    {
        if (store.promisedBallot() < ackedPromise)
        {
            throw new AssertionError(context + ": promised " + store.promisedBallot() + " < acked " + ackedPromise);
        }
        ackedBallots.forEach((slot, ballot) ->
        {
            final long recovered = store.acceptedBallot(slot);
            if (recovered < ballot)
            {
                throw new AssertionError(context + ": slot " + slot + " acked at ballot " + ballot +
                    " but recovered ballot " + recovered);
            }
        });
        for (long slot = store.lowestSlot(); slot <= store.highestSlot(); slot++)
        {
            final int length = store.wrapValue(slot, view);
            if (length < 0)
            {
                continue;
            }
            final long ballot = store.acceptedBallot(slot);
            if (length != valueLength(slot, ballot))
            {
                throw new AssertionError(context + ": slot " + slot + " length " + length);
            }
            for (int i = 0; i < length; i++)
            {
                if (view.getByte(i) != valueByte(slot, ballot, i))
                {
                    throw new AssertionError(context + ": slot " + slot + " byte " + i + " differs");
                }
            }
        }
    }

    static LogContext context(final Path dir, final DurabilityMode mode)
    {
        return new LogContext()
            .directory(dir)
            .segmentLengthBytes(SEGMENT_LENGTH)
            .maxValueLengthBytes(MAX_VALUE_LENGTH)
            .durabilityMode(mode)
            .pageCacheForceIntervalNs(5_000_000)
            .checkpointIntervalNs(20_000_000);
    }

    static boolean detachedSyncer(final int store)
    {
        return store >= 2;
    }

    static DurabilityMode mode(final int store)
    {
        return (store & 1) == 0 ? DurabilityMode.SYNC : DurabilityMode.PAGE_CACHE;
    }

    /**
     * @param args base directory, store count, seed, generation (ballot rounds start above it).
     */
    public static void main(final String[] args)
    {
        final Path base = Paths.get(args[0]);
        final int storeCount = Integer.parseInt(args[1]);
        final Random random = new Random(Long.parseLong(args[2]));
        final long generation = Long.parseLong(args[3]);
        final PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)), false);

        final MappedAcceptorStore[] stores = new MappedAcceptorStore[storeCount];
        final long[] rounds = new long[storeCount];
        final java.util.List<LogSyncer> syncers = new java.util.ArrayList<>();
        for (int s = 0; s < storeCount; s++)
        {
            stores[s] = MappedAcceptorStore.open(context(base.resolve(Integer.toString(s)), mode(s)));
            rounds[s] = Math.max(generation * 1_000_000, stores[s].promisedBallot() >>> 16) + 1;
            if (detachedSyncer(s))
            {
                syncers.add(stores[s].detachSyncer());
            }
        }
        final Thread syncerThread = new Thread(() ->
        {
            while (true)
            {
                for (final LogSyncer syncer : syncers)
                {
                    syncer.doWork(System.nanoTime());
                }
                Thread.onSpinWait();
            }
        }, "crash-child-syncer");
        syncerThread.setDaemon(true);
        syncerThread.start();
        out.println("READY");
        out.flush();

        final UnsafeBuffer value = new UnsafeBuffer(new byte[MAX_VALUE_LENGTH]);
        final long[] pendingSlots = new long[16];
        final long[] pendingBallots = new long[16];
        while (true)
        {
            final int s = random.nextInt(storeCount);
            final MappedAcceptorStore store = stores[s];
            if (!store.mayAppendWithoutWaiting())
            {
                continue;
            }
            final int ops = 1 + random.nextInt(pendingSlots.length);
            for (int i = 0; i < ops; i++)
            {
                if (random.nextInt(16) == 0)
                {
                    final long ballot = ++rounds[s] << 16 | 1;
                    store.promise(ballot);
                    pendingSlots[i] = -1;
                    pendingBallots[i] = ballot;
                }
                else
                {
                    final long ballot = rounds[s] << 16 | 1;
                    final long slot = random.nextInt(8) == 0 && store.highestSlot() > store.lowestSlot() ?
                        store.lowestSlot() + random.nextInt((int)(store.highestSlot() - store.lowestSlot())) :
                        store.highestSlot() + 1;
                    accept(store, value, slot, ballot);
                    pendingSlots[i] = slot;
                    pendingBallots[i] = ballot;
                }
                if (DurabilityMode.PAGE_CACHE == store.durabilityMode())
                {
                    report(out, s, pendingSlots[i], pendingBallots[i]);
                }
            }
            if (detachedSyncer(s))
            {
                final long position = store.appendPosition();
                while (store.durablePosition() < position)
                {
                    Thread.onSpinWait();
                }
            }
            else
            {
                store.doWork(System.nanoTime());
            }
            if (DurabilityMode.SYNC == store.durabilityMode())
            {
                // The syncer forced the cycle: durablePosition covers every write above.
                for (int i = 0; i < ops; i++)
                {
                    report(out, s, pendingSlots[i], pendingBallots[i]);
                }
            }
            out.flush();
        }
    }

    private static void report(final PrintStream out, final int store, final long slot, final long ballot)
    {
        if (slot < 0)
        {
            out.print("P ");
            out.print(store);
            out.print(' ');
            out.println(ballot);
        }
        else
        {
            out.print("A ");
            out.print(store);
            out.print(' ');
            out.print(slot);
            out.print(' ');
            out.println(ballot);
        }
    }
}
