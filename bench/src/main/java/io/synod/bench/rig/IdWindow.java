package io.synod.bench.rig;

/**
 * Keeps a target's ids within the rig's window: a new id is issued only while it is less than
 * {@code window} above the oldest unanswered one, which the rig's ring of send times needs. A target
 * with several clients gets answers out of id order, so the count in flight alone does not ensure
 * that. Single-threaded: the rig's thread.
 */
final class IdWindow
{
    private final int window;
    private final boolean[] answered;
    private final int mask;
    private long next;
    private long oldest;

    IdWindow(final int window)
    {
        this.window = window;
        final int capacity = Integer.highestOneBit(Math.max(1, window - 1)) << 1;
        this.answered = new boolean[capacity];
        this.mask = capacity - 1;
    }

    boolean canIssue()
    {
        return next - oldest < window;
    }

    long issue()
    {
        answered[(int)(next & mask)] = false;
        return next++;
    }

    void answer(final long id)
    {
        if (id < oldest || id >= next)
        {
            return;
        }
        answered[(int)(id & mask)] = true;
        while (oldest < next && answered[(int)(oldest & mask)])
        {
            oldest++;
        }
    }
}
