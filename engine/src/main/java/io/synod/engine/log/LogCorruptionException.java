package io.synod.engine.log;

import java.nio.file.Path;

/**
 * Thrown on the thread opening the log, by recovery, when a record before the tail fails validation: the log
 * is damaged where acknowledged data lives, so the node refuses to start rather than lose it.
 */
public final class LogCorruptionException extends LogFailureException
{
    private static final long serialVersionUID = 1L;

    public LogCorruptionException(final String message, final Path file, final long offset)
    {
        super(message, file, offset, null);
    }
}
