package io.synod.engine.sim;

import io.synod.engine.protocol.Mutation;

/**
 * The deliberately broken variants a simulation can run, to prove its checkers catch real bugs:
 * mutations of the core, plus bugs in the storage and the restart logic around it.
 */
enum PlantedBug
{
    NONE(Mutation.NONE),
    QUORUM_MINUS_ONE(Mutation.QUORUM_MINUS_ONE),
    REPLY_BEFORE_DURABLE(Mutation.REPLY_BEFORE_DURABLE),
    ACCEPT_LOWER_BALLOT(Mutation.ACCEPT_LOWER_BALLOT),
    SKIP_RECOVERY(Mutation.SKIP_RECOVERY),
    DELIVER_PAST_GAP(Mutation.DELIVER_PAST_GAP),
    REUSE_BALLOT(Mutation.REUSE_BALLOT),
    APPLY_PAST_GAP(Mutation.APPLY_PAST_GAP),
    ACK_ON_CHOSEN(Mutation.ACK_ON_CHOSEN),

    /**
     * No pre-vote: a member that heard no leader raises its ballot at once. Caught by the stability
     * invariant of the follower-stall scenario ({@link FollowerStallScenarioTest}).
     */
    SKIP_PRE_VOTE(Mutation.SKIP_PRE_VOTE, true),

    /**
     * The store does not persist promises: after a restart the acceptor forgets what it promised.
     */
    PROMISE_NOT_PERSISTED(Mutation.NONE),

    /**
     * A restarted replica resumes delivery where it stopped instead of replaying its log, so its
     * applied-sequence table starts empty.
     */
    DEDUP_NOT_REBUILT(Mutation.NONE);

    final Mutation mutation;
    /**
     * Caught in the follower-stall scenario rather than the swarm: the bug costs stability, not safety.
     */
    final boolean stallScenario;

    PlantedBug(final Mutation mutation)
    {
        this(mutation, false);
    }

    PlantedBug(final Mutation mutation, final boolean stallScenario)
    {
        this.mutation = mutation;
        this.stallScenario = stallScenario;
    }
}
