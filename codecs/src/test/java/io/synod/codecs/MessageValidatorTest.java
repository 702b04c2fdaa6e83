package io.synod.codecs;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;

import static io.synod.codecs.MessageValidator.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Single-threaded: feeds the validator damaged copies of valid messages and checks the reason.
 */
class MessageValidatorTest
{
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int OFFSET = 5;
    private static final int HEADER = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final int GROUP_HEADER = GroupSizeEncodingDecoder.ENCODED_LENGTH;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1 << 20]);
    private final TestMessages messages = new TestMessages(1 << 16);
    private final MessageValidator validator = new MessageValidator();

    static int[] templateIds()
    {
        return TestMessages.TEMPLATE_IDS;
    }

    @ParameterizedTest
    @MethodSource("templateIds")
    void shouldRejectEveryTruncation(final int templateId)
    {
        final int length = messages.encode(templateId, buffer, OFFSET, 3, 5);
        assertEquals(OK, validator.validate(buffer, OFFSET, length));

        for (int truncated = 0; truncated < length; truncated++)
        {
            final int reason = validator.validate(buffer, OFFSET, truncated);
            assertNotEquals(OK, reason, "truncated to " + truncated);
            assertEquals(NO_TEMPLATE, validator.templateId());
            if (truncated < HEADER)
            {
                assertEquals(TOO_SHORT_FOR_HEADER, reason);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("templateIds")
    void shouldRejectTrailingBytes(final int templateId)
    {
        final int length = messages.encode(templateId, buffer, OFFSET, 2, 3);
        assertEquals(TRAILING_BYTES, validator.validate(buffer, OFFSET, length + 1));
    }

    @ParameterizedTest
    @MethodSource("templateIds")
    void shouldRejectWrongHeaderFields(final int templateId)
    {
        final int length = messages.encode(templateId, buffer, OFFSET, 1, 1);

        buffer.putShort(OFFSET + 4, (short)(MessageHeaderDecoder.SCHEMA_ID + 1), LE);
        assertEquals(WRONG_SCHEMA, validator.validate(buffer, OFFSET, length));
        buffer.putShort(OFFSET + 4, (short)MessageHeaderDecoder.SCHEMA_ID, LE);

        for (final int version : new int[]{ 0, MessageHeaderDecoder.SCHEMA_VERSION + 1, 0xFFFF })
        {
            buffer.putShort(OFFSET + 6, (short)version, LE);
            assertEquals(WRONG_VERSION, validator.validate(buffer, OFFSET, length), "version " + version);
        }
        buffer.putShort(OFFSET + 6, (short)MessageHeaderDecoder.SCHEMA_VERSION, LE);

        final int blockLength = buffer.getShort(OFFSET, LE) & 0xFFFF;
        for (final int wrong : new int[]{ 0, blockLength - 1, blockLength + 1, 0xFFFF })
        {
            buffer.putShort(OFFSET, (short)wrong, LE);
            assertEquals(WRONG_BLOCK_LENGTH, validator.validate(buffer, OFFSET, length), "blockLength " + wrong);
        }
        buffer.putShort(OFFSET, (short)blockLength, LE);

        assertEquals(OK, validator.validate(buffer, OFFSET, length));
    }

    @Test
    void shouldRejectUnknownTemplates()
    {
        final int length = messages.encode(PrepareDecoder.TEMPLATE_ID, buffer, OFFSET, 0, 0);
        for (final int templateId : new int[]{ 0, 17, 100, 0xFFFF })
        {
            buffer.putShort(OFFSET + 2, (short)templateId, LE);
            assertEquals(UNKNOWN_TEMPLATE, validator.validate(buffer, OFFSET, length), "template " + templateId);
            assertEquals("UNKNOWN_TEMPLATE", MessageValidator.templateName(templateId));
        }
    }

    @Test
    void shouldKnowEveryTemplateOfTheSchema()
    {
        for (final int templateId : TestMessages.TEMPLATE_IDS)
        {
            assertNotEquals("UNKNOWN_TEMPLATE", MessageValidator.templateName(templateId));
        }
    }

    @Test
    void shouldRejectNegativeAndOversizeVarLengths()
    {
        final int length = messages.encode(ClientCommandDecoder.TEMPLATE_ID, buffer, OFFSET, 0, 10);
        final int lengthField = OFFSET + HEADER + ClientCommandDecoder.BLOCK_LENGTH;
        assertEquals(10, buffer.getInt(lengthField, LE));

        for (final int bad : new int[]{ -1, Integer.MIN_VALUE, (int)VarDataEncodingDecoder.lengthMaxValue() + 1 })
        {
            buffer.putInt(lengthField, bad, LE);
            assertEquals(BAD_VAR_LENGTH, validator.validate(buffer, OFFSET, length), "length " + bad);
        }

        // Allowed by the schema but above the configured maximum message size.
        final MessageValidator small = new MessageValidator(1024);
        buffer.putInt(lengthField, 1025, LE);
        assertEquals(BAD_VAR_LENGTH, small.validate(buffer, OFFSET, length));

        // Possible, but the bytes are not there.
        buffer.putInt(lengthField, 11, LE);
        assertEquals(TRUNCATED_VAR_DATA, validator.validate(buffer, OFFSET, length));
        buffer.putInt(lengthField, 9, LE);
        assertEquals(TRAILING_BYTES, validator.validate(buffer, OFFSET, length));
        buffer.putInt(lengthField, 10, LE);
        assertEquals(OK, validator.validate(buffer, OFFSET, length));
    }

    @Test
    void shouldRejectBadVarLengthInsideGroupEntry()
    {
        final int length = messages.encode(AcceptDecoder.TEMPLATE_ID, buffer, OFFSET, 1, 4);
        // header, block, ranges header, one range, entries header, one entry's slot, then the length.
        final int lengthField = OFFSET + HEADER + AcceptDecoder.BLOCK_LENGTH +
            GROUP_HEADER + AcceptDecoder.ChosenRangesDecoder.sbeBlockLength() +
            GROUP_HEADER + AcceptDecoder.EntriesDecoder.sbeBlockLength();
        assertEquals(4, buffer.getInt(lengthField, LE));

        buffer.putInt(lengthField, -1, LE);
        assertEquals(BAD_VAR_LENGTH, validator.validate(buffer, OFFSET, length));
        buffer.putInt(lengthField, 5, LE);
        assertEquals(TRUNCATED_VAR_DATA, validator.validate(buffer, OFFSET, length));
    }

    @Test
    void shouldRejectAbsurdGroupCounts()
    {
        final int length = messages.encode(AcceptedDecoder.TEMPLATE_ID, buffer, OFFSET, 2, 0);
        final int groupHeader = OFFSET + HEADER + AcceptedDecoder.BLOCK_LENGTH;
        final int countField = groupHeader + GroupSizeEncodingDecoder.numInGroupEncodingOffset();
        assertEquals(2, buffer.getShort(countField, LE));

        // 65535 is the uint16 null value, above the schema maximum of 65534.
        buffer.putShort(countField, (short)0xFFFF, LE);
        assertEquals(BAD_GROUP_COUNT, validator.validate(buffer, OFFSET, length));

        for (final int count : new int[]{ 3, 1000, AcceptedDecoder.RangesDecoder.countMaxValue() })
        {
            buffer.putShort(countField, (short)count, LE);
            assertEquals(TRUNCATED_GROUP, validator.validate(buffer, OFFSET, length), "count " + count);
        }

        buffer.putShort(countField, (short)1, LE);
        assertEquals(TRAILING_BYTES, validator.validate(buffer, OFFSET, length));

        buffer.putShort(groupHeader, (short)(AcceptedDecoder.RangesDecoder.sbeBlockLength() + 1), LE);
        buffer.putShort(countField, (short)2, LE);
        assertEquals(WRONG_GROUP_BLOCK_LENGTH, validator.validate(buffer, OFFSET, length));
    }

    @Test
    void shouldRejectAbsurdCountOfEntriesWithVarData()
    {
        final int length = messages.encode(PromiseDecoder.TEMPLATE_ID, buffer, OFFSET, 1, 100);
        final int countField = OFFSET + HEADER + PromiseDecoder.BLOCK_LENGTH +
            GroupSizeEncodingDecoder.numInGroupEncodingOffset();

        // 5 entries of at least 20 bytes fit in the 120 bytes present, but not with their data.
        buffer.putShort(countField, (short)5, LE);
        assertNotEquals(OK, validator.validate(buffer, OFFSET, length));
        buffer.putShort(countField, (short)65534, LE);
        assertEquals(TRUNCATED_GROUP, validator.validate(buffer, OFFSET, length));
    }

    @Test
    void shouldRejectUnknownEnumValues()
    {
        final int length = messages.encode(ClientAckDecoder.TEMPLATE_ID, buffer, OFFSET, 0, 0);
        final int statusField = OFFSET + HEADER + ClientAckDecoder.statusEncodingOffset();

        for (final int raw : new int[]{ 5, 100, 0xFF })
        {
            buffer.putByte(statusField, (byte)raw);
            assertEquals(BAD_ENUM_VALUE, validator.validate(buffer, OFFSET, length), "status " + raw);
        }
        for (final AckStatus status : new AckStatus[]{ AckStatus.OK, AckStatus.DUPLICATE, AckStatus.REJECTED,
            AckStatus.GAP, AckStatus.UNKNOWN_SESSION })
        {
            buffer.putByte(statusField, (byte)status.value());
            assertEquals(OK, validator.validate(buffer, OFFSET, length));
        }

        final int errorLength = messages.encode(ErrorDecoder.TEMPLATE_ID, buffer, OFFSET, 0, 0);
        buffer.putByte(OFFSET + HEADER + ErrorDecoder.codeEncodingOffset(), (byte)7);
        assertEquals(BAD_ENUM_VALUE, validator.validate(buffer, OFFSET, errorLength));

        final int eventLength = messages.encode(SessionEventDecoder.TEMPLATE_ID, buffer, OFFSET, 0, 0);
        buffer.putByte(OFFSET + HEADER + SessionEventDecoder.codeEncodingOffset(),
            (byte)(SessionEventCode.CHALLENGE.value() + 1));
        assertEquals(BAD_ENUM_VALUE, validator.validate(buffer, OFFSET, eventLength));

        final int replyLength = messages.encode(PreVoteReplyDecoder.TEMPLATE_ID, buffer, OFFSET, 0, 0);
        final int answerField = OFFSET + HEADER + PreVoteReplyDecoder.answerEncodingOffset();
        for (final int raw : new int[]{ 2, 0xFF })
        {
            buffer.putByte(answerField, (byte)raw);
            assertEquals(BAD_ENUM_VALUE, validator.validate(buffer, OFFSET, replyLength), "answer " + raw);
        }
        buffer.putByte(answerField, (byte)PreVoteAnswer.GRANTED.value());
        assertEquals(OK, validator.validate(buffer, OFFSET, replyLength));
    }

    @Test
    void shouldRejectBoundsOutsideTheBuffer()
    {
        final UnsafeBuffer small = new UnsafeBuffer(new byte[64]);
        assertEquals(OUTSIDE_BUFFER, validator.validate(small, -1, 10));
        assertEquals(OUTSIDE_BUFFER, validator.validate(small, 0, -1));
        assertEquals(OUTSIDE_BUFFER, validator.validate(small, 60, 10));
        assertEquals(OUTSIDE_BUFFER, validator.validate(small, Integer.MAX_VALUE, Integer.MAX_VALUE));
    }

    @Test
    void shouldRejectTooLargeBeforeReadingAnything()
    {
        final MessageValidator small = new MessageValidator(64);
        final int length = messages.encode(ClientCommandDecoder.TEMPLATE_ID, buffer, OFFSET, 0, 100);
        assertEquals(TOO_LARGE, small.validate(buffer, OFFSET, length));
        assertThrows(IllegalArgumentException.class, () -> new MessageValidator(HEADER - 1));
    }

    @Test
    void shouldNameEveryReason()
    {
        final Set<String> names = new HashSet<>();
        for (int reason = 0; reason < REASON_COUNT; reason++)
        {
            names.add(reasonName(reason));
        }
        assertEquals(REASON_COUNT, names.size());
        assertEquals("OK", reasonName(OK));
        assertEquals("TRAILING_BYTES", reasonName(TRAILING_BYTES));
        assertEquals("TRUNCATED_GROUP", reasonName(TRUNCATED_GROUP));
        assertEquals("UNKNOWN_REASON", reasonName(REASON_COUNT));
        assertEquals("UNKNOWN_REASON", reasonName(-1));
    }

    @Test
    void shouldValidateWithoutAllocating()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);

        final int[] offsets = new int[TestMessages.TEMPLATE_IDS.length];
        final int[] lengths = new int[TestMessages.TEMPLATE_IDS.length];
        int offset = 0;
        for (int i = 0; i < TestMessages.TEMPLATE_IDS.length; i++)
        {
            offsets[i] = offset;
            lengths[i] = messages.encode(TestMessages.TEMPLATE_IDS[i], buffer, offset, 3, 17);
            offset += lengths[i];
        }

        long sum = loop(offsets, lengths, 20_000);
        final long threadId = Thread.currentThread().getId();
        // A one-off JVM event (a compilation, a class loaded by the JIT) can allocate on this thread
        // during a round; allocation by the validator would show in every round. So the quietest of a
        // few rounds must be zero.
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < 5 && fewest > 0; round++)
        {
            final long before = threads.getThreadAllocatedBytes(threadId);
            sum += loop(offsets, lengths, 20_000);
            fewest = Math.min(fewest, threads.getThreadAllocatedBytes(threadId) - before);
        }

        assertEquals(0L, sum);
        assertEquals(0L, fewest, "bytes allocated while validating, in the quietest round");
    }

    private long loop(final int[] offsets, final int[] lengths, final int iterations)
    {
        long sum = 0;
        for (int n = 0; n < iterations; n++)
        {
            for (int i = 0; i < offsets.length; i++)
            {
                sum += validator.validate(buffer, offsets[i], lengths[i]);
                // A damaged one on every pass too, so the failure paths are measured as well.
                sum += validator.validate(buffer, offsets[i], lengths[i] - 1) == OK ? 1 : 0;
            }
        }

        return sum;
    }
}
