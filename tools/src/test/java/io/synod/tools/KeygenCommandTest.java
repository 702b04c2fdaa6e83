package io.synod.tools;

import io.synod.engine.runtime.NodeContext;
import io.synod.engine.transport.ClusterKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeygenCommandTest
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
    void writesAnOwnerOnlyRandomKeyAndNeverOverwritesOne() throws Exception
    {
        final Path file = dir.resolve("cluster.key");
        assertEquals(SynodCommand.EXIT_OK, run("keygen", file.toString()), err.toString());
        assertEquals(ClusterKey.DEFAULT_LENGTH_BYTES, Files.size(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(out.toString().contains(NodeContext.CLUSTER_KEY_FILE_PROP + "=" + file), out.toString());
        final byte[] key = Files.readAllBytes(file);

        assertEquals(SynodCommand.EXIT_USAGE, run("keygen", file.toString()));
        assertTrue(err.toString().contains("never overwritten"), err.toString());
        assertEquals(java.util.Arrays.toString(key), java.util.Arrays.toString(Files.readAllBytes(file)));

        final Path other = dir.resolve("other.key");
        assertEquals(SynodCommand.EXIT_OK, run("keygen", "--bytes", "64", other.toString()));
        assertEquals(64, Files.size(other));
        assertFalse(java.util.Arrays.equals(key, java.util.Arrays.copyOf(Files.readAllBytes(other), 32)), "random");

        assertEquals(SynodCommand.EXIT_USAGE, run("keygen", "--bytes", "8", dir.resolve("weak.key").toString()));
        assertTrue(err.toString().contains("--bytes=8"), err.toString());
        assertFalse(Files.exists(dir.resolve("weak.key")));
    }

    @Test
    void aNodeRefusesAKeyFileOthersCanReadNamingTheFileAndTheFix() throws Exception
    {
        final Path file = dir.resolve("cluster.key");
        assertEquals(SynodCommand.EXIT_OK, run("keygen", file.toString()));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        final NodeContext ctx = new NodeContext().members("0=127.0.0.1:1").directory(dir)
            .clusterKeyFile(file.toString());
        final IllegalArgumentException ex =
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, ctx::conclude);
        assertTrue(ex.getMessage().startsWith(NodeContext.CLUSTER_KEY_FILE_PROP + "=" + file), ex.getMessage());
        assertTrue(ex.getMessage().contains("chmod 600 " + file), ex.getMessage());
    }
}
