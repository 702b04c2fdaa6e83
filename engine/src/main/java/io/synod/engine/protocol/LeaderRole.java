package io.synod.engine.protocol;

/**
 * State of a member's leader role, mirrored to a counter by the runtime. Codes are stable.
 */
public enum LeaderRole
{
    /**
     * Follows the leader it hears; starts an election when it hears none for a random [T, 2T].
     */
    FOLLOWER(0),

    /**
     * Runs phase 1 with its own ballot.
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
