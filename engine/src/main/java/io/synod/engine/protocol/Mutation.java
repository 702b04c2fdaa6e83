package io.synod.engine.protocol;

/**
 * Deliberately broken variants of the core, planted by the simulator's tests to prove that its
 * checkers catch real protocol bugs. Production code never sets one: the default is {@link #NONE}
 * and no Context exposes the setting.
 */
public enum Mutation
{
    NONE,

    /**
     * The leader counts a quorum of a majority minus one.
     */
    QUORUM_MINUS_ONE,

    /**
     * The acceptor replies before its write is durable.
     */
    REPLY_BEFORE_DURABLE,

    /**
     * The acceptor accepts a ballot below its promise.
     */
    ACCEPT_LOWER_BALLOT,

    /**
     * A new leader skips value recovery in phase 1 and proposes no-ops or new values everywhere.
     */
    SKIP_RECOVERY,

    /**
     * The learner delivers past a slot it has no chosen value for.
     */
    DELIVER_PAST_GAP,

    /**
     * The leader picks its next ballot from its own last one, not above every ballot it has seen,
     * and does not wait for its own acceptor's promise.
     */
    REUSE_BALLOT,

    /**
     * The learner applies a client's command although an earlier sequence of that client is
     * missing (per-client FIFO broken).
     */
    APPLY_PAST_GAP,

    /**
     * The leader also acknowledges a command as soon as its slot is chosen, before any learner
     * decided whether it is applied, skipped as a duplicate or left behind a gap.
     */
    ACK_ON_CHOSEN,

    /**
     * A member that hears no leader raises its ballot and runs phase 1 at once, without asking first
     * whether a majority would promise it (no pre-vote).
     */
    SKIP_PRE_VOTE
}
