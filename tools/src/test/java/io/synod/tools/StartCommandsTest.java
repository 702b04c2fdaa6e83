package io.synod.tools;

import io.synod.engine.runtime.NodeContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Failed and refused starts of {@code cluster}, {@code node} and {@code demo}: the exit code, and one
 * line that names the cause and the option to change, without a stack trace.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StartCommandsTest
{
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        final CommandLine commandLine = SynodCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void aClusterOnAPortInUseExitsThreeNamingThePortAndBasePort() throws Exception
    {
        final String aeronDir = "/dev/shm/synod-test-start-" + UUID.randomUUID();
        System.setProperty(NodeContext.AERON_DIR_PROP, aeronDir);
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            final int port = taken.getLocalPort();
            final int exit = run("cluster", "--size", "1", "--dir", dir.toString(), "--base-port", Integer.toString(port),
                "--durability", "PAGE_CACHE");

            assertEquals(SynodCommand.EXIT_FAILED, exit, err.toString());
            final String message = err.toString().trim();
            assertEquals(1, message.lines().count(), "one line: " + message);
            assertTrue(message.contains("127.0.0.1:" + port + " is already in use"), message);
            assertTrue(message.contains("--base-port"), message);
            assertFalse(message.contains("Exception"), message);
        }
        finally
        {
            System.clearProperty(NodeContext.AERON_DIR_PROP);
            org.agrona.IoUtil.delete(new File(aeronDir), true);
        }
    }

    @Test
    void refusedSizesAndCountsNameTheirOption()
    {
        assertEquals(SynodCommand.EXIT_USAGE, run("cluster", "--size", "2", "--dir", dir.toString()));
        assertTrue(err.toString().contains("--size must be 1 or an odd number"), err.toString());
        assertEquals(SynodCommand.EXIT_USAGE, run("cluster", "--threading", "INVOKER", "--dir", dir.toString()));
        assertTrue(err.toString().contains("--threading must be SHARED or DEDICATED"), err.toString());
        assertEquals(SynodCommand.EXIT_USAGE, run("demo", "--producers", "0"));
        assertTrue(err.toString().contains("--producers must be in [1, 64], got 0"), err.toString());
        assertEquals(SynodCommand.EXIT_USAGE, run("demo", "--payload", "16384"));
        assertTrue(err.toString().contains("--payload must be in [1, 16364] bytes"), err.toString());
        assertFalse(err.toString().contains("Usage:"), "one line and a hint, not the whole usage: " + err);
    }

    @Test
    void versionNamesTheCommit()
    {
        assertEquals(SynodCommand.EXIT_OK, run("version"));
        assertTrue(out.toString().matches("(?s)synod \\S+ \\(commit \\S+\\)\\s*"), out.toString());
    }
}
