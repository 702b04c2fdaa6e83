package io.synod.engine.runtime;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.synod.engine.log.DurabilityMode;
import io.synod.engine.log.MappedAcceptorStore;
import io.synod.engine.protocol.Acceptor;
import io.synod.engine.transport.AcceptorAdapter;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * The acceptor role's event loop; the only writer of the acceptor's state and its log. Each duty
 * cycle reads the network and the node's ring, then forces the log once for everything appended
 * (group commit in SYNC mode), then releases the replies that became durable.
 */
final class AcceptorAgent implements Agent
{
    private final Acceptor acceptor;
    private final MappedAcceptorStore store;
    private final AcceptorAdapter adapter;
    private final Subscription subscription;
    private final FragmentAssembler assembler;
    private final RingBuffer ring;
    private final NanoClock clock;
    private final NodeCounters counters;
    private final int fragmentLimit;
    private final boolean timeForces;
    private final String roleName;

    AcceptorAgent(
        final Acceptor acceptor,
        final MappedAcceptorStore store,
        final AcceptorAdapter adapter,
        final Subscription subscription,
        final RingBuffer ring,
        final NanoClock clock,
        final NodeCounters counters,
        final int fragmentLimit,
        final int memberId)
    {
        this.acceptor = acceptor;
        this.store = store;
        this.adapter = adapter;
        this.subscription = subscription;
        this.assembler = new FragmentAssembler(adapter);
        this.ring = ring;
        this.clock = clock;
        this.counters = counters;
        this.fragmentLimit = fragmentLimit;
        this.timeForces = store.durabilityMode() == DurabilityMode.SYNC;
        this.roleName = "synod-acceptor-" + memberId;
    }

    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        adapter.nowNs(nowNs);
        int work = subscription.poll(assembler, fragmentLimit);
        work += ring.read(adapter, fragmentLimit);

        final long beforeNs = timeForces ? clock.nanoTime() : 0;
        final int forced = store.doWork(nowNs);
        if (forced > 0 && timeForces)
        {
            counters.forces.incrementRelease();
            counters.forceTimeNs.getAndAddRelease(clock.nanoTime() - beforeNs);
        }
        work += forced;
        work += acceptor.doWork(nowNs);
        counters.promisedBallot.setRelease(acceptor.promisedBallot());
        counters.staleRejected.setRelease(acceptor.staleRejected());
        counters.acceptorBallotsRefused.setRelease(acceptor.ballotsRefused());
        return work;
    }

    public String roleName()
    {
        return roleName;
    }
}
