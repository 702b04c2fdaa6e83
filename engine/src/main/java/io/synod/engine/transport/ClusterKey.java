package io.synod.engine.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/**
 * The cluster key file: random bytes shared by every member, readable by its owner only. Made by
 * {@code synod keygen}, read once when a node starts. Stateless.
 */
public final class ClusterKey
{
    /**
     * What {@code synod keygen} writes: 256 bits, the HMAC-SHA256 output size.
     */
    public static final int DEFAULT_LENGTH_BYTES = 32;

    /**
     * Below 128 bits a key is guessable; above one SHA-256 block HMAC would only hash it down.
     */
    public static final int MIN_LENGTH_BYTES = 16;
    public static final int MAX_LENGTH_BYTES = 64;

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private ClusterKey()
    {
    }

    /**
     * Reads a key file, refusing one that others may read or of a length outside
     * [{@link #MIN_LENGTH_BYTES}, {@link #MAX_LENGTH_BYTES}].
     *
     * @param setting the property or option the user named the file with, for the error message.
     * @throws IllegalArgumentException naming the setting, the file and the fix.
     */
    public static byte[] read(final String setting, final Path file)
    {
        if (!Files.isRegularFile(file))
        {
            throw new IllegalArgumentException(setting + "=" + file + " is not a file: make one with `synod keygen " +
                file + "`");
        }
        final PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class,
            LinkOption.NOFOLLOW_LINKS);
        try
        {
            if (posix != null)
            {
                final Set<PosixFilePermission> permissions = posix.readAttributes().permissions();
                if (permissions.contains(PosixFilePermission.GROUP_READ) ||
                    permissions.contains(PosixFilePermission.OTHERS_READ) ||
                    permissions.contains(PosixFilePermission.GROUP_WRITE) ||
                    permissions.contains(PosixFilePermission.OTHERS_WRITE))
                {
                    throw new IllegalArgumentException(setting + "=" + file + " can be read or written by others (" +
                        PosixFilePermissions.toString(permissions) + "): run `chmod 600 " + file + "`");
                }
            }
            final byte[] key = Files.readAllBytes(file);
            if (key.length < MIN_LENGTH_BYTES || key.length > MAX_LENGTH_BYTES)
            {
                throw new IllegalArgumentException(setting + "=" + file + " holds " + key.length + " bytes, a key has " +
                    MIN_LENGTH_BYTES + " to " + MAX_LENGTH_BYTES + ": make one with `synod keygen`");
            }
            return key;
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(setting + "=" + file + " cannot be read: " + ex, ex);
        }
    }

    /**
     * Writes a new random key to a file that did not exist, created readable and writable by its owner
     * only (never briefly open to others).
     *
     * @throws UncheckedIOException if the file exists or cannot be written.
     */
    public static void generate(final Path file, final int lengthBytes)
    {
        if (lengthBytes < MIN_LENGTH_BYTES || lengthBytes > MAX_LENGTH_BYTES)
        {
            throw new IllegalArgumentException("key length " + lengthBytes + " bytes is outside [" + MIN_LENGTH_BYTES +
                ", " + MAX_LENGTH_BYTES + "]");
        }
        final byte[] key = new byte[lengthBytes];
        new SecureRandom().nextBytes(key);
        try
        {
            final boolean posix = file.toAbsolutePath().getFileSystem().supportedFileAttributeViews().contains("posix");
            if (posix)
            {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            }
            else
            {
                Files.createFile(file);
            }
            Files.write(file, key);
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new UncheckedIOException(file + " exists: a key is never overwritten, remove it first", ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + file + ": " + ex, ex);
        }
    }
}
