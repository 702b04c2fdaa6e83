package io.synod.engine.log;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongPredicate;

/**
 * A test factory, thread-safe (a store's owner and its syncer both call it): real files, with every
 * create and force recorded as "what@thread", a hook before each force, and optionally a creation that
 * dies half-way (a temp file of half the length is left, as after a crash).
 */
public final class HookedSegmentFileFactory implements SegmentFileFactory
{
    public final List<String> calls = new CopyOnWriteArrayList<>();
    public volatile LongPredicate beforeForce = offset -> true;
    public volatile long failCreateOfSegment = -1;

    public SegmentFile create(final Path path, final int lengthBytes)
    {
        calls.add("create " + path.getFileName() + "@" + Thread.currentThread().getName());
        if (path.getFileName().toString().equals(LogDirectory.segmentFileName(failCreateOfSegment)))
        {
            final Path temp = path.resolveSibling(path.getFileName() + MappedSegmentFile.TEMP_SUFFIX);
            try
            {
                Files.write(temp, new byte[lengthBytes / 2]);
            }
            catch (final IOException ex)
            {
                throw new AssertionError(ex);
            }
            throw new LogFailureException("planted failure half-way through creating", path, null);
        }
        return new Hooked(MappedSegmentFile.create(path, lengthBytes));
    }

    public SegmentFile open(final Path path, final int lengthBytes, final boolean readOnly)
    {
        return new Hooked(MappedSegmentFile.open(path, lengthBytes, readOnly));
    }

    private final class Hooked implements SegmentFile
    {
        private final SegmentFile file;

        Hooked(final SegmentFile file)
        {
            this.file = file;
        }

        public Path path()
        {
            return file.path();
        }

        public int lengthBytes()
        {
            return file.lengthBytes();
        }

        public UnsafeBuffer buffer()
        {
            return file.buffer();
        }

        public ByteBuffer byteBuffer()
        {
            return file.byteBuffer();
        }

        public void force(final int offset, final int lengthBytes)
        {
            calls.add("force " + file.path().getFileName() + "@" + Thread.currentThread().getName());
            beforeForce.test(offset);
            file.force(offset, lengthBytes);
        }

        public void close()
        {
            file.close();
        }
    }
}
