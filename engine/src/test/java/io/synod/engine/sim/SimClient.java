package io.synod.engine.sim;

import java.util.TreeMap;

/**
 * A simulated client: keeps up to {@code window} commands in flight (each with its own sequence),
 * sends them to the replica it believes leads, follows redirects and retries unacknowledged
 * commands with the same {@code (clientId, sequence)}.
 */
final class SimClient
{
    static final class Pending
    {
        final long sequence;
        final byte[] payload;
        long sentAtNs;
        int attempts;

        Pending(final long sequence, final byte[] payload)
        {
            this.sequence = sequence;
            this.payload = payload;
        }
    }

    final long clientId;
    final int window;
    final long timeoutNs;
    final TreeMap<Long, Pending> inFlight = new TreeMap<>();
    int target;
    long nextSequence = 1;
    long acked;
    /**
     * The session is open as far as this client heard (its open entry was applied).
     */
    boolean open;
    long openSentNs = Long.MIN_VALUE / 2;
    long bulkResendNs = Long.MIN_VALUE / 2;
    long heardNs = Long.MIN_VALUE / 2;

    SimClient(final long clientId, final int window, final long timeoutNs, final int target)
    {
        this.clientId = clientId;
        this.window = window;
        this.timeoutNs = timeoutNs;
        this.target = target;
    }

    long submitted()
    {
        return nextSequence - 1;
    }
}
