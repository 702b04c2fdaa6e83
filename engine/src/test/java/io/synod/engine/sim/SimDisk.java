package io.synod.engine.sim;

import io.synod.engine.protocol.AcceptorStore;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.SplittableRandom;

/**
 * A simulated disk holding one acceptor's log. Writes are appended; {@link #sync()} makes every
 * write so far durable; {@link #crash(SplittableRandom)} keeps the durable writes plus a random
 * prefix of the unsynced ones (a torn last write is discarded, as recovery would) and forgets the
 * rest. Single-threaded: owned by the simulation.
 */
final class SimDisk implements AcceptorStore
{
    /**
     * Told of every accept write the moment it becomes durable: the simulator's ghost record of
     * which acceptors really accepted what.
     */
    interface DurableListener
    {
        void onDurableAccept(int memberId, long slot, long ballot, byte[] value);

        void onDurablePromise(int memberId, long ballot);
    }

    private static final class Write
    {
        final boolean promise;
        final long slot;
        final long ballot;
        final byte[] value;

        Write(final boolean promise, final long slot, final long ballot, final byte[] value)
        {
            this.promise = promise;
            this.slot = slot;
            this.ballot = ballot;
            this.value = value;
        }
    }

    private static final class Entry
    {
        final long ballot;
        final byte[] value;

        Entry(final long ballot, final byte[] value)
        {
            this.ballot = ballot;
            this.value = value;
        }
    }

    private final int memberId;
    private final DurableListener listener;
    private final boolean forgetPromises;
    private final ArrayList<Write> writes = new ArrayList<>();
    private final Long2ObjectHashMap<Entry> entries = new Long2ObjectHashMap<>();
    private int durableCount;
    private long promised;
    private long highestSlot = -1;
    private long tornWrites;
    private long lostWrites;

    SimDisk(final int memberId, final DurableListener listener, final boolean forgetPromises)
    {
        this.memberId = memberId;
        this.listener = listener;
        this.forgetPromises = forgetPromises;
    }

    public long promisedBallot()
    {
        return promised;
    }

    public long promise(final long ballot)
    {
        if (ballot < promised)
        {
            throw new IllegalStateException("promise went backwards: " + ballot + " < " + promised);
        }
        promised = ballot;
        writes.add(new Write(true, -1, ballot, null));
        return writes.size();
    }

    public long accept(final long slot, final long ballot, final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] value = new byte[length];
        buffer.getBytes(offset, value);
        final Write write = new Write(false, slot, ballot, value);
        apply(write, true);
        writes.add(write);
        return writes.size();
    }

    public long durablePosition()
    {
        return durableCount;
    }

    public long acceptedBallot(final long slot)
    {
        final Entry entry = entries.get(slot);
        return entry == null ? NULL_BALLOT : entry.ballot;
    }

    public int wrapValue(final long slot, final DirectBuffer view)
    {
        final Entry entry = entries.get(slot);
        if (entry == null)
        {
            return -1;
        }
        view.wrap(entry.value);
        return entry.value.length;
    }

    public long lowestSlot()
    {
        return 0;
    }

    public long highestSlot()
    {
        return highestSlot;
    }

    int unsyncedWrites()
    {
        return writes.size() - durableCount;
    }

    long tornWrites()
    {
        return tornWrites;
    }

    long lostWrites()
    {
        return lostWrites;
    }

    /**
     * Group commit: one force makes everything written so far durable.
     */
    void sync()
    {
        for (int i = durableCount; i < writes.size(); i++)
        {
            final Write write = writes.get(i);
            if (write.promise)
            {
                listener.onDurablePromise(memberId, write.ballot);
            }
            else
            {
                listener.onDurableAccept(memberId, write.slot, write.ballot, write.value);
            }
        }
        durableCount = writes.size();
    }

    /**
     * Power or process loss: durable writes survive, unsynced ones survive only as a random prefix,
     * and the last of that prefix may be torn, which recovery discards.
     */
    void crash(final SplittableRandom random)
    {
        final int unsynced = writes.size() - durableCount;
        int surviving = durableCount + (unsynced == 0 ? 0 : random.nextInt(unsynced + 1));
        if (surviving > durableCount && random.nextInt(4) == 0)
        {
            surviving--;
            tornWrites++;
        }
        lostWrites += writes.size() - surviving;
        final ArrayList<Write> kept = new ArrayList<>(writes.subList(0, surviving));
        writes.clear();
        entries.clear();
        promised = 0;
        highestSlot = -1;
        for (final Write write : kept)
        {
            if (write.promise && forgetPromises)
            {
                continue;
            }
            writes.add(write);
            apply(write, false);
        }
        // What survived is on the platter now; what reached it unsynced counts as durable too.
        for (int i = durableCount; i < writes.size(); i++)
        {
            final Write write = writes.get(i);
            if (!write.promise)
            {
                listener.onDurableAccept(memberId, write.slot, write.ballot, write.value);
            }
        }
        durableCount = writes.size();
    }

    private void apply(final Write write, final boolean live)
    {
        if (write.promise)
        {
            promised = Math.max(promised, write.ballot);
            return;
        }
        entries.put(write.slot, new Entry(write.ballot, write.value));
        if (live || !forgetPromises)
        {
            promised = Math.max(promised, write.ballot);
        }
        highestSlot = Math.max(highestSlot, write.slot);
    }
}
