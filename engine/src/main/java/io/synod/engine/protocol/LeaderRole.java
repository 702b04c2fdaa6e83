package io.synod.engine.protocol;

/**
 * State of a member's leader role, mirrored to a counter by the runtime. Codes are stable.
 */
public enum LeaderRole
{
    /**
     * Follows the leader it hears; starts a pre-vote when it hears none for a random [T, 2T].
     */
    FOLLOWER(0),

    /**
     * Hears no leader and asks the others, with a PreVote, whether they would promise a new ballot;
     * raises none until a majority says yes.
     */
    PRE_CANDIDATE(3),

    /**
     * A majority granted its pre-vote: runs phase 1 with its own ballot.
     */
    CANDIDATE(1),

    /**
     * Has promises from a majority (itself included) and proposes in phase 2.
     */
    LEADER(2);

    private final int code;

    LeaderRole(final int code)
    {
        this.code = code;
    }

    public int code()
    {
        return code;
    }
}
