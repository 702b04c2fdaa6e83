package io.synod.codecs;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static io.synod.codecs.TestMessages.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Single-threaded: encodes every message in several shapes (empty, small, maximum group count,
 * maximum var data under the default maximum message size), validates it and decodes every field.
 */
class CodecRoundTripTest
{
    private static final int MAX_MESSAGE = MessageValidator.DEFAULT_MAX_MESSAGE_LENGTH_BYTES;
    /** Odd, so that no field is accidentally aligned. */
    private static final int OFFSET = 13;
    private static final int MAX_GROUP_COUNT = PromiseDecoder.EntriesDecoder.countMaxValue();

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[OFFSET + MAX_MESSAGE + 64]);
    private final TestMessages messages = new TestMessages(MAX_MESSAGE);
    private final MessageValidator validator = new MessageValidator();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();

    static List<Arguments> shapes()
    {
        final List<Arguments> shapes = new ArrayList<>();
        for (final int templateId : TEMPLATE_IDS)
        {
            shapes.add(Arguments.of(MessageValidator.templateName(templateId), templateId, 0, 0));
            shapes.add(Arguments.of(MessageValidator.templateName(templateId), templateId, 1, 1));
            shapes.add(Arguments.of(MessageValidator.templateName(templateId), templateId, 3, 100));
            if (groupsIn(templateId) > 0)
            {
                shapes.add(Arguments.of(MessageValidator.templateName(templateId), templateId, MAX_GROUP_COUNT, 0));
            }
            if (hasVarData(templateId))
            {
                // -1: the var data length that makes the message exactly the maximum size, found below.
                shapes.add(Arguments.of(MessageValidator.templateName(templateId), templateId, 1, -1));
            }
        }

        return shapes;
    }

    @ParameterizedTest(name = "{0} count={2} varLength={3}")
    @MethodSource("shapes")
    void shouldRoundTrip(final String name, final int templateId, final int count, final int varLength)
    {
        int varLengthBytes = varLength;
        if (varLength < 0)
        {
            // One var data field per message or per entry, and one entry: every extra byte is data.
            final int emptyLength = messages.encode(templateId, buffer, OFFSET, count, 0);
            varLengthBytes = MAX_MESSAGE - emptyLength;
        }

        final int length = messages.encode(templateId, buffer, OFFSET, count, varLengthBytes);
        if (varLength < 0)
        {
            assertEquals(MAX_MESSAGE, length);
        }

        assertEquals(MessageValidator.OK, validator.validate(buffer, OFFSET, length), name);
        assertEquals(templateId, validator.templateId());
        assertEquals(length, validator.messageLengthBytes());
        assertEquals(CLUSTER_ID, MessageValidator.clusterId(buffer, OFFSET));

        header.wrap(buffer, OFFSET);
        assertEquals(MessageHeaderDecoder.SCHEMA_ID, header.schemaId());
        assertEquals(MessageHeaderDecoder.SCHEMA_VERSION, header.version());
        assertEquals(templateId, header.templateId());

        final int decodedLength = assertDecoded(templateId, count, varLengthBytes);
        assertEquals(length, MessageHeaderDecoder.ENCODED_LENGTH + decodedLength);

        // One byte more than the maximum is refused before anything else is read.
        if (varLength < 0)
        {
            assertEquals(MessageValidator.TOO_LARGE, validator.validate(buffer, OFFSET, length + 1));
        }
    }

    @Test
    void encoderShouldRefuseVarDataAboveSchemaMaximum()
    {
        // The length check comes before the copy, so a small source is enough to prove the limit.
        final int tooLong = (int)VarDataEncodingEncoder.lengthMaxValue() + 1;
        final ClientCommandEncoder encoder = new ClientCommandEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder());
        assertThrows(IllegalStateException.class, () -> encoder.putPayload(new byte[1], 0, tooLong));
    }

    @Test
    void encoderShouldRefuseGroupCountAboveSchemaMaximum()
    {
        final AcceptedEncoder encoder = new AcceptedEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder());
        assertThrows(IllegalArgumentException.class, () -> encoder.rangesCount(MAX_GROUP_COUNT + 1));
    }

    private int assertDecoded(final int templateId, final int count, final int varLengthBytes)
    {
        final MessageHeaderDecoder h = header;
        final DirectBuffer b = buffer;
        switch (templateId)
        {
            case PrepareDecoder.TEMPLATE_ID:
            {
                final PrepareDecoder d = new PrepareDecoder().wrapAndApplyHeader(b, OFFSET, h);
                assertCommon(d.clusterId(), d.memberId(), MEMBER_ID);
                assertEquals(BALLOT, d.ballot());
                assertEquals(FROM_SLOT, d.fromSlot());
                assertEquals(TO_SLOT, d.toSlot());
                assertEquals(TestMessages.MEMBERSHIP, d.membership());
                return d.encodedLength();
            }
            case PromiseDecoder.TEMPLATE_ID:
            {
                final PromiseDecoder d = new PromiseDecoder().wrapAndApplyHeader(b, OFFSET, h);
                assertCommon(d.clusterId(), d.memberId(), MEMBER_ID);
                assertEquals(BALLOT, d.ballot());
                assertEquals(FROM_SLOT, d.fromSlot());
                assertEquals(TO_SLOT, d.toSlot());
                assertEquals(HIGHEST_SLOT, d.highestSlot());
                assertEquals(PART_INDEX, d.partIndex());
                assertEquals(PART_COUNT, d.partCount());
                final PromiseDecoder.EntriesDecoder entries = d.entries();
                assertEquals(count, entries.count());
                for (int i = 0; i < count; i++)
                {
                    entries.next();
                    assertEquals(FROM_SLOT + i, entries.slot());
                    assertEquals(BALLOT - i, entries.ballot());
                    final UnsafeBuffer value = new UnsafeBuffer(0, 0);
                    entries.wrapValue(value);
                    assertPattern(i, varLengthBytes, value);
                }
                return d.encodedLength();
            }
            case NackDecoder.TEMPLATE_ID:
            {
                final NackDecoder d = new NackDecoder().wrapAndApplyHeader(b, OFFSET, h);
                assertCommon(d.clusterId(), d.memberId(), MEMBER_ID);
                assertEquals(BALLOT, d.ballot());
                assertEquals(HIGHER_BALLOT, d.promisedBallot());
                return d.encodedLength();
            }
            case AcceptDecoder.TEMPLATE_ID:
            {
                final AcceptDecoder d = new AcceptDecoder().wrapAndApplyHeader(b, OFFSET, h);
                assertCommon(d.clusterId(), d.memberId(), MEMBER_ID);
                assertEquals(BALLOT, d.ballot());
                assertEquals(FROM_SLOT, d.chosenWatermark());
                assertEquals(FROM_SLOT - 1, d.ballotStartSlot());
                final AcceptDecoder.ChosenRangesDecoder ranges = d.chosenRanges();
                assertEquals(count, ranges.count());
                for (int i = 0; i < count; i++)
                {
                    ranges.next();
                    assertEquals(TO_SLOT + 2L * i, ranges.fromSlot());
                    assertEquals(TO_SLOT + 2L * i + 1, ranges.toSlot());
                }
                final AcceptDecoder.EntriesDecoder entries = d.entries();
                assertEquals(count, entries.count());
                for (int i = 0; i < count; i++)
                {
                    entries.next();
                    assertEquals(FROM_SLOT + i, entries.slot());
                    final UnsafeBuffer value = new UnsafeBuffer(0, 0);
                    entries.wrapValue(value);
                    assertPattern(i, varLengthBytes, value);
                }
                return d.encodedLength();
            }
            case AcceptedDecoder.TEMPLATE_ID:
            {
                final AcceptedDecoder d = new AcceptedDecoder().wrapAndApplyHeader(b, OFFSET, h);
                assertCommon(d.clusterId(), d.memberId(), MEMBER_ID);
                assertEquals(BALLOT, d.ballot());
                final AcceptedDecoder.RangesDecoder ranges = d.ranges();
                assertEquals(count, ranges.count());
                for (int i = 0; i < count; i++)
                {
                    ranges.next();
                    assertEquals(TO_SLOT + 2L * i, ranges.fromSlot());
                    assertEquals(TO_SLOT + 2L * i + 1, ranges.toSlot());
                }
                return d.encodedLength();
            }
            case ChosenStateDecoder.TEMPLATE_ID:
            {
                final ChosenStateDecoder d = new ChosenStateDecoder().wrapAndApplyHeader(b, OFFSET, h);
                assertCommon(d.clusterId(), d.memberId(), MEMBER_ID);
                assertEquals(BALLOT, d.ballot());
                assertEquals(FROM_SLOT, d.chosenWatermark());
                assertEquals(FROM_SLOT - 1, d.ballotStartSlot());
                final ChosenStateDecoder.ChosenRangesDecoder ranges = d.chosenRanges();
                assertEquals(count, ranges.count());
                for (int i = 0; i < count; i++)
                {
                    ranges.next();
                    assertEquals(TO_SLOT + 2L * i, ranges.fromSlot());
                    assertEquals(TO_SLOT + 2L * i + 1, ranges.toSlot());
                }
                return d.encodedLength();
            }
            case HeartbeatDecoder.TEMPLATE_ID:
            {
                final HeartbeatDecoder d = new HeartbeatDecoder().wrapAndApplyHeader(b, OFFSET, h);
                assertCommon(d.clusterId(), d.memberId(), MEMBER_ID);
                assertEquals(BALLOT, d.ballot());
                assertEquals(FROM_SLOT, d.chosenWatermark());
                assertEquals(FROM_SLOT - 1, d.ballotStartSlot());
                assertEquals(TestMessages.MEMBERSHIP, d.membership());
                final HeartbeatDecoder.ChosenRangesDecoder ranges = d.chosenRanges();
                assertEquals(count, ranges.count());
                for (int i = 0; i < count; i++)
                {
                    ranges.next();
                    assertEquals(TO_SLOT + 2L * i, ranges.fromSlot());
                    assertEquals(TO_SLOT + 2L * i + 1, ranges.toSlot());
                }
                return d.encodedLength();
            }
            case CatchUpRequestDecoder.TEMPLATE_ID:
            {
                final CatchUpRequestDecoder d = new CatchUpRequestDecoder().wrapAndApplyHeader(b, OFFSET, h);
                assertCommon(d.clusterId(), d.memberId(), MEMBER_ID);
                assertEquals(FROM_SLOT, d.fromSlot());
                assertEquals(TO_SLOT, d.toSlot());
                return d.encodedLength();
            }
            case CatchUpResponseDecoder.TEMPLATE_ID:
            {
                final CatchUpResponseDecoder d = new CatchUpResponseDecoder().wrapAndApplyHeader(b, OFFSET, h);
                assertCommon(d.clusterId(), d.memberId(), MEMBER_ID);
                assertEquals(FROM_SLOT, d.fromSlot());
                assertEquals(TO_SLOT, d.toSlot());
                final CatchUpResponseDecoder.EntriesDecoder entries = d.entries();
                assertEquals(count, entries.count());
                for (int i = 0; i < count; i++)
                {
                    entries.next();
                    assertEquals(FROM_SLOT + i, entries.slot());
                    assertEquals(BALLOT - i, entries.ballot());
                    final UnsafeBuffer value = new UnsafeBuffer(0, 0);
                    entries.wrapValue(value);
                    assertPattern(i, varLengthBytes, value);
                }
                return d.encodedLength();
            }
            case SessionOpenDecoder.TEMPLATE_ID:
            {
                final SessionOpenDecoder d = new SessionOpenDecoder().wrapAndApplyHeader(b, OFFSET, h);
                assertCommon(d.clusterId(), d.memberId(), -1);
                assertEquals(CLIENT_ID, d.clientId());
                assertEquals(CORRELATION_ID, d.correlationId());
                assertEquals(STREAM_ID, d.responseStreamId());
                final UnsafeBuffer value = new UnsafeBuffer(0, 0);
                d.wrapResponseChannel(value);
                assertPattern(0, varLengthBytes, value);
                d.wrapCredentials(value);
                assertPattern(0, count, value);
                return d.encodedLength();
            }
            case SessionEventDecoder.TEMPLATE_ID:
            {
                final SessionEventDecoder d = new SessionEventDecoder().wrapAndApplyHeader(b, OFFSET, h);
                assertCommon(d.clusterId(), d.memberId(), MEMBER_ID);
                assertEquals(CLIENT_ID, d.clientId());
                assertEquals(CORRELATION_ID, d.correlationId());
                assertEquals(MEMBER_ID + 1, d.leaderMemberId());
                assertEquals(SessionEventCode.REDIRECT, d.code());
                final UnsafeBuffer value = new UnsafeBuffer(0, 0);
                d.wrapDetail(value);
                assertPattern(0, varLengthBytes, value);
                return d.encodedLength();
            }
            case ClientCommandDecoder.TEMPLATE_ID:
            {
                final ClientCommandDecoder d = new ClientCommandDecoder().wrapAndApplyHeader(b, OFFSET, h);
                assertCommon(d.clusterId(), d.memberId(), -1);
                assertEquals(CLIENT_ID, d.clientId());
                assertEquals(SEQUENCE, d.sequence());
                final UnsafeBuffer value = new UnsafeBuffer(0, 0);
                d.wrapPayload(value);
                assertPattern(0, varLengthBytes, value);
                return d.encodedLength();
            }
            case ClientAckDecoder.TEMPLATE_ID:
            {
                final ClientAckDecoder d = new ClientAckDecoder().wrapAndApplyHeader(b, OFFSET, h);
                assertCommon(d.clusterId(), d.memberId(), MEMBER_ID);
                assertEquals(CLIENT_ID, d.clientId());
                assertEquals(SEQUENCE, d.sequence());
                assertEquals(FROM_SLOT, d.slot());
                assertEquals(AckStatus.DUPLICATE, d.status());
                return d.encodedLength();
            }
            case DeliveryDecoder.TEMPLATE_ID:
            {
                final DeliveryDecoder d = new DeliveryDecoder().wrapAndApplyHeader(b, OFFSET, h);
                assertCommon(d.clusterId(), d.memberId(), MEMBER_ID);
                assertEquals(FROM_SLOT, d.slot());
                assertEquals(CLIENT_ID, d.clientId());
                assertEquals(SEQUENCE, d.sequence());
                final UnsafeBuffer value = new UnsafeBuffer(0, 0);
                d.wrapPayload(value);
                assertPattern(0, varLengthBytes, value);
                return d.encodedLength();
            }
            case RedirectDecoder.TEMPLATE_ID:
            {
                final RedirectDecoder d = new RedirectDecoder().wrapAndApplyHeader(b, OFFSET, h);
                assertCommon(d.clusterId(), d.memberId(), MEMBER_ID);
                assertEquals(MEMBER_ID + 1, d.leaderMemberId());
                final UnsafeBuffer value = new UnsafeBuffer(0, 0);
                d.wrapEndpoint(value);
                assertPattern(0, varLengthBytes, value);
                return d.encodedLength();
            }
            case ErrorDecoder.TEMPLATE_ID:
            {
                final ErrorDecoder d = new ErrorDecoder().wrapAndApplyHeader(b, OFFSET, h);
                assertCommon(d.clusterId(), d.memberId(), MEMBER_ID);
                assertEquals(CLIENT_ID, d.clientId());
                assertEquals(SEQUENCE, d.sequence());
                assertEquals(ErrorCode.BACK_PRESSURED, d.code());
                final UnsafeBuffer value = new UnsafeBuffer(0, 0);
                d.wrapText(value);
                assertPattern(0, varLengthBytes, value);
                return d.encodedLength();
            }
            case PreVoteDecoder.TEMPLATE_ID:
            {
                final PreVoteDecoder d = new PreVoteDecoder().wrapAndApplyHeader(b, OFFSET, h);
                assertCommon(d.clusterId(), d.memberId(), MEMBER_ID);
                assertEquals(BALLOT, d.ballot());
                return d.encodedLength();
            }
            case PreVoteReplyDecoder.TEMPLATE_ID:
            {
                final PreVoteReplyDecoder d = new PreVoteReplyDecoder().wrapAndApplyHeader(b, OFFSET, h);
                assertCommon(d.clusterId(), d.memberId(), MEMBER_ID);
                assertEquals(BALLOT, d.ballot());
                assertEquals(HIGHER_BALLOT, d.promisedBallot());
                assertEquals(PreVoteAnswer.REFUSED, d.answer());
                return d.encodedLength();
            }
            default:
                throw new IllegalArgumentException("templateId=" + templateId);
        }
    }

    private static void assertCommon(final int clusterId, final int memberId, final int expectedMemberId)
    {
        assertEquals(CLUSTER_ID, clusterId);
        assertEquals(expectedMemberId, memberId);
    }

    private static void assertPattern(final int entryIndex, final int lengthBytes, final DirectBuffer value)
    {
        assertEquals(lengthBytes, value.capacity());
        for (int i = 0; i < lengthBytes; i++)
        {
            if (expectedByte(entryIndex, i) != value.getByte(i))
            {
                assertEquals(expectedByte(entryIndex, i), value.getByte(i), "entry " + entryIndex + " byte " + i);
            }
        }
    }
}
