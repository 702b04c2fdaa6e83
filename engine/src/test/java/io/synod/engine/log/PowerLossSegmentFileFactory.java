package io.synod.engine.log;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * A power-loss model for tests; single-threaded, used by the test thread that owns the store. Every file
 * keeps a shadow image of what is on the device: it starts as the file's content when created or opened
 * and takes a page's content only when a force covers that page (msync works on whole pages). At a
 * simulated power loss each 512-byte sector that differs from its shadow is, at random, lost (shadow) or
 * written (mapping), so unforced writes are dropped or torn at sector granularity.
 */
final class PowerLossSegmentFileFactory implements SegmentFileFactory
{
    private static final int PAGE_LENGTH = 4096;

    private final Map<Path, Tracked> files = new HashMap<>();
    private boolean powerLost;

    public SegmentFile create(final Path path, final int lengthBytes)
    {
        return track(MappedSegmentFile.create(path, lengthBytes));
    }

    public SegmentFile open(final Path path, final int lengthBytes, final boolean readOnly)
    {
        return track(MappedSegmentFile.open(path, lengthBytes, readOnly));
    }

    private SegmentFile track(final MappedSegmentFile file)
    {
        final Tracked tracked = new Tracked(file);
        files.put(file.path(), tracked);
        return tracked;
    }

    /**
     * Computes what the device holds after a power loss now; call before the store is closed.
     *
     * @param random chooses, per differing sector, whether it reached the device.
     * @return images to write back with {@link #writeBack(Map)} once the store is closed.
     */
    Map<Path, byte[]> powerLoss(final Random random)
    {
        powerLost = true;
        final Map<Path, byte[]> images = new HashMap<>();
        for (final Tracked tracked : files.values())
        {
            if (tracked.closed)
            {
                continue;
            }
            final byte[] image = tracked.shadow.clone();
            final UnsafeBuffer mapping = tracked.delegate.buffer();
            final byte[] sector = new byte[LogRecordDescriptor.SECTOR_LENGTH];
            for (int offset = 0; offset < image.length; offset += sector.length)
            {
                mapping.getBytes(offset, sector);
                if (!regionEquals(image, offset, sector) && random.nextBoolean())
                {
                    System.arraycopy(sector, 0, image, offset, sector.length);
                }
            }
            images.put(tracked.path(), image);
        }
        return images;
    }

    /**
     * Replaces the content of each file with its post-power-loss image.
     */
    static void writeBack(final Map<Path, byte[]> images) throws IOException
    {
        for (final Map.Entry<Path, byte[]> entry : images.entrySet())
        {
            if (Files.exists(entry.getKey()))
            {
                try (FileChannel channel = FileChannel.open(entry.getKey(), StandardOpenOption.WRITE))
                {
                    final ByteBuffer buffer = ByteBuffer.wrap(entry.getValue());
                    while (buffer.hasRemaining())
                    {
                        channel.write(buffer, buffer.position());
                    }
                }
            }
        }
    }

    private static boolean regionEquals(final byte[] image, final int offset, final byte[] sector)
    {
        for (int i = 0; i < sector.length; i++)
        {
            if (image[offset + i] != sector[i])
            {
                return false;
            }
        }
        return true;
    }

    private final class Tracked implements SegmentFile
    {
        private final MappedSegmentFile delegate;
        private final byte[] shadow;
        private boolean closed;

        Tracked(final MappedSegmentFile delegate)
        {
            this.delegate = delegate;
            this.shadow = new byte[delegate.lengthBytes()];
            delegate.buffer().getBytes(0, shadow);
        }

        public Path path()
        {
            return delegate.path();
        }

        public int lengthBytes()
        {
            return delegate.lengthBytes();
        }

        public UnsafeBuffer buffer()
        {
            return delegate.buffer();
        }

        public ByteBuffer byteBuffer()
        {
            return delegate.byteBuffer();
        }

        public void force(final int offset, final int lengthBytes)
        {
            if (powerLost)
            {
                return;
            }
            delegate.force(offset, lengthBytes);
            final int from = offset & -PAGE_LENGTH;
            final int to = Math.min(shadow.length, (offset + lengthBytes + PAGE_LENGTH - 1) & -PAGE_LENGTH);
            delegate.buffer().getBytes(from, shadow, from, to - from);
        }

        public void close()
        {
            closed = true;
            delegate.close();
        }
    }
}
