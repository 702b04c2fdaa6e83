package io.synod.engine.transport;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.Arrays;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Authenticates replica-to-replica frames with the cluster key: the sender appends a trailer with
 * its member id, its role, its incarnation, a sequence and a MAC over the message and those fields;
 * the receiver checks the MAC and that the (incarnation, sequence) of that sender's role moved
 * forward, then hands on the message without the trailer. Single-threaded: one instance per owning
 * agent (a publisher signs, an adapter verifies); allocates nothing after construction.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |             SBE message (header and body), as encoded        ...
 *  +---------------------------------------------------------------+  trailer, little-endian:
 *  |                     sender member id                          |  0
 *  |                     sender role                               |  4
 *  |                     incarnation (64 bits)                     |  8
 *  |                     sequence (64 bits)                        |  16
 *  |     tag: HMAC-SHA256(key, message || trailer[0, 24)),         |  24
 *  |          first 16 bytes                                      ...
 *  +---------------------------------------------------------------+  40
 * </pre>
 * Why a sequence: a replayed frame whose ballot is stale is refused by the protocol anyway, but a
 * replayed Heartbeat or Accept of the current ballot would keep followers believing in a leader
 * that died (no election ever), and a replayed CatchUpRequest makes a member send its log again.
 * Every frame of one (sender, role) reaches one receiving agent in order over one Aeron image, so
 * "strictly greater than the last accepted" rejects every replay without a window. The incarnation
 * is per run of the sender and grows across runs ({@link #nextIncarnation}), so frames captured in
 * an earlier run are refused too.
 */
public final class FrameAuthenticator
{
    public static final int TRAILER_LENGTH = 40;
    public static final int TAG_LENGTH = 16;

    public static final int ROLE_ACCEPTOR = 0;
    public static final int ROLE_LEADER = 1;
    public static final int ROLE_LEARNER = 2;
    public static final int ROLE_COUNT = 3;

    /** The frame is authentic and fresh. */
    public static final int OK = 0;
    /** Too short to hold a message and a trailer. */
    public static final int TOO_SHORT = 1;
    /** The trailer names a member or role that does not exist. */
    public static final int UNKNOWN_SENDER = 2;
    /** The MAC does not match: not made with this cluster's key, or altered. */
    public static final int BAD_MAC = 3;
    /** Authentic but not newer than the last frame accepted from that sender: a replay. */
    public static final int REPLAYED = 4;

    private static final int SENDER_OFFSET = 0;
    private static final int ROLE_OFFSET = 4;
    private static final int INCARNATION_OFFSET = 8;
    private static final int SEQUENCE_OFFSET = 16;
    private static final int TAG_OFFSET = 24;
    private static final int MIN_MESSAGE_LENGTH = 8;

    private final HmacSha256 mac;
    private final int[] memberIds;
    private final int selfId;
    private final int senderRole;
    private final long incarnation;
    private final byte[] expected = new byte[HmacSha256.MAC_LENGTH_BYTES];
    private final long[] lastIncarnation;
    private final long[] lastSequence;
    private long sequence;
    private int verifiedSenderId;

    /**
     * @param key         the cluster key, the same at every member.
     * @param memberIds   ids of every member, in the cluster's order.
     * @param selfId      this member, written into what it signs.
     * @param senderRole  the role whose frames this instance signs ({@code ROLE_*}); unused to verify.
     * @param incarnation this run of this member, from {@link #nextIncarnation}.
     */
    public FrameAuthenticator(
        final byte[] key, final int[] memberIds, final int selfId, final int senderRole, final long incarnation)
    {
        this.mac = new HmacSha256(key);
        this.memberIds = memberIds.clone();
        this.selfId = selfId;
        this.senderRole = senderRole;
        this.incarnation = incarnation;
        this.lastIncarnation = new long[memberIds.length * ROLE_COUNT];
        this.lastSequence = new long[memberIds.length * ROLE_COUNT];
        Arrays.fill(lastIncarnation, Long.MIN_VALUE);
    }

    /**
     * Appends the trailer after the message at {@code [offset, offset + length)}; the buffer must have
     * {@link #TRAILER_LENGTH} bytes of room after it.
     *
     * @return the length of the signed frame, {@code length + TRAILER_LENGTH}.
     */
    public int sign(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        final int trailer = offset + length;
        buffer.putInt(trailer + SENDER_OFFSET, selfId, LITTLE_ENDIAN);
        buffer.putInt(trailer + ROLE_OFFSET, senderRole, LITTLE_ENDIAN);
        buffer.putLong(trailer + INCARNATION_OFFSET, incarnation, LITTLE_ENDIAN);
        buffer.putLong(trailer + SEQUENCE_OFFSET, ++sequence, LITTLE_ENDIAN);
        mac.update(buffer, offset, length + TAG_OFFSET);
        mac.finish(expected);
        buffer.putBytes(trailer + TAG_OFFSET, expected, 0, TAG_LENGTH);
        return length + TRAILER_LENGTH;
    }

    /**
     * Checks a frame; on {@link #OK} the message is {@code [offset, offset + length - TRAILER_LENGTH)}
     * and {@link #senderId()} names who signed it. Changes nothing but the sender's sequence, and that
     * only for an authentic frame.
     *
     * @return {@link #OK} or the reason to drop the frame.
     */
    public int verify(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MIN_MESSAGE_LENGTH + TRAILER_LENGTH)
        {
            return TOO_SHORT;
        }
        final int trailer = offset + length - TRAILER_LENGTH;
        final int sender = buffer.getInt(trailer + SENDER_OFFSET, LITTLE_ENDIAN);
        final int role = buffer.getInt(trailer + ROLE_OFFSET, LITTLE_ENDIAN);
        final int memberIndex = indexOf(sender);
        if (memberIndex < 0 || role < 0 || role >= ROLE_COUNT)
        {
            return UNKNOWN_SENDER;
        }
        mac.update(buffer, offset, length - TRAILER_LENGTH + TAG_OFFSET);
        mac.finish(expected);
        int difference = 0;
        for (int i = 0; i < TAG_LENGTH; i++)
        {
            // Constant time: how many leading bytes matched must not show in the time taken.
            difference |= expected[i] ^ buffer.getByte(trailer + TAG_OFFSET + i);
        }
        if (difference != 0)
        {
            return BAD_MAC;
        }
        final int stream = memberIndex * ROLE_COUNT + role;
        final long frameIncarnation = buffer.getLong(trailer + INCARNATION_OFFSET, LITTLE_ENDIAN);
        final long frameSequence = buffer.getLong(trailer + SEQUENCE_OFFSET, LITTLE_ENDIAN);
        if (frameIncarnation < lastIncarnation[stream] ||
            (frameIncarnation == lastIncarnation[stream] && frameSequence <= lastSequence[stream]))
        {
            return REPLAYED;
        }
        lastIncarnation[stream] = frameIncarnation;
        lastSequence[stream] = frameSequence;
        verifiedSenderId = sender;
        return OK;
    }

    /**
     * @return the member that signed the frame last verified {@link #OK}.
     */
    public int senderId()
    {
        return verifiedSenderId;
    }

    /**
     * An incarnation above every earlier run's of this member: the wall clock in milliseconds, or one
     * above the last one if the clock went back.
     */
    public static long nextIncarnation(final long lastIncarnation, final long epochMs)
    {
        return Math.max(lastIncarnation + 1, epochMs);
    }

    public static String reasonName(final int reason)
    {
        switch (reason)
        {
            case OK: return "OK";
            case TOO_SHORT: return "TOO_SHORT";
            case UNKNOWN_SENDER: return "UNKNOWN_SENDER";
            case BAD_MAC: return "BAD_MAC";
            case REPLAYED: return "REPLAYED";
            default: return "UNKNOWN(" + reason + ")";
        }
    }

    private int indexOf(final int memberId)
    {
        for (int i = 0; i < memberIds.length; i++)
        {
            if (memberIds[i] == memberId)
            {
                return i;
            }
        }
        return -1;
    }
}
