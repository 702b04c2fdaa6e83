package io.synod.tools;

import io.synod.engine.runtime.NodeContext;
import io.synod.engine.runtime.SynodNode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code synod cluster}: a local cluster of several replicas in this one process, on loopback.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true, versionProvider = SynodCommand.Version.class,
    description = {
        "Run a local cluster of replicas in one process on loopback until SIGINT/SIGTERM.",
        "Exit codes: 0 stopped cleanly; 2 bad option; 3 a member could not start (the message names the cause)." })
public final class ClusterCommand implements Callable<Integer>
{
    /** Idle strategy of {@code cluster} and {@code node} unless asked otherwise: an idle cluster sleeps. */
    static final String DEFAULT_IDLE = "backoff";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--size", defaultValue = "3", description = "number of replicas: 1 or an odd number up to 63 " +
        "(default ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--dir", required = true, description = "data directory (each member uses DIR/member-ID)")
    Path dir;

    @Option(names = "--base-port", defaultValue = "20100", description = "UDP port of member 0; member N uses " +
        "base+N (default ${DEFAULT-VALUE})")
    int basePort;

    @Option(names = "--durability", description = "SYNC or PAGE_CACHE (default: synod.durability or SYNC)")
    String durability;

    @Option(names = "--threading", description = "SHARED or DEDICATED (default: synod.threading or SHARED)")
    String threading;

    @Option(names = "--idle", description = "backoff, yielding, busy or sleeping (default: synod.idle or " +
        DEFAULT_IDLE + ", which spins, yields, then parks up to 1 ms when nothing happens; yielding answers faster " +
        "and keeps a core busy per member)")
    String idle;

    @Option(names = "--cluster-id", defaultValue = "0", description = "cluster id (default ${DEFAULT-VALUE})")
    int clusterId;

    public Integer call()
    {
        if (size < 1 || size > 63 || (size > 1 && size % 2 == 0))
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--size must be 1 or an odd number in " +
                "[3, 63], got " + size + (size % 2 == 0 && size > 1 ? ": " + size + " members tolerate no more " +
                "failures than " + (size - 1) + " and need more of them to agree" : ""));
        }
        if (basePort < 1024 || basePort + size - 1 > 65535)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--base-port must leave " + size +
                " ports in [1024, 65535], got " + basePort);
        }
        checkThreading(spec, threading);
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
                if (threading != null)
                {
                    ctx.threading(threading.toUpperCase(Locale.ROOT));
                }
                ctx.idle(idle(idle));
                final SynodNode node = launch(ctx, "--base-port (this cluster uses UDP ports " + basePort + ".." +
                    (basePort + size - 1) + ")", spec.commandLine().getErr());
                if (null == node)
                {
                    return SynodCommand.EXIT_FAILED;
                }
                nodes.add(node);
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

    /**
     * Launches one member; on failure prints one line naming the cause and the option that fixes it.
     *
     * @param ctx     the member's settings.
     * @param portFix what to change when its port is taken.
     * @param err     where the one line goes.
     * @return the node, or null when it could not start (already reported).
     */
    static SynodNode launch(final NodeContext ctx, final String portFix, final java.io.PrintWriter err)
    {
        final StartFailure.HeldErr held = new StartFailure.HeldErr();
        try
        {
            final SynodNode node = SynodNode.launch(ctx);
            held.close();
            return node;
        }
        catch (final IllegalArgumentException ex)
        {
            held.close();
            throw ex;
        }
        catch (final RuntimeException ex)
        {
            held.drop();
            final String fix = StartFailure.portInUse(ex) ? "; choose free ports with " + portFix :
                StartFailure.unresolvedHost(ex) ? "; correct the host in --members" : "";
            err.println("error: member " + ctx.memberId() + " could not start: " + StartFailure.describe(ex) + fix);
            err.flush();
            return null;
        }
    }

    /**
     * @param option the --idle the user typed, or null.
     * @return it, else synod.idle, else {@link #DEFAULT_IDLE}.
     */
    static String idle(final String option)
    {
        if (null != option)
        {
            return option;
        }
        return System.getProperty(NodeContext.IDLE_PROP, DEFAULT_IDLE);
    }

    static void checkThreading(final CommandLine.Model.CommandSpec spec, final String threading)
    {
        if (null != threading && !"SHARED".equalsIgnoreCase(threading) && !"DEDICATED".equalsIgnoreCase(threading))
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threading must be SHARED or DEDICATED, " +
                "got '" + threading + "' (INVOKER is for an application that calls the node's doWork() itself)");
        }
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
