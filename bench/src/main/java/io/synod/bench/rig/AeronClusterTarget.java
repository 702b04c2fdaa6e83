package io.synod.bench.rig;

import io.aeron.DirectBufferVector;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusteredMediaDriver;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.Header;
import io.synod.engine.log.DurabilityMode;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Baseline: Aeron Cluster with 3 (or 5) members in this JVM, each a {@link ClusteredMediaDriver}
 * (media driver SHARED, archive SHARED, consensus module) plus a {@link ClusteredServiceContainer}
 * running {@link EchoClusteredService}, following Aeron's ClusterConfig sample (ClusteredMediaDriver does
 * not wire an INVOKER driver into the archive, so the driver stays SHARED: one thread). The client is an
 * {@link AeronCluster} on the rig's thread with its own INVOKER-mode driver. Single-threaded from the
 * rig's side.
 * <p>
 * Durability: {@link DurabilityMode#PAGE_CACHE} maps to file sync level 0 (no fsync), {@link
 * DurabilityMode#SYNC} to 1 (fsync data) for the consensus module and the archive (and its catalog).
 */
public final class AeronClusterTarget implements BenchTarget
{
    private static final int PORTS_PER_MEMBER = 10;
    private static final int INGRESS_OFFSET = 1;
    private static final int CONSENSUS_OFFSET = 2;
    private static final int LOG_OFFSET = 3;
    private static final int CATCHUP_OFFSET = 4;
    private static final int ARCHIVE_OFFSET = 5;
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    /** Sessions time out after 10 s without ingress; a quiet client sends a keep-alive this often. */
    private static final long KEEP_ALIVE_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final String LOG_CHANNEL = "aeron:udp?" + AeronLoopback.channelParams();

    private final RigOptions options;
    private final int memberCount;
    private final int basePort;
    private final int fileSyncLevel;
    private final List<ClusteredMediaDriver> drivers = new ArrayList<>();
    private final List<ClusteredServiceContainer> containers = new ArrayList<>();
    private final List<String> aeronDirs = new ArrayList<>();
    private final AtomicLong errors = new AtomicLong();
    private final UnsafeBuffer header = new UnsafeBuffer(new byte[LoopbackClient.HEADER_LENGTH]);
    /** [0] is replaced by AeronCluster with its session header vector; [1] our id; [2] the payload. */
    private final DirectBufferVector[] vectors =
        { new DirectBufferVector(), new DirectBufferVector(), new DirectBufferVector() };
    private final EgressListener egressListener = this::onEgress;
    private Path dataDir;
    private AeronNode clientNode;
    private AeronCluster[] clients = new AeronCluster[0];
    private int nextClient;
    private IdWindow ids;
    private LongConsumer onResponse;
    private long nextId;
    private long offersSinceKeepAliveCheck;
    private long lastKeepAliveCheckNs;
    private volatile boolean closing;

    /**
     * @param options cluster size, durability, idle strategy and base port.
     */
    public AeronClusterTarget(final RigOptions options)
    {
        this.options = options;
        this.memberCount = options.clusterSize();
        this.basePort = AeronLoopback.basePort(options.basePort());
        this.fileSyncLevel = options.durabilityMode() == DurabilityMode.SYNC ? 1 : 0;
        vectors[1].reset(header, 0, LoopbackClient.HEADER_LENGTH);
    }

    @Override
    public String name()
    {
        return "aeron-cluster";
    }

    @Override
    public String setup()
    {
        return "aeron-cluster 1.51.0: " + memberCount + " members in one JVM on 127.0.0.1, echo ClusteredService; " +
            "per member: ClusteredMediaDriver (MediaDriver ThreadingMode.SHARED, Archive ArchiveThreadingMode.SHARED, " +
            "ConsensusModule) + ClusteredServiceContainer; threads per member as measured with jcmd: driver " +
            "(sender+receiver+conductor in one), archive-conductor, consensus-module, clustered-service, one " +
            "aeron-client conductor = 5 agent threads (+ idle aeron-executor threads), " + (5 * memberCount) +
            " in all, plus the rig thread; idle=" + options.idleStrategy() + " for driver, archive, " +
            "consensus module, service; fileSyncLevel=" + fileSyncLevel + " (ConsensusModule, Archive file and " +
            "catalog; durability " + options.durabilityMode() + "); log channel " + LOG_CHANNEL +
            ", ingress/egress " + AeronLoopback.channelParams() + ", driver mtu=" + AeronLoopback.MTU_LENGTH +
            "; aeron dirs under /dev/shm, archive/cluster dirs under " + System.getProperty("java.io.tmpdir") +
            "; batching: Aeron Cluster's own (log publication per duty cycle); clients: " + options.clients() +
            " AeronCluster session(s) on the rig thread sharing one INVOKER driver + conductor invoker; command = 8 B id header + payload, echoed " +
            "in full; ports " + basePort + "..+" + (memberCount * PORTS_PER_MEMBER + 1);
    }

    @Override
    public void start()
    {
        dataDir = AeronLoopback.dataDir("synod-bench-aeron-cluster-");
        final String members = clusterMembers();
        for (int i = 0; i < memberCount; i++)
        {
            launchMember(i, members);
        }

        clientNode = new AeronNode("aeron-cluster-client");
        // Several clients are several cluster sessions sharing this one client driver; each egress
        // carries the command's id, so answers need no mapping.
        clients = new AeronCluster[options.clients()];
        ids = new IdWindow(options.inFlightWindow());
        for (int i = 0; i < clients.length; i++)
        {
            clients[i] = connectClient(i == 0 ? basePort : 0);
        }
        lastKeepAliveCheckNs = System.nanoTime();
    }

    private AeronCluster connectClient(final int egressPort)
    {
        final AeronCluster.Context clientContext = new AeronCluster.Context()
            .aeron(clientNode.aeron())
            .ownsAeronClient(false)
            .aeronDirectoryName(clientNode.aeronDir())
            .egressListener(egressListener)
            .ingressChannel("aeron:udp?" + AeronLoopback.channelParams())
            .ingressEndpoints(ingressEndpoints())
            .egressChannel("aeron:udp?endpoint=" + AeronLoopback.HOST + ":" + egressPort + "|" +
                AeronLoopback.channelParams())
            .idleStrategy(IdleStrategies.create(options.idleStrategy()));
        final long deadlineNs = System.nanoTime() + CONNECT_TIMEOUT_NS;
        AeronCluster connected = null;
        try (AeronCluster.AsyncConnect connect = AeronCluster.asyncConnect(clientContext))
        {
            while (null == connected)
            {
                if (System.nanoTime() > deadlineNs)
                {
                    throw new IllegalStateException("aeron-cluster: client not connected after 30 s, step " +
                        connect.step() + ", errors " + errors.get());
                }
                clientNode.invoke();
                connected = connect.poll();
                if (null == connected)
                {
                    Thread.yield();
                }
            }
        }
        return connected;
    }

    private void launchMember(final int memberId, final String members)
    {
        final String aeronDir = AeronLoopback.aeronDir("aeron-cluster-" + memberId);
        aeronDirs.add(aeronDir);
        final File memberDir = new File(dataDir.toFile(), "member-" + memberId);
        final String idle = options.idleStrategy();

        final MediaDriver.Context driverContext = new MediaDriver.Context()
            .aeronDirectoryName(aeronDir)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(IdleStrategies.create(idle))
            .termBufferSparseFile(true)
            .mtuLength(AeronLoopback.MTU_LENGTH)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .errorHandler(this::onError);

        final Archive.Context archiveContext = new Archive.Context()
            .aeronDirectoryName(aeronDir)
            .archiveId(memberId)
            .archiveDir(new File(memberDir, "archive"))
            .deleteArchiveOnStart(true)
            .controlChannel("aeron:udp?endpoint=" + AeronLoopback.HOST + ":" + port(memberId, ARCHIVE_OFFSET))
            .archiveClientContext(new AeronArchive.Context()
                .controlResponseChannel("aeron:udp?endpoint=" + AeronLoopback.HOST + ":0"))
            .localControlChannel("aeron:ipc?term-length=64k")
            .replicationChannel("aeron:udp?endpoint=" + AeronLoopback.HOST + ":0")
            .recordingEventsEnabled(false)
            .threadingMode(ArchiveThreadingMode.SHARED)
            .idleStrategySupplier(IdleStrategies.supplier(idle))
            .fileSyncLevel(fileSyncLevel)
            .catalogFileSyncLevel(fileSyncLevel)
            .errorHandler(this::onError);

        final AeronArchive.Context localArchive = new AeronArchive.Context()
            .controlRequestChannel(archiveContext.localControlChannel())
            .controlRequestStreamId(archiveContext.localControlStreamId())
            .controlResponseChannel(archiveContext.localControlChannel())
            .aeronDirectoryName(aeronDir);

        final ConsensusModule.Context consensusContext = new ConsensusModule.Context()
            .aeronDirectoryName(aeronDir)
            .clusterMemberId(memberId)
            .clusterMembers(members)
            .clusterDir(new File(memberDir, "cluster"))
            .deleteDirOnStart(true)
            .archiveContext(localArchive.clone())
            .serviceCount(1)
            .ingressChannel("aeron:udp?" + AeronLoopback.channelParams())
            .logChannel(LOG_CHANNEL)
            .replicationChannel("aeron:udp?endpoint=" + AeronLoopback.HOST + ":0")
            .fileSyncLevel(fileSyncLevel)
            .idleStrategySupplier(IdleStrategies.supplier(idle))
            .errorHandler(this::onError);

        final ClusteredServiceContainer.Context serviceContext = new ClusteredServiceContainer.Context()
            .aeronDirectoryName(aeronDir)
            .archiveContext(localArchive.clone())
            .clusterDir(new File(memberDir, "cluster"))
            .clusteredService(new EchoClusteredService())
            .serviceId(0)
            .idleStrategySupplier(IdleStrategies.supplier(idle))
            .errorHandler(this::onError);

        drivers.add(ClusteredMediaDriver.launch(driverContext, archiveContext, consensusContext));
        containers.add(ClusteredServiceContainer.launch(serviceContext));
    }

    private int port(final int memberId, final int offset)
    {
        return basePort + 1 + memberId * PORTS_PER_MEMBER + offset;
    }

    private String clusterMembers()
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < memberCount; i++)
        {
            sb.append(i)
                .append(',').append(AeronLoopback.HOST).append(':').append(port(i, INGRESS_OFFSET))
                .append(',').append(AeronLoopback.HOST).append(':').append(port(i, CONSENSUS_OFFSET))
                .append(',').append(AeronLoopback.HOST).append(':').append(port(i, LOG_OFFSET))
                .append(',').append(AeronLoopback.HOST).append(':').append(port(i, CATCHUP_OFFSET))
                .append(',').append(AeronLoopback.HOST).append(':').append(port(i, ARCHIVE_OFFSET))
                .append('|');
        }
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }

    private String ingressEndpoints()
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < memberCount; i++)
        {
            sb.append(i).append('=').append(AeronLoopback.HOST).append(':').append(port(i, INGRESS_OFFSET)).append(',');
        }
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }

    @Override
    public long offer(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!ids.canIssue())
        {
            return WINDOW_FULL;
        }
        final long id = nextId;
        header.putLong(LoopbackClient.ID_OFFSET, id);
        vectors[2].reset(buffer, offset, length);
        final AeronCluster client = clients[nextClient];
        nextClient = nextClient + 1 == clients.length ? 0 : nextClient + 1;
        final long result = client.offer(vectors);
        if (result < 0)
        {
            return AeronLoopback.offerCode(result);
        }
        nextId++;
        ids.issue();
        offersSinceKeepAliveCheck++;
        return id;
    }

    @Override
    public int poll(final LongConsumer onResponse)
    {
        this.onResponse = onResponse;
        int work = clientNode.invoke();
        for (final AeronCluster client : clients)
        {
            work += client.pollEgress();
        }
        if (0 == work)
        {
            keepAlive(System.nanoTime());
        }
        return work;
    }

    private void keepAlive(final long nowNs)
    {
        if (nowNs - lastKeepAliveCheckNs >= KEEP_ALIVE_INTERVAL_NS)
        {
            if (0 == offersSinceKeepAliveCheck || clients.length > 1)
            {
                for (final AeronCluster client : clients)
                {
                    client.sendKeepAlive();
                }
            }
            offersSinceKeepAliveCheck = 0;
            lastKeepAliveCheckNs = nowNs;
        }
    }

    private void onEgress(
        final long clusterSessionId,
        final long timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final Header header)
    {
        if (length >= LoopbackClient.HEADER_LENGTH)
        {
            final long id = buffer.getLong(offset + LoopbackClient.ID_OFFSET);
            ids.answer(id);
            onResponse.accept(id);
        }
    }

    private void onError(final Throwable error)
    {
        if (!closing && errors.getAndIncrement() < 10)
        {
            System.err.println("aeron-cluster target error: " + error);
        }
    }

    /**
     * @return errors reported by cluster components so far (excluding those while closing).
     */
    public long errors()
    {
        return errors.get();
    }

    @Override
    public void close()
    {
        closing = true;
        CloseHelper.closeAll(clients);
        CloseHelper.closeAll(clientNode);
        for (int i = containers.size() - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(containers.get(i));
        }
        for (int i = drivers.size() - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(drivers.get(i));
        }
        for (final String dir : aeronDirs)
        {
            AeronLoopback.delete(new File(dir));
        }
        if (null != dataDir)
        {
            AeronLoopback.delete(dataDir.toFile());
        }
    }

    /**
     * @return Aeron and data directories this target creates; gone after {@link #close()}.
     */
    List<File> directories()
    {
        final List<File> dirs = new ArrayList<>();
        for (final String dir : aeronDirs)
        {
            dirs.add(new File(dir));
        }
        dirs.add(new File(clientNode.aeronDir()));
        dirs.add(dataDir.toFile());
        return dirs;
    }
}
