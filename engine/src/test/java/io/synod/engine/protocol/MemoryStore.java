package io.synod.engine.protocol;

import org.agrona.DirectBuffer;

import java.util.TreeMap;

/**
 * In-memory {@link AcceptorStore} for unit tests: every write gets the next position, and nothing is
 * durable until the test calls {@link #sync()}. Single-threaded: owned by the test.
 */
final class MemoryStore implements AcceptorStore
{
    record Entry(long slot, long ballot, byte[] value)
    {
    }

    private final TreeMap<Long, Entry> entries = new TreeMap<>();
    private long promised = NULL_BALLOT;
    private long position;
    private long durable;
    private int writes;

    /**
     * Makes every write so far durable, as a force of the log would.
     */
    void sync()
    {
        durable = position;
    }

    int writes()
    {
        return writes;
    }

    Entry entry(final long slot)
    {
        return entries.get(slot);
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
        writes++;
        return ++position;
    }

    public long accept(final long slot, final long ballot, final DirectBuffer buffer, final int offset, final int length)
    {
        if (ballot < promised)
        {
            throw new IllegalStateException("accept below promise: " + ballot + " < " + promised);
        }
        final byte[] value = new byte[length];
        buffer.getBytes(offset, value);
        entries.put(slot, new Entry(slot, ballot, value));
        promised = Math.max(promised, ballot);
        writes++;
        return ++position;
    }

    public long durablePosition()
    {
        return durable;
    }

    public long acceptedBallot(final long slot)
    {
        final Entry entry = entries.get(slot);
        return entry == null ? NULL_BALLOT : entry.ballot();
    }

    public int wrapValue(final long slot, final DirectBuffer view)
    {
        final Entry entry = entries.get(slot);
        if (entry == null)
        {
            return -1;
        }
        view.wrap(entry.value());
        return entry.value().length;
    }

    public long lowestSlot()
    {
        return 0;
    }

    public long highestSlot()
    {
        return entries.isEmpty() ? -1 : entries.lastKey();
    }
}
