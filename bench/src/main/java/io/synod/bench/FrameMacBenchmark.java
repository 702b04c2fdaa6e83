package io.synod.bench;

import io.synod.engine.transport.FrameAuthenticator;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.*;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Candidates for the MAC on replica frames (issue 14), one op = the MAC of one frame of
 * {@code frameBytes}: the JDK's HmacSHA256 ({@code javax.crypto.Mac}), Synod's zero-allocation
 * HMAC-SHA256 as {@link FrameAuthenticator#sign} runs it (trailer included), the JDK's AES-GCM used
 * as GMAC (the frame as additional data, a fresh nonce per frame, as GCM requires), and SipHash-2-4
 * (64-bit tag, written here only to be measured). Run with {@code -prof gc} to see the bytes per op.
 * Single-threaded: each JMH thread owns its state.
 * <pre>
 * java -jar bench/target/benchmarks.jar FrameMac -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens", "java.base/java.nio=ALL-UNNAMED" })
public class FrameMacBenchmark
{
    @Param({ "64", "1024", "8192" })
    public int frameBytes;

    private final byte[] key = new byte[32];
    private byte[] frame;
    private UnsafeBuffer direct;
    private final byte[] tag = new byte[32];
    private final byte[] nonce = new byte[12];
    private long nonceCounter;
    private Mac jdkHmac;
    private Cipher gcm;
    private SecretKeySpec aesKey;
    private FrameAuthenticator authenticator;
    private long k0;
    private long k1;

    @Setup(Level.Trial)
    public void setup() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(14);
        random.nextBytes(key);
        frame = new byte[frameBytes];
        random.nextBytes(frame);
        direct = new UnsafeBuffer(ByteBuffer.allocateDirect(frameBytes + FrameAuthenticator.TRAILER_LENGTH));
        direct.putBytes(0, frame);
        jdkHmac = Mac.getInstance("HmacSHA256");
        jdkHmac.init(new SecretKeySpec(key, "HmacSHA256"));
        gcm = Cipher.getInstance("AES/GCM/NoPadding");
        aesKey = new SecretKeySpec(key, 0, 16, "AES");
        authenticator = new FrameAuthenticator(key, new int[]{ 0, 1, 2 }, 0, FrameAuthenticator.ROLE_LEADER, 1);
        final UnsafeBuffer keyBuffer = new UnsafeBuffer(key);
        k0 = keyBuffer.getLong(0, LITTLE_ENDIAN);
        k1 = keyBuffer.getLong(8, LITTLE_ENDIAN);
    }

    @Benchmark
    public byte[] jdkHmacSha256() throws Exception
    {
        jdkHmac.update(frame, 0, frameBytes);
        jdkHmac.doFinal(tag, 0);
        return tag;
    }

    @Benchmark
    public int synodHmacSha256()
    {
        return authenticator.sign(direct, 0, frameBytes);
    }

    @Benchmark
    public byte[] jdkAesGcmGmac() throws Exception
    {
        // GCM forbids a nonce twice under one key, so every frame costs a fresh init.
        new UnsafeBuffer(nonce).putLong(4, ++nonceCounter, LITTLE_ENDIAN);
        gcm.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(128, nonce));
        gcm.updateAAD(frame, 0, frameBytes);
        gcm.doFinal(tag, 0);
        return tag;
    }

    @Benchmark
    public long sipHash24()
    {
        return sipHash24(k0, k1, direct, 0, frameBytes);
    }

    /**
     * SipHash-2-4 (Aumasson and Bernstein, 2012), little-endian words, 64-bit output.
     */
    static long sipHash24(final long k0, final long k1, final UnsafeBuffer in, final int offset, final int length)
    {
        long v0 = 0x736f6d6570736575L ^ k0;
        long v1 = 0x646f72616e646f6dL ^ k1;
        long v2 = 0x6c7967656e657261L ^ k0;
        long v3 = 0x7465646279746573L ^ k1;
        final int end = offset + (length & ~7);
        for (int i = offset; i < end; i += 8)
        {
            final long m = in.getLong(i, LITTLE_ENDIAN);
            v3 ^= m;
            for (int r = 0; r < 2; r++)
            {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }
        long last = ((long)length & 0xFF) << 56;
        for (int i = 0; i < (length & 7); i++)
        {
            last |= ((long)in.getByte(end + i) & 0xFF) << (8 * i);
        }
        v3 ^= last;
        for (int r = 0; r < 2; r++)
        {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        v0 ^= last;
        v2 ^= 0xFF;
        for (int r = 0; r < 4; r++)
        {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
