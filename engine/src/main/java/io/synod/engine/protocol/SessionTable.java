package io.synod.engine.protocol;

import org.agrona.collections.Long2LongHashMap;

/**
 * The open client sessions and, per session, the last sequence applied. Single-threaded: owned by
 * the learner. Derived from the log alone: sessions open, close and expire through entries in the
 * log ({@link BatchDescriptor#SESSION_OPEN} and the others), and a command's fate depends only on
 * the table and the command, so every replica that delivers the same slots, and every replay of
 * them after a restart, builds the same table and makes the same decisions. It needs no persistence
 * of its own and no clock.
 * <p>
 * Per-client FIFO and exactly-once are decided here: a command {@code (K, s)} is
 * {@link #APPLIED} iff session K is open and {@code s == lastApplied(K) + 1}; {@code s <=
 * lastApplied(K)} is a {@link #DUPLICATE}; a larger {@code s} is a {@link #GAP}, left unapplied for
 * the client to send again after the missing ones; a command of a session that is not open is
 * {@link #UNKNOWN_SESSION}. Nothing above the last applied sequence needs remembering, so a session
 * costs two words, whatever the client keeps in flight.
 * <p>
 * The table holds at most {@code maxSessions}; a session open beyond that is {@link #REFUSED}, never
 * admitted untracked. A closed or expired session frees its entry at once.
 * <pre>
 *   clientId -> index (open addressing, preallocated) -> lastApplied[index], clientOf[index]
 *   free indexes: a stack in freeList[0, free)
 * </pre>
 */
public final class SessionTable
{
    public static final int MAX_IN_FLIGHT = io.synod.codecs.ClientProtocol.MAX_IN_FLIGHT;

    /** Outcomes of {@link #apply}. */
    public static final int APPLIED = 0;
    public static final int DUPLICATE = 1;
    public static final int GAP = 2;
    public static final int UNKNOWN_SESSION = 3;

    /** Outcomes of {@link #open} and {@link #close}. */
    public static final int OPENED = 10;
    public static final int ALREADY_OPEN = 11;
    public static final int REFUSED = 12;
    public static final int CLOSED = 13;
    public static final int NOT_OPEN = 14;

    private final int maxSessions;
    private final Long2LongHashMap indexOf;
    private final long[] lastApplied;
    private final long[] clientOf;
    private final int[] freeList;
    private int free;
    private long refused;

    public SessionTable(final int maxSessions)
    {
        this.maxSessions = maxSessions;
        this.indexOf = new Long2LongHashMap(Math.max(8, maxSessions * 2), 0.65f, -1);
        this.lastApplied = new long[maxSessions];
        this.clientOf = new long[maxSessions];
        this.freeList = new int[maxSessions];
        for (int i = 0; i < maxSessions; i++)
        {
            freeList[i] = maxSessions - 1 - i;
        }
        free = maxSessions;
    }

    /**
     * A session-open entry: opens the session with {@code nextSequence - 1} as its last applied
     * sequence, or leaves an open one as it is (a client re-opening after a leader change, or a
     * restarted client with a known id, learns its last applied sequence from it).
     *
     * @return {@link #OPENED}, {@link #ALREADY_OPEN} or {@link #REFUSED} (the table is full).
     */
    public int open(final long clientId, final long nextSequence)
    {
        if (indexOf.get(clientId) >= 0)
        {
            return ALREADY_OPEN;
        }
        if (free == 0)
        {
            refused++;
            return REFUSED;
        }
        final int index = freeList[--free];
        indexOf.put(clientId, index);
        clientOf[index] = clientId;
        lastApplied[index] = nextSequence - 1;
        return OPENED;
    }

    /**
     * A session-close or session-expire entry: frees the session's entry.
     *
     * @return {@link #CLOSED}, or {@link #NOT_OPEN} if there was no such session.
     */
    public int close(final long clientId)
    {
        final long index = indexOf.remove(clientId);
        if (index < 0)
        {
            return NOT_OPEN;
        }
        freeList[free++] = (int)index;
        return CLOSED;
    }

    /**
     * Decides a command's fate, and records it as applied when it is.
     *
     * @return {@link #APPLIED}, {@link #DUPLICATE}, {@link #GAP} or {@link #UNKNOWN_SESSION}.
     */
    public int apply(final long clientId, final long sequence)
    {
        final int index = (int)indexOf.get(clientId);
        if (index < 0)
        {
            return UNKNOWN_SESSION;
        }
        final long last = lastApplied[index];
        if (sequence == last + 1)
        {
            lastApplied[index] = sequence;
            return APPLIED;
        }
        return sequence <= last ? DUPLICATE : GAP;
    }

    /**
     * For a planted bug only: applies a command past a gap, as a table without FIFO would.
     */
    void forceApplied(final long clientId, final long sequence)
    {
        final int index = (int)indexOf.get(clientId);
        if (index >= 0 && sequence > lastApplied[index])
        {
            lastApplied[index] = sequence;
        }
    }

    /**
     * @return the last sequence applied for an open session, or -1 if the session is not open.
     */
    public long lastApplied(final long clientId)
    {
        final int index = (int)indexOf.get(clientId);
        return index < 0 ? -1 : lastApplied[index];
    }

    public boolean isOpen(final long clientId)
    {
        return indexOf.get(clientId) >= 0;
    }

    public int sessions()
    {
        return maxSessions - free;
    }

    public int maxSessions()
    {
        return maxSessions;
    }

    /**
     * Session opens refused because the table was full.
     */
    public long refused()
    {
        return refused;
    }

    /**
     * A digest of the open sessions and their last applied sequences, independent of the order they
     * were opened in: two replicas that delivered the same slots have the same digest.
     */
    public long digest()
    {
        long digest = sessions();
        for (int index = 0; index < maxSessions; index++)
        {
            final long clientId = clientOf[index];
            if (indexOf.get(clientId) == index)
            {
                long h = clientId * 0x9E3779B97F4A7C15L ^ lastApplied[index];
                h ^= h >>> 31;
                digest += h * 0xBF58476D1CE4E5B9L;
            }
        }
        return digest;
    }
}
