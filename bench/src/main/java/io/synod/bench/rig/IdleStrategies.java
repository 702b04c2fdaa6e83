package io.synod.bench.rig;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.function.Supplier;

/**
 * Stateless: idle strategies by name. Yielding is the default because busy-spinning more than two
 * threads on a 2-core machine gave 3–9 ms round trips.
 */
public final class IdleStrategies
{
    private IdleStrategies()
    {
    }

    /**
     * @param name busy (or busy-spin), yielding, backoff, sleeping or noop: the spellings the node accepts.
     * @return a new idle strategy (strategies hold state, so one per agent).
     */
    public static IdleStrategy create(final String name)
    {
        switch (name)
        {
            case "busy":
            case "busy-spin":
                return new BusySpinIdleStrategy();
            case "yielding":
                return new YieldingIdleStrategy();
            case "backoff":
                return new BackoffIdleStrategy();
            case "sleeping":
                return new SleepingMillisIdleStrategy(1);
            case "noop":
                return new NoOpIdleStrategy();
            default:
                throw new IllegalArgumentException(
                    "--idle must be yielding, busy, backoff or sleeping, got '" + name + "'");
        }
    }

    /**
     * @param name as for {@link #create(String)}.
     * @return a supplier of new strategies of that kind.
     */
    public static Supplier<IdleStrategy> supplier(final String name)
    {
        create(name);
        return () -> create(name);
    }
}
