package io.synod.engine.log;

import java.nio.file.Path;

/**
 * Creates and opens {@link SegmentFile}s; called only on the thread that owns the store. The default
 * is {@link MappedSegmentFile#FACTORY}; tests substitute one that models power loss.
 */
public interface SegmentFileFactory
{
    /**
     * Creates a file of {@code lengthBytes} real (non-sparse) zeroed blocks, durably, and maps it.
     * The file appears under its name only once complete.
     *
     * @param path        of the file; must not exist.
     * @param lengthBytes of the file.
     * @return the mapped file.
     * @throws LogFailureException if the disk is full or the file cannot be created or mapped.
     */
    SegmentFile create(Path path, int lengthBytes);

    /**
     * Maps an existing file.
     *
     * @param path        of the file.
     * @param lengthBytes the file must have.
     * @param readOnly    to map it read only (tools).
     * @return the mapped file.
     * @throws LogFailureException if the file is missing, of another length, or cannot be mapped.
     */
    SegmentFile open(Path path, int lengthBytes, boolean readOnly);
}
