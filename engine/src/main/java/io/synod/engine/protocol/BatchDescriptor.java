package io.synod.engine.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Layout of a slot's value: a batch of entries laid end to end. An empty value is a no-op. Stateless.
 * <p>
 * An entry is a client command (sequence >= 1) or a session event, told apart by the sequence
 * field: {@link #SESSION_OPEN} (payload: the int64 sequence the client will send next),
 * {@link #SESSION_CLOSE} and {@link #SESSION_EXPIRE} (no payload). Session events travel in the log
 * like commands, so every replica, and every replay, opens and frees a client's session at the same
 * slot (see {@link SessionTable}).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                        Client Id (int64)                      |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        Sequence (int64)                       |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     Payload Length (int32)                    |
 *  +---------------------------------------------------------------+
 *  |                     Payload (length bytes)                   ...
 * ...                                                              |
 *  +---------------------------------------------------------------+
 *  |                       next command ...                       ...
 * </pre>
 * Little-endian, unaligned: values are copied, never read in place by another thread.
 */
public final class BatchDescriptor
{
    public static final int CLIENT_ID_OFFSET = 0;
    public static final int SEQUENCE_OFFSET = 8;
    public static final int LENGTH_OFFSET = 16;
    public static final int HEADER_LENGTH = 20;

    public static final long SESSION_OPEN = -1;
    public static final long SESSION_CLOSE = -2;
    public static final long SESSION_EXPIRE = -3;
    public static final int OPEN_PAYLOAD_LENGTH = 8;

    private BatchDescriptor()
    {
    }

    public static int commandLength(final int payloadLength)
    {
        return HEADER_LENGTH + payloadLength;
    }

    public static int write(
        final MutableDirectBuffer dst,
        final int dstOffset,
        final long clientId,
        final long sequence,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        dst.putLong(dstOffset + CLIENT_ID_OFFSET, clientId, LITTLE_ENDIAN);
        dst.putLong(dstOffset + SEQUENCE_OFFSET, sequence, LITTLE_ENDIAN);
        dst.putInt(dstOffset + LENGTH_OFFSET, payloadLength, LITTLE_ENDIAN);
        dst.putBytes(dstOffset + HEADER_LENGTH, payload, payloadOffset, payloadLength);
        return HEADER_LENGTH + payloadLength;
    }

    /**
     * @return true when an entry with this sequence field is a session event, not a command.
     */
    public static boolean isSessionEvent(final long sequence)
    {
        return sequence < 0;
    }

    /**
     * The next sequence of a {@link #SESSION_OPEN} entry.
     */
    public static long openNextSequence(final DirectBuffer buffer, final int entryOffset)
    {
        return buffer.getLong(entryOffset + HEADER_LENGTH, LITTLE_ENDIAN);
    }

    public static long clientId(final DirectBuffer buffer, final int commandOffset)
    {
        return buffer.getLong(commandOffset + CLIENT_ID_OFFSET, LITTLE_ENDIAN);
    }

    public static long sequence(final DirectBuffer buffer, final int commandOffset)
    {
        return buffer.getLong(commandOffset + SEQUENCE_OFFSET, LITTLE_ENDIAN);
    }

    public static int payloadLength(final DirectBuffer buffer, final int commandOffset)
    {
        return buffer.getInt(commandOffset + LENGTH_OFFSET, LITTLE_ENDIAN);
    }

    /**
     * Checks that a value is a well-formed batch: every command header and payload lies inside it.
     * Values come off the network and from disk; a learner must not walk a malformed one.
     *
     * @return number of commands, or -1 if malformed.
     */
    public static int validate(final DirectBuffer buffer, final int offset, final int length)
    {
        int count = 0;
        int position = offset;
        final int limit = offset + length;
        while (position < limit)
        {
            if (limit - position < HEADER_LENGTH)
            {
                return -1;
            }
            final int payloadLength = payloadLength(buffer, position);
            if (payloadLength < 0 || payloadLength > limit - position - HEADER_LENGTH)
            {
                return -1;
            }
            final long sequence = sequence(buffer, position);
            if (sequence == 0 || sequence < SESSION_EXPIRE ||
                (sequence == SESSION_OPEN && (payloadLength != OPEN_PAYLOAD_LENGTH ||
                openNextSequence(buffer, position) < 1)) ||
                ((sequence == SESSION_CLOSE || sequence == SESSION_EXPIRE) && payloadLength != 0))
            {
                return -1;
            }
            position += HEADER_LENGTH + payloadLength;
            count++;
        }
        return count;
    }
}
