package io.synod.engine.transport;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameAuthenticatorTest
{
    private static final int[] MEMBERS = { 0, 1, 2 };
    private static final int OFFSET = 5;

    private final byte[] key = bytes(32, 1);
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));

    @TempDir
    Path dir;

    @Test
    void hmacMatchesTheJdksHmacSha256ForEveryLengthAndKeySize() throws Exception
    {
        for (final int keyLength : new int[]{ 16, 32, 64, 65, 100 })
        {
            final byte[] k = bytes(keyLength, keyLength);
            final HmacSha256 ours = new HmacSha256(k);
            final Mac jdk = Mac.getInstance("HmacSHA256");
            jdk.init(new SecretKeySpec(k, "HmacSHA256"));
            for (final int length : new int[]{ 0, 1, 55, 56, 63, 64, 65, 4095, 4096, 4097, 9000 })
            {
                final byte[] message = bytes(length, length + 7);
                buffer.putBytes(OFFSET, message);
                ours.update(buffer, OFFSET, length);
                final byte[] out = new byte[32];
                ours.finish(out);
                assertArrayEquals(jdk.doFinal(message), out, "key " + keyLength + " B, message " + length + " B");
            }
        }
    }

    @Test
    void signedFrameVerifiesOnceAndNamesItsSender()
    {
        final FrameAuthenticator sender = new FrameAuthenticator(key, MEMBERS, 1, FrameAuthenticator.ROLE_LEADER, 100);
        final FrameAuthenticator receiver = new FrameAuthenticator(key, MEMBERS, 2, FrameAuthenticator.ROLE_ACCEPTOR, 7);
        final int length = sender.sign(buffer, OFFSET, message(64));
        assertEquals(64 + FrameAuthenticator.TRAILER_LENGTH, length);
        assertEquals(FrameAuthenticator.OK, receiver.verify(buffer, OFFSET, length));
        assertEquals(1, receiver.senderId());
        assertEquals(FrameAuthenticator.REPLAYED, receiver.verify(buffer, OFFSET, length), "the same frame again");
    }

    @Test
    void everyFlippedBitIsRefused()
    {
        final FrameAuthenticator sender = new FrameAuthenticator(key, MEMBERS, 0, FrameAuthenticator.ROLE_LEADER, 1);
        final FrameAuthenticator receiver = new FrameAuthenticator(key, MEMBERS, 2, FrameAuthenticator.ROLE_ACCEPTOR, 1);
        final int length = sender.sign(buffer, OFFSET, message(48));
        for (int i = 0; i < length * 8; i++)
        {
            flip(i);
            final int reason = receiver.verify(buffer, OFFSET, length);
            assertTrue(reason == FrameAuthenticator.BAD_MAC || reason == FrameAuthenticator.UNKNOWN_SENDER,
                "bit " + i + " flipped: " + FrameAuthenticator.reasonName(reason));
            flip(i);
        }
        assertEquals(FrameAuthenticator.OK, receiver.verify(buffer, OFFSET, length), "the untouched frame");
    }

    @Test
    void aFrameMadeWithAnotherKeyIsRefused()
    {
        final FrameAuthenticator forger = new FrameAuthenticator(bytes(32, 2), MEMBERS, 0,
            FrameAuthenticator.ROLE_LEADER, Long.MAX_VALUE);
        final FrameAuthenticator receiver = new FrameAuthenticator(key, MEMBERS, 2, FrameAuthenticator.ROLE_ACCEPTOR, 1);
        final int length = forger.sign(buffer, OFFSET, message(48));
        assertEquals(FrameAuthenticator.BAD_MAC, receiver.verify(buffer, OFFSET, length));
        assertEquals(FrameAuthenticator.TOO_SHORT, receiver.verify(buffer, OFFSET, FrameAuthenticator.TRAILER_LENGTH));
    }

    @Test
    void framesOfAnEarlierRunAreRefusedOnceALaterRunWasHeard()
    {
        final FrameAuthenticator receiver = new FrameAuthenticator(key, MEMBERS, 2, FrameAuthenticator.ROLE_ACCEPTOR, 1);
        final FrameAuthenticator firstRun = new FrameAuthenticator(key, MEMBERS, 0, FrameAuthenticator.ROLE_LEADER, 10);
        final UnsafeBuffer captured = new UnsafeBuffer(new byte[256]);
        final int capturedLength = firstRun.sign(captured, 0, message(32));
        for (int i = 0; i < 5; i++)
        {
            firstRun.sign(buffer, OFFSET, message(32));
        }
        final FrameAuthenticator secondRun = new FrameAuthenticator(key, MEMBERS, 0, FrameAuthenticator.ROLE_LEADER,
            FrameAuthenticator.nextIncarnation(10, 5));
        final int length = secondRun.sign(buffer, OFFSET, message(32));
        assertEquals(FrameAuthenticator.OK, receiver.verify(buffer, OFFSET, length), "sequence restarts with a new run");
        assertEquals(FrameAuthenticator.REPLAYED, receiver.verify(captured, 0, capturedLength));
    }

    @Test
    void eachRoleOfASenderHasItsOwnSequence()
    {
        final FrameAuthenticator leader = new FrameAuthenticator(key, MEMBERS, 0, FrameAuthenticator.ROLE_LEADER, 3);
        final FrameAuthenticator learner = new FrameAuthenticator(key, MEMBERS, 0, FrameAuthenticator.ROLE_LEARNER, 3);
        final FrameAuthenticator receiver = new FrameAuthenticator(key, MEMBERS, 1, FrameAuthenticator.ROLE_LEADER, 3);
        for (int i = 0; i < 3; i++)
        {
            leader.sign(buffer, OFFSET, message(16));
        }
        int length = leader.sign(buffer, OFFSET, message(16));
        assertEquals(FrameAuthenticator.OK, receiver.verify(buffer, OFFSET, length));
        length = learner.sign(buffer, OFFSET, message(16));
        assertEquals(FrameAuthenticator.OK, receiver.verify(buffer, OFFSET, length), "learner's first frame");
    }

    @Test
    void signAndVerifyAllocateNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final FrameAuthenticator sender = new FrameAuthenticator(key, MEMBERS, 0, FrameAuthenticator.ROLE_LEADER, 1);
        final FrameAuthenticator receiver = new FrameAuthenticator(key, MEMBERS, 1, FrameAuthenticator.ROLE_ACCEPTOR, 1);
        message(8192);
        run(sender, receiver, 5_000);
        long minAllocated = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            run(sender, receiver, 5_000);
            minAllocated = Math.min(minAllocated, threads.getCurrentThreadAllocatedBytes() - before);
        }
        assertEquals(0, minAllocated, "bytes allocated by 5,000 signs and verifies of 64 B to 8 KiB");
    }

    @Test
    void keyFileOthersCanReadIsRefusedNamingTheFix() throws Exception
    {
        final Path file = dir.resolve("cluster.key");
        ClusterKey.generate(file, ClusterKey.DEFAULT_LENGTH_BYTES);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(32, ClusterKey.read("synod.cluster.key.file", file).length);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ClusterKey.read("synod.cluster.key.file", file));
        assertTrue(ex.getMessage().contains("synod.cluster.key.file=" + file) &&
            ex.getMessage().contains("chmod 600 " + file), ex.getMessage());
        assertThrows(java.io.UncheckedIOException.class, () -> ClusterKey.generate(file, 32), "never overwrites");
        final Path missing = dir.resolve("missing.key");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterKey.read("--cluster-key", missing))
            .getMessage().contains("synod keygen"));
        final Path shortKey = dir.resolve("short.key");
        Files.write(shortKey, new byte[8]);
        Files.setPosixFilePermissions(shortKey, PosixFilePermissions.fromString("rw-------"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterKey.read("--cluster-key", shortKey))
            .getMessage().contains("holds 8 bytes"));
    }

    private void run(final FrameAuthenticator sender, final FrameAuthenticator receiver, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final int messageLength = 64 << (i & 7); // 64 B .. 8 KiB
            final int length = sender.sign(buffer, OFFSET, messageLength);
            if (receiver.verify(buffer, OFFSET, length) != FrameAuthenticator.OK)
            {
                throw new AssertionError("frame " + i + " refused");
            }
        }
    }

    private int message(final int length)
    {
        buffer.putBytes(OFFSET, bytes(length, length));
        return length;
    }

    private void flip(final int bit)
    {
        final int index = OFFSET + bit / 8;
        buffer.putByte(index, (byte)(buffer.getByte(index) ^ (1 << (bit % 8))));
    }

    private static byte[] bytes(final int length, final long seed)
    {
        final byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }
}
