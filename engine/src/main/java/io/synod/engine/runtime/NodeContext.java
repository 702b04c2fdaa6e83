package io.synod.engine.runtime;

import io.synod.engine.log.DurabilityMode;
import io.synod.engine.log.LogContext;
import io.synod.engine.protocol.DeliveryHandler;
import io.synod.engine.protocol.ProtocolConfig;
import org.agrona.SystemUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Every setting of one node, Aeron style: a default, a {@code synod.*} system property read at
 * construction, and a same-named fluent accessor. {@link #conclude()} validates once and fails fast
 * naming the bad setting. Not thread-safe: fill it, conclude it, hand it to {@link SynodNode}.
 */
public final class NodeContext
{
    public static final String CLUSTER_ID_PROP = "synod.cluster.id";
    public static final String MEMBER_ID_PROP = "synod.member.id";
    public static final String MEMBERS_PROP = "synod.members";
    public static final String DIR_PROP = "synod.dir";
    public static final String AERON_DIR_PROP = "synod.aeron.dir";
    public static final String EMBEDDED_DRIVER_PROP = "synod.driver.embedded";
    public static final String THREADING_PROP = "synod.threading";
    public static final String IDLE_PROP = "synod.idle";
    public static final String DURABILITY_PROP = "synod.durability";
    public static final String HEARTBEAT_INTERVAL_PROP = "synod.heartbeat.interval";
    public static final String ELECTION_TIMEOUT_PROP = "synod.election.timeout";
    public static final String RETRANSMIT_TIMEOUT_PROP = "synod.retransmit.timeout";
    public static final String CATCH_UP_TIMEOUT_PROP = "synod.catchup.timeout";
    public static final String WINDOW_SLOTS_PROP = "synod.window.slots";
    public static final String WINDOW_BYTES_PROP = "synod.window.bytes";
    public static final String MAX_VALUE_BYTES_PROP = "synod.max.value.bytes";
    public static final String MAX_BATCH_COMMANDS_PROP = "synod.max.batch.commands";
    public static final String MAX_SLOTS_PER_ACCEPT_PROP = "synod.max.slots.per.accept";
    public static final String MAX_MESSAGE_BYTES_PROP = "synod.max.message.bytes";
    public static final String LEARNER_WINDOW_SLOTS_PROP = "synod.learner.window.slots";
    public static final String MAX_CLIENTS_PROP = "synod.max.clients";
    public static final String MTU_PROP = "synod.mtu";
    public static final String TERM_LENGTH_PROP = "synod.term.length";
    public static final String RING_BUFFER_LENGTH_PROP = "synod.ring.buffer.length";
    public static final String FRAGMENT_LIMIT_PROP = "synod.fragment.limit";
    public static final String SESSION_TIMEOUT_PROP = "synod.session.timeout";
    public static final String CLUSTER_KEY_FILE_PROP = "synod.cluster.key.file";
    public static final String SOURCE_CHECK_PROP = "synod.member.source.check";
    public static final String CLIENT_SECRET_FILE_PROP = "synod.client.secret.file";

    public static final String MEMBERS_DEFAULT = "0=127.0.0.1:20100,1=127.0.0.1:20101,2=127.0.0.1:20102";

    private int clusterId = Integer.getInteger(CLUSTER_ID_PROP, 0);
    private int memberId = Integer.getInteger(MEMBER_ID_PROP, 0);
    private String members = System.getProperty(MEMBERS_PROP, MEMBERS_DEFAULT);
    private Path directory = Path.of(System.getProperty(DIR_PROP,
        System.getProperty("java.io.tmpdir") + File.separator + "synod"));
    private String aeronDirectoryName = System.getProperty(AERON_DIR_PROP);
    private boolean embeddedDriver = Boolean.parseBoolean(System.getProperty(EMBEDDED_DRIVER_PROP, "true"));
    private String threadingModeName = System.getProperty(THREADING_PROP, ThreadingMode.SHARED.name());
    private String idleStrategyName = System.getProperty(IDLE_PROP, "yielding");
    private String durabilityName = System.getProperty(DURABILITY_PROP, DurabilityMode.SYNC.name());
    private long heartbeatIntervalNs = SystemUtil.getDurationInNanos(HEARTBEAT_INTERVAL_PROP,
        TimeUnit.MILLISECONDS.toNanos(15));
    private long electionTimeoutNs = SystemUtil.getDurationInNanos(ELECTION_TIMEOUT_PROP,
        TimeUnit.MILLISECONDS.toNanos(75));
    private long retransmitTimeoutNs = SystemUtil.getDurationInNanos(RETRANSMIT_TIMEOUT_PROP,
        TimeUnit.MILLISECONDS.toNanos(20));
    private long catchUpTimeoutNs = SystemUtil.getDurationInNanos(CATCH_UP_TIMEOUT_PROP,
        TimeUnit.MILLISECONDS.toNanos(20));
    private int windowSlots = Integer.getInteger(WINDOW_SLOTS_PROP, 512);
    private int windowBytes = (int)SystemUtil.getSizeAsLong(WINDOW_BYTES_PROP, 8 * 1024 * 1024);
    private int maxValueBytes = (int)SystemUtil.getSizeAsLong(MAX_VALUE_BYTES_PROP, 16 * 1024);
    private int maxBatchCommands = Integer.getInteger(MAX_BATCH_COMMANDS_PROP, 1024);
    private int maxSlotsPerAccept = Integer.getInteger(MAX_SLOTS_PER_ACCEPT_PROP, 32);
    private int maxMessageBytes = (int)SystemUtil.getSizeAsLong(MAX_MESSAGE_BYTES_PROP, 128 * 1024);
    private int learnerWindowSlots = Integer.getInteger(LEARNER_WINDOW_SLOTS_PROP, 512);
    private int maxClients = Integer.getInteger(MAX_CLIENTS_PROP, 4096);
    private int mtuLength = (int)SystemUtil.getSizeAsLong(MTU_PROP, 8192);
    private int termLength = (int)SystemUtil.getSizeAsLong(TERM_LENGTH_PROP, 4 * 1024 * 1024);
    private int ringBufferLength = (int)SystemUtil.getSizeAsLong(RING_BUFFER_LENGTH_PROP, 4 * 1024 * 1024);
    private int fragmentLimit = Integer.getInteger(FRAGMENT_LIMIT_PROP, 64);
    private long sessionTimeoutNs = SystemUtil.getDurationInNanos(SESSION_TIMEOUT_PROP, TimeUnit.SECONDS.toNanos(10));
    private DeliveryHandler deliveryHandler;
    private String clusterKeyFile = System.getProperty(CLUSTER_KEY_FILE_PROP);
    private boolean sourceCheck = Boolean.parseBoolean(System.getProperty(SOURCE_CHECK_PROP, "true"));
    private byte[] clusterKey;
    private String clientSecretFile = System.getProperty(CLIENT_SECRET_FILE_PROP);
    private Authenticator authenticator;
    private Authenticator concludedAuthenticator;

    private boolean concluded;
    private List<ClusterMember> clusterMembers;
    private ClusterMember self;
    private ThreadingMode threadingMode;
    private DurabilityMode durabilityMode;
    private ProtocolConfig protocolConfig;
    private LogContext logContext;

    /**
     * Validates every setting and derives the protocol and log settings.
     *
     * @throws IllegalArgumentException naming the first bad setting.
     */
    public NodeContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        clusterMembers = ClusterMember.parse(MEMBERS_PROP, members);
        self = null;
        for (final ClusterMember member : clusterMembers)
        {
            if (member.id() == memberId)
            {
                self = member;
            }
        }
        if (self == null)
        {
            throw new IllegalArgumentException(MEMBER_ID_PROP + "=" + memberId + " is not one of " + MEMBERS_PROP +
                "=" + members);
        }
        threadingMode = parseEnum(THREADING_PROP, ThreadingMode.class, threadingModeName);
        durabilityMode = parseEnum(DURABILITY_PROP, DurabilityMode.class, durabilityName);
        newIdleStrategy();
        if (mtuLength < 1408 || mtuLength > 65504 || mtuLength % 32 != 0)
        {
            throw new IllegalArgumentException(MTU_PROP + "=" + mtuLength + " must be a multiple of 32 in [1408, 65504]");
        }
        if (termLength < 64 * 1024 || Integer.bitCount(termLength) != 1)
        {
            throw new IllegalArgumentException(TERM_LENGTH_PROP + "=" + termLength + " must be a power of two >= 64 KiB");
        }
        if (maxMessageBytes > termLength / 8)
        {
            throw new IllegalArgumentException(MAX_MESSAGE_BYTES_PROP + "=" + maxMessageBytes +
                " exceeds what one Aeron message can carry with " + TERM_LENGTH_PROP + "=" + termLength);
        }
        if (ringBufferLength < 64 * 1024 || Integer.bitCount(ringBufferLength) != 1 ||
            maxMessageBytes > ringBufferLength / 8)
        {
            throw new IllegalArgumentException(RING_BUFFER_LENGTH_PROP + "=" + ringBufferLength +
                " must be a power of two >= 64 KiB holding messages of " + MAX_MESSAGE_BYTES_PROP);
        }
        if (fragmentLimit < 1)
        {
            throw new IllegalArgumentException(FRAGMENT_LIMIT_PROP + "=" + fragmentLimit + " must be positive");
        }
        if (sessionTimeoutNs < TimeUnit.SECONDS.toNanos(2))
        {
            throw new IllegalArgumentException(SESSION_TIMEOUT_PROP + "=" + sessionTimeoutNs +
                "ns must be at least 2 s: clients keep their sessions alive every second");
        }
        if (clusterId < 0)
        {
            throw new IllegalArgumentException(CLUSTER_ID_PROP + "=" + clusterId + " must not be negative");
        }

        final int[] ids = new int[clusterMembers.size()];
        for (int i = 0; i < ids.length; i++)
        {
            ids[i] = clusterMembers.get(i).id();
        }
        try
        {
            protocolConfig = new ProtocolConfig()
                .selfId(memberId)
                .memberIds(ids)
                .heartbeatIntervalNs(heartbeatIntervalNs)
                .electionTimeoutNs(electionTimeoutNs)
                .retransmitTimeoutNs(retransmitTimeoutNs)
                .catchUpTimeoutNs(catchUpTimeoutNs)
                .windowSlots(windowSlots)
                .windowBytes(windowBytes)
                .maxValueBytes(maxValueBytes)
                .maxBatchCommands(maxBatchCommands)
                .maxSlotsPerAccept(maxSlotsPerAccept)
                .maxMessageBytes(maxMessageBytes)
                .learnerWindowSlots(learnerWindowSlots)
                .maxClients(maxClients)
                .conclude();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("synod." + ex.getMessage().replace("invalid protocol setting ", ""), ex);
        }

        clusterKey = null;
        if (clusterKeyFile != null && !clusterKeyFile.isBlank())
        {
            clusterKey = io.synod.engine.transport.ClusterKey.read(CLUSTER_KEY_FILE_PROP, Path.of(clusterKeyFile));
            if (maxMessageBytes + io.synod.engine.transport.FrameAuthenticator.TRAILER_LENGTH > termLength / 8)
            {
                throw new IllegalArgumentException(MAX_MESSAGE_BYTES_PROP + "=" + maxMessageBytes + " leaves no room " +
                    "for the authentication trailer in one Aeron message with " + TERM_LENGTH_PROP + "=" + termLength);
            }
        }

        concludedAuthenticator = authenticator;
        if (concludedAuthenticator == null)
        {
            concludedAuthenticator = clientSecretFile != null && !clientSecretFile.isBlank() ?
                new SharedSecretAuthenticator(io.synod.engine.transport.ClusterKey.read(
                    CLIENT_SECRET_FILE_PROP, Path.of(clientSecretFile)), maxClients) :
                Authenticator.allowAll();
        }

        if (aeronDirectoryName == null)
        {
            final String base = new File("/dev/shm").isDirectory() ? "/dev/shm" : System.getProperty("java.io.tmpdir");
            aeronDirectoryName = base + File.separator + "synod-" + clusterId + "-" + memberId;
        }
        logContext = new LogContext()
            .directory(memberDirectory().resolve("log"))
            .clusterId(clusterId)
            .memberId(memberId)
            .durabilityMode(durabilityMode)
            .maxValueLengthBytes(Math.max(maxValueBytes, 1))
            .conclude();
        concluded = true;
        return this;
    }

    public IdleStrategy newIdleStrategy()
    {
        switch (idleStrategyName)
        {
            case "yielding": return new YieldingIdleStrategy();
            case "busy": case "busy-spin": return new BusySpinIdleStrategy();
            case "backoff": return new BackoffIdleStrategy();
            case "sleeping": return new SleepingMillisIdleStrategy(1);
            case "noop": return NoOpIdleStrategy.INSTANCE;
            default:
                throw new IllegalArgumentException(IDLE_PROP + "=" + idleStrategyName +
                    " is not one of yielding, busy, backoff, sleeping, noop");
        }
    }

    /**
     * Directory of this member's files: its log and the file telling {@code synod stat} where its
     * counters are.
     */
    public Path memberDirectory()
    {
        return directory.resolve("member-" + memberId);
    }

    public String describe()
    {
        return "cluster=" + clusterId + " member=" + memberId + " members=" + members + " threading=" +
            threadingModeName + " idle=" + idleStrategyName + " durability=" + durabilityName + " mtu=" + mtuLength +
            " window=" + windowSlots + " slots/" + windowBytes + " B batch<=" + maxBatchCommands + " commands/" +
            maxValueBytes + " B slotsPerAccept<=" + maxSlotsPerAccept + " heartbeat=" +
            TimeUnit.NANOSECONDS.toMillis(heartbeatIntervalNs) + "ms electionTimeout=" +
            TimeUnit.NANOSECONDS.toMillis(electionTimeoutNs) + "ms";
    }

    private static <E extends Enum<E>> E parseEnum(final String setting, final Class<E> type, final String value)
    {
        try
        {
            return Enum.valueOf(type, value.trim().toUpperCase());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(setting + "=" + value + " is not one of " +
                java.util.Arrays.toString(type.getEnumConstants()), ex);
        }
    }

    // ------------------------------------------------------------------ accessors

    public int clusterId()
    {
        return clusterId;
    }

    public NodeContext clusterId(final int clusterId)
    {
        this.clusterId = clusterId;
        return this;
    }

    public int memberId()
    {
        return memberId;
    }

    public NodeContext memberId(final int memberId)
    {
        this.memberId = memberId;
        return this;
    }

    public String members()
    {
        return members;
    }

    public NodeContext members(final String members)
    {
        this.members = members;
        return this;
    }

    public Path directory()
    {
        return directory;
    }

    public NodeContext directory(final Path directory)
    {
        this.directory = directory;
        return this;
    }

    public String aeronDirectoryName()
    {
        return aeronDirectoryName;
    }

    public NodeContext aeronDirectoryName(final String aeronDirectoryName)
    {
        this.aeronDirectoryName = aeronDirectoryName;
        return this;
    }

    public boolean embeddedDriver()
    {
        return embeddedDriver;
    }

    public NodeContext embeddedDriver(final boolean embeddedDriver)
    {
        this.embeddedDriver = embeddedDriver;
        return this;
    }

    public String threading()
    {
        return threadingModeName;
    }

    public NodeContext threading(final String threadingModeName)
    {
        this.threadingModeName = threadingModeName;
        return this;
    }

    public String idle()
    {
        return idleStrategyName;
    }

    public NodeContext idle(final String idleStrategyName)
    {
        this.idleStrategyName = idleStrategyName;
        return this;
    }

    public String durability()
    {
        return durabilityName;
    }

    public NodeContext durability(final String durabilityName)
    {
        this.durabilityName = durabilityName;
        return this;
    }

    public long heartbeatIntervalNs()
    {
        return heartbeatIntervalNs;
    }

    public NodeContext heartbeatIntervalNs(final long heartbeatIntervalNs)
    {
        this.heartbeatIntervalNs = heartbeatIntervalNs;
        return this;
    }

    public long electionTimeoutNs()
    {
        return electionTimeoutNs;
    }

    public NodeContext electionTimeoutNs(final long electionTimeoutNs)
    {
        this.electionTimeoutNs = electionTimeoutNs;
        return this;
    }

    public long retransmitTimeoutNs()
    {
        return retransmitTimeoutNs;
    }

    public NodeContext retransmitTimeoutNs(final long retransmitTimeoutNs)
    {
        this.retransmitTimeoutNs = retransmitTimeoutNs;
        return this;
    }

    public long catchUpTimeoutNs()
    {
        return catchUpTimeoutNs;
    }

    public NodeContext catchUpTimeoutNs(final long catchUpTimeoutNs)
    {
        this.catchUpTimeoutNs = catchUpTimeoutNs;
        return this;
    }

    public int windowSlots()
    {
        return windowSlots;
    }

    public NodeContext windowSlots(final int windowSlots)
    {
        this.windowSlots = windowSlots;
        return this;
    }

    public int windowBytes()
    {
        return windowBytes;
    }

    public NodeContext windowBytes(final int windowBytes)
    {
        this.windowBytes = windowBytes;
        return this;
    }

    public int maxValueBytes()
    {
        return maxValueBytes;
    }

    public NodeContext maxValueBytes(final int maxValueBytes)
    {
        this.maxValueBytes = maxValueBytes;
        return this;
    }

    public int maxBatchCommands()
    {
        return maxBatchCommands;
    }

    public NodeContext maxBatchCommands(final int maxBatchCommands)
    {
        this.maxBatchCommands = maxBatchCommands;
        return this;
    }

    public int maxSlotsPerAccept()
    {
        return maxSlotsPerAccept;
    }

    public NodeContext maxSlotsPerAccept(final int maxSlotsPerAccept)
    {
        this.maxSlotsPerAccept = maxSlotsPerAccept;
        return this;
    }

    public int maxMessageBytes()
    {
        return maxMessageBytes;
    }

    public NodeContext maxMessageBytes(final int maxMessageBytes)
    {
        this.maxMessageBytes = maxMessageBytes;
        return this;
    }

    public int learnerWindowSlots()
    {
        return learnerWindowSlots;
    }

    public NodeContext learnerWindowSlots(final int learnerWindowSlots)
    {
        this.learnerWindowSlots = learnerWindowSlots;
        return this;
    }

    public int maxClients()
    {
        return maxClients;
    }

    public NodeContext maxClients(final int maxClients)
    {
        this.maxClients = maxClients;
        return this;
    }

    public int mtuLength()
    {
        return mtuLength;
    }

    public NodeContext mtuLength(final int mtuLength)
    {
        this.mtuLength = mtuLength;
        return this;
    }

    public int termLength()
    {
        return termLength;
    }

    public NodeContext termLength(final int termLength)
    {
        this.termLength = termLength;
        return this;
    }

    public int ringBufferLength()
    {
        return ringBufferLength;
    }

    public NodeContext ringBufferLength(final int ringBufferLength)
    {
        this.ringBufferLength = ringBufferLength;
        return this;
    }

    public int fragmentLimit()
    {
        return fragmentLimit;
    }

    public NodeContext fragmentLimit(final int fragmentLimit)
    {
        this.fragmentLimit = fragmentLimit;
        return this;
    }

    /**
     * A client session nobody kept alive for this long is closed.
     */
    public long sessionTimeoutNs()
    {
        return sessionTimeoutNs;
    }

    public NodeContext sessionTimeoutNs(final long sessionTimeoutNs)
    {
        this.sessionTimeoutNs = sessionTimeoutNs;
        return this;
    }

    /**
     * Receives the delivered log in slot order, on the learner's thread. Optional.
     */
    public DeliveryHandler deliveryHandler()
    {
        return deliveryHandler;
    }

    public NodeContext deliveryHandler(final DeliveryHandler deliveryHandler)
    {
        this.deliveryHandler = deliveryHandler;
        return this;
    }

    /**
     * File holding the cluster key ({@code synod keygen}); with it every replica frame is
     * authenticated. Null (the default): member traffic is unauthenticated.
     */
    public String clusterKeyFile()
    {
        return clusterKeyFile;
    }

    public NodeContext clusterKeyFile(final String clusterKeyFile)
    {
        this.clusterKeyFile = clusterKeyFile;
        return this;
    }

    /**
     * Whether replica frames must come from their member's configured host (default true).
     */
    public boolean sourceCheck()
    {
        return sourceCheck;
    }

    public NodeContext sourceCheck(final boolean sourceCheck)
    {
        this.sourceCheck = sourceCheck;
        return this;
    }

    /**
     * File holding the secret clients prove they know (same format and permissions as the cluster
     * key, made by {@code synod keygen}); with it the default authenticator is a
     * {@link SharedSecretAuthenticator}. Null (the default): every client is accepted.
     */
    public String clientSecretFile()
    {
        return clientSecretFile;
    }

    public NodeContext clientSecretFile(final String clientSecretFile)
    {
        this.clientSecretFile = clientSecretFile;
        return this;
    }

    /**
     * Decides which clients may open a session; overrides {@link #clientSecretFile()}. Default: from
     * the secret file if there is one, else {@link Authenticator#allowAll()}.
     */
    public NodeContext authenticator(final Authenticator authenticator)
    {
        this.authenticator = authenticator;
        return this;
    }

    // ------------------------------------------------------------------ derived, after conclude()

    /**
     * The authenticator in force, after {@link #conclude()}.
     */
    public Authenticator authenticator()
    {
        return concludedAuthenticator;
    }

    /**
     * The cluster key read from {@link #clusterKeyFile()}, or null without one.
     */
    public byte[] clusterKey()
    {
        return clusterKey;
    }

    public List<ClusterMember> clusterMembers()
    {
        return clusterMembers;
    }

    public ClusterMember self()
    {
        return self;
    }

    public ThreadingMode threadingMode()
    {
        return threadingMode;
    }

    public DurabilityMode durabilityMode()
    {
        return durabilityMode;
    }

    public ProtocolConfig protocolConfig()
    {
        return protocolConfig;
    }

    public LogContext logContext()
    {
        return logContext;
    }
}
