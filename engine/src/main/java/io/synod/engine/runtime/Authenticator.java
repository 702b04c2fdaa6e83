package io.synod.engine.runtime;

/**
 * Decides whether a client may open a session, from the credentials in its SessionOpen. Called on
 * the leader agent's thread, once per SessionOpen of a client that has no session at this member
 * (keep-alives of an open session do not come here), so it may allocate but must not block: a slow
 * decision stalls the protocol. The decision goes to the client as a SessionEvent: OPEN,
 * AUTHENTICATION_REJECTED with the reason, or CHALLENGE, after which the client opens again with
 * credentials answering it. A rejected client never reaches the log.
 * <p>
 * Built in: {@link #allowAll()} (the default) and {@link SharedSecretAuthenticator}.
 */
public interface Authenticator
{
    /**
     * @param clusterId   this cluster.
     * @param clientId    the client asking.
     * @param credentials what it sent, possibly empty; the array is the authenticator's to keep.
     * @param nowNs       the leader agent's clock.
     * @param decision    to be told exactly one of accept, reject or challenge.
     */
    void onSessionOpen(int clusterId, long clientId, byte[] credentials, long nowNs, AuthenticationDecision decision);

    /**
     * A session this authenticator accepted was closed or expired: forget what it keeps for it.
     */
    default void onSessionClosed(final long clientId)
    {
    }

    /**
     * One line for the node's startup output.
     */
    String describe();

    /**
     * Every client is accepted, as principal "anonymous"; anyone who reaches the ingress port may
     * append to the log.
     */
    static Authenticator allowAll()
    {
        return new Authenticator()
        {
            public void onSessionOpen(
                final int clusterId, final long clientId, final byte[] credentials, final long nowNs,
                final AuthenticationDecision decision)
            {
                decision.accept(AuthenticationDecision.ANONYMOUS);
            }

            public String describe()
            {
                return "clients are NOT authenticated (allow-all; set " + NodeContext.CLIENT_SECRET_FILE_PROP +
                    " or NodeContext.authenticator): any host that reaches the ingress port can append to the log";
            }
        };
    }
}
