package io.synod.engine.transport;

import org.agrona.DirectBuffer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * HMAC-SHA256 (RFC 2104) over two reused {@link MessageDigest}s, so that a MAC allocates nothing:
 * {@code javax.crypto.Mac} allocates a result array per {@code doFinal} and a temporary array per
 * direct-buffer update. The SHA-256 compression underneath is the JDK's (with its SHA-NI/AVX2
 * intrinsics), so the cost is the same as {@code Mac.getInstance("HmacSHA256")}; HmacSha256Test
 * checks both give the same bytes. Single-threaded: one instance per owning agent.
 */
final class HmacSha256
{
    static final int MAC_LENGTH_BYTES = 32;
    private static final int BLOCK_LENGTH_BYTES = 64;
    private static final int CHUNK_BYTES = 4096;

    private final MessageDigest inner;
    private final MessageDigest outer;
    private final byte[] innerPad = new byte[BLOCK_LENGTH_BYTES];
    private final byte[] outerPad = new byte[BLOCK_LENGTH_BYTES];
    private final byte[] innerHash = new byte[MAC_LENGTH_BYTES];
    private final byte[] chunk = new byte[CHUNK_BYTES];

    HmacSha256(final byte[] key)
    {
        inner = sha256();
        outer = sha256();
        final byte[] block = new byte[BLOCK_LENGTH_BYTES];
        final byte[] k = key.length > BLOCK_LENGTH_BYTES ? sha256().digest(key) : key;
        System.arraycopy(k, 0, block, 0, k.length);
        for (int i = 0; i < BLOCK_LENGTH_BYTES; i++)
        {
            innerPad[i] = (byte)(block[i] ^ 0x36);
            outerPad[i] = (byte)(block[i] ^ 0x5c);
        }
        Arrays.fill(block, (byte)0);
        start();
    }

    /**
     * Begins a new MAC, discarding anything updated since the last {@link #finish}.
     */
    void start()
    {
        inner.reset();
        inner.update(innerPad, 0, BLOCK_LENGTH_BYTES);
    }

    void update(final DirectBuffer buffer, final int offset, final int length)
    {
        int done = 0;
        while (done < length)
        {
            final int n = Math.min(CHUNK_BYTES, length - done);
            buffer.getBytes(offset + done, chunk, 0, n);
            inner.update(chunk, 0, n);
            done += n;
        }
    }

    /**
     * Writes the 32-byte MAC of everything updated since {@link #start()} into {@code out} and starts
     * the next one.
     */
    void finish(final byte[] out)
    {
        try
        {
            inner.digest(innerHash, 0, MAC_LENGTH_BYTES);
            outer.reset();
            outer.update(outerPad, 0, BLOCK_LENGTH_BYTES);
            outer.update(innerHash, 0, MAC_LENGTH_BYTES);
            outer.digest(out, 0, MAC_LENGTH_BYTES);
        }
        catch (final java.security.DigestException ex)
        {
            throw new IllegalStateException(ex); // only for an output array shorter than 32 bytes
        }
        start();
    }

    private static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every Java platform has SHA-256", ex);
        }
    }
}
