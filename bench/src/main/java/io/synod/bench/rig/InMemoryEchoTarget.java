package io.synod.bench.rig;

import org.agrona.DirectBuffer;

import java.util.function.LongConsumer;

/**
 * A target with no transport: each offered command is answered on the next {@link #poll}. Single
 * threaded, owned by the rig's thread. Measures the rig's own overhead and serves the rig's tests.
 */
public class InMemoryEchoTarget implements BenchTarget
{
    private final long[] pending;
    private final int mask;
    private long nextId;
    private long answeredUpTo;

    /**
     * @param capacity power of two bound on unanswered commands; past it offers are {@link #WINDOW_FULL}.
     */
    public InMemoryEchoTarget(final int capacity)
    {
        if (Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        pending = new long[capacity];
        mask = capacity - 1;
    }

    @Override
    public String name()
    {
        return "in-memory-echo";
    }

    @Override
    public String setup()
    {
        return "in-memory-echo: no transport, answered on the next poll, capacity=" + pending.length;
    }

    @Override
    public void start()
    {
    }

    @Override
    public long offer(final DirectBuffer buffer, final int offset, final int length)
    {
        if (nextId - answeredUpTo >= pending.length)
        {
            return WINDOW_FULL;
        }
        final long id = nextId++;
        pending[(int)(id & mask)] = id;
        return id;
    }

    @Override
    public int poll(final LongConsumer onResponse)
    {
        if (!answering())
        {
            return 0;
        }
        final int count = (int)(nextId - answeredUpTo);
        while (answeredUpTo < nextId)
        {
            onResponse.accept(pending[(int)(answeredUpTo++ & mask)]);
        }
        return count;
    }

    /**
     * Hook for tests that freeze the target: while this returns false nothing is answered.
     *
     * @return whether {@link #poll} answers now.
     */
    protected boolean answering()
    {
        return true;
    }

    @Override
    public void close()
    {
    }
}
