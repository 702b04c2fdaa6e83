package io.synod.bench.rig;

import io.synod.client.ClientContext;
import io.synod.client.SynodClient;
import io.synod.engine.config.SettingValues;
import io.synod.engine.protocol.ProtocolConfig;
import io.synod.engine.runtime.ChildJvm;
import io.synod.engine.runtime.NodeContext;
import io.synod.engine.runtime.NodeMain;
import io.synod.engine.runtime.SynodNode;
import io.synod.engine.runtime.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;

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
            return "synod: remote cluster " + System.getProperty(NodeContext.MEMBERS_PROP) + ": settings of the " +
                "remote cluster unknown (see each node's start line); clients: " + options.clients() + " SynodClient(s), each with its own INVOKER " +
                "driver, on the rig thread, up to " + clientInFlight() + " commands in flight each, response endpoint " +
                System.getProperty(ClientContext.RESPONSE_ENDPOINT_PROP, "127.0.0.1:0");
        }
        // Stated from a concluded context built as start() builds each member's, never typed by hand,
        // so the line cannot drift from the defaults.
        final NodeContext ctx = nodeContext(0, "0=" + AeronLoopback.HOST + ":" + (basePort + 1),
            Path.of(System.getProperty("java.io.tmpdir"), "synod-bench-setup")).conclude();
        final ProtocolConfig config = ctx.protocolConfig();
        return "synod: members=" + options.clusterSize() + " " + (placement == Placement.PROCESSES ? "separate processes" :
            "in one process") + ", member traffic " + (ctx.clusterKeyFile() == null ? "unauthenticated" :
            "authenticated (HMAC-SHA256, key " + ctx.clusterKeyFile() + ")") + ", durability=" + ctx.durabilityMode() + ", threading=" +  ctx.threadingMode() +
            " (" + SynodNode.threadLayout(ctx.threadingMode()) + "), idle=" + ctx.idle() +
            ", UDP loopback mtu=" + ctx.mtuLength() + " term-length=" + SettingValues.sizeText(ctx.termLength()) +
            ", batching natural (<= " + config.maxBatchCommands() + " commands or " +
            SettingValues.sizeText(config.maxValueBytes()) + " per slot, <= " + config.maxSlotsPerAccept() +
            " slots per Accept, window " + config.windowSlots() + " slots / " +
            SettingValues.sizeText(config.windowBytes()) + "), heartbeat " +
            SettingValues.durationText(config.heartbeatIntervalNs()) + ", election timeout " +
            SettingValues.durationText(config.electionTimeoutNs()) + "; clients: " + options.clients() +
            " SynodClient(s), each with its own INVOKER driver, on the rig thread, up to " + clientInFlight() +
            " commands in flight each, acknowledged once applied (the leader forwards its learners' outcome; chosen at a durable majority)";
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
     * the ids it was given. Client ids are left to the client (random): a fixed id made the second of
     * two back-to-back runs against one remote cluster resume the first run's session and time out.
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
            IoUtil.delete(dataDir.toFile(), true);
        }
        for (int id = 0; id < options.clusterSize(); id++)
        {
            IoUtil.delete(new File(aeronBase + "-" + id), true);
        }
        for (int i = 0; i < options.clients(); i++)
        {
            IoUtil.delete(new File(aeronBase + "-client-" + i), true);
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

    /**
     * The largest payload one Synod command can carry: a command and its batch header must fit one
     * slot's value ({@code synod.max.value.bytes}, read from this process's properties, which for a
     * remote cluster is an assumption that its members use the same).
     *
     * @return payload limit in bytes.
     */
    public static int payloadLimitBytes()
    {
        return new NodeContext().maxValueBytes() - io.synod.engine.protocol.BatchDescriptor.HEADER_LENGTH;
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
        return nodeContext(id, members, dataDir);
    }

    private NodeContext nodeContext(final int id, final String members, final Path dataDir)
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
        final List<String> properties = new ArrayList<>();
        properties.add("-D" + NodeContext.MEMBER_ID_PROP + "=" + id);
        properties.add("-D" + NodeContext.MEMBERS_PROP + "=" + members);
        properties.add("-D" + NodeContext.DIR_PROP + "=" + dataDir);
        properties.add("-D" + NodeContext.AERON_DIR_PROP + "=" + aeronBase + "-" + id);
        properties.add("-D" + NodeContext.DURABILITY_PROP + "=" + options.durabilityMode().name());
        properties.add("-D" + NodeContext.THREADING_PROP + "=" + threading());
        properties.add("-D" + NodeContext.IDLE_PROP + "=" + options.idleStrategy());
        if (options.clusterKeyFile() != null)
        {
            properties.add("-D" + NodeContext.CLUSTER_KEY_FILE_PROP + "=" + options.clusterKeyFile());
        }
        final List<String> command = ChildJvm.command(properties, NodeMain.class.getName());
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
}
