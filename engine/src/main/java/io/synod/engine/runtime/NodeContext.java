package io.synod.engine.runtime;

import io.synod.engine.log.DurabilityMode;
import io.synod.engine.log.LogContext;
import io.synod.engine.log.MappedSegmentFile;
import io.synod.engine.log.SegmentFileFactory;
import io.synod.engine.protocol.DeliveryHandler;
import io.synod.engine.protocol.ProtocolConfig;
import io.synod.engine.protocol.ProtocolConfiguration;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.nio.file.Path;
import java.util.List;

import static io.synod.engine.config.SettingValues.booleanValue;
import static io.synod.engine.config.SettingValues.durationNs;
import static io.synod.engine.config.SettingValues.durationText;
import static io.synod.engine.config.SettingValues.intValue;
import static io.synod.engine.config.SettingValues.longValue;
import static io.synod.engine.config.SettingValues.invalid;
import static io.synod.engine.config.SettingValues.sizeText;
import static io.synod.engine.config.SettingValues.sizeValue;
import static io.synod.engine.config.SettingValues.stringValue;

/**
 * Every setting of one node, Aeron style: a default, a {@code synod.*} system property read at
 * construction, and a same-named fluent accessor. Names, defaults and ranges are defined once, in
 * {@link NodeConfiguration} and {@link ProtocolConfiguration}. {@link #conclude()} validates once (a
 * second call throws) and fails fast naming the property and the accepted range. Not thread-safe: fill
 * it, hand it to {@link SynodNode#launch}, which concludes it.
 */
public final class NodeContext
{
    // Aliases of the names in NodeConfiguration/ProtocolConfiguration, for callers that know only the Context.
    public static final String CLUSTER_ID_PROP = NodeConfiguration.CLUSTER_ID_PROP;
    public static final String MEMBER_ID_PROP = NodeConfiguration.MEMBER_ID_PROP;
    public static final String MEMBERS_PROP = NodeConfiguration.MEMBERS_PROP;
    public static final String DIR_PROP = NodeConfiguration.DIR_PROP;
    public static final String AERON_DIR_PROP = NodeConfiguration.AERON_DIR_PROP;
    public static final String EMBEDDED_DRIVER_PROP = NodeConfiguration.EMBEDDED_DRIVER_PROP;
    public static final String THREADING_PROP = NodeConfiguration.THREADING_PROP;
    public static final String IDLE_PROP = NodeConfiguration.IDLE_PROP;
    public static final String DURABILITY_PROP = NodeConfiguration.DURABILITY_PROP;
    public static final String HEARTBEAT_INTERVAL_PROP = ProtocolConfiguration.HEARTBEAT_INTERVAL_PROP;
    public static final String ELECTION_TIMEOUT_PROP = ProtocolConfiguration.ELECTION_TIMEOUT_PROP;
    public static final String RETRANSMIT_TIMEOUT_PROP = ProtocolConfiguration.RETRANSMIT_TIMEOUT_PROP;
    public static final String CATCH_UP_TIMEOUT_PROP = ProtocolConfiguration.CATCH_UP_TIMEOUT_PROP;
    public static final String WINDOW_SLOTS_PROP = ProtocolConfiguration.WINDOW_SLOTS_PROP;
    public static final String WINDOW_BYTES_PROP = ProtocolConfiguration.WINDOW_BYTES_PROP;
    public static final String MAX_VALUE_BYTES_PROP = ProtocolConfiguration.MAX_VALUE_BYTES_PROP;
    public static final String MAX_BATCH_COMMANDS_PROP = ProtocolConfiguration.MAX_BATCH_COMMANDS_PROP;
    public static final String MAX_SLOTS_PER_ACCEPT_PROP = ProtocolConfiguration.MAX_SLOTS_PER_ACCEPT_PROP;
    public static final String MAX_MESSAGE_BYTES_PROP = ProtocolConfiguration.MAX_MESSAGE_BYTES_PROP;
    public static final String LEARNER_WINDOW_SLOTS_PROP = ProtocolConfiguration.LEARNER_WINDOW_SLOTS_PROP;
    public static final String MAX_CLIENTS_PROP = ProtocolConfiguration.MAX_CLIENTS_PROP;
    public static final String MTU_PROP = NodeConfiguration.MTU_PROP;
    public static final String TERM_LENGTH_PROP = NodeConfiguration.TERM_LENGTH_PROP;
    public static final String RING_BUFFER_LENGTH_PROP = NodeConfiguration.RING_BUFFER_LENGTH_PROP;
    public static final String FRAGMENT_LIMIT_PROP = NodeConfiguration.FRAGMENT_LIMIT_PROP;
    public static final String SESSION_TIMEOUT_PROP = NodeConfiguration.SESSION_TIMEOUT_PROP;
    public static final String CYCLE_THRESHOLD_PROP = NodeConfiguration.CYCLE_THRESHOLD_PROP;
    public static final String MAX_ROUND_JUMP_PROP = ProtocolConfiguration.MAX_ROUND_JUMP_PROP;
    public static final String CLUSTER_KEY_FILE_PROP = NodeConfiguration.CLUSTER_KEY_FILE_PROP;
    public static final String SOURCE_CHECK_PROP = NodeConfiguration.MEMBER_SOURCE_CHECK_PROP;
    public static final String CLIENT_SECRET_FILE_PROP = NodeConfiguration.CLIENT_SECRET_FILE_PROP;
    public static final long CYCLE_THRESHOLD_NS_DEFAULT = NodeConfiguration.CYCLE_THRESHOLD_DEFAULT_NS;

    public static final String MEMBERS_DEFAULT = NodeConfiguration.MEMBERS_DEFAULT;

    private int clusterId = intValue(CLUSTER_ID_PROP, NodeConfiguration.CLUSTER_ID_DEFAULT);
    private int memberId = intValue(MEMBER_ID_PROP, NodeConfiguration.MEMBER_ID_DEFAULT);
    private String members = stringValue(MEMBERS_PROP, NodeConfiguration.MEMBERS_DEFAULT);
    private Path directory = Path.of(stringValue(DIR_PROP, NodeConfiguration.DIR_DEFAULT));
    private String aeronDirectoryName = stringValue(AERON_DIR_PROP, null);
    private boolean embeddedDriver = booleanValue(EMBEDDED_DRIVER_PROP, NodeConfiguration.EMBEDDED_DRIVER_DEFAULT);
    private String threadingModeName = stringValue(THREADING_PROP, NodeConfiguration.THREADING_DEFAULT);
    private String idleStrategyName = stringValue(IDLE_PROP, NodeConfiguration.IDLE_DEFAULT);
    private String durabilityName = stringValue(DURABILITY_PROP, NodeConfiguration.DURABILITY_DEFAULT);
    private long heartbeatIntervalNs = durationNs(HEARTBEAT_INTERVAL_PROP,
        ProtocolConfiguration.HEARTBEAT_INTERVAL_DEFAULT_NS);
    private long electionTimeoutNs = durationNs(ELECTION_TIMEOUT_PROP, ProtocolConfiguration.ELECTION_TIMEOUT_DEFAULT_NS);
    private long retransmitTimeoutNs = durationNs(RETRANSMIT_TIMEOUT_PROP,
        ProtocolConfiguration.RETRANSMIT_TIMEOUT_DEFAULT_NS);
    private long catchUpTimeoutNs = durationNs(CATCH_UP_TIMEOUT_PROP, ProtocolConfiguration.CATCH_UP_TIMEOUT_DEFAULT_NS);
    private int windowSlots = intValue(WINDOW_SLOTS_PROP, ProtocolConfiguration.WINDOW_SLOTS_DEFAULT);
    private int windowBytes = sizeValue(WINDOW_BYTES_PROP, ProtocolConfiguration.WINDOW_BYTES_DEFAULT);
    private int maxValueBytes = sizeValue(MAX_VALUE_BYTES_PROP, ProtocolConfiguration.MAX_VALUE_BYTES_DEFAULT);
    private int maxBatchCommands = intValue(MAX_BATCH_COMMANDS_PROP, ProtocolConfiguration.MAX_BATCH_COMMANDS_DEFAULT);
    private int maxSlotsPerAccept = intValue(MAX_SLOTS_PER_ACCEPT_PROP,
        ProtocolConfiguration.MAX_SLOTS_PER_ACCEPT_DEFAULT);
    private int maxMessageBytes = sizeValue(MAX_MESSAGE_BYTES_PROP, ProtocolConfiguration.MAX_MESSAGE_BYTES_DEFAULT);
    private int learnerWindowSlots = intValue(LEARNER_WINDOW_SLOTS_PROP,
        ProtocolConfiguration.LEARNER_WINDOW_SLOTS_DEFAULT);
    private int maxChosenRanges = intValue(ProtocolConfiguration.MAX_CHOSEN_RANGES_PROP,
        ProtocolConfiguration.MAX_CHOSEN_RANGES_DEFAULT);
    private int maxPendingReplies = intValue(ProtocolConfiguration.MAX_PENDING_REPLIES_PROP,
        ProtocolConfiguration.MAX_PENDING_REPLIES_DEFAULT);
    private int maxClients = intValue(MAX_CLIENTS_PROP, ProtocolConfiguration.MAX_CLIENTS_DEFAULT);
    private long maxRoundJump = longValue(MAX_ROUND_JUMP_PROP, ProtocolConfiguration.MAX_ROUND_JUMP_DEFAULT);
    private int mtuLength = sizeValue(MTU_PROP, NodeConfiguration.MTU_DEFAULT);
    private int termLength = sizeValue(TERM_LENGTH_PROP, NodeConfiguration.TERM_LENGTH_DEFAULT);
    private int ringBufferLength = sizeValue(RING_BUFFER_LENGTH_PROP, NodeConfiguration.RING_BUFFER_LENGTH_DEFAULT);
    private int fragmentLimit = intValue(FRAGMENT_LIMIT_PROP, NodeConfiguration.FRAGMENT_LIMIT_DEFAULT);
    private long sessionTimeoutNs = durationNs(SESSION_TIMEOUT_PROP, NodeConfiguration.SESSION_TIMEOUT_DEFAULT_NS);
    private long cycleThresholdNs = durationNs(CYCLE_THRESHOLD_PROP, NodeConfiguration.CYCLE_THRESHOLD_DEFAULT_NS);
    private SegmentFileFactory segmentFileFactory = MappedSegmentFile.FACTORY;
    private DeliveryHandler deliveryHandler;
    private String clusterKeyFile = stringValue(CLUSTER_KEY_FILE_PROP, null);
    private boolean sourceCheck = booleanValue(SOURCE_CHECK_PROP, NodeConfiguration.MEMBER_SOURCE_CHECK_DEFAULT);
    private byte[] clusterKey;
    private String clientSecretFile = stringValue(CLIENT_SECRET_FILE_PROP, null);
    private Authenticator authenticator;
    private Authenticator concludedAuthenticator;

    private boolean concluded;
    private List<ClusterMember> clusterMembers;
    private ClusterMember self;
    private ThreadingMode threadingMode;
    private DurabilityMode durabilityMode;
    private ProtocolConfig protocolConfig;
    private LogContext logContext;
    private long membershipFingerprint;

    /**
     * Validates every setting and derives the protocol and log settings.
     *
     * @throws IllegalArgumentException naming the first bad setting.
     */
    public NodeContext conclude()
    {
        if (concluded)
        {
            throw new IllegalStateException("NodeContext is already concluded (SynodNode.launch concludes it)");
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
            throw invalid(MEMBER_ID_PROP, memberId, "is not one of " + MEMBERS_PROP + "=" + members);
        }
        threadingMode = parseEnum(THREADING_PROP, ThreadingMode.class, threadingModeName);
        durabilityMode = parseEnum(DURABILITY_PROP, DurabilityMode.class, durabilityName);
        newIdleStrategy();
        if (mtuLength < NodeConfiguration.MTU_MIN || mtuLength > NodeConfiguration.MTU_MAX || mtuLength % 32 != 0)
        {
            throw invalid(MTU_PROP, mtuLength, "must be a multiple of 32 in [" + NodeConfiguration.MTU_MIN + ", " +
                NodeConfiguration.MTU_MAX + "]");
        }
        powerOfTwo(TERM_LENGTH_PROP, termLength, NodeConfiguration.TERM_LENGTH_MIN, NodeConfiguration.TERM_LENGTH_MAX);
        if (maxMessageBytes > termLength / 8)
        {
            throw invalid(MAX_MESSAGE_BYTES_PROP, maxMessageBytes, "must be <= " + TERM_LENGTH_PROP + " / 8 = " +
                termLength / 8 + " (what one Aeron message can carry)");
        }
        powerOfTwo(RING_BUFFER_LENGTH_PROP, ringBufferLength,
            NodeConfiguration.RING_BUFFER_LENGTH_MIN, NodeConfiguration.RING_BUFFER_LENGTH_MAX);
        if (maxMessageBytes > ringBufferLength / 8)
        {
            throw invalid(MAX_MESSAGE_BYTES_PROP, maxMessageBytes, "must be <= " + RING_BUFFER_LENGTH_PROP + " / 8 = " +
                ringBufferLength / 8);
        }
        if (fragmentLimit < 1)
        {
            throw invalid(FRAGMENT_LIMIT_PROP, fragmentLimit, "must be positive");
        }
        if (sessionTimeoutNs < NodeConfiguration.SESSION_TIMEOUT_MIN_NS)
        {
            throw invalid(SESSION_TIMEOUT_PROP, durationText(sessionTimeoutNs), "must be at least " +
                durationText(NodeConfiguration.SESSION_TIMEOUT_MIN_NS) + ": clients keep their sessions alive every second");
        }
        if (cycleThresholdNs <= 0)
        {
            throw invalid(CYCLE_THRESHOLD_PROP, durationText(cycleThresholdNs), "must be positive");
        }
        if (clusterId < 0)
        {
            throw invalid(CLUSTER_ID_PROP, clusterId, "must not be negative");
        }

        final int[] ids = new int[clusterMembers.size()];
        for (int i = 0; i < ids.length; i++)
        {
            ids[i] = clusterMembers.get(i).id();
        }
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
            .maxChosenRanges(maxChosenRanges)
            .maxPendingReplies(maxPendingReplies)
            .maxClients(maxClients)
            .maxRoundJump(maxRoundJump)
            .conclude();

        membershipFingerprint = ClusterMember.fingerprint(clusterId, clusterMembers);

        clusterKey = null;
        if (clusterKeyFile != null && !clusterKeyFile.isBlank())
        {
            clusterKey = io.synod.engine.transport.ClusterKey.read(CLUSTER_KEY_FILE_PROP, Path.of(clusterKeyFile));
            if (maxMessageBytes + io.synod.engine.transport.FrameAuthenticator.TRAILER_LENGTH > termLength / 8)
            {
                throw invalid(MAX_MESSAGE_BYTES_PROP, maxMessageBytes, "leaves no room for the authentication " +
                    "trailer in one Aeron message with " + TERM_LENGTH_PROP + "=" + termLength);
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
            aeronDirectoryName = NodeConfiguration.defaultAeronDirectoryName(clusterId, memberId, memberDirectory());
        }
        logContext = new LogContext()
            .directory(memberDirectory().resolve("log"))
            .clusterId(clusterId)
            .memberId(memberId)
            .durabilityMode(durabilityMode)
            .maxValueLengthBytes(Math.max(maxValueBytes, 1))
            .segmentFileFactory(segmentFileFactory)
            .conclude();
        concluded = true;
        return this;
    }

    public boolean isConcluded()
    {
        return concluded;
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
                throw invalid(IDLE_PROP, idleStrategyName, "is not one of " + NodeConfiguration.IDLE_CHOICES);
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

    /**
     * The settings a figure depends on, one line, from the concluded values (never typed by hand).
     */
    public String describe()
    {
        if (!concluded)
        {
            throw new IllegalStateException("describe() needs a concluded NodeContext");
        }
        return "cluster=" + clusterId + " member=" + memberId + " members=" + members + " threading=" +
            threadingMode + " idle=" + idleStrategyName + " durability=" + durabilityMode + " mtu=" + mtuLength +
            " term-length=" + sizeText(termLength) + " window=" + windowSlots + " slots/" + sizeText(windowBytes) +
            " batch<=" + maxBatchCommands + " commands/" + sizeText(maxValueBytes) + " slotsPerAccept<=" +
            maxSlotsPerAccept + " heartbeat=" + durationText(heartbeatIntervalNs) + " electionTimeout=" +
            durationText(electionTimeoutNs);
    }

    private static <E extends Enum<E>> E parseEnum(final String setting, final Class<E> type, final String value)
    {
        try
        {
            return Enum.valueOf(type, value.trim().toUpperCase());
        }
        catch (final IllegalArgumentException ex)
        {
            throw invalid(setting, value, "is not one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    private static void powerOfTwo(final String name, final int value, final int min, final int max)
    {
        if (value < min || value > max || Integer.bitCount(value) != 1)
        {
            throw invalid(name, value, "must be a power of two in [" + sizeText(min) + ", " + sizeText(max) + "]");
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

    public int maxChosenRanges()
    {
        return maxChosenRanges;
    }

    public NodeContext maxChosenRanges(final int maxChosenRanges)
    {
        this.maxChosenRanges = maxChosenRanges;
        return this;
    }

    public int maxPendingReplies()
    {
        return maxPendingReplies;
    }

    public NodeContext maxPendingReplies(final int maxPendingReplies)
    {
        this.maxPendingReplies = maxPendingReplies;
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

    /**
     * Most rounds a received ballot may jump past the highest one seen ({@value #MAX_ROUND_JUMP_PROP});
     * see {@link ProtocolConfig#maxRoundJump(long)}.
     */
    public long maxRoundJump()
    {
        return maxRoundJump;
    }

    public NodeContext maxRoundJump(final long maxRoundJump)
    {
        this.maxRoundJump = maxRoundJump;
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

    public long cycleThresholdNs()
    {
        return cycleThresholdNs;
    }

    /**
     * Duty cycles longer than this are counted per agent as stalls ({@value #CYCLE_THRESHOLD_PROP}).
     */
    public NodeContext cycleThresholdNs(final long cycleThresholdNs)
    {
        this.cycleThresholdNs = cycleThresholdNs;
        return this;
    }

    public SegmentFileFactory segmentFileFactory()
    {
        return segmentFileFactory;
    }

    /**
     * How the log's files are created, mapped and forced; tests substitute one that records or injects
     * faults. Default: {@link MappedSegmentFile#FACTORY}.
     */
    public NodeContext segmentFileFactory(final SegmentFileFactory segmentFileFactory)
    {
        this.segmentFileFactory = segmentFileFactory;
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

    /**
     * Fingerprint of the cluster id and member list this node runs; peers refuse a different one.
     */
    public long membershipFingerprint()
    {
        return membershipFingerprint;
    }
}
