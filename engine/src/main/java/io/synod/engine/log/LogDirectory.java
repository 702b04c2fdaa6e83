package io.synod.engine.log;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Naming and listing of the files in a log directory; stateless, safe from any thread.
 * <p>
 * A segment holds log positions {@code [index * segmentLength, (index + 1) * segmentLength)} and is
 * named {@code segment-<index, 19 digits>.seg}, so a directory listing sorts in log order.
 * <pre>
 *  dir/
 *    synod-log.meta                      metadata, two copies (MetadataDescriptor)
 *    segment-0000000000000000007.seg     oldest retained segment (lower ones compacted away)
 *    segment-0000000000000000008.seg     ...
 *    segment-0000000000000000009.seg     active segment: records, then zeros
 *    segment-0000000000000000010.seg     pre-allocated next segment, all zeros
 * </pre>
 */
public final class LogDirectory
{
    public static final String SEGMENT_PREFIX = "segment-";
    public static final String SEGMENT_SUFFIX = ".seg";

    private LogDirectory()
    {
    }

    public static Path segmentPath(final Path directory, final long segmentIndex)
    {
        return directory.resolve(segmentFileName(segmentIndex));
    }

    public static String segmentFileName(final long segmentIndex)
    {
        final StringBuilder sb = new StringBuilder(32).append(SEGMENT_PREFIX);
        final String digits = Long.toString(segmentIndex);
        for (int i = digits.length(); i < 19; i++)
        {
            sb.append('0');
        }
        return sb.append(digits).append(SEGMENT_SUFFIX).toString();
    }

    /**
     * Indices of the segment files in a directory, ascending, checked to be contiguous.
     *
     * @param directory of the log.
     * @return sorted indices.
     * @throws LogCorruptionException if a segment in the middle is missing.
     */
    public static long[] listSegmentIndices(final Path directory)
    {
        long[] indices = new long[16];
        int count = 0;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, SEGMENT_PREFIX + "*" + SEGMENT_SUFFIX))
        {
            for (final Path path : stream)
            {
                final String name = path.getFileName().toString();
                final String digits = name.substring(SEGMENT_PREFIX.length(), name.length() - SEGMENT_SUFFIX.length());
                final long index;
                try
                {
                    index = Long.parseLong(digits);
                }
                catch (final NumberFormatException ex)
                {
                    throw new LogCorruptionException("unexpected segment file name", path, -1);
                }
                if (count == indices.length)
                {
                    indices = Arrays.copyOf(indices, count * 2);
                }
                indices[count++] = index;
            }
        }
        catch (final IOException ex)
        {
            throw new LogFailureException("cannot list log directory", directory, ex);
        }
        final long[] sorted = Arrays.copyOf(indices, count);
        Arrays.sort(sorted);
        for (int i = 1; i < count; i++)
        {
            if (sorted[i] != sorted[i - 1] + 1)
            {
                throw new LogCorruptionException(
                    "segment " + (sorted[i - 1] + 1) + " is missing between " + sorted[i - 1] + " and " + sorted[i],
                    segmentPath(directory, sorted[i - 1] + 1), -1);
            }
        }
        return sorted;
    }

    /**
     * Deletes leftovers of a crash during segment creation.
     *
     * @param directory of the log.
     */
    public static void deleteTempFiles(final Path directory)
    {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + MappedSegmentFile.TEMP_SUFFIX))
        {
            for (final Path path : stream)
            {
                Files.delete(path);
            }
        }
        catch (final IOException ex)
        {
            throw new LogFailureException("cannot delete temporary files", directory, ex);
        }
    }
}
