package io.synod.codecs;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Not thread safe: one instance per decoding agent, because it keeps the template id and length of
 * the last message it accepted. Checks that an untrusted buffer holds exactly one well-formed Synod
 * message before any generated decoder touches it.
 * <p>
 * {@link #validate(DirectBuffer, int, int)} returns {@link #OK} or a reason code; it never throws and
 * never allocates. It checks, in this order: the length against the buffer and the configured maximum
 * message size, the header (schema id, version, template id, block length), enum fields of the fixed
 * block, every group header (block length, count) and every var data length against the bytes
 * actually present, and that no byte is left after the message. Once it returned {@link #OK}, every
 * generated decoder for that template can read every field, group and var data of the message
 * without going out of bounds or meeting an unknown enum value.
 * <p>
 * <b>Version rule: strict.</b> Only {@link MessageHeaderDecoder#SCHEMA_VERSION} is accepted, and the
 * block length of the message and of every group must equal the generated one exactly. A message
 * from a newer schema version (even one that only appended fields) is rejected with
 * {@link #WRONG_VERSION}: every member of a cluster runs the same build, and tolerating unknown
 * trailing fields would let a mixed-version cluster disagree silently. A schema upgrade is
 * therefore a coordinated restart (version 2 added the membership fingerprint to Prepare and
 * Heartbeat: a version-1 member is refused as WRONG_VERSION, never misread).
 * <p>
 * Rule for the two kinds of length failure: {@code BAD_*} means the value is impossible whatever
 * bytes follow (above the schema's or the configured maximum); {@code TRUNCATED_*} means the value
 * is possible but the bytes it announces are not all there.
 */
public final class MessageValidator
{
    /** The message is well formed; {@link #templateId()} and {@link #messageLengthBytes()} describe it. */
    public static final int OK = 0;
    /** offset or length do not lie inside the buffer: a caller bug, reported rather than thrown. */
    public static final int OUTSIDE_BUFFER = 1;
    /** Fewer bytes than the 8 byte message header. */
    public static final int TOO_SHORT_FOR_HEADER = 2;
    /** Longer than the configured maximum message size. */
    public static final int TOO_LARGE = 3;
    /** Schema id is not {@link MessageHeaderDecoder#SCHEMA_ID}. */
    public static final int WRONG_SCHEMA = 4;
    /** Version is not {@link MessageHeaderDecoder#SCHEMA_VERSION} (see the version rule above). */
    public static final int WRONG_VERSION = 5;
    /** No message of the schema has this template id. */
    public static final int UNKNOWN_TEMPLATE = 6;
    /** Header block length differs from the template's BLOCK_LENGTH. */
    public static final int WRONG_BLOCK_LENGTH = 7;
    /** The fixed block is cut short. */
    public static final int TRUNCATED_BLOCK = 8;
    /** An enum field holds a value the schema does not define (including its null value). */
    public static final int BAD_ENUM_VALUE = 9;
    /** Fewer than 4 bytes left where a group header should be. */
    public static final int TRUNCATED_GROUP_HEADER = 10;
    /** A group header's block length differs from the generated one. */
    public static final int WRONG_GROUP_BLOCK_LENGTH = 11;
    /** A group count above the schema's maximum (65534; 65535 is the null value). */
    public static final int BAD_GROUP_COUNT = 12;
    /** The group's entries, even with empty var data, need more bytes than are left. */
    public static final int TRUNCATED_GROUP = 13;
    /** A var data length above the schema's maximum or the configured maximum message size. */
    public static final int BAD_VAR_LENGTH = 14;
    /** A var data length header, or the bytes it announces, runs past the end. */
    public static final int TRUNCATED_VAR_DATA = 15;
    /** Bytes are left after the last field: the length given is not this message's length. */
    public static final int TRAILING_BYTES = 16;

    private static final String[] REASON_NAMES =
    {
        "OK",
        "OUTSIDE_BUFFER",
        "TOO_SHORT_FOR_HEADER",
        "TOO_LARGE",
        "WRONG_SCHEMA",
        "WRONG_VERSION",
        "UNKNOWN_TEMPLATE",
        "WRONG_BLOCK_LENGTH",
        "TRUNCATED_BLOCK",
        "BAD_ENUM_VALUE",
        "TRUNCATED_GROUP_HEADER",
        "WRONG_GROUP_BLOCK_LENGTH",
        "BAD_GROUP_COUNT",
        "TRUNCATED_GROUP",
        "BAD_VAR_LENGTH",
        "TRUNCATED_VAR_DATA",
        "TRAILING_BYTES",
    };

    /** Number of distinct reason codes; codes are 0 .. REASON_COUNT - 1. */
    public static final int REASON_COUNT = REASON_NAMES.length;

    /** Returned by {@link #templateId()} when the last validation failed. */
    public static final int NO_TEMPLATE = -1;

    /**
     * Default maximum message size: Aeron's own maximum message length (16 MiB), so anything a
     * publication can carry can be validated.
     */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH_BYTES = 16 * 1024 * 1024;

    /** Length of the message header every message starts with. */
    public static final int HEADER_LENGTH_BYTES = MessageHeaderDecoder.ENCODED_LENGTH;

    private static final ByteOrder BYTE_ORDER = MessageHeaderDecoder.BYTE_ORDER;
    private static final int GROUP_HEADER_LENGTH_BYTES = GroupSizeEncodingDecoder.ENCODED_LENGTH;
    private static final int CLUSTER_ID_OFFSET = PrepareDecoder.clusterIdEncodingOffset();
    private static final int MEMBER_ID_OFFSET = PrepareDecoder.memberIdEncodingOffset();
    private static final TemplateLayout[] LAYOUTS = Layouts.byTemplateId();

    private final int maxMessageLengthBytes;
    private int templateId = NO_TEMPLATE;
    private int messageLengthBytes;

    /**
     * A validator that accepts messages up to {@link #DEFAULT_MAX_MESSAGE_LENGTH_BYTES}.
     */
    public MessageValidator()
    {
        this(DEFAULT_MAX_MESSAGE_LENGTH_BYTES);
    }

    /**
     * A validator that accepts messages up to maxMessageLengthBytes, header included.
     *
     * @param maxMessageLengthBytes the configured maximum message size; at least the header length.
     */
    public MessageValidator(final int maxMessageLengthBytes)
    {
        if (maxMessageLengthBytes < HEADER_LENGTH_BYTES)
        {
            throw new IllegalArgumentException(
                "maxMessageLengthBytes=" + maxMessageLengthBytes + " < header length " + HEADER_LENGTH_BYTES);
        }
        this.maxMessageLengthBytes = maxMessageLengthBytes;
    }

    /**
     * The configured maximum message size, header included.
     *
     * @return the maximum message length in bytes.
     */
    public int maxMessageLengthBytes()
    {
        return maxMessageLengthBytes;
    }

    /**
     * Template id of the last message that validated {@link #OK}, or {@link #NO_TEMPLATE}.
     *
     * @return template id, e.g. {@link PrepareDecoder#TEMPLATE_ID}.
     */
    public int templateId()
    {
        return templateId;
    }

    /**
     * Length of the last message that validated {@link #OK} (equal to the length passed in), or 0.
     *
     * @return message length in bytes, header included.
     */
    public int messageLengthBytes()
    {
        return messageLengthBytes;
    }

    /**
     * Name of a reason code, for logs and counters' labels; allocation free.
     *
     * @param reason a code returned by {@link #validate(DirectBuffer, int, int)}.
     * @return its constant's name, or "UNKNOWN_REASON".
     */
    public static String reasonName(final int reason)
    {
        return reason >= 0 && reason < REASON_COUNT ? REASON_NAMES[reason] : "UNKNOWN_REASON";
    }

    /**
     * Name of a template id, for logs.
     *
     * @param templateId a template id from a message header.
     * @return the message name, or "UNKNOWN_TEMPLATE".
     */
    public static String templateName(final int templateId)
    {
        return templateId >= 0 && templateId < LAYOUTS.length && null != LAYOUTS[templateId] ?
            LAYOUTS[templateId].name : "UNKNOWN_TEMPLATE";
    }

    /**
     * Cluster id of the common header block of a message that validated {@link #OK}.
     *
     * @param buffer holding the message.
     * @param offset of the message header.
     * @return the sender's cluster id.
     */
    public static int clusterId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + HEADER_LENGTH_BYTES + CLUSTER_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * Sender member id of the common header block of a message that validated {@link #OK}.
     *
     * @param buffer holding the message.
     * @param offset of the message header.
     * @return the sender's member id, -1 for a client.
     */
    public static int memberId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + HEADER_LENGTH_BYTES + MEMBER_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * Check that [offset, offset + lengthBytes) of buffer is exactly one well-formed message.
     * Never throws, never allocates.
     *
     * @param buffer      holding the untrusted bytes.
     * @param offset      of the message header in buffer.
     * @param lengthBytes of the message, header included, as framed by the transport.
     * @return {@link #OK} or one of the reason codes of this class.
     */
    public int validate(final DirectBuffer buffer, final int offset, final int lengthBytes)
    {
        templateId = NO_TEMPLATE;
        messageLengthBytes = 0;

        if (offset < 0 || lengthBytes < 0 || (long)offset + lengthBytes > buffer.capacity())
        {
            return OUTSIDE_BUFFER;
        }
        if (lengthBytes > maxMessageLengthBytes)
        {
            return TOO_LARGE;
        }
        if (lengthBytes < HEADER_LENGTH_BYTES)
        {
            return TOO_SHORT_FOR_HEADER;
        }

        if (readUint16(buffer, offset + MessageHeaderDecoder.schemaIdEncodingOffset()) !=
            MessageHeaderDecoder.SCHEMA_ID)
        {
            return WRONG_SCHEMA;
        }
        if (readUint16(buffer, offset + MessageHeaderDecoder.versionEncodingOffset()) !=
            MessageHeaderDecoder.SCHEMA_VERSION)
        {
            return WRONG_VERSION;
        }

        final int template = readUint16(buffer, offset + MessageHeaderDecoder.templateIdEncodingOffset());
        final TemplateLayout layout = template < LAYOUTS.length ? LAYOUTS[template] : null;
        if (null == layout)
        {
            return UNKNOWN_TEMPLATE;
        }
        if (readUint16(buffer, offset + MessageHeaderDecoder.blockLengthEncodingOffset()) != layout.blockLengthBytes)
        {
            return WRONG_BLOCK_LENGTH;
        }

        // long arithmetic throughout: offsets near Integer.MAX_VALUE plus untrusted lengths must not wrap.
        final long end = (long)offset + lengthBytes;
        final long blockStart = (long)offset + HEADER_LENGTH_BYTES;
        long position = blockStart + layout.blockLengthBytes;
        if (position > end)
        {
            return TRUNCATED_BLOCK;
        }

        final int[] enumOffsets = layout.enumOffsetsBytes;
        for (int i = 0; i < enumOffsets.length; i++)
        {
            if (!layout.enumValidValues[i][buffer.getByte((int)blockStart + enumOffsets[i]) & 0xFF])
            {
                return BAD_ENUM_VALUE;
            }
        }

        final int[] groupBlockLengths = layout.groupBlockLengthsBytes;
        for (int g = 0; g < groupBlockLengths.length; g++)
        {
            if (end - position < GROUP_HEADER_LENGTH_BYTES)
            {
                return TRUNCATED_GROUP_HEADER;
            }

            final int entryBlockLength = readUint16(
                buffer, (int)position + GroupSizeEncodingDecoder.blockLengthEncodingOffset());
            final int count = readUint16(buffer, (int)position + GroupSizeEncodingDecoder.numInGroupEncodingOffset());
            position += GROUP_HEADER_LENGTH_BYTES;

            if (entryBlockLength != groupBlockLengths[g])
            {
                return WRONG_GROUP_BLOCK_LENGTH;
            }
            if (count > layout.groupMaxCounts[g])
            {
                return BAD_GROUP_COUNT;
            }

            final int[] varHeaderLengths = layout.groupVarHeaderLengthsBytes[g];
            long minEntryLength = entryBlockLength;
            for (final int varHeaderLength : varHeaderLengths)
            {
                minEntryLength += varHeaderLength;
            }

            // O(1) rejection of an absurd count before walking any entry.
            if (count * minEntryLength > end - position)
            {
                return TRUNCATED_GROUP;
            }

            if (0 == varHeaderLengths.length)
            {
                position += count * (long)entryBlockLength;
            }
            else
            {
                final long[] varMaxLengths = layout.groupVarMaxLengthsBytes[g];
                for (int i = 0; i < count; i++)
                {
                    position += entryBlockLength;
                    if (position > end)
                    {
                        return TRUNCATED_GROUP;
                    }
                    for (int v = 0; v < varHeaderLengths.length; v++)
                    {
                        position = checkVarData(buffer, position, end, varHeaderLengths[v], varMaxLengths[v]);
                        if (position < 0)
                        {
                            return (int)-position;
                        }
                    }
                }
            }
        }

        final int[] varHeaderLengths = layout.varHeaderLengthsBytes;
        for (int v = 0; v < varHeaderLengths.length; v++)
        {
            position = checkVarData(buffer, position, end, varHeaderLengths[v], layout.varMaxLengthsBytes[v]);
            if (position < 0)
            {
                return (int)-position;
            }
        }

        if (position != end)
        {
            return TRAILING_BYTES;
        }

        templateId = template;
        messageLengthBytes = lengthBytes;

        return OK;
    }

    /**
     * Position after the var data field at position, or the negated reason code when it is invalid
     * (reason codes are positive, positions never negative: one return value, no allocation).
     */
    private long checkVarData(
        final DirectBuffer buffer, final long position, final long end, final int headerLengthBytes, final long maxLengthBytes)
    {
        if (end - position < headerLengthBytes)
        {
            return -TRUNCATED_VAR_DATA;
        }

        final long dataLength = 4 == headerLengthBytes ?
            buffer.getInt((int)position, BYTE_ORDER) & 0xFFFF_FFFFL :
            readUint16(buffer, (int)position);

        if (dataLength > maxLengthBytes || dataLength > maxMessageLengthBytes)
        {
            return -BAD_VAR_LENGTH;
        }

        final long dataStart = position + headerLengthBytes;
        if (dataLength > end - dataStart)
        {
            return -TRUNCATED_VAR_DATA;
        }

        return dataStart + dataLength;
    }

    private static int readUint16(final DirectBuffer buffer, final int index)
    {
        return buffer.getShort(index, BYTE_ORDER) & 0xFFFF;
    }

    /**
     * The per-template table, built once from the generated decoders' constants.
     */
    static final class Layouts
    {
        private Layouts()
        {
        }

        static TemplateLayout[] byTemplateId()
        {
            final TemplateLayout[] all =
            {
                TemplateLayout.message("Prepare", PrepareDecoder.TEMPLATE_ID, PrepareDecoder.BLOCK_LENGTH),
                TemplateLayout.message("Promise", PromiseDecoder.TEMPLATE_ID, PromiseDecoder.BLOCK_LENGTH)
                    .group(
                        PromiseDecoder.EntriesDecoder.sbeBlockLength(),
                        PromiseDecoder.EntriesDecoder.countMaxValue(),
                        new int[]{ PromiseDecoder.EntriesDecoder.valueHeaderLength() },
                        new long[]{ VarDataEncodingDecoder.lengthMaxValue() }),
                TemplateLayout.message("Nack", NackDecoder.TEMPLATE_ID, NackDecoder.BLOCK_LENGTH),
                TemplateLayout.message("Accept", AcceptDecoder.TEMPLATE_ID, AcceptDecoder.BLOCK_LENGTH)
                    .group(
                        AcceptDecoder.ChosenRangesDecoder.sbeBlockLength(),
                        AcceptDecoder.ChosenRangesDecoder.countMaxValue(),
                        TemplateLayout.NO_INTS,
                        TemplateLayout.NO_LONGS)
                    .group(
                        AcceptDecoder.EntriesDecoder.sbeBlockLength(),
                        AcceptDecoder.EntriesDecoder.countMaxValue(),
                        new int[]{ AcceptDecoder.EntriesDecoder.valueHeaderLength() },
                        new long[]{ VarDataEncodingDecoder.lengthMaxValue() }),
                TemplateLayout.message("Accepted", AcceptedDecoder.TEMPLATE_ID, AcceptedDecoder.BLOCK_LENGTH)
                    .group(
                        AcceptedDecoder.RangesDecoder.sbeBlockLength(),
                        AcceptedDecoder.RangesDecoder.countMaxValue(),
                        TemplateLayout.NO_INTS,
                        TemplateLayout.NO_LONGS),
                TemplateLayout.message("ChosenState", ChosenStateDecoder.TEMPLATE_ID, ChosenStateDecoder.BLOCK_LENGTH)
                    .group(
                        ChosenStateDecoder.ChosenRangesDecoder.sbeBlockLength(),
                        ChosenStateDecoder.ChosenRangesDecoder.countMaxValue(),
                        TemplateLayout.NO_INTS,
                        TemplateLayout.NO_LONGS),
                TemplateLayout.message("Heartbeat", HeartbeatDecoder.TEMPLATE_ID, HeartbeatDecoder.BLOCK_LENGTH)
                    .group(
                        HeartbeatDecoder.ChosenRangesDecoder.sbeBlockLength(),
                        HeartbeatDecoder.ChosenRangesDecoder.countMaxValue(),
                        TemplateLayout.NO_INTS,
                        TemplateLayout.NO_LONGS),
                TemplateLayout.message(
                    "CatchUpRequest", CatchUpRequestDecoder.TEMPLATE_ID, CatchUpRequestDecoder.BLOCK_LENGTH),
                TemplateLayout.message(
                    "CatchUpResponse", CatchUpResponseDecoder.TEMPLATE_ID, CatchUpResponseDecoder.BLOCK_LENGTH)
                    .group(
                        CatchUpResponseDecoder.EntriesDecoder.sbeBlockLength(),
                        CatchUpResponseDecoder.EntriesDecoder.countMaxValue(),
                        new int[]{ CatchUpResponseDecoder.EntriesDecoder.valueHeaderLength() },
                        new long[]{ VarDataEncodingDecoder.lengthMaxValue() }),
                TemplateLayout.message("SessionOpen", SessionOpenDecoder.TEMPLATE_ID, SessionOpenDecoder.BLOCK_LENGTH)
                    .varData(SessionOpenDecoder.responseChannelHeaderLength(), VarStringEncodingDecoder.lengthMaxValue())
                    .varData(SessionOpenDecoder.credentialsHeaderLength(), VarDataEncodingDecoder.lengthMaxValue()),
                TemplateLayout.message(
                    "SessionEvent", SessionEventDecoder.TEMPLATE_ID, SessionEventDecoder.BLOCK_LENGTH)
                    .enumField(SessionEventDecoder.codeEncodingOffset(), sessionEventCodes())
                    .varData(SessionEventDecoder.detailHeaderLength(), VarStringEncodingDecoder.lengthMaxValue()),
                TemplateLayout.message(
                    "ClientCommand", ClientCommandDecoder.TEMPLATE_ID, ClientCommandDecoder.BLOCK_LENGTH)
                    .varData(ClientCommandDecoder.payloadHeaderLength(), VarDataEncodingDecoder.lengthMaxValue()),
                TemplateLayout.message("ClientAck", ClientAckDecoder.TEMPLATE_ID, ClientAckDecoder.BLOCK_LENGTH)
                    .enumField(ClientAckDecoder.statusEncodingOffset(), ackStatuses()),
                TemplateLayout.message("Delivery", DeliveryDecoder.TEMPLATE_ID, DeliveryDecoder.BLOCK_LENGTH)
                    .varData(DeliveryDecoder.payloadHeaderLength(), VarDataEncodingDecoder.lengthMaxValue()),
                TemplateLayout.message("Redirect", RedirectDecoder.TEMPLATE_ID, RedirectDecoder.BLOCK_LENGTH)
                    .varData(RedirectDecoder.endpointHeaderLength(), VarStringEncodingDecoder.lengthMaxValue()),
                TemplateLayout.message("Error", ErrorDecoder.TEMPLATE_ID, ErrorDecoder.BLOCK_LENGTH)
                    .enumField(ErrorDecoder.codeEncodingOffset(), errorCodes())
                    .varData(ErrorDecoder.textHeaderLength(), VarStringEncodingDecoder.lengthMaxValue()),
                TemplateLayout.message("PreVote", PreVoteDecoder.TEMPLATE_ID, PreVoteDecoder.BLOCK_LENGTH),
                TemplateLayout.message("PreVoteReply", PreVoteReplyDecoder.TEMPLATE_ID, PreVoteReplyDecoder.BLOCK_LENGTH)
                    .enumField(PreVoteReplyDecoder.answerEncodingOffset(), preVoteAnswers()),
            };

            int maxTemplateId = 0;
            for (final TemplateLayout layout : all)
            {
                maxTemplateId = Math.max(maxTemplateId, layout.templateId);
            }

            final TemplateLayout[] byId = new TemplateLayout[maxTemplateId + 1];
            for (final TemplateLayout layout : all)
            {
                if (null != byId[layout.templateId])
                {
                    throw new IllegalStateException("duplicate template id " + layout.templateId);
                }
                byId[layout.templateId] = layout;
            }

            return byId;
        }

        private static short[] sessionEventCodes()
        {
            final SessionEventCode[] values = SessionEventCode.values();
            final short[] raw = new short[values.length - 1];
            int i = 0;
            for (final SessionEventCode value : values)
            {
                if (SessionEventCode.NULL_VAL != value)
                {
                    raw[i++] = value.value();
                }
            }

            return raw;
        }

        private static short[] ackStatuses()
        {
            final AckStatus[] values = AckStatus.values();
            final short[] raw = new short[values.length - 1];
            int i = 0;
            for (final AckStatus value : values)
            {
                if (AckStatus.NULL_VAL != value)
                {
                    raw[i++] = value.value();
                }
            }

            return raw;
        }

        private static short[] preVoteAnswers()
        {
            final PreVoteAnswer[] values = PreVoteAnswer.values();
            final short[] raw = new short[values.length - 1];
            int i = 0;
            for (final PreVoteAnswer value : values)
            {
                if (PreVoteAnswer.NULL_VAL != value)
                {
                    raw[i++] = value.value();
                }
            }

            return raw;
        }

        private static short[] errorCodes()
        {
            final ErrorCode[] values = ErrorCode.values();
            final short[] raw = new short[values.length - 1];
            int i = 0;
            for (final ErrorCode value : values)
            {
                if (ErrorCode.NULL_VAL != value)
                {
                    raw[i++] = value.value();
                }
            }

            return raw;
        }
    }
}
