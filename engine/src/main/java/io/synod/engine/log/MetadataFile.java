package io.synod.engine.log;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import static io.synod.engine.log.MetadataDescriptor.*;

/**
 * Single-threaded, owned by the store (or tool) that opened it: the log's small metadata file (layout in
 * {@link MetadataDescriptor}) holding identity, promised ballot, checkpoint position and lowest slot.
 * <p>
 * Every {@link #write(long, long, long)} goes to the older of two copies and is forced before it
 * returns, so the file always holds one intact copy. Writes happen at checkpoints and compaction, not
 * per record, and allocate nothing.
 */
public final class MetadataFile implements AutoCloseable
{
    private final SegmentFile file;
    private final UnsafeBuffer buffer;
    private final CRC32C crc = new CRC32C();

    private long sequence;
    private int clusterId;
    private int memberId;
    private int segmentLengthBytes;
    private long promisedBallot;
    private long checkpointPosition;
    private long lowestSlot;

    private MetadataFile(final SegmentFile file)
    {
        this.file = file;
        this.buffer = file.buffer();
    }

    /**
     * Path of the metadata file in a log directory.
     *
     * @param directory of the log.
     * @return path of the file.
     */
    public static Path path(final Path directory)
    {
        return directory.resolve(FILE_NAME);
    }

    /**
     * Whether a log directory holds a metadata file.
     *
     * @param directory of the log.
     * @return true if the metadata file exists.
     */
    public static boolean exists(final Path directory)
    {
        return Files.exists(path(directory));
    }

    /**
     * Creates the metadata file of a new log and writes its first copy.
     */
    public static MetadataFile create(
        final SegmentFileFactory factory,
        final Path directory,
        final int clusterId,
        final int memberId,
        final int segmentLengthBytes)
    {
        final MetadataFile metadata = new MetadataFile(factory.create(path(directory), FILE_LENGTH));
        metadata.clusterId = clusterId;
        metadata.memberId = memberId;
        metadata.segmentLengthBytes = segmentLengthBytes;
        metadata.write(0, 0, 0);
        return metadata;
    }

    /**
     * Opens the metadata file of an existing log and loads its newest intact copy.
     *
     * @throws LogCorruptionException if neither copy is intact.
     */
    public static MetadataFile open(final SegmentFileFactory factory, final Path directory, final boolean readOnly)
    {
        final MetadataFile metadata = new MetadataFile(factory.open(path(directory), FILE_LENGTH, readOnly));
        try
        {
            metadata.load();
        }
        catch (final RuntimeException ex)
        {
            metadata.close();
            throw ex;
        }
        return metadata;
    }

    /**
     * Whether the metadata file of a log directory holds at least one intact copy.
     *
     * @param factory   to open the file with.
     * @param directory of the log.
     * @return true if a copy is intact.
     */
    public static boolean hasIntactCopy(final SegmentFileFactory factory, final Path directory)
    {
        final MetadataFile metadata = new MetadataFile(factory.open(path(directory), FILE_LENGTH, true));
        try
        {
            return metadata.isValid(0) || metadata.isValid(COPY_STRIDE);
        }
        finally
        {
            metadata.close();
        }
    }

    private void load()
    {
        final boolean aValid = isValid(0);
        final boolean bValid = isValid(COPY_STRIDE);
        if (!aValid && !bValid)
        {
            throw new LogCorruptionException("no intact metadata copy (bad magic, version or CRC in both)",
                file.path(), 0);
        }
        final int offset;
        if (aValid && bValid)
        {
            offset = buffer.getLong(SEQUENCE_OFFSET) >= buffer.getLong(COPY_STRIDE + SEQUENCE_OFFSET) ? 0 : COPY_STRIDE;
        }
        else
        {
            offset = aValid ? 0 : COPY_STRIDE;
        }
        sequence = buffer.getLong(offset + SEQUENCE_OFFSET);
        clusterId = buffer.getInt(offset + CLUSTER_ID_OFFSET);
        memberId = buffer.getInt(offset + MEMBER_ID_OFFSET);
        segmentLengthBytes = buffer.getInt(offset + SEGMENT_LENGTH_OFFSET);
        promisedBallot = buffer.getLong(offset + PROMISED_BALLOT_OFFSET);
        checkpointPosition = buffer.getLong(offset + CHECKPOINT_POSITION_OFFSET);
        lowestSlot = buffer.getLong(offset + LOWEST_SLOT_OFFSET);
    }

    private boolean isValid(final int offset)
    {
        if (buffer.getInt(offset + MAGIC_OFFSET) != MAGIC || buffer.getInt(offset + VERSION_OFFSET) != FORMAT_VERSION)
        {
            return false;
        }
        return buffer.getInt(offset + CRC_OFFSET) == crcOf(offset);
    }

    private int crcOf(final int offset)
    {
        final ByteBuffer view = file.byteBuffer();
        view.limit(offset + CRC_OFFSET).position(offset);
        crc.reset();
        crc.update(view);
        return (int)crc.getValue();
    }

    /**
     * Writes a new copy and forces it; returns once it is durable.
     *
     * @param promisedBallot     promised ballot, durable once this returns.
     * @param checkpointPosition log position below which every record was forced intact.
     * @param lowestSlot         lowest slot the log still holds.
     */
    public void write(final long promisedBallot, final long checkpointPosition, final long lowestSlot)
    {
        final long nextSequence = sequence + 1;
        // Alternate copies so the copy being overwritten is never the newest intact one.
        final int offset = (nextSequence & 1) == 0 ? 0 : COPY_STRIDE;
        buffer.putInt(offset + MAGIC_OFFSET, MAGIC);
        buffer.putInt(offset + VERSION_OFFSET, FORMAT_VERSION);
        buffer.putLong(offset + SEQUENCE_OFFSET, nextSequence);
        buffer.putInt(offset + CLUSTER_ID_OFFSET, clusterId);
        buffer.putInt(offset + MEMBER_ID_OFFSET, memberId);
        buffer.putInt(offset + SEGMENT_LENGTH_OFFSET, segmentLengthBytes);
        buffer.putInt(offset + SEGMENT_LENGTH_OFFSET + 4, 0);
        buffer.putLong(offset + PROMISED_BALLOT_OFFSET, promisedBallot);
        buffer.putLong(offset + CHECKPOINT_POSITION_OFFSET, checkpointPosition);
        buffer.putLong(offset + LOWEST_SLOT_OFFSET, lowestSlot);
        buffer.putInt(offset + CRC_OFFSET, crcOf(offset));
        file.force(offset, COPY_LENGTH);

        sequence = nextSequence;
        this.promisedBallot = promisedBallot;
        this.checkpointPosition = checkpointPosition;
        this.lowestSlot = lowestSlot;
    }

    public Path path()
    {
        return file.path();
    }

    public long sequence()
    {
        return sequence;
    }

    public int clusterId()
    {
        return clusterId;
    }

    public int memberId()
    {
        return memberId;
    }

    public int segmentLengthBytes()
    {
        return segmentLengthBytes;
    }

    public long promisedBallot()
    {
        return promisedBallot;
    }

    public long checkpointPosition()
    {
        return checkpointPosition;
    }

    public long lowestSlot()
    {
        return lowestSlot;
    }

    public void close()
    {
        file.close();
    }
}
