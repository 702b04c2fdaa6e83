package io.synod.engine.log;

import static org.agrona.BitUtil.align;

/**
 * Layout of a record in a segment file; stateless constants and helpers, safe from any thread.
 * <p>
 * Records are aligned to {@link #ALIGNMENT} bytes and never straddle a segment: a record that does
 * not fit the rest of a segment is preceded by a {@link #TYPE_PADDING} record filling it. Because the
 * 32-byte header never crosses a 512-byte sector, a power loss either keeps or drops a header whole.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                   Frame Length (written last)                 |  0
 *  +---------------------------------------------------------------+
 *  |               CRC32C of bytes [8, Frame Length)               |  4
 *  +-------------------------------+-------------------------------+
 *  |            Type               |        Format Version         |  8
 *  +-------------------------------+-------------------------------+
 *  |                           Reserved (0)                        | 12
 *  +---------------------------------------------------------------+
 *  |                             Slot                              | 16
 *  |                    (-1 for promise and padding)               |
 *  +---------------------------------------------------------------+
 *  |                            Ballot                             | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                      Value (Frame Length - 32)               ...  32
 * ...                                                              |
 *  +---------------------------------------------------------------+
 * </pre>
 * Frame Length is the header plus the value, unaligned; the next record starts at
 * {@code align(frameLength, ALIGNMENT)}. A Frame Length of 0 marks the end of the log: segments are
 * zero-filled when created, and the length is stored with release semantics after every other byte,
 * so a process killed mid-write leaves 0 there. A padding record's CRC covers only the header bytes
 * [8, 32), since its body is never written (it stays zero).
 */
public final class LogRecordDescriptor
{
    public static final int ALIGNMENT = 32;
    public static final int HEADER_LENGTH = 32;

    public static final int FRAME_LENGTH_OFFSET = 0;
    public static final int CRC_OFFSET = 4;
    public static final int TYPE_OFFSET = 8;
    public static final int VERSION_OFFSET = 10;
    public static final int RESERVED_OFFSET = 12;
    public static final int SLOT_OFFSET = 16;
    public static final int BALLOT_OFFSET = 24;
    public static final int VALUE_OFFSET = HEADER_LENGTH;

    /**
     * First byte covered by the CRC: everything after the length and the CRC themselves.
     */
    public static final int CRC_START_OFFSET = TYPE_OFFSET;

    public static final short TYPE_PADDING = 1;
    public static final short TYPE_PROMISE = 2;
    public static final short TYPE_ACCEPT = 3;

    public static final short RECORD_FORMAT_VERSION = 1;

    /**
     * Slot recorded in promise and padding records, which concern no slot.
     */
    public static final long NO_SLOT = -1;

    /**
     * Sector size of the power-loss model: a device writes 512-byte sectors whole or not at all.
     */
    public static final int SECTOR_LENGTH = 512;

    private LogRecordDescriptor()
    {
    }

    /**
     * Space a record with a value of {@code valueLengthBytes} takes in a segment.
     *
     * @param valueLengthBytes length of the value.
     * @return aligned frame length.
     */
    public static int alignedFrameLength(final int valueLengthBytes)
    {
        return align(HEADER_LENGTH + valueLengthBytes, ALIGNMENT);
    }

    /**
     * Human readable name of a record type, for tools and error messages.
     *
     * @param type record type.
     * @return name.
     */
    public static String typeName(final int type)
    {
        switch (type)
        {
            case TYPE_PADDING:
                return "PAD";
            case TYPE_PROMISE:
                return "PROMISE";
            case TYPE_ACCEPT:
                return "ACCEPT";
            default:
                return "UNKNOWN(" + type + ")";
        }
    }
}
