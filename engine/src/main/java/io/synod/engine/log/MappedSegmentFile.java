package io.synod.engine.log;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A {@link SegmentFile} memory-mapped through Agrona's {@link IoUtil}. Single-threaded: owned by the
 * thread that owns the store (or tool) that opened it.
 * <p>
 * Files are created under a temporary name, filled with real zero blocks (a sparse file would let a
 * full disk surface later as a SIGBUS on a mapped write, which cannot be handled), forced, renamed
 * into place and the directory forced, so a crash never leaves a short segment under a real name.
 * Files are never truncated: their length is fixed at creation.
 */
public final class MappedSegmentFile implements SegmentFile
{
    /**
     * Suffix of a file being created; recovery deletes leftovers from a crash during creation.
     */
    public static final String TEMP_SUFFIX = ".tmp";

    /**
     * Default factory: real files, real forces.
     */
    public static final SegmentFileFactory FACTORY = new SegmentFileFactory()
    {
        public SegmentFile create(final Path path, final int lengthBytes)
        {
            return MappedSegmentFile.create(path, lengthBytes);
        }

        public SegmentFile open(final Path path, final int lengthBytes, final boolean readOnly)
        {
            return MappedSegmentFile.open(path, lengthBytes, readOnly);
        }
    };

    private static final int ZERO_CHUNK_LENGTH = 1024 * 1024;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(ZERO_CHUNK_LENGTH).asReadOnlyBuffer();

    private final Path path;
    private final int lengthBytes;
    private final MappedByteBuffer mappedBuffer;
    private final ByteBuffer crcView;
    private final UnsafeBuffer buffer;
    private final boolean readOnly;

    private MappedSegmentFile(final Path path, final MappedByteBuffer mappedBuffer, final boolean readOnly)
    {
        this.path = path;
        this.lengthBytes = mappedBuffer.capacity();
        this.mappedBuffer = mappedBuffer;
        this.crcView = mappedBuffer.duplicate();
        this.buffer = new UnsafeBuffer(mappedBuffer);
        this.readOnly = readOnly;
    }

    /**
     * Creates, zero-fills, forces and maps a new file.
     *
     * @param path        of the file; must not exist.
     * @param lengthBytes of the file.
     * @return the mapped file.
     */
    public static MappedSegmentFile create(final Path path, final int lengthBytes)
    {
        final Path tempPath = path.resolveSibling(path.getFileName() + TEMP_SUFFIX);
        try
        {
            Files.deleteIfExists(tempPath);
            try (FileChannel channel = FileChannel.open(
                tempPath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
            {
                long written = 0;
                while (written < lengthBytes)
                {
                    final ByteBuffer zeros = ZEROS.duplicate();
                    zeros.limit((int)Math.min(ZERO_CHUNK_LENGTH, lengthBytes - written));
                    while (zeros.hasRemaining())
                    {
                        written += channel.write(zeros, written);
                    }
                }
                channel.force(true);
            }
            Files.move(tempPath, path, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory(path.getParent());
        }
        catch (final IOException | RuntimeException ex)
        {
            try
            {
                Files.deleteIfExists(tempPath);
            }
            catch (final IOException ignore)
            {
                // the original failure is the one to report
            }
            throw new LogFailureException("cannot create segment file of " + lengthBytes + " bytes (disk full?)",
                path, ex);
        }
        return open(path, lengthBytes, false);
    }

    /**
     * Maps an existing file of a known length.
     *
     * @param path        of the file.
     * @param lengthBytes the file must have.
     * @param readOnly    to map read only.
     * @return the mapped file.
     */
    public static MappedSegmentFile open(final Path path, final int lengthBytes, final boolean readOnly)
    {
        final long actualLength;
        try
        {
            actualLength = Files.size(path);
        }
        catch (final IOException ex)
        {
            throw new LogFailureException("cannot read size of log file", path, ex);
        }
        if (actualLength != lengthBytes)
        {
            throw new LogCorruptionException(
                "log file is " + actualLength + " bytes, expected " + lengthBytes, path, actualLength);
        }
        try
        {
            final MappedByteBuffer mapped = IoUtil.mapExistingFile(
                path.toFile(), readOnly ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE,
                "synod log file");
            return new MappedSegmentFile(path, mapped, readOnly);
        }
        catch (final RuntimeException ex)
        {
            throw new LogFailureException("cannot map log file", path, ex);
        }
    }

    /**
     * Forces a directory so that file creations, renames and deletions in it survive a power loss.
     *
     * @param directory to force.
     */
    public static void forceDirectory(final Path directory)
    {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ))
        {
            channel.force(true);
        }
        catch (final IOException ex)
        {
            throw new LogFailureException("cannot force directory", directory, ex);
        }
    }

    public Path path()
    {
        return path;
    }

    public int lengthBytes()
    {
        return lengthBytes;
    }

    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    public ByteBuffer byteBuffer()
    {
        return crcView;
    }

    public void force(final int offset, final int lengthBytes)
    {
        if (readOnly)
        {
            return;
        }
        try
        {
            mappedBuffer.force(offset, lengthBytes);
        }
        catch (final RuntimeException ex)
        {
            throw new LogFailureException("force failed for " + lengthBytes + " bytes", path, offset, ex);
        }
    }

    public void close()
    {
        IoUtil.unmap(mappedBuffer);
    }

    public String toString()
    {
        return "MappedSegmentFile{" + path + ", " + lengthBytes + " bytes}";
    }
}
