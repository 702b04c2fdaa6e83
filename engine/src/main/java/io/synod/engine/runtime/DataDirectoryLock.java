package io.synod.engine.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive lock on a member's data directory, held for the node's life, so that a second process
 * (or a second node in this process) cannot write the same acceptor log. The lock file holds the pid of
 * its holder, which a refused node names. The operating system releases the lock when the holder dies,
 * so a stale file after {@code kill -9} does not block a restart. Used by the launching thread only.
 */
public final class DataDirectoryLock implements AutoCloseable
{
    public static final String LOCK_FILE_NAME = "node.lock";

    /**
     * Lock files held by this JVM. File locks are per process, and closing any channel of a locked file
     * may drop the process's lock on it, so a second node in this JVM is refused here, before it opens
     * the file at all.
     */
    private static final Set<Path> HELD_IN_THIS_PROCESS = ConcurrentHashMap.newKeySet();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(final Path key, final FileChannel channel, final FileLock lock)
    {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code directory} (which must exist) or refuses.
     *
     * @throws IllegalStateException naming the directory and the holder's pid when another holds it.
     */
    public static DataDirectoryLock acquire(final Path directory)
    {
        final Path file = directory.resolve(LOCK_FILE_NAME);
        final Path key = file.toAbsolutePath().normalize();
        if (!HELD_IN_THIS_PROCESS.add(key))
        {
            throw inUse(directory, file);
        }
        FileChannel channel = null;
        try
        {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            final FileLock lock = channel.tryLock();
            if (lock == null)
            {
                throw inUse(directory, file);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return new DataDirectoryLock(key, channel, lock);
        }
        catch (final IOException ex)
        {
            closeQuietly(channel);
            HELD_IN_THIS_PROCESS.remove(key);
            throw new UncheckedIOException("cannot lock data directory " + directory + " (" + file + ")", ex);
        }
        catch (final RuntimeException ex)
        {
            closeQuietly(channel);
            HELD_IN_THIS_PROCESS.remove(key);
            throw ex;
        }
    }

    public void close()
    {
        try
        {
            lock.release();
        }
        catch (final IOException ignore)
        {
            // Closing the channel below releases it as well.
        }
        closeQuietly(channel);
        HELD_IN_THIS_PROCESS.remove(key);
    }

    private static IllegalStateException inUse(final Path directory, final Path file)
    {
        return new IllegalStateException("data directory " + directory + " is in use by pid " + holder(file) +
            " (lock " + file + "): stop that node or give this one another directory");
    }

    private static String holder(final Path file)
    {
        try
        {
            final String pid = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return pid.isEmpty() ? "unknown" : pid;
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
    }

    private static void closeQuietly(final FileChannel channel)
    {
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // Nothing more to release.
            }
        }
    }
}
