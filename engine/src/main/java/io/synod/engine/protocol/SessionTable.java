package io.synod.engine.protocol;

import org.agrona.collections.Long2LongHashMap;

/**
 * Applied-sequence table: which {@code (clientId, sequence)} commands were already delivered, so a
 * retried command is delivered once. Single-threaded: owned by the learner. It is derived from the
 * log alone (every replica builds the same one by delivering the same slots), so it needs no
 * persistence of its own: a restarted learner rebuilds it as it delivers again.
 * <p>
 * Per client it keeps the highest sequence applied and a circular bitmap of the
 * {@link #MAX_IN_FLIGHT} sequences up to it (bit {@code s mod MAX_IN_FLIGHT} for sequence s). A
 * client keeps at most that many sequences open, counted from its oldest unacknowledged one, so a
 * sequence further below the highest can only be a duplicate. Commands of one client may be chosen
 * out of sequence order (a leader change can reorder them); the bitmap makes that safe.
 * <pre>
 *   client index i -> words [i * WORDS, (i + 1) * WORDS) of one preallocated long[]
 * </pre>
 */
public final class SessionTable
{
    public static final int MAX_IN_FLIGHT = io.synod.codecs.ClientProtocol.MAX_IN_FLIGHT;
    private static final int WORDS = MAX_IN_FLIGHT / Long.SIZE;
    private static final int MASK = MAX_IN_FLIGHT - 1;

    private final int maxClients;
    private final Long2LongHashMap indexOf;
    private final long[] highest;
    private final long[] bits;
    private int clients;
    private long untracked;

    public SessionTable(final int maxClients)
    {
        this.maxClients = maxClients;
        this.indexOf = new Long2LongHashMap(maxClients * 2, 0.65f, -1);
        this.highest = new long[maxClients];
        this.bits = new long[maxClients * WORDS];
    }

    /**
     * Records a command as applied if it was not yet.
     *
     * @return true if the command is new and must be delivered, false for a duplicate.
     */
    public boolean apply(final long clientId, final long sequence)
    {
        int index = (int)indexOf.get(clientId);
        if (index < 0)
        {
            if (clients == maxClients)
            {
                // Every replica makes the same choice here, so the logs stay identical; the count
                // shows the table needs to be larger.
                untracked++;
                return true;
            }
            index = clients++;
            indexOf.put(clientId, index);
        }
        final long top = highest[index];
        final int base = index * WORDS;
        if (sequence > top)
        {
            if (sequence - top >= MAX_IN_FLIGHT)
            {
                java.util.Arrays.fill(bits, base, base + WORDS, 0L);
            }
            else
            {
                for (long s = top + 1; s < sequence; s++)
                {
                    clear(base, s);
                }
            }
            set(base, sequence);
            highest[index] = sequence;
            return true;
        }
        if (top - sequence >= MAX_IN_FLIGHT || isSet(base, sequence))
        {
            return false;
        }
        set(base, sequence);
        return true;
    }

    public boolean isApplied(final long clientId, final long sequence)
    {
        final int index = (int)indexOf.get(clientId);
        if (index < 0 || sequence > highest[index])
        {
            return false;
        }
        return highest[index] - sequence >= MAX_IN_FLIGHT || isSet(index * WORDS, sequence);
    }

    public int clients()
    {
        return clients;
    }

    public long untracked()
    {
        return untracked;
    }

    private boolean isSet(final int base, final long sequence)
    {
        final int bit = (int)(sequence & MASK);
        return (bits[base + (bit >>> 6)] & (1L << bit)) != 0;
    }

    private void set(final int base, final long sequence)
    {
        final int bit = (int)(sequence & MASK);
        bits[base + (bit >>> 6)] |= 1L << bit;
    }

    private void clear(final int base, final long sequence)
    {
        final int bit = (int)(sequence & MASK);
        bits[base + (bit >>> 6)] &= ~(1L << bit);
    }
}
