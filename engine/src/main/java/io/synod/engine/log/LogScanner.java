package io.synod.engine.log;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

import static io.synod.engine.log.LogRecordDescriptor.*;
import static org.agrona.BitUtil.align;

/**
 * Single-threaded, owned by the thread running recovery or a tool: validates the records of a run of
 * segments in log order and finds where the log ends.
 * <p>
 * The scan stops at the first position that does not hold a valid record and classifies it:
 * <ul>
 *   <li>{@link Outcome#END}: a zero frame length (the clean end, or a record a killed process never
 *   published).</li>
 *   <li>{@link Outcome#TORN}: an invalid frame with a 512-byte sector of all zeros inside it: a write that
 *   a power loss cut short (segments start zeroed and are appended only once, so a lost sector reads as
 *   zeros).</li>
 *   <li>{@link Outcome#CORRUPT}: anything else invalid (a bad length, type, version or CRC with every
 *   sector present), or any stop before the checkpoint, where everything was forced intact.</li>
 * </ul>
 * Data after an END or TORN stop was never acknowledged durable: a force covers a range only after every
 * earlier byte, so recovery may zero it.
 */
public final class LogScanner
{
    /**
     * Receives each valid record in log order; the buffer is valid only during the call.
     */
    @FunctionalInterface
    public interface RecordHandler
    {
        void onRecord(
            long position, int type, long slot, long ballot, UnsafeBuffer buffer, int valueOffset, int valueLength);
    }

    /**
     * How a scan ended.
     */
    public enum Outcome
    {
        END, TORN, CORRUPT
    }

    private final CRC32C crc = new CRC32C();
    private final int segmentLengthBytes;
    private final int maxValueLengthBytes;

    private Outcome outcome;
    private long endPosition;
    private int endSegmentOffset;
    private long endSegmentIndex;
    private String problem;
    private long recordCount;

    public LogScanner(final int segmentLengthBytes, final int maxValueLengthBytes)
    {
        this.segmentLengthBytes = segmentLengthBytes;
        this.maxValueLengthBytes = maxValueLengthBytes;
    }

    /**
     * Scans segments {@code firstSegmentIndex ..} in order until the log ends.
     *
     * @param segments           mapped segments, {@code segments[i]} has index {@code firstSegmentIndex + i}.
     * @param firstSegmentIndex  index of {@code segments[0]}.
     * @param checkpointPosition position below which every byte was forced: a stop below it is corruption.
     * @param handler            receives each valid record.
     * @return the outcome; details from the accessors.
     */
    public Outcome scan(
        final SegmentFile[] segments,
        final long firstSegmentIndex,
        final long checkpointPosition,
        final RecordHandler handler)
    {
        outcome = null;
        problem = null;
        recordCount = 0;
        for (int i = 0; i < segments.length && null == outcome; i++)
        {
            scanSegment(segments[i], firstSegmentIndex + i, handler);
        }
        if (null == outcome)
        {
            // Every segment was full to its last byte: the log ends at the start of the next, not yet created.
            outcome = Outcome.END;
            endSegmentIndex = firstSegmentIndex + segments.length;
            endSegmentOffset = 0;
            endPosition = endSegmentIndex * segmentLengthBytes;
        }
        if (outcome != Outcome.CORRUPT && endPosition < checkpointPosition)
        {
            problem = "log ends at position " + endPosition + " (" + outcome + ": " + problem +
                ") below checkpoint position " + checkpointPosition + " where every record was forced";
            outcome = Outcome.CORRUPT;
        }
        return outcome;
    }

    private void scanSegment(final SegmentFile segment, final long segmentIndex, final RecordHandler handler)
    {
        final UnsafeBuffer buffer = segment.buffer();
        final long basePosition = segmentIndex * segmentLengthBytes;
        int offset = 0;
        while (offset < segmentLengthBytes)
        {
            final int frameLength = buffer.getIntVolatile(offset + FRAME_LENGTH_OFFSET);
            if (0 == frameLength)
            {
                stop(Outcome.END, segmentIndex, offset, "zero frame length");
                return;
            }
            final String invalid = validate(segment, offset, frameLength);
            if (null != invalid)
            {
                final Outcome kind = hasZeroSector(buffer, offset, frameLength) ? Outcome.TORN : Outcome.CORRUPT;
                stop(kind, segmentIndex, offset, invalid);
                return;
            }
            final int type = buffer.getShort(offset + TYPE_OFFSET);
            if (TYPE_PADDING != type)
            {
                recordCount++;
                handler.onRecord(
                    basePosition + offset,
                    type,
                    buffer.getLong(offset + SLOT_OFFSET),
                    buffer.getLong(offset + BALLOT_OFFSET),
                    buffer,
                    offset + VALUE_OFFSET,
                    frameLength - HEADER_LENGTH);
            }
            offset += align(frameLength, ALIGNMENT);
        }
    }

    private String validate(final SegmentFile segment, final int offset, final int frameLength)
    {
        final UnsafeBuffer buffer = segment.buffer();
        if (frameLength < HEADER_LENGTH || frameLength > segmentLengthBytes - offset)
        {
            return "frame length " + frameLength + " out of range";
        }
        final int type = buffer.getShort(offset + TYPE_OFFSET);
        final int version = buffer.getShort(offset + VERSION_OFFSET);
        if (version != RECORD_FORMAT_VERSION)
        {
            return "record format version " + version + " unknown";
        }
        final int crcEnd;
        switch (type)
        {
            case TYPE_PADDING:
                if (offset + frameLength != segmentLengthBytes)
                {
                    return "padding does not end at the segment end";
                }
                crcEnd = offset + HEADER_LENGTH;
                break;
            case TYPE_PROMISE:
                crcEnd = offset + frameLength;
                break;
            case TYPE_ACCEPT:
                if (frameLength - HEADER_LENGTH > maxValueLengthBytes)
                {
                    return "value length " + (frameLength - HEADER_LENGTH) + " above maximum " + maxValueLengthBytes;
                }
                crcEnd = offset + frameLength;
                break;
            default:
                return "record type " + type + " unknown";
        }
        final int expectedCrc = buffer.getInt(offset + CRC_OFFSET);
        final int actualCrc = crc(segment.byteBuffer(), offset + CRC_START_OFFSET, crcEnd);
        if (expectedCrc != actualCrc)
        {
            return "CRC32C mismatch: stored 0x" + Integer.toHexString(expectedCrc) +
                ", computed 0x" + Integer.toHexString(actualCrc);
        }
        if (TYPE_ACCEPT == type && buffer.getLong(offset + SLOT_OFFSET) < 0)
        {
            return "negative slot in accept record";
        }
        return null;
    }

    /**
     * CRC32C of {@code [from, to)} of a mapping, without allocating.
     */
    int crc(final ByteBuffer view, final int from, final int to)
    {
        view.limit(to).position(from);
        crc.reset();
        crc.update(view);
        return (int)crc.getValue();
    }

    private boolean hasZeroSector(final UnsafeBuffer buffer, final int offset, final int frameLength)
    {
        final int end = frameLength >= HEADER_LENGTH && frameLength <= segmentLengthBytes - offset ?
            offset + frameLength : offset + HEADER_LENGTH;
        for (int sector = offset & -SECTOR_LENGTH; sector < end; sector += SECTOR_LENGTH)
        {
            if (isZero(buffer, sector, Math.min(sector + SECTOR_LENGTH, segmentLengthBytes)))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean isZero(final UnsafeBuffer buffer, final int from, final int to)
    {
        for (int i = from; i < to; i += 8)
        {
            if (0 != buffer.getLong(i))
            {
                return false;
            }
        }
        return true;
    }

    private void stop(final Outcome outcome, final long segmentIndex, final int offset, final String problem)
    {
        this.outcome = outcome;
        this.endSegmentIndex = segmentIndex;
        this.endSegmentOffset = offset;
        this.endPosition = segmentIndex * segmentLengthBytes + offset;
        this.problem = problem;
    }

    public Outcome outcome()
    {
        return outcome;
    }

    /**
     * First position not holding a valid record: where appends resume after recovery.
     */
    public long endPosition()
    {
        return endPosition;
    }

    public long endSegmentIndex()
    {
        return endSegmentIndex;
    }

    public int endSegmentOffset()
    {
        return endSegmentOffset;
    }

    /**
     * What was wrong where the scan stopped, for error messages.
     */
    public String problem()
    {
        return problem;
    }

    /**
     * Number of promise and accept records seen by the last scan.
     */
    public long recordCount()
    {
        return recordCount;
    }
}
