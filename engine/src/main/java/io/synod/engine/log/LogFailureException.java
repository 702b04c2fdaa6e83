package io.synod.engine.log;

import java.nio.file.Path;

/**
 * Thrown on the thread that owns the store, as the acceptor log's fail-stop signal: a full disk, a
 * failed force, a mapping error or corruption found on disk. The node must terminate; the store is
 * unusable afterwards because it can no longer promise that what it acknowledged is durable.
 */
public class LogFailureException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    public LogFailureException(final String message, final Path file, final long offset, final Throwable cause)
    {
        super(message + " [file=" + file + (offset >= 0 ? ", offset=" + offset : "") + "]", cause);
        this.file = file;
        this.offset = offset;
    }

    public LogFailureException(final String message, final Path file, final Throwable cause)
    {
        this(message, file, -1, cause);
    }

    /**
     * File the failure concerns.
     *
     * @return the file, or null when no single file is involved.
     */
    public Path file()
    {
        return file;
    }

    /**
     * Byte offset inside {@link #file()} where the failure was found.
     *
     * @return offset, or -1 when the failure is not about a position in the file.
     */
    public long offset()
    {
        return offset;
    }
}
