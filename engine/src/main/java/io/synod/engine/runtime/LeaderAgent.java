package io.synod.engine.runtime;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.synod.engine.protocol.Leader;
import io.synod.engine.transport.LeaderAdapter;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * The leader role's event loop (distinguished proposer and client sessions); the only writer of the
 * leader's state. Reads the clock once per duty cycle and passes it down.
 */
final class LeaderAgent implements Agent
{
    private final Leader leader;
    private final LeaderAdapter adapter;
    private final ClientSessions sessions;
    private final Subscription replicaSubscription;
    private final Subscription leaderSubscription;
    private final Subscription ingressSubscription;
    private final Subscription ipcIngressSubscription;
    private final FragmentAssembler replicaAssembler;
    private final FragmentAssembler ipcIngressAssembler;
    private final FragmentAssembler leaderAssembler;
    private final FragmentAssembler ingressAssembler;
    private final RingBuffer ring;
    private final NanoClock clock;
    private final NodeCounters counters;
    private final int fragmentLimit;
    private final String roleName;

    LeaderAgent(
        final Leader leader,
        final LeaderAdapter adapter,
        final ClientSessions sessions,
        final Subscription replicaSubscription,
        final Subscription leaderSubscription,
        final Subscription ingressSubscription,
        final Subscription ipcIngressSubscription,
        final RingBuffer ring,
        final NanoClock clock,
        final NodeCounters counters,
        final int fragmentLimit,
        final int memberId)
    {
        this.leader = leader;
        this.adapter = adapter;
        this.sessions = sessions;
        this.replicaSubscription = replicaSubscription;
        this.leaderSubscription = leaderSubscription;
        this.ingressSubscription = ingressSubscription;
        this.ipcIngressSubscription = ipcIngressSubscription;
        this.ipcIngressAssembler = new FragmentAssembler(adapter);
        this.replicaAssembler = new FragmentAssembler(adapter);
        this.leaderAssembler = new FragmentAssembler(adapter);
        this.ingressAssembler = new FragmentAssembler(adapter);
        this.ring = ring;
        this.clock = clock;
        this.counters = counters;
        this.fragmentLimit = fragmentLimit;
        this.roleName = "synod-leader-" + memberId;
    }

    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        adapter.nowNs(nowNs);
        sessions.nowNs(nowNs);
        // The acceptor agent publishes its promise in a counter: the leader role's only view of it.
        leader.onOwnPromise(counters.promisedBallot.get());
        int work = ring.read(adapter, fragmentLimit);
        work += leaderSubscription.poll(leaderAssembler, fragmentLimit);
        work += replicaSubscription.poll(replicaAssembler, fragmentLimit);
        work += ingressSubscription.poll(ingressAssembler, fragmentLimit);
        work += ipcIngressSubscription.poll(ipcIngressAssembler, fragmentLimit);
        work += leader.doWork(nowNs);
        work += sessions.expireIdle(nowNs);

        counters.role.setRelease(leader.role().code());
        counters.ballot.setRelease(leader.ballot());
        counters.leaderId.setRelease(leader.leaderMemberId(nowNs));
        counters.chosenWatermark.setRelease(leader.chosenWatermark());
        counters.inFlightSlots.setRelease(leader.inFlightSlots());
        counters.elections.setRelease(leader.elections());
        counters.stepDowns.setRelease(leader.stepDowns());
        counters.leaderInvalid.setRelease(leader.invalidDropped());
        counters.commandsChosen.setRelease(leader.commandsChosen());
        counters.leaderBallotsRefused.setRelease(leader.ballotsRefused());
        counters.preVotes.setRelease(leader.preVotes());
        counters.clientSessions.setRelease(sessions.sessionCount());
        return work;
    }

    public String roleName()
    {
        return roleName;
    }
}
