package io.synod.engine.protocol;

/**
 * A bounded list of half-open slot ranges {@code [from, to)} in the order they were added (a slot
 * that follows the last range extends it), preallocated. Receivers must not assume the ranges are
 * sorted or disjoint: acknowledgements are idempotent, so neither matters to them.
 * Single-threaded: owned by the role that fills it; an outbox reads it during a send call.
 */
public final class SlotRanges
{
    private final long[] from;
    private final long[] to;
    private int count;

    public SlotRanges(final int capacity)
    {
        from = new long[capacity];
        to = new long[capacity];
    }

    public int count()
    {
        return count;
    }

    public int capacity()
    {
        return from.length;
    }

    public long from(final int index)
    {
        return from[index];
    }

    public long to(final int index)
    {
        return to[index];
    }

    public void clear()
    {
        count = 0;
    }

    /**
     * Adds a slot, extending the last range when the slot follows it.
     *
     * @return false if the slot needs a new range and there is no room for one.
     */
    public boolean addSlot(final long slot)
    {
        if (count > 0 && to[count - 1] == slot)
        {
            to[count - 1] = slot + 1;
            return true;
        }
        return add(slot, slot + 1);
    }

    public boolean add(final long fromSlot, final long toSlot)
    {
        if (count > 0 && to[count - 1] == fromSlot)
        {
            to[count - 1] = toSlot;
            return true;
        }
        if (count == from.length)
        {
            return false;
        }
        from[count] = fromSlot;
        to[count] = toSlot;
        count++;
        return true;
    }
}
