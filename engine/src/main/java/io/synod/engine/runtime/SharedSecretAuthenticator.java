package io.synod.engine.runtime;

import io.synod.codecs.SharedSecretCredentials;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Clients prove that they hold a shared secret by answering a fresh random challenge with an
 * HMAC-SHA256 over it (format in {@link SharedSecretCredentials}); the principal is the name they
 * give. A recorded answer is useless against the next challenge. Single-threaded: called on the
 * leader agent's thread.
 * <p>
 * Outstanding challenges are bounded: past {@code maxPending} the oldest is forgotten (its client is
 * challenged again on its next open), so a flood of opens cannot grow this without bound.
 */
public final class SharedSecretAuthenticator implements Authenticator
{
    private static final int CHALLENGE_BYTES = 16;

    private final byte[] secret;
    private final int maxPending;
    private final SecureRandom random = new SecureRandom();
    private final Map<Long, byte[]> pending;

    public SharedSecretAuthenticator(final byte[] secret, final int maxPending)
    {
        this.secret = secret.clone();
        this.maxPending = maxPending;
        this.pending = new LinkedHashMap<>(16, 0.75f, false)
        {
            protected boolean removeEldestEntry(final Map.Entry<Long, byte[]> eldest)
            {
                return size() > SharedSecretAuthenticator.this.maxPending;
            }
        };
    }

    public void onSessionOpen(
        final int clusterId, final long clientId, final byte[] credentials, final long nowNs,
        final AuthenticationDecision decision)
    {
        final byte[] challenge = pending.get(clientId);
        if (challenge == null || !SharedSecretCredentials.isResponse(credentials))
        {
            // The same challenge again while one is outstanding: the client re-sends its first open
            // until it hears back, and a new challenge each time would void the answer in flight.
            decision.challenge(new String(challenge != null ? challenge : newChallenge(clientId),
                java.nio.charset.StandardCharsets.US_ASCII));
            return;
        }
        pending.remove(clientId);
        if (SharedSecretCredentials.verify(credentials, secret, clusterId, clientId, challenge))
        {
            decision.accept(SharedSecretCredentials.principal(credentials));
        }
        else
        {
            decision.reject("credentials do not answer the challenge with the shared secret");
        }
    }

    public void onSessionClosed(final long clientId)
    {
        pending.remove(clientId);
    }

    public String describe()
    {
        return "clients authenticated by shared secret (HMAC-SHA256 challenge/response)";
    }

    private byte[] newChallenge(final long clientId)
    {
        final byte[] raw = new byte[CHALLENGE_BYTES];
        random.nextBytes(raw);
        final byte[] text = java.util.HexFormat.of().formatHex(raw).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        pending.put(clientId, text);
        return text;
    }
}
