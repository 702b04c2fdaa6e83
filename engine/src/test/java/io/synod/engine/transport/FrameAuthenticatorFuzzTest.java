package io.synod.engine.transport;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.synod.codecs.MessageValidator;
import org.agrona.concurrent.UnsafeBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Single-threaded fuzz target over the receive path of an authenticated frame: verify, then (if
 * authentic) validate what is left, as {@link InboundAdapter#onFragment} does. Whatever the bytes, it
 * never throws; bytes made without the key are never authentic; a frame signed with the key and then
 * altered anywhere is refused, and unaltered is accepted exactly once.
 * <p>
 * The first input byte picks the case: even, the input is a frame as it came off the network; odd,
 * the rest is a message that is signed with the key and then has one byte (position and XOR mask from
 * bytes 1 to 3) altered. Stored inputs in
 * {@code src/test/resources/io/synod/engine/transport/FrameAuthenticatorFuzzTestInputs/receive/} run in
 * every build; to fuzz: {@code JAZZER_FUZZ=1 ./mvnw -B -pl engine test -Dtest=FrameAuthenticatorFuzzTest}.
 */
class FrameAuthenticatorFuzzTest
{
    private static final int[] MEMBERS = { 0, 1, 2 };
    private static final int OFFSET = 3;
    private static final byte[] KEY = new byte[32];

    static
    {
        for (int i = 0; i < KEY.length; i++)
        {
            KEY[i] = (byte)(i * 7 + 1);
        }
    }

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[OFFSET + 70_000]);
    private final MessageValidator validator = new MessageValidator(65_536);

    @FuzzTest(maxDuration = "2m")
    void receive(final byte[] data)
    {
        final FrameAuthenticator receiver = new FrameAuthenticator(KEY, MEMBERS, 2, FrameAuthenticator.ROLE_ACCEPTOR, 1);
        if (data.length == 0 || (data[0] & 1) == 0)
        {
            final int length = Math.min(data.length, 65_536);
            buffer.setMemory(0, buffer.capacity(), (byte)0x5A);
            buffer.putBytes(OFFSET, data, 0, length);
            final int reason = receiver.verify(buffer, OFFSET, length);
            assertNotEquals(FrameAuthenticator.OK, reason, "bytes made without the key are authentic");
            return;
        }

        final int messageLength = Math.min(data.length - 1, 65_536);
        buffer.setMemory(0, buffer.capacity(), (byte)0x5A);
        buffer.putBytes(OFFSET, data, 1, messageLength);
        final FrameAuthenticator sender = new FrameAuthenticator(KEY, MEMBERS, 1, FrameAuthenticator.ROLE_LEADER, 9);
        final int frameLength = sender.sign(buffer, OFFSET, messageLength);
        final int position = data.length > 3 ? ((data[1] & 0xFF) << 8 | (data[2] & 0xFF)) % frameLength : 0;
        final byte mask = data.length > 3 ? data[3] : 0;
        buffer.putByte(OFFSET + position, (byte)(buffer.getByte(OFFSET + position) ^ mask));

        final int reason = receiver.verify(buffer, OFFSET, frameLength);
        if (mask != 0 || messageLength < 8)
        {
            assertNotEquals(FrameAuthenticator.OK, reason, "altered at " + position + " or too short, yet authentic");
            return;
        }
        assertEquals(FrameAuthenticator.OK, reason, "unaltered frame of " + messageLength + " bytes");
        assertEquals(1, receiver.senderId());
        assertEquals(FrameAuthenticator.REPLAYED, receiver.verify(buffer, OFFSET, frameLength), "the same frame again");
        // What an adapter does next with an authentic frame: validate the message without its trailer.
        final int validation = validator.validate(buffer, OFFSET, frameLength - FrameAuthenticator.TRAILER_LENGTH);
        assertTrue(validation >= 0, MessageValidator.reasonName(validation));
    }
}
