package io.synod.client;

import io.synod.codecs.SharedSecretCredentials;

/**
 * What a client presents to the cluster's authenticator in its SessionOpen, and how it answers a
 * challenge. Called on the client's polling thread at session open only.
 */
public interface ClientCredentials
{
    /**
     * @return the credentials of the first SessionOpen to a member; may be empty.
     */
    byte[] initial(int clusterId, long clientId);

    /**
     * @param challenge the detail of the member's CHALLENGE event.
     * @return the credentials of the next SessionOpen to that member.
     */
    byte[] onChallenge(int clusterId, long clientId, byte[] challenge);

    /**
     * No credentials: for a cluster that accepts every client.
     */
    static ClientCredentials none()
    {
        return new ClientCredentials()
        {
            public byte[] initial(final int clusterId, final long clientId)
            {
                return new byte[0];
            }

            public byte[] onChallenge(final int clusterId, final long clientId, final byte[] challenge)
            {
                return new byte[0];
            }
        };
    }

    /**
     * Proves knowledge of the cluster's client secret ({@code synod.client.secret.file} at the nodes)
     * without sending it, as {@code principal}.
     */
    static ClientCredentials sharedSecret(final String principal, final byte[] secret)
    {
        final byte[] key = secret.clone();
        return new ClientCredentials()
        {
            public byte[] initial(final int clusterId, final long clientId)
            {
                return SharedSecretCredentials.initial(principal);
            }

            public byte[] onChallenge(final int clusterId, final long clientId, final byte[] challenge)
            {
                return SharedSecretCredentials.response(principal, key, clusterId, clientId, challenge);
            }
        };
    }
}
