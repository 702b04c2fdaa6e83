package io.synod.tools;

import io.synod.engine.runtime.NodeContext;
import io.synod.engine.transport.ClusterKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code synod keygen FILE}: writes a new random cluster key, readable by its owner only. Runs on the
 * main thread.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
    description = "Write a new random cluster key to FILE (owner-only permissions); copy it to every member " +
        "and point " + NodeContext.CLUSTER_KEY_FILE_PROP + " at it.")
public final class KeygenCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "FILE", description = "file to create; an existing file is never overwritten")
    Path file;

    @Option(names = "--bytes", defaultValue = "" + ClusterKey.DEFAULT_LENGTH_BYTES,
        description = "key length in bytes, " + ClusterKey.MIN_LENGTH_BYTES + " to " + ClusterKey.MAX_LENGTH_BYTES +
            " (default ${DEFAULT-VALUE})")
    int lengthBytes;

    @Spec
    CommandSpec spec;

    public Integer call()
    {
        if (lengthBytes < ClusterKey.MIN_LENGTH_BYTES || lengthBytes > ClusterKey.MAX_LENGTH_BYTES)
        {
            spec.commandLine().getErr().println("error: --bytes=" + lengthBytes + " must be in [" + ClusterKey.MIN_LENGTH_BYTES + ", " +
                ClusterKey.MAX_LENGTH_BYTES + "]");
            return SynodCommand.EXIT_USAGE;
        }
        try
        {
            ClusterKey.generate(file, lengthBytes);
        }
        catch (final UncheckedIOException ex)
        {
            spec.commandLine().getErr().println("error: " + ex.getMessage());
            return SynodCommand.EXIT_USAGE;
        }
        spec.commandLine().getOut().println("wrote a " + lengthBytes + "-byte cluster key to " + file + " (mode 600); copy it to every " +
            "member over a channel you trust, keep it mode 600, and start each node with -D" +
            NodeContext.CLUSTER_KEY_FILE_PROP + "=" + file);
        return SynodCommand.EXIT_OK;
    }
}
