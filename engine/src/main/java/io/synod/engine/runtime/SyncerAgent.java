package io.synod.engine.runtime;

import io.synod.engine.log.LogSyncer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

/**
 * The log syncer's event loop: the only caller of the node's {@link LogSyncer} once the store detached it.
 * Forces what the acceptor appended (group commit), writes checkpoints and prepares the next segment, so
 * none of that runs on a protocol thread. Publishes the force counters.
 */
final class SyncerAgent implements Agent
{
    private final LogSyncer syncer;
    private final NanoClock clock;
    private final NodeCounters counters;
    private final String roleName;

    SyncerAgent(final LogSyncer syncer, final NanoClock clock, final NodeCounters counters, final int memberId)
    {
        this.syncer = syncer;
        this.clock = clock;
        this.counters = counters;
        this.roleName = "synod-syncer-" + memberId;
    }

    public int doWork()
    {
        final int work = syncer.doWork(clock.nanoTime());
        if (work > 0)
        {
            counters.forces.setRelease(syncer.forceCount());
            counters.forceTimeNs.setRelease(syncer.forceTimeNs());
        }
        return work;
    }

    public String roleName()
    {
        return roleName;
    }
}
