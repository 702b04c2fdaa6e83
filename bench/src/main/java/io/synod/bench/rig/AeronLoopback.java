package io.synod.bench.rig;

import io.aeron.Publication;
import org.agrona.IoUtil;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stateless: the Aeron settings every rig target shares, so that floor, quorum loop, Aeron Cluster and
 * Synod are measured over the same transport: UDP on 127.0.0.1, MTU 8 KiB, 4 MiB terms, sparse term
 * files, Aeron directories under /dev/shm.
 */
public final class AeronLoopback
{
    /** MTU of every UDP channel: 8 KiB, loopback has no 1500-byte limit. */
    public static final int MTU_LENGTH = 8192;

    /** Term length of every data channel: large enough that a window of 1344-byte commands fits. */
    public static final int TERM_LENGTH = 4 * 1024 * 1024;

    /** Loopback only: no bench traffic leaves the machine. */
    public static final String HOST = "127.0.0.1";

    /** Ports each target instance reserves from its base. */
    public static final int PORTS_PER_TARGET = 100;

    private static final AtomicInteger INSTANCE = new AtomicInteger();

    private AeronLoopback()
    {
    }

    /**
     * @param port UDP port on 127.0.0.1.
     * @return {@code aeron:udp?endpoint=127.0.0.1:port|mtu=8192|term-length=4m}.
     */
    public static String channel(final int port)
    {
        return "aeron:udp?endpoint=" + HOST + ":" + port + "|" + channelParams();
    }

    /**
     * @return the shared URI parameters, without endpoint.
     */
    public static String channelParams()
    {
        return "mtu=" + MTU_LENGTH + "|term-length=" + TERM_LENGTH;
    }

    /**
     * @param basePort configured base, or 0 for a random one.
     * @return a base port with {@link #PORTS_PER_TARGET} ports above it.
     */
    public static int basePort(final int basePort)
    {
        return 0 != basePort ? basePort : 20_000 + ThreadLocalRandom.current().nextInt(400) * PORTS_PER_TARGET;
    }

    /**
     * @param label part of the name, e.g. {@code quorum-leader}.
     * @return a fresh Aeron directory under /dev/shm (falls back to the temp dir) unique to this process.
     */
    public static String aeronDir(final String label)
    {
        final File shm = new File("/dev/shm");
        final File parent = shm.isDirectory() ? shm : new File(System.getProperty("java.io.tmpdir"));
        return new File(parent, "synod-bench-" + ProcessHandle.current().pid() + "-" + INSTANCE.incrementAndGet() +
            "-" + label).getAbsolutePath();
    }

    /**
     * @param prefix name prefix.
     * @return a new temporary directory for data that must live on disk (archive, cluster state).
     */
    public static Path dataDir(final String prefix)
    {
        try
        {
            return Files.createTempDirectory(prefix);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Delete a directory tree if present, quietly.
     *
     * @param dir to delete.
     */
    public static void delete(final File dir)
    {
        if (null != dir && dir.exists())
        {
            IoUtil.delete(dir, true);
        }
    }

    /**
     * Map an Aeron {@link Publication} result to a {@link BenchTarget} code.
     *
     * @param result negative publication result.
     * @return the bench target code.
     */
    public static long offerCode(final long result)
    {
        if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION)
        {
            return BenchTarget.BACK_PRESSURED;
        }
        if (result == Publication.NOT_CONNECTED)
        {
            return BenchTarget.NOT_CONNECTED;
        }
        return BenchTarget.CLOSED;
    }
}
