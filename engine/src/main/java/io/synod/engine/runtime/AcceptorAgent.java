package io.synod.engine.runtime;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.synod.engine.log.MappedAcceptorStore;
import io.synod.engine.protocol.Acceptor;
import io.synod.engine.transport.AcceptorAdapter;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * The acceptor role's event loop; the only writer of the acceptor's state and its log. Each duty
 * cycle reads the network and the node's ring, appending to the log, then releases the replies whose
 * writes the log syncer (an agent of its own) has since made durable. It never forces or creates a file:
 * when the next segment is not ready and the active one is half full it leaves its input unread for the
 * cycle (back-pressure, counted) rather than wait.
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
    private final AgentCounters agentCounters;
    private final int fragmentLimit;
    private final String roleName;

    AcceptorAgent(
        final Acceptor acceptor,
        final MappedAcceptorStore store,
        final AcceptorAdapter adapter,
        final Subscription subscription,
        final RingBuffer ring,
        final NanoClock clock,
        final NodeCounters counters,
        final AgentCounters agentCounters,
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
        this.agentCounters = agentCounters;
        this.fragmentLimit = fragmentLimit;
        this.roleName = "synod-acceptor-" + memberId;
    }

    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        adapter.nowNs(nowNs);
        int work = 0;
        if (store.mayAppendWithoutWaiting())
        {
            work += subscription.poll(assembler, fragmentLimit);
            work += ring.read(adapter, fragmentLimit);
        }
        else
        {
            agentCounters.segmentNotReady.incrementRelease();
        }
        work += acceptor.doWork(nowNs);
        counters.promisedBallot.setRelease(acceptor.promisedBallot());
        counters.staleRejected.setRelease(acceptor.staleRejected());
        counters.pendingOverflows.setRelease(acceptor.pendingOverflows());
        counters.stickyRefusals.setRelease(acceptor.stickyRefusals());
        counters.acceptorInvalid.setRelease(acceptor.invalidDropped());
        counters.acceptorBallotsRefused.setRelease(acceptor.ballotsRefused());
        return work;
    }

    public String roleName()
    {
        return roleName;
    }
}
