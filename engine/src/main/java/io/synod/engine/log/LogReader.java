package io.synod.engine.log;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Single-threaded, owned by a tool's thread: a read-only view of a log directory that maps the metadata
 * and segments read only and scans them without repairing anything.
 */
public final class LogReader implements AutoCloseable
{
    private final Path directory;
    private final MetadataFile metadata;
    private final SegmentFile[] segments;
    private final long firstSegmentIndex;
    private final LogScanner scanner;

    private LogReader(final Path directory, final MetadataFile metadata, final SegmentFile[] segments,
        final long firstSegmentIndex)
    {
        this.directory = directory;
        this.metadata = metadata;
        this.segments = segments;
        this.firstSegmentIndex = firstSegmentIndex;
        final int segmentLengthBytes = metadata.segmentLengthBytes();
        // The maximum value length is a setting of the writer, not stored: accept anything a segment holds.
        this.scanner = new LogScanner(segmentLengthBytes, segmentLengthBytes - LogRecordDescriptor.HEADER_LENGTH);
    }

    /**
     * Whether a directory looks like a log: it exists and holds a metadata file.
     *
     * @param directory to check.
     * @return true if it is a log directory.
     */
    public static boolean isLogDirectory(final Path directory)
    {
        return Files.isDirectory(directory) && MetadataFile.exists(directory);
    }

    /**
     * Opens a log directory read only.
     *
     * @param directory of the log; must satisfy {@link #isLogDirectory(Path)}.
     * @return the reader.
     * @throws LogCorruptionException if the metadata or the set of segments is damaged.
     */
    public static LogReader open(final Path directory)
    {
        final MetadataFile metadata = MetadataFile.open(MappedSegmentFile.FACTORY, directory, true);
        final int segmentLengthBytes = metadata.segmentLengthBytes();
        if (segmentLengthBytes < LogConfiguration.SEGMENT_LENGTH_MIN || Integer.bitCount(segmentLengthBytes) != 1)
        {
            metadata.close();
            throw new LogCorruptionException("metadata segment length " + segmentLengthBytes + " is invalid",
                metadata.path(), MetadataDescriptor.SEGMENT_LENGTH_OFFSET);
        }
        final long[] indices;
        final SegmentFile[] segments;
        try
        {
            indices = LogDirectory.listSegmentIndices(directory);
            segments = new SegmentFile[indices.length];
        }
        catch (final RuntimeException ex)
        {
            metadata.close();
            throw ex;
        }
        for (int i = 0; i < indices.length; i++)
        {
            try
            {
                segments[i] = MappedSegmentFile.open(
                    LogDirectory.segmentPath(directory, indices[i]), segmentLengthBytes, true);
            }
            catch (final RuntimeException ex)
            {
                for (int j = 0; j < i; j++)
                {
                    segments[j].close();
                }
                metadata.close();
                throw ex;
            }
        }
        return new LogReader(directory, metadata, segments, indices.length > 0 ? indices[0] : 0);
    }

    /**
     * Scans every record in log order.
     *
     * @param handler receives each valid promise and accept record.
     * @return how the log ends; {@link #scanner()} has the details.
     */
    public LogScanner.Outcome scan(final LogScanner.RecordHandler handler)
    {
        return scanner.scan(segments, firstSegmentIndex, metadata.checkpointPosition(), handler);
    }

    public LogScanner scanner()
    {
        return scanner;
    }

    public MetadataFile metadata()
    {
        return metadata;
    }

    public Path directory()
    {
        return directory;
    }

    public int segmentCount()
    {
        return segments.length;
    }

    public long firstSegmentIndex()
    {
        return firstSegmentIndex;
    }

    /**
     * File holding the scan's end position, for messages.
     *
     * @return segment path.
     */
    public Path endSegmentPath()
    {
        return LogDirectory.segmentPath(directory, scanner.endSegmentIndex());
    }

    public void close()
    {
        for (final SegmentFile segment : segments)
        {
            segment.close();
        }
        metadata.close();
    }
}
