package io.synod.engine.protocol;

import org.agrona.collections.Long2LongHashMap;

/**
 * Applied-sequence table: which {@code (clientId, sequence)} commands were already delivered, so a
 * retried command is delivered once. Single-threaded: owned by the learner. It is derived from the
 * log alone (every replica builds the same one by delivering the same slots), so it needs no
 * persistence of its own: a restarted learner rebuilds it as it delivers again.
 * <p>
 * Per client it keeps the highest sequence applied and a 64-bit mask of the 64 sequences up to it.
 * A client keeps at most 64 commands in flight, so a sequence more than 63 below the highest can
 * only be a duplicate. Commands of one client may be chosen out of sequence order (a leader change
 * can reorder them); the mask makes that safe.
 */
public final class SessionTable
{
    public static final int MAX_IN_FLIGHT = Long.SIZE;

    private final int maxClients;
    private final Long2LongHashMap highest = new Long2LongHashMap(0);
    private final Long2LongHashMap applied = new Long2LongHashMap(0);
    private long untracked;

    public SessionTable(final int maxClients)
    {
        this.maxClients = maxClients;
    }

    /**
     * Records a command as applied if it was not yet.
     *
     * @return true if the command is new and must be delivered, false for a duplicate.
     */
    public boolean apply(final long clientId, final long sequence)
    {
        final long top = highest.get(clientId);
        if (top == 0 && highest.size() >= maxClients)
        {
            // Every replica makes the same choice here, so the logs stay identical; the count shows
            // the table needs to be larger.
            untracked++;
            return true;
        }
        if (sequence > top)
        {
            final long shift = sequence - top;
            final long mask = shift >= Long.SIZE ? 0 : applied.get(clientId) << shift;
            highest.put(clientId, sequence);
            applied.put(clientId, mask | 1L);
            return true;
        }
        final long distance = top - sequence;
        if (distance >= Long.SIZE)
        {
            return false;
        }
        final long mask = applied.get(clientId);
        final long bit = 1L << distance;
        if ((mask & bit) != 0)
        {
            return false;
        }
        applied.put(clientId, mask | bit);
        return true;
    }

    public boolean isApplied(final long clientId, final long sequence)
    {
        final long top = highest.get(clientId);
        if (sequence > top)
        {
            return false;
        }
        final long distance = top - sequence;
        return distance >= Long.SIZE || (applied.get(clientId) & (1L << distance)) != 0;
    }

    public int clients()
    {
        return highest.size();
    }

    public long untracked()
    {
        return untracked;
    }
}
