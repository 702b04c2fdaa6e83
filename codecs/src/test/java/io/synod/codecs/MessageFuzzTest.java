package io.synod.codecs;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Single-threaded fuzz target: whatever bytes arrive, the validator answers without throwing, and
 * whatever it accepts, the generated decoders read completely without throwing and stop exactly at
 * the end of the message.
 * <p>
 * In a normal build ({@code ./mvnw -B verify}) Jazzer runs this as a regression test over the
 * stored inputs in {@code src/test/resources/io/synod/codecs/MessageFuzzTestInputs/validateThenDecode/}.
 * To fuzz: {@code JAZZER_FUZZ=1 ./mvnw -B -pl codecs test -Dtest=MessageFuzzTest}; new corpus
 * entries go to {@code codecs/.cifuzz-corpus/} (ignored), findings into the inputs directory above,
 * where they become regression tests once committed.
 */
class MessageFuzzTest
{
    /** Small enough that the fuzzer also reaches TOO_LARGE and BAD_VAR_LENGTH by the configured limit. */
    private static final int MAX_MESSAGE_LENGTH_BYTES = 4096;
    private static final int OFFSET = 3;

    private final MessageValidator validator = new MessageValidator(MAX_MESSAGE_LENGTH_BYTES);
    private final TestMessages messages = new TestMessages(1);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[OFFSET + 65536]);

    @FuzzTest(maxDuration = "2m")
    void validateThenDecode(final byte[] data)
    {
        // Copy at an odd offset, and into a larger buffer, so that reading past the message but
        // inside the buffer would not be caught by bounds checks alone: the decoded length is.
        final int length = Math.min(data.length, buffer.capacity() - OFFSET);
        buffer.setMemory(0, buffer.capacity(), (byte)0x5A);
        buffer.putBytes(OFFSET, data, 0, length);

        final int reason = validator.validate(buffer, OFFSET, length);
        if (MessageValidator.OK == reason)
        {
            messages.decodeFully(buffer, OFFSET, validator.templateId());
            assertEquals(length, messages.decodedLengthBytes(), MessageValidator.templateName(validator.templateId()));
        }
        else
        {
            assertEquals(MessageValidator.NO_TEMPLATE, validator.templateId());
        }

        // The exact buffer too: a message that ends at the buffer's capacity.
        final UnsafeBuffer exact = new UnsafeBuffer(data);
        assertEquals(reason, validator.validate(exact, 0, data.length), "same answer at any offset");
        if (MessageValidator.OK == reason)
        {
            messages.decodeFully(exact, 0, validator.templateId());
        }
    }
}
