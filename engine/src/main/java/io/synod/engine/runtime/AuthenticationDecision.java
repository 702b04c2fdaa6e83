package io.synod.engine.runtime;

/**
 * What an {@link Authenticator} decided about one SessionOpen. Reused for every decision; owned by
 * the leader agent.
 */
public final class AuthenticationDecision
{
    public static final String ANONYMOUS = "anonymous";

    enum Outcome
    {
        NONE, ACCEPT, REJECT, CHALLENGE
    }

    private Outcome outcome = Outcome.NONE;
    private String principal;
    private String reason;
    private String challenge;

    /**
     * The client may open its session; its commands are attributed to {@code principal}.
     */
    public void accept(final String principal)
    {
        decide(Outcome.ACCEPT);
        this.principal = principal == null ? ANONYMOUS : principal;
    }

    /**
     * The client may not; it is told the reason.
     */
    public void reject(final String reason)
    {
        decide(Outcome.REJECT);
        this.reason = reason == null ? "" : reason;
    }

    /**
     * The client must answer {@code challenge} with its next SessionOpen.
     */
    public void challenge(final String challenge)
    {
        decide(Outcome.CHALLENGE);
        this.challenge = challenge;
    }

    Outcome outcome()
    {
        return outcome;
    }

    String principal()
    {
        return principal;
    }

    String reason()
    {
        return reason;
    }

    String challengeText()
    {
        return challenge;
    }

    void reset()
    {
        outcome = Outcome.NONE;
        principal = null;
        reason = null;
        challenge = null;
    }

    private void decide(final Outcome next)
    {
        if (outcome != Outcome.NONE)
        {
            throw new IllegalStateException("an authenticator decides once: already " + outcome + ", now " + next);
        }
        outcome = next;
    }
}
