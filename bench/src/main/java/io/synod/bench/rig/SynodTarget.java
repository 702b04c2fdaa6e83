package io.synod.bench.rig;

import io.synod.client.ClientContext;
import io.synod.client.SynodClient;
import io.synod.engine.runtime.NodeContext;
import io.synod.engine.runtime.NodeMain;
import io.synod.engine.runtime.SynodNode;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Synod under test: a cluster of replicas on loopback, in this process (one SHARED-mode thread per
 * replica by default) or as separate JVMs, or an already running cluster elsewhere ({@link
 * Placement#REMOTE}: members from {@code synod.members}, the client's response endpoint from
 * {@code synod.client.response.endpoint}), and one client whose embedded driver runs on the rig's
 * thread. Single-threaded: the rig's thread calls every method.
 */
public final class SynodTarget implements BenchTarget
{
    /**
     * Where the replicas run.
     */
    public enum Placement
    {
        IN_PROCESS, PROCESSES, REMOTE
    }

    private final RigOptions options;
    private final Placement placement;
    private final int basePort;
    private final String aeronBase;
    private final List<SynodNode> nodes = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private Path dataDir;
    private SynodClient[] clients = new SynodClient[0];
    private long[][] idBySequence = new long[0][];
    private int nextClient;
    private IdWindow ids;
    private LongConsumer onResponse;
    private final LongConsumer answer = this::onAnswer;
    private String members;

    public SynodTarget(final RigOptions options, final Placement placement)
    {
        this.options = options;
        this.placement = placement;
        this.basePort = AeronLoopback.basePort(options.basePort());
        this.aeronBase = "/dev/shm/synod-bench-" + ProcessHandle.current().pid() + "-" + basePort;
    }

    public String name()
    {
        return "synod";
    }

    public String setup()
    {
        if (placement == Placement.REMOTE)
        {
            return "synod: running cluster " + System.getProperty(NodeContext.MEMBERS_PROP) + " (its own settings: " +
                "see each node's start line); clients: " + options.clients() + " SynodClient(s), each with its own INVOKER " +
                "driver, on the rig thread, up to " + clientInFlight() + " commands in flight each, response endpoint " +
                System.getProperty(ClientContext.RESPONSE_ENDPOINT_PROP, "127.0.0.1:0");
        }
        return "synod: members=" + options.clusterSize() + " " + (placement == Placement.PROCESSES ? "separate processes" :
            "in one process") + ", member traffic " + (options.clusterKeyFile() == null ? "unauthenticated" :
            "authenticated (HMAC-SHA256, key " + options.clusterKeyFile() + ")") +
            ", durability=" + options.durabilityMode() + ", threading=" + threading() +
            " (one thread per replica: roles, embedded driver and client conductor on it), idle=" +
            options.idleStrategy() + ", UDP loopback mtu=8192 term-length=4m, batching natural (<= 1024 commands or " +
            "16 KiB per slot, <= 32 slots per Accept, window 512 slots / 1 MiB), heartbeat 15 ms, election " +
            "timeout 75 ms; clients: " + options.clients() + " SynodClient(s), each with its own INVOKER driver, " +
            "on the rig thread, up to " + clientInFlight() + " commands in flight each, acknowledged once chosen " +
            "(durable at a majority)";
    }

    public void start()
    {
        if (placement == Placement.REMOTE)
        {
            members = System.getProperty(NodeContext.MEMBERS_PROP);
            if (members == null)
            {
                throw new IllegalStateException("target synod-remote needs -D" + NodeContext.MEMBERS_PROP +
                    "=id=host:port,... of the running cluster");
            }
            connectClient();
            return;
        }
        try
        {
            dataDir = Files.createTempDirectory("synod-bench");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final StringBuilder sb = new StringBuilder();
        for (int id = 0; id < options.clusterSize(); id++)
        {
            sb.append(id > 0 ? "," : "").append(id).append('=').append(AeronLoopback.HOST).append(':')
                .append(basePort + 1 + id);
        }
        members = sb.toString();
        for (int id = 0; id < options.clusterSize(); id++)
        {
            if (placement == Placement.PROCESSES)
            {
                processes.add(startProcess(id));
            }
            else
            {
                nodes.add(SynodNode.launch(nodeContext(id), null));
            }
        }
        connectClient();
    }

    /**
     * One client per {@code options.clients()}, each with its own embedded driver, all driven by the
     * rig's thread; the rig's ids are consecutive across them, so each client maps its sequences to
     * the ids it was given.
     */
    private void connectClient()
    {
        final int count = options.clients();
        ids = new IdWindow(options.inFlightWindow());
        clients = new SynodClient[count];
        idBySequence = new long[count][io.synod.engine.protocol.SessionTable.MAX_IN_FLIGHT];
        for (int i = 0; i < count; i++)
        {
            final long[] ids = idBySequence[i];
            clients[i] = SynodClient.connect(new ClientContext()
                .members(members)
                .clientId(i + 1)
                .aeronDirectoryName(aeronBase + "-client-" + i)
                .maxInFlight(clientInFlight())
                .maxPayloadBytes(maxPayloadBytes())
                .connectTimeoutNs(TimeUnit.SECONDS.toNanos(30)),
                (sequence, slot) -> answer.accept(ids[(int)(sequence & (ids.length - 1))]));
        }
    }

    public long offer(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!this.ids.canIssue())
        {
            return WINDOW_FULL;
        }
        final int index = nextClient;
        final SynodClient client = clients[index];
        final long sequence = client.offer(buffer, offset, length);
        if (sequence > 0)
        {
            nextClient = index + 1 == clients.length ? 0 : index + 1;
            final long[] ids = idBySequence[index];
            final long id = this.ids.issue();
            ids[(int)(sequence & (ids.length - 1))] = id;
            return id;
        }
        if (sequence == SynodClient.BACK_PRESSURED)
        {
            return client.inFlight() >= clientInFlight() ? WINDOW_FULL : BACK_PRESSURED;
        }
        if (sequence == SynodClient.PAYLOAD_TOO_LARGE)
        {
            return TOO_LONG;
        }
        return sequence == SynodClient.CLOSED ? CLOSED : NOT_CONNECTED;
    }

    public int poll(final LongConsumer onResponse)
    {
        this.onResponse = onResponse;
        int work = 0;
        for (final SynodClient client : clients)
        {
            work += client.poll();
        }
        return work;
    }

    public void close()
    {
        CloseHelper.quietCloseAll(clients);
        CloseHelper.quietCloseAll(nodes);
        for (final Process process : processes)
        {
            process.destroy();
        }
        for (final Process process : processes)
        {
            try
            {
                if (!process.waitFor(10, TimeUnit.SECONDS))
                {
                    process.destroyForcibly();
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        if (dataDir != null)
        {
            delete(dataDir.toFile());
        }
        for (int id = 0; id < options.clusterSize(); id++)
        {
            delete(new File(aeronBase + "-" + id));
        }
        for (int i = 0; i < options.clients(); i++)
        {
            delete(new File(aeronBase + "-client-" + i));
        }
    }

    /**
     * Every directory the target made (data, node and client Aeron directories); all gone after close.
     */
    public List<File> directories()
    {
        final List<File> dirs = new ArrayList<>();
        if (dataDir != null)
        {
            dirs.add(dataDir.toFile());
        }
        for (int id = 0; id < options.clusterSize(); id++)
        {
            dirs.add(new File(aeronBase + "-" + id));
        }
        for (int i = 0; i < options.clients(); i++)
        {
            dirs.add(new File(aeronBase + "-client-" + i));
        }
        return dirs;
    }

    private void onAnswer(final long id)
    {
        ids.answer(id);
        onResponse.accept(id);
    }

    private int clientInFlight()
    {
        return Math.min(io.synod.engine.protocol.SessionTable.MAX_IN_FLIGHT, options.inFlightWindow());
    }

    private int maxPayloadBytes()
    {
        int max = 0;
        for (final int size : options.payloadSizesBytes())
        {
            max = Math.max(max, size);
        }
        return Math.max(max, 64);
    }

    private String threading()
    {
        return options.threadingMode() == null || options.threadingMode().isBlank() ? "SHARED" :
            options.threadingMode().toUpperCase();
    }

    private NodeContext nodeContext(final int id)
    {
        return new NodeContext()
            .memberId(id)
            .members(members)
            .directory(dataDir)
            .aeronDirectoryName(aeronBase + "-" + id)
            .durability(options.durabilityMode().name())
            .threading(threading())
            .idle(options.idleStrategy())
            .clusterKeyFile(options.clusterKeyFile());
    }

    private Process startProcess(final int id)
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--add-exports");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/sun.nio.ch=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/java.nio=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-D" + NodeContext.MEMBER_ID_PROP + "=" + id);
        command.add("-D" + NodeContext.MEMBERS_PROP + "=" + members);
        command.add("-D" + NodeContext.DIR_PROP + "=" + dataDir);
        command.add("-D" + NodeContext.AERON_DIR_PROP + "=" + aeronBase + "-" + id);
        command.add("-D" + NodeContext.DURABILITY_PROP + "=" + options.durabilityMode().name());
        command.add("-D" + NodeContext.THREADING_PROP + "=" + threading());
        command.add("-D" + NodeContext.IDLE_PROP + "=" + options.idleStrategy());
        if (options.clusterKeyFile() != null)
        {
            command.add("-D" + NodeContext.CLUSTER_KEY_FILE_PROP + "=" + options.clusterKeyFile());
        }
        command.add(NodeMain.class.getName());
        try
        {
            return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("member-" + id + ".out").toFile()).start();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start member " + id, ex);
        }
    }

    private static void delete(final File file)
    {
        final File[] children = file.listFiles();
        if (children != null)
        {
            for (final File child : children)
            {
                delete(child);
            }
        }
        file.delete();
    }
}
