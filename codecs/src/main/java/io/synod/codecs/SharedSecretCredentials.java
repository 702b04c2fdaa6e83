package io.synod.codecs;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The credentials of the built-in shared-secret client authentication, which client and node must
 * agree on byte for byte. Stateless; used on session open only, so it may allocate.
 * <pre>
 *   first SessionOpen:    principal (UTF-8)
 *   node answers:         SessionEvent CHALLENGE, detail = a fresh random challenge (text)
 *   next SessionOpen:     principal, '\n', hex(HMAC-SHA256(secret, "synod-client" || clusterId ||
 *                         clientId || principal || '\n' || challenge))   (ids as little-endian int32/int64)
 * </pre>
 * The response proves the secret without sending it, answers only this challenge (a recorded
 * response is useless against a new one) and is bound to the cluster, the client id and the principal.
 */
public final class SharedSecretCredentials
{
    public static final byte SEPARATOR = '\n';
    private static final byte[] CONTEXT = "synod-client".getBytes(StandardCharsets.US_ASCII);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SharedSecretCredentials()
    {
    }

    /**
     * What a client sends first.
     */
    public static byte[] initial(final String principal)
    {
        return principal.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * What a client sends to answer a challenge.
     */
    public static byte[] response(
        final String principal, final byte[] secret, final int clusterId, final long clientId, final byte[] challenge)
    {
        final byte[] name = principal.getBytes(StandardCharsets.UTF_8);
        final byte[] proof = hex(mac(secret, clusterId, clientId, name, challenge));
        final byte[] response = Arrays.copyOf(name, name.length + 1 + proof.length);
        response[name.length] = SEPARATOR;
        System.arraycopy(proof, 0, response, name.length + 1, proof.length);
        return response;
    }

    /**
     * @return the principal named in credentials: everything before the separator, or all of it.
     */
    public static String principal(final byte[] credentials)
    {
        final int separator = indexOfSeparator(credentials);
        return new String(credentials, 0, separator < 0 ? credentials.length : separator, StandardCharsets.UTF_8);
    }

    /**
     * @return true if the credentials answer the challenge with the secret; compared in constant time.
     */
    public static boolean verify(
        final byte[] credentials, final byte[] secret, final int clusterId, final long clientId, final byte[] challenge)
    {
        final int separator = indexOfSeparator(credentials);
        if (separator < 0)
        {
            return false;
        }
        final byte[] name = Arrays.copyOfRange(credentials, 0, separator);
        final byte[] proof = Arrays.copyOfRange(credentials, separator + 1, credentials.length);
        return MessageDigest.isEqual(proof, hex(mac(secret, clusterId, clientId, name, challenge)));
    }

    public static boolean isResponse(final byte[] credentials)
    {
        return indexOfSeparator(credentials) >= 0;
    }

    private static int indexOfSeparator(final byte[] credentials)
    {
        for (int i = 0; i < credentials.length; i++)
        {
            if (credentials[i] == SEPARATOR)
            {
                return i;
            }
        }
        return -1;
    }

    private static byte[] mac(
        final byte[] secret, final int clusterId, final long clientId, final byte[] name, final byte[] challenge)
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(CONTEXT);
            mac.update(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(clusterId).putLong(clientId)
                .array());
            mac.update(name);
            mac.update(SEPARATOR);
            mac.update(challenge);
            return mac.doFinal();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("every Java platform has HmacSHA256", ex);
        }
    }

    private static byte[] hex(final byte[] bytes)
    {
        final byte[] out = new byte[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++)
        {
            out[2 * i] = (byte)HEX[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = (byte)HEX[bytes[i] & 0xF];
        }
        return out;
    }
}
