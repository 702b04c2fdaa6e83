package io.synod.engine.log;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A fixed-length memory-mapped file of the acceptor log (a segment or the metadata file).
 * Single-threaded: owned by the thread that owns the store or tool that opened it.
 * <p>
 * The store reaches the disk only through this interface and {@link SegmentFileFactory}, so a test can
 * wrap it to model what survives a power loss (pages not forced are dropped or torn).
 */
public interface SegmentFile extends AutoCloseable
{
    /**
     * The file this mapping is of.
     *
     * @return path.
     */
    Path path();

    /**
     * Length of the file and its mapping.
     *
     * @return length in bytes.
     */
    int lengthBytes();

    /**
     * The mapping, for reads and writes.
     *
     * @return buffer over the whole file.
     */
    UnsafeBuffer buffer();

    /**
     * A {@link ByteBuffer} over the same mapping, for {@link java.util.zip.CRC32C}; the caller may move
     * its position and limit.
     *
     * @return byte buffer over the whole file.
     */
    ByteBuffer byteBuffer();

    /**
     * Forces a range of the mapping to the device; returns once it is there.
     *
     * @param offset      first byte.
     * @param lengthBytes number of bytes.
     * @throws LogFailureException if the force fails.
     */
    void force(int offset, int lengthBytes);

    /**
     * Unmaps the file without forcing it.
     */
    void close();
}
