package io.synod.tools;

import io.synod.engine.protocol.DeliveryHandler;
import io.synod.engine.runtime.NodeContext;
import io.synod.engine.runtime.SynodNode;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code synod node}: runs one replica as a process until SIGINT or SIGTERM, then shuts down cleanly.
 */
@Command(name = "node", mixinStandardHelpOptions = true, versionProvider = SynodCommand.Version.class,
    description = {
        "Run one replica as a process; SIGINT/SIGTERM shuts it down cleanly.",
        "Exit codes: 0 stopped cleanly; 2 bad option; 3 could not start (the message names the cause)." })
public final class NodeCommand implements Callable<Integer>
{
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--id", required = true, description = "this member's id")
    int id;

    @Option(names = "--members", required = true, description = "all members: id=host:port,...")
    String members;

    @Option(names = "--dir", required = true, description = "data directory (the node uses DIR/member-ID)")
    Path dir;

    @Option(names = "--cluster-id", defaultValue = "0", description = "cluster id (default ${DEFAULT-VALUE})")
    int clusterId;

    @Option(names = "--durability", description = "SYNC or PAGE_CACHE (default: synod.durability or SYNC)")
    String durability;

    @Option(names = "--threading", description = "SHARED or DEDICATED (default: synod.threading or SHARED)")
    String threading;

    @Option(names = "--idle", description = "backoff, yielding, busy or sleeping (default: synod.idle or " +
        ClusterCommand.DEFAULT_IDLE + ", which parks up to 1 ms when nothing happens; yielding answers faster and " +
        "keeps a core busy)")
    String idle;

    @Option(names = "--aeron-dir", description = "Aeron directory (default /dev/shm/synod-CLUSTER-ID)")
    String aeronDir;

    @Option(names = "--delivered-log", description = "append every delivered command as 'slot clientId sequence' to FILE")
    Path deliveredLog;

    public Integer call() throws IOException
    {
        ClusterCommand.checkThreading(spec, threading);
        final NodeContext ctx = new NodeContext().memberId(id).members(members).directory(dir).clusterId(clusterId);
        if (durability != null)
        {
            ctx.durability(durability);
        }
        if (threading != null)
        {
            ctx.threading(threading.toUpperCase(java.util.Locale.ROOT));
        }
        ctx.idle(ClusterCommand.idle(idle));
        if (aeronDir != null)
        {
            ctx.aeronDirectoryName(aeronDir);
        }
        PrintStream log = null;
        if (deliveredLog != null)
        {
            final PrintStream out = new PrintStream(new BufferedOutputStream(
                new FileOutputStream(deliveredLog.toFile(), false), 1 << 16), false);
            final DeliveryHandler handler = (slot, clientId, sequence, buffer, offset, length) ->
                out.append(Long.toString(slot)).append(' ').append(Long.toString(clientId)).append(' ')
                    .append(Long.toString(sequence)).append('\n');
            ctx.deliveryHandler(handler);
            log = out;
        }

        // The barrier is closed last: that tells the JVM's shutdown hook the node is down and the
        // delivered log flushed, so SIGTERM completes only after both.
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier())
        {
            try (SynodNode node = ClusterCommand.launch(ctx, "--members (member " + id + "'s port)",
                spec.commandLine().getErr()))
            {
                if (null == node)
                {
                    return SynodCommand.EXIT_FAILED;
                }
                System.out.println("synod member " + id + " running; SIGINT or SIGTERM stops it");
                barrier.await();
                System.out.println("synod member " + id + " shutting down");
            }
            finally
            {
                if (log != null)
                {
                    log.flush();
                    log.close();
                }
            }
        }
        System.out.println("synod member " + id + " stopped");
        return SynodCommand.EXIT_OK;
    }
}
