package io.synod.engine.runtime;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.synod.engine.protocol.Learner;
import io.synod.engine.transport.LearnerAdapter;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * The learner role's event loop; the only writer of the learner's state. Delivers the log to the
 * application's handler on this thread.
 */
final class LearnerAgent implements Agent
{
    private final Learner learner;
    private final LearnerAdapter adapter;
    private final Subscription replicaSubscription;
    private final Subscription learnerSubscription;
    private final FragmentAssembler replicaAssembler;
    private final FragmentAssembler learnerAssembler;
    private final RingBuffer ring;
    private final NanoClock clock;
    private final NodeCounters counters;
    private final int fragmentLimit;
    private final String roleName;

    LearnerAgent(
        final Learner learner,
        final LearnerAdapter adapter,
        final Subscription replicaSubscription,
        final Subscription learnerSubscription,
        final RingBuffer ring,
        final NanoClock clock,
        final NodeCounters counters,
        final int fragmentLimit,
        final int memberId)
    {
        this.learner = learner;
        this.adapter = adapter;
        this.replicaSubscription = replicaSubscription;
        this.learnerSubscription = learnerSubscription;
        this.replicaAssembler = new FragmentAssembler(adapter);
        this.learnerAssembler = new FragmentAssembler(adapter);
        this.ring = ring;
        this.clock = clock;
        this.counters = counters;
        this.fragmentLimit = fragmentLimit;
        this.roleName = "synod-learner-" + memberId;
    }

    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        int work = ring.read(adapter, fragmentLimit);
        work += replicaSubscription.poll(replicaAssembler, fragmentLimit);
        work += learnerSubscription.poll(learnerAssembler, fragmentLimit);
        work += learner.doWork(nowNs);
        counters.deliveredSlot.setRelease(learner.nextDeliverSlot());
        counters.commandsDelivered.setRelease(learner.delivered());
        counters.learnerInvalid.setRelease(learner.invalidDropped());
        counters.duplicatesSkipped.setRelease(learner.duplicatesSkipped());
        counters.catchUpRequests.setRelease(learner.catchUpRequests());
        counters.sessionsRefused.setRelease(learner.sessions().refused());
        counters.gapsSkipped.setRelease(learner.gapsSkipped());
        counters.unknownSessionSkipped.setRelease(learner.unknownSessionSkipped());
        return work;
    }

    public String roleName()
    {
        return roleName;
    }
}
