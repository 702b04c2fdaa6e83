package io.synod.tools;

import io.synod.engine.runtime.NodeContext;
import io.synod.engine.runtime.SynodNode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code synod cluster}: a local cluster of several replicas in this one process, on loopback.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "Run a local cluster of replicas in one process on loopback until SIGINT/SIGTERM.")
public final class ClusterCommand implements Callable<Integer>
{
    @Option(names = "--size", defaultValue = "3", description = "number of replicas (default ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--dir", required = true, description = "data directory (each member uses DIR/member-ID)")
    Path dir;

    @Option(names = "--base-port", defaultValue = "20100", description = "UDP port of member 0 (default ${DEFAULT-VALUE})")
    int basePort;

    @Option(names = "--durability", description = "SYNC or PAGE_CACHE (default: synod.durability or SYNC)")
    String durability;

    @Option(names = "--cluster-id", defaultValue = "0", description = "cluster id (default ${DEFAULT-VALUE})")
    int clusterId;

    public Integer call()
    {
        if (size < 1 || size > 63)
        {
            System.err.println("error: --size must be in [1, 63], got " + size);
            return SynodCommand.EXIT_USAGE;
        }
        final String members = members(size, basePort);
        System.out.println("synod cluster: " + size + " replicas, members " + members + ", data under " + dir);
        final List<SynodNode> nodes = new ArrayList<>();
        // Closing the barrier tells the JVM's shutdown hook that the nodes are down, so SIGTERM can complete.
        final ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();
        try
        {
            for (int id = 0; id < size; id++)
            {
                final NodeContext ctx = new NodeContext().clusterId(clusterId).memberId(id).members(members).directory(dir);
                if (durability != null)
                {
                    ctx.durability(durability);
                }
                nodes.add(SynodNode.launch(ctx));
            }
            System.out.println("synod cluster running; 'synod stat --dir " + dir + "' shows its counters; " +
                "SIGINT or SIGTERM stops it");
            barrier.await();
            System.out.println("synod cluster shutting down");
        }
        finally
        {
            CloseHelper.quietCloseAll(nodes);
            barrier.close();
        }
        System.out.println("synod cluster stopped");
        return SynodCommand.EXIT_OK;
    }

    static String members(final int size, final int basePort)
    {
        final StringBuilder sb = new StringBuilder();
        for (int id = 0; id < size; id++)
        {
            sb.append(id > 0 ? "," : "").append(id).append("=127.0.0.1:").append(basePort + id);
        }
        return sb.toString();
    }
}
