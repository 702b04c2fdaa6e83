package io.synod.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Scratch directories for benchmarks on the real work disk (not /dev/shm); used by one benchmark
 * thread at a time, in setup and teardown only.
 */
final class BenchDirectories
{
    /**
     * Parent of the scratch directories: {@code -Dsynod.bench.dir}, default {@code /tmp}, which is the
     * work disk here (/dev/shm would be RAM and measure nothing).
     */
    static final String BENCH_DIR_PROP_NAME = "synod.bench.dir";

    private BenchDirectories()
    {
    }

    static Path create(final String prefix)
    {
        try
        {
            final Path parent = Paths.get(System.getProperty(BENCH_DIR_PROP_NAME, "/tmp"));
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, prefix);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static void delete(final Path dir)
    {
        if (null == dir || !Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
