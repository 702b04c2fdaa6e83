package io.synod.codecs;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Single-threaded test helper: encodes a sample of every template with a chosen shape (group entry
 * count, var data length) and decodes any validated message fully.
 * <p>
 * Every field value is a function of its position, so tests can check a decode against
 * {@link #expectedByte(int, int)} and the constants below without keeping the encoded sample.
 */
final class TestMessages
{
    static final int CLUSTER_ID = 7;
    static final int MEMBER_ID = 2;
    static final long BALLOT = (5L << 16) | MEMBER_ID;
    static final long HIGHER_BALLOT = (6L << 16) | 3;
    static final long FROM_SLOT = 100;
    static final long TO_SLOT = 200;
    static final long CLIENT_ID = 0x1234_5678_9ABCL;
    static final long SEQUENCE = 42;
    static final long CORRELATION_ID = -5;
    static final int STREAM_ID = 1001;
    static final long HIGHEST_SLOT = 250;
    static final int PART_INDEX = 1;
    static final int PART_COUNT = 3;
    static final long MEMBERSHIP = 0x5EED_F00D_1234_5678L;

    /** Template ids of every message in the schema, in id order. */
    static final int[] TEMPLATE_IDS =
    {
        PrepareDecoder.TEMPLATE_ID,
        PromiseDecoder.TEMPLATE_ID,
        NackDecoder.TEMPLATE_ID,
        AcceptDecoder.TEMPLATE_ID,
        AcceptedDecoder.TEMPLATE_ID,
        ChosenStateDecoder.TEMPLATE_ID,
        HeartbeatDecoder.TEMPLATE_ID,
        CatchUpRequestDecoder.TEMPLATE_ID,
        CatchUpResponseDecoder.TEMPLATE_ID,
        SessionOpenDecoder.TEMPLATE_ID,
        SessionEventDecoder.TEMPLATE_ID,
        ClientCommandDecoder.TEMPLATE_ID,
        ClientAckDecoder.TEMPLATE_ID,
        DeliveryDecoder.TEMPLATE_ID,
        RedirectDecoder.TEMPLATE_ID,
        ErrorDecoder.TEMPLATE_ID,
        PreVoteDecoder.TEMPLATE_ID,
        PreVoteReplyDecoder.TEMPLATE_ID,
    };

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final UnsafeBuffer source;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private int decodedLengthBytes;

    private final PrepareEncoder prepareEncoder = new PrepareEncoder();
    private final PromiseEncoder promiseEncoder = new PromiseEncoder();
    private final NackEncoder nackEncoder = new NackEncoder();
    private final AcceptEncoder acceptEncoder = new AcceptEncoder();
    private final AcceptedEncoder acceptedEncoder = new AcceptedEncoder();
    private final ChosenStateEncoder chosenStateEncoder = new ChosenStateEncoder();
    private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();
    private final CatchUpRequestEncoder catchUpRequestEncoder = new CatchUpRequestEncoder();
    private final CatchUpResponseEncoder catchUpResponseEncoder = new CatchUpResponseEncoder();
    private final SessionOpenEncoder sessionOpenEncoder = new SessionOpenEncoder();
    private final SessionEventEncoder sessionEventEncoder = new SessionEventEncoder();
    private final ClientCommandEncoder clientCommandEncoder = new ClientCommandEncoder();
    private final ClientAckEncoder clientAckEncoder = new ClientAckEncoder();
    private final DeliveryEncoder deliveryEncoder = new DeliveryEncoder();
    private final RedirectEncoder redirectEncoder = new RedirectEncoder();
    private final ErrorEncoder errorEncoder = new ErrorEncoder();
    private final PreVoteEncoder preVoteEncoder = new PreVoteEncoder();
    private final PreVoteReplyEncoder preVoteReplyEncoder = new PreVoteReplyEncoder();

    private final PrepareDecoder prepareDecoder = new PrepareDecoder();
    private final PromiseDecoder promiseDecoder = new PromiseDecoder();
    private final NackDecoder nackDecoder = new NackDecoder();
    private final AcceptDecoder acceptDecoder = new AcceptDecoder();
    private final AcceptedDecoder acceptedDecoder = new AcceptedDecoder();
    private final ChosenStateDecoder chosenStateDecoder = new ChosenStateDecoder();
    private final HeartbeatDecoder heartbeatDecoder = new HeartbeatDecoder();
    private final CatchUpRequestDecoder catchUpRequestDecoder = new CatchUpRequestDecoder();
    private final CatchUpResponseDecoder catchUpResponseDecoder = new CatchUpResponseDecoder();
    private final SessionOpenDecoder sessionOpenDecoder = new SessionOpenDecoder();
    private final SessionEventDecoder sessionEventDecoder = new SessionEventDecoder();
    private final ClientCommandDecoder clientCommandDecoder = new ClientCommandDecoder();
    private final ClientAckDecoder clientAckDecoder = new ClientAckDecoder();
    private final DeliveryDecoder deliveryDecoder = new DeliveryDecoder();
    private final RedirectDecoder redirectDecoder = new RedirectDecoder();
    private final ErrorDecoder errorDecoder = new ErrorDecoder();
    private final PreVoteDecoder preVoteDecoder = new PreVoteDecoder();
    private final PreVoteReplyDecoder preVoteReplyDecoder = new PreVoteReplyDecoder();

    /**
     * @param maxVarLengthBytes the longest var data any encode call will ask for.
     */
    TestMessages(final int maxVarLengthBytes)
    {
        source = new UnsafeBuffer(new byte[Math.max(1, maxVarLengthBytes)]);
        for (int i = 0; i < source.capacity(); i++)
        {
            source.putByte(i, (byte)i);
        }
    }

    /**
     * Byte i of the var data of group entry (or 0 for a top-level field): entries differ so that a
     * decode that mixes up entries fails.
     */
    static byte expectedByte(final int entryIndex, final int i)
    {
        return (byte)(i + entryIndex);
    }

    /**
     * Encode the sample of templateId at offset.
     *
     * @param groupCount number of entries in every group of the message.
     * @param varLengthBytes length of every var data field (each group entry's and each top-level one).
     * @return length of the encoded message, header included.
     */
    int encode(
        final int templateId,
        final MutableDirectBuffer buffer,
        final int offset,
        final int groupCount,
        final int varLengthBytes)
    {
        final int h = MessageHeaderEncoder.ENCODED_LENGTH;
        switch (templateId)
        {
            case PrepareDecoder.TEMPLATE_ID:
                prepareEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .clusterId(CLUSTER_ID).memberId(MEMBER_ID).ballot(BALLOT).fromSlot(FROM_SLOT).toSlot(TO_SLOT)
                    .membership(MEMBERSHIP);
                return h + prepareEncoder.encodedLength();

            case PromiseDecoder.TEMPLATE_ID:
            {
                final PromiseEncoder.EntriesEncoder entries = promiseEncoder
                    .wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .clusterId(CLUSTER_ID).memberId(MEMBER_ID).ballot(BALLOT).fromSlot(FROM_SLOT)
                    .toSlot(TO_SLOT).highestSlot(HIGHEST_SLOT).partIndex(PART_INDEX).partCount(PART_COUNT)
                    .entriesCount(groupCount);
                for (int i = 0; i < groupCount; i++)
                {
                    entries.next().slot(FROM_SLOT + i).ballot(BALLOT - i);
                    putPattern(i, varLengthBytes);
                    entries.putValue(source, 0, varLengthBytes);
                }
                return h + promiseEncoder.encodedLength();
            }

            case NackDecoder.TEMPLATE_ID:
                nackEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .clusterId(CLUSTER_ID).memberId(MEMBER_ID).ballot(BALLOT).promisedBallot(HIGHER_BALLOT);
                return h + nackEncoder.encodedLength();

            case AcceptDecoder.TEMPLATE_ID:
            {
                final AcceptEncoder.ChosenRangesEncoder ranges = acceptEncoder
                    .wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .clusterId(CLUSTER_ID).memberId(MEMBER_ID).ballot(BALLOT)
                    .chosenWatermark(FROM_SLOT).ballotStartSlot(FROM_SLOT - 1)
                    .chosenRangesCount(groupCount);
                for (int i = 0; i < groupCount; i++)
                {
                    ranges.next().fromSlot(TO_SLOT + 2L * i).toSlot(TO_SLOT + 2L * i + 1);
                }
                final AcceptEncoder.EntriesEncoder entries = acceptEncoder.entriesCount(groupCount);
                for (int i = 0; i < groupCount; i++)
                {
                    entries.next().slot(FROM_SLOT + i);
                    putPattern(i, varLengthBytes);
                    entries.putValue(source, 0, varLengthBytes);
                }
                return h + acceptEncoder.encodedLength();
            }

            case AcceptedDecoder.TEMPLATE_ID:
            {
                final AcceptedEncoder.RangesEncoder ranges = acceptedEncoder
                    .wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .clusterId(CLUSTER_ID).memberId(MEMBER_ID).ballot(BALLOT)
                    .rangesCount(groupCount);
                for (int i = 0; i < groupCount; i++)
                {
                    ranges.next().fromSlot(TO_SLOT + 2L * i).toSlot(TO_SLOT + 2L * i + 1);
                }
                return h + acceptedEncoder.encodedLength();
            }

            case ChosenStateDecoder.TEMPLATE_ID:
            {
                final ChosenStateEncoder.ChosenRangesEncoder ranges = chosenStateEncoder
                    .wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .clusterId(CLUSTER_ID).memberId(MEMBER_ID).ballot(BALLOT)
                    .chosenWatermark(FROM_SLOT).ballotStartSlot(FROM_SLOT - 1)
                    .chosenRangesCount(groupCount);
                for (int i = 0; i < groupCount; i++)
                {
                    ranges.next().fromSlot(TO_SLOT + 2L * i).toSlot(TO_SLOT + 2L * i + 1);
                }
                return h + chosenStateEncoder.encodedLength();
            }

            case HeartbeatDecoder.TEMPLATE_ID:
            {
                final HeartbeatEncoder.ChosenRangesEncoder ranges = heartbeatEncoder
                    .wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .clusterId(CLUSTER_ID).memberId(MEMBER_ID).ballot(BALLOT)
                    .chosenWatermark(FROM_SLOT).ballotStartSlot(FROM_SLOT - 1).membership(MEMBERSHIP)
                    .chosenRangesCount(groupCount);
                for (int i = 0; i < groupCount; i++)
                {
                    ranges.next().fromSlot(TO_SLOT + 2L * i).toSlot(TO_SLOT + 2L * i + 1);
                }
                return h + heartbeatEncoder.encodedLength();
            }

            case CatchUpRequestDecoder.TEMPLATE_ID:
                catchUpRequestEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .clusterId(CLUSTER_ID).memberId(MEMBER_ID).fromSlot(FROM_SLOT).toSlot(TO_SLOT);
                return h + catchUpRequestEncoder.encodedLength();

            case CatchUpResponseDecoder.TEMPLATE_ID:
            {
                final CatchUpResponseEncoder.EntriesEncoder entries = catchUpResponseEncoder
                    .wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .clusterId(CLUSTER_ID).memberId(MEMBER_ID).fromSlot(FROM_SLOT).toSlot(TO_SLOT)
                    .entriesCount(groupCount);
                for (int i = 0; i < groupCount; i++)
                {
                    entries.next().slot(FROM_SLOT + i).ballot(BALLOT - i);
                    putPattern(i, varLengthBytes);
                    entries.putValue(source, 0, varLengthBytes);
                }
                return h + catchUpResponseEncoder.encodedLength();
            }

            case SessionOpenDecoder.TEMPLATE_ID:
                putPattern(0, Math.max(varLengthBytes, groupCount));
                sessionOpenEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .clusterId(CLUSTER_ID).memberId(-1).clientId(CLIENT_ID).correlationId(CORRELATION_ID)
                    .responseStreamId(STREAM_ID).nextSequence(SEQUENCE)
                    .putResponseChannel(source, 0, varLengthBytes)
                    // Credentials as long as the group count, so that the var length alone sizes the channel.
                    .putCredentials(source, 0, groupCount);
                return h + sessionOpenEncoder.encodedLength();

            case SessionEventDecoder.TEMPLATE_ID:
                putPattern(0, varLengthBytes);
                sessionEventEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .clusterId(CLUSTER_ID).memberId(MEMBER_ID).clientId(CLIENT_ID).correlationId(CORRELATION_ID)
                    .leaderMemberId(MEMBER_ID + 1).code(SessionEventCode.REDIRECT).lastSequence(SEQUENCE)
                    .putDetail(source, 0, varLengthBytes);
                return h + sessionEventEncoder.encodedLength();

            case ClientCommandDecoder.TEMPLATE_ID:
                putPattern(0, varLengthBytes);
                clientCommandEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .clusterId(CLUSTER_ID).memberId(-1).clientId(CLIENT_ID).sequence(SEQUENCE)
                    .putPayload(source, 0, varLengthBytes);
                return h + clientCommandEncoder.encodedLength();

            case ClientAckDecoder.TEMPLATE_ID:
                clientAckEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .clusterId(CLUSTER_ID).memberId(MEMBER_ID).clientId(CLIENT_ID).sequence(SEQUENCE)
                    .slot(FROM_SLOT).status(AckStatus.DUPLICATE).toSequence(SEQUENCE + 1);
                return h + clientAckEncoder.encodedLength();

            case DeliveryDecoder.TEMPLATE_ID:
                putPattern(0, varLengthBytes);
                deliveryEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .clusterId(CLUSTER_ID).memberId(MEMBER_ID).slot(FROM_SLOT).clientId(CLIENT_ID).sequence(SEQUENCE)
                    .putPayload(source, 0, varLengthBytes);
                return h + deliveryEncoder.encodedLength();

            case RedirectDecoder.TEMPLATE_ID:
                putPattern(0, varLengthBytes);
                redirectEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .clusterId(CLUSTER_ID).memberId(MEMBER_ID).leaderMemberId(MEMBER_ID + 1)
                    .putEndpoint(source, 0, varLengthBytes);
                return h + redirectEncoder.encodedLength();

            case ErrorDecoder.TEMPLATE_ID:
                putPattern(0, varLengthBytes);
                errorEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .clusterId(CLUSTER_ID).memberId(MEMBER_ID).clientId(CLIENT_ID).sequence(SEQUENCE)
                    .code(ErrorCode.BACK_PRESSURED)
                    .putText(source, 0, varLengthBytes);
                return h + errorEncoder.encodedLength();

            case PreVoteDecoder.TEMPLATE_ID:
                preVoteEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .clusterId(CLUSTER_ID).memberId(MEMBER_ID).ballot(BALLOT);
                return h + preVoteEncoder.encodedLength();

            case PreVoteReplyDecoder.TEMPLATE_ID:
                preVoteReplyEncoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
                    .clusterId(CLUSTER_ID).memberId(MEMBER_ID).ballot(BALLOT).promisedBallot(HIGHER_BALLOT)
                    .answer(PreVoteAnswer.REFUSED);
                return h + preVoteReplyEncoder.encodedLength();

            default:
                throw new IllegalArgumentException("templateId=" + templateId);
        }
    }

    /** Number of groups in the template. */
    static int groupsIn(final int templateId)
    {
        switch (templateId)
        {
            case AcceptDecoder.TEMPLATE_ID:
                return 2;
            case PromiseDecoder.TEMPLATE_ID:
            case AcceptedDecoder.TEMPLATE_ID:
            case ChosenStateDecoder.TEMPLATE_ID:
            case HeartbeatDecoder.TEMPLATE_ID:
            case CatchUpResponseDecoder.TEMPLATE_ID:
                return 1;
            default:
                return 0;
        }
    }

    /** Whether the template has var data, in a group entry or at the top level. */
    static boolean hasVarData(final int templateId)
    {
        switch (templateId)
        {
            case PrepareDecoder.TEMPLATE_ID:
            case NackDecoder.TEMPLATE_ID:
            case AcceptedDecoder.TEMPLATE_ID:
            case ChosenStateDecoder.TEMPLATE_ID:
            case HeartbeatDecoder.TEMPLATE_ID:
            case CatchUpRequestDecoder.TEMPLATE_ID:
            case ClientAckDecoder.TEMPLATE_ID:
            case PreVoteDecoder.TEMPLATE_ID:
            case PreVoteReplyDecoder.TEMPLATE_ID:
                return false;
            default:
                return true;
        }
    }

    /** Whether the template's var data sits in group entries (so it needs a non-zero count to appear). */
    static boolean varDataInGroup(final int templateId)
    {
        return PromiseDecoder.TEMPLATE_ID == templateId ||
            AcceptDecoder.TEMPLATE_ID == templateId ||
            CatchUpResponseDecoder.TEMPLATE_ID == templateId;
    }

    /**
     * Decode every field, group entry and var data of a message that validated OK, as an adapter
     * would, and fold it into a checksum so that nothing is optimised away. Throws only on a bug.
     */
    long decodeFully(final DirectBuffer buffer, final int offset, final int templateId)
    {
        headerDecoder.wrap(buffer, offset);
        long sum = headerDecoder.blockLength() + headerDecoder.templateId();
        switch (templateId)
        {
            case PrepareDecoder.TEMPLATE_ID:
            {
                final PrepareDecoder d = prepareDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                decodedLengthBytes = MessageHeaderDecoder.ENCODED_LENGTH + d.encodedLength();
                return sum + d.clusterId() + d.memberId() + d.ballot() + d.fromSlot() + d.toSlot() + d.membership();
            }
            case PromiseDecoder.TEMPLATE_ID:
            {
                final PromiseDecoder d = promiseDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                sum += d.clusterId() + d.memberId() + d.ballot() + d.fromSlot() + d.toSlot() + d.highestSlot();
                sum += d.partIndex() + d.partCount();
                for (final PromiseDecoder.EntriesDecoder e : d.entries())
                {
                    sum += e.slot() + e.ballot();
                    e.wrapValue(view);
                    sum += checksum(view);
                }
                decodedLengthBytes = MessageHeaderDecoder.ENCODED_LENGTH + d.encodedLength();
                return sum + d.encodedLength();
            }
            case NackDecoder.TEMPLATE_ID:
            {
                final NackDecoder d = nackDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                decodedLengthBytes = MessageHeaderDecoder.ENCODED_LENGTH + d.encodedLength();
                return sum + d.clusterId() + d.memberId() + d.ballot() + d.promisedBallot();
            }
            case AcceptDecoder.TEMPLATE_ID:
            {
                final AcceptDecoder d = acceptDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                sum += d.clusterId() + d.memberId() + d.ballot() + d.chosenWatermark() + d.ballotStartSlot();
                for (final AcceptDecoder.ChosenRangesDecoder r : d.chosenRanges())
                {
                    sum += r.fromSlot() * 31 + r.toSlot();
                }
                for (final AcceptDecoder.EntriesDecoder e : d.entries())
                {
                    sum += e.slot();
                    e.wrapValue(view);
                    sum += checksum(view);
                }
                decodedLengthBytes = MessageHeaderDecoder.ENCODED_LENGTH + d.encodedLength();
                return sum + d.encodedLength();
            }
            case AcceptedDecoder.TEMPLATE_ID:
            {
                final AcceptedDecoder d = acceptedDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                sum += d.clusterId() + d.memberId() + d.ballot();
                for (final AcceptedDecoder.RangesDecoder r : d.ranges())
                {
                    sum += r.fromSlot() * 31 + r.toSlot();
                }
                decodedLengthBytes = MessageHeaderDecoder.ENCODED_LENGTH + d.encodedLength();
                return sum + d.encodedLength();
            }
            case ChosenStateDecoder.TEMPLATE_ID:
            {
                final ChosenStateDecoder d = chosenStateDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                sum += d.clusterId() + d.memberId() + d.ballot() + d.chosenWatermark() + d.ballotStartSlot();
                for (final ChosenStateDecoder.ChosenRangesDecoder r : d.chosenRanges())
                {
                    sum += r.fromSlot() * 31 + r.toSlot();
                }
                decodedLengthBytes = MessageHeaderDecoder.ENCODED_LENGTH + d.encodedLength();
                return sum + d.encodedLength();
            }
            case HeartbeatDecoder.TEMPLATE_ID:
            {
                final HeartbeatDecoder d = heartbeatDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                sum += d.clusterId() + d.memberId() + d.ballot() + d.chosenWatermark() + d.ballotStartSlot() +
                    d.membership();
                for (final HeartbeatDecoder.ChosenRangesDecoder r : d.chosenRanges())
                {
                    sum += r.fromSlot() * 31 + r.toSlot();
                }
                decodedLengthBytes = MessageHeaderDecoder.ENCODED_LENGTH + d.encodedLength();
                return sum + d.encodedLength();
            }
            case CatchUpRequestDecoder.TEMPLATE_ID:
            {
                final CatchUpRequestDecoder d = catchUpRequestDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                decodedLengthBytes = MessageHeaderDecoder.ENCODED_LENGTH + d.encodedLength();
                return sum + d.clusterId() + d.memberId() + d.fromSlot() + d.toSlot();
            }
            case CatchUpResponseDecoder.TEMPLATE_ID:
            {
                final CatchUpResponseDecoder d =
                    catchUpResponseDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                sum += d.clusterId() + d.memberId() + d.fromSlot() + d.toSlot();
                for (final CatchUpResponseDecoder.EntriesDecoder e : d.entries())
                {
                    sum += e.slot() + e.ballot();
                    e.wrapValue(view);
                    sum += checksum(view);
                }
                decodedLengthBytes = MessageHeaderDecoder.ENCODED_LENGTH + d.encodedLength();
                return sum + d.encodedLength();
            }
            case SessionOpenDecoder.TEMPLATE_ID:
            {
                final SessionOpenDecoder d = sessionOpenDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                sum += d.clusterId() + d.memberId() + d.clientId() + d.correlationId() + d.responseStreamId() + d.nextSequence();
                sum += d.responseChannel().hashCode();
                sum += d.credentialsLength();
                d.skipCredentials();
                decodedLengthBytes = MessageHeaderDecoder.ENCODED_LENGTH + d.encodedLength();
                return sum + d.encodedLength();
            }
            case SessionEventDecoder.TEMPLATE_ID:
            {
                final SessionEventDecoder d = sessionEventDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                sum += d.clusterId() + d.memberId() + d.clientId() + d.correlationId() + d.leaderMemberId();
                sum += d.code().ordinal() + d.lastSequence();
                sum += d.detail().hashCode();
                decodedLengthBytes = MessageHeaderDecoder.ENCODED_LENGTH + d.encodedLength();
                return sum + d.encodedLength();
            }
            case ClientCommandDecoder.TEMPLATE_ID:
            {
                final ClientCommandDecoder d = clientCommandDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                sum += d.clusterId() + d.memberId() + d.clientId() + d.sequence();
                d.wrapPayload(view);
                decodedLengthBytes = MessageHeaderDecoder.ENCODED_LENGTH + d.encodedLength();
                return sum + checksum(view) + d.encodedLength();
            }
            case ClientAckDecoder.TEMPLATE_ID:
            {
                final ClientAckDecoder d = clientAckDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                decodedLengthBytes = MessageHeaderDecoder.ENCODED_LENGTH + d.encodedLength();
                return sum + d.clusterId() + d.memberId() + d.clientId() + d.sequence() + d.slot() +
                    d.status().ordinal() + d.toSequence();
            }
            case DeliveryDecoder.TEMPLATE_ID:
            {
                final DeliveryDecoder d = deliveryDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                sum += d.clusterId() + d.memberId() + d.slot() + d.clientId() + d.sequence();
                d.wrapPayload(view);
                decodedLengthBytes = MessageHeaderDecoder.ENCODED_LENGTH + d.encodedLength();
                return sum + checksum(view) + d.encodedLength();
            }
            case RedirectDecoder.TEMPLATE_ID:
            {
                final RedirectDecoder d = redirectDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                sum += d.clusterId() + d.memberId() + d.leaderMemberId();
                sum += d.endpoint().hashCode();
                decodedLengthBytes = MessageHeaderDecoder.ENCODED_LENGTH + d.encodedLength();
                return sum + d.encodedLength();
            }
            case ErrorDecoder.TEMPLATE_ID:
            {
                final ErrorDecoder d = errorDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                sum += d.clusterId() + d.memberId() + d.clientId() + d.sequence() + d.code().ordinal();
                sum += d.text().hashCode();
                decodedLengthBytes = MessageHeaderDecoder.ENCODED_LENGTH + d.encodedLength();
                return sum + d.encodedLength();
            }
            case PreVoteDecoder.TEMPLATE_ID:
            {
                final PreVoteDecoder d = preVoteDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                decodedLengthBytes = MessageHeaderDecoder.ENCODED_LENGTH + d.encodedLength();
                return sum + d.clusterId() + d.memberId() + d.ballot();
            }
            case PreVoteReplyDecoder.TEMPLATE_ID:
            {
                final PreVoteReplyDecoder d = preVoteReplyDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                decodedLengthBytes = MessageHeaderDecoder.ENCODED_LENGTH + d.encodedLength();
                return sum + d.clusterId() + d.memberId() + d.ballot() + d.promisedBallot() + d.answer().ordinal();
            }
            default:
                throw new IllegalArgumentException("templateId=" + templateId);
        }
    }

    /** Length, header included, of the last message {@link #decodeFully} read: where the decoders stopped. */
    int decodedLengthBytes()
    {
        return decodedLengthBytes;
    }

    private void putPattern(final int entryIndex, final int lengthBytes)
    {
        for (int i = 0; i < lengthBytes; i++)
        {
            source.putByte(i, expectedByte(entryIndex, i));
        }
    }

    private static long checksum(final DirectBuffer buffer)
    {
        long sum = buffer.capacity();
        final int capacity = buffer.capacity();
        for (int i = 0; i < capacity; i += 4099)
        {
            sum = sum * 31 + buffer.getByte(i);
        }

        return sum;
    }
}
