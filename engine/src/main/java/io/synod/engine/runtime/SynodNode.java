package io.synod.engine.runtime;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.synod.engine.log.LogFailureException;
import io.synod.engine.log.MappedAcceptorStore;
import io.synod.engine.protocol.Acceptor;
import io.synod.engine.protocol.DeliveryHandler;
import io.synod.engine.protocol.Leader;
import io.synod.engine.protocol.Learner;
import io.synod.engine.protocol.ProtocolConfig;
import io.synod.engine.transport.AcceptorAdapter;
import io.synod.engine.transport.FrameAuthenticator;
import io.synod.engine.transport.LeaderAdapter;
import io.synod.engine.transport.LearnerAdapter;
import io.synod.engine.transport.LocalRings;
import io.synod.engine.transport.MessagePublisher;
import io.synod.engine.transport.Streams;
import io.synod.engine.log.DurabilityMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import java.util.concurrent.TimeUnit;
import org.agrona.ErrorHandler;
import org.agrona.IoUtil;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;

/**
 * One replica: acceptor, leader and learner agents over the memory-mapped log, talking to peers over
 * Aeron UDP and to each other through ring buffers, with an embedded media driver by default, and a
 * log syncer agent that does the log's slow work (forces, checkpoints, segment creation).
 * <p>
 * Threads depend on the {@link ThreadingMode} (see {@link #threadLayout(ThreadingMode)}): DEDICATED gives
 * each role, the syncer, the driver and the Aeron client conductor a thread; SHARED runs the roles,
 * driver and conductor on one thread and the syncer on a second, so a force never stops the roles;
 * INVOKER runs none, and the embedding application calls {@link #doWork()}, which drives the syncer
 * too. Launch and close from one thread.
 */
public final class SynodNode implements AutoCloseable
{
    public static final String NODE_FILE_NAME = "node.properties";

    private final NodeContext ctx;
    // Set once each while the node starts, and not final only so that a failed start can close
    // exactly what it opened before the failure (see start()).
    private DataDirectoryLock lock;
    private MediaDriver driver;
    private Aeron aeron;
    private MappedAcceptorStore store;
    private NodeCounters counters;
    private AgentCounters agentCounters;
    private ClientSessions sessions;
    private Leader leader;
    private Learner learner;
    private Acceptor acceptor;
    private final List<AgentRunner> runners = new ArrayList<>();
    private AgentInvoker invoker;
    private boolean createdMemberDirectory;
    private boolean createdLogDirectory;
    private volatile Throwable fatalError;

    private SynodNode(final NodeContext ctx, final PrintStream out)
    {
        this.ctx = ctx;
        try
        {
            start(out);
        }
        catch (final RuntimeException | Error ex)
        {
            // Whatever failed (a port in use, an unwritable file, a damaged log), nothing this start
            // opened outlives it: no driver directory, thread, mapping or lock is left behind.
            // Everything but the lock first: what is deleted below is ours only while we hold it.
            final DataDirectoryLock heldLock = lock;
            lock = null;
            close();
            if (heldLock != null)
            {
                // A first start that failed leaves no data directory (its 64 MiB segment included); a
                // restart that failed keeps its log, which holds promises and accepted values.
                if (createdMemberDirectory)
                {
                    IoUtil.delete(ctx.memberDirectory().toFile(), true);
                }
                else if (createdLogDirectory)
                {
                    IoUtil.delete(ctx.logContext().directory().toFile(), true);
                }
                heldLock.close();
            }
            throw ex;
        }
    }

    private void start(final PrintStream out)
    {
        final ThreadingMode mode = ctx.threadingMode();
        final ProtocolConfig config = ctx.protocolConfig();
        final NanoClock clock = SystemNanoClock.INSTANCE;
        final ErrorHandler errorHandler = this::onError;

        createdMemberDirectory = !Files.exists(ctx.memberDirectory());
        try
        {
            Files.createDirectories(ctx.memberDirectory());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create " + ctx.memberDirectory(), ex);
        }
        // Before the driver: a second node on this directory would share its default Aeron directory
        // and delete the first node's driver files on start.
        lock = DataDirectoryLock.acquire(ctx.memberDirectory());
        createdLogDirectory = !Files.exists(ctx.logContext().directory());

        if (ctx.embeddedDriver())
        {
            final MediaDriver.Context driverCtx = new MediaDriver.Context()
                .aeronDirectoryName(ctx.aeronDirectoryName())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .termBufferSparseFile(true)
                .publicationTermBufferLength(ctx.termLength())
                .ipcTermBufferLength(ctx.termLength())
                .mtuLength(ctx.mtuLength())
                .errorHandler(errorHandler)
                .threadingMode(mode == ThreadingMode.DEDICATED ?
                    io.aeron.driver.ThreadingMode.SHARED : io.aeron.driver.ThreadingMode.INVOKER)
                .sharedIdleStrategy(ctx.newIdleStrategy());
            driver = MediaDriver.launch(driverCtx);
        }
        final Aeron.Context aeronCtx = new Aeron.Context()
            .aeronDirectoryName(ctx.aeronDirectoryName())
            .errorHandler(errorHandler)
            .useConductorAgentInvoker(mode != ThreadingMode.DEDICATED)
            .idleStrategy(ctx.newIdleStrategy());
        if (driver != null && driver.sharedAgentInvoker() != null)
        {
            aeronCtx.driverAgentInvoker(driver.sharedAgentInvoker());
        }
        aeron = Aeron.connect(aeronCtx);
        store = MappedAcceptorStore.open(ctx.logContext());

        counters = new NodeCounters(aeron, ctx.clusterId(), ctx.memberId());
        agentCounters = new AgentCounters(aeron, ctx.clusterId(), ctx.memberId(), ctx.cycleThresholdNs(), clock);
        final LocalRings rings = new LocalRings(ctx.ringBufferLength());
        final int[] memberIds = config.memberIds();
        final List<ClusterMember> members = ctx.clusterMembers();

        final MemberSecurity security = new MemberSecurity(ctx);
        final MessagePublisher acceptorOut = new MessagePublisher(ctx.clusterId(), ctx.memberId(), memberIds,
            null, publications(members, Streams.LEADER_STREAM_ID), publications(members, Streams.LEARNER_STREAM_ID),
            rings, ctx.maxMessageBytes(), counters.backPressure);
        acceptorOut.membershipFingerprint(ctx.membershipFingerprint());
        security.sign(acceptorOut, FrameAuthenticator.ROLE_ACCEPTOR);
        sessions = new ClientSessions(
            aeron, ctx.clusterId(), ctx.memberId(), ctx.maxClients(), members, counters, ctx.sessionTimeoutNs(),
            ctx.authenticator());
        final MessagePublisher leaderOut = new MessagePublisher(ctx.clusterId(), ctx.memberId(), memberIds,
            publications(members, Streams.REPLICA_STREAM_ID), null, null, rings, ctx.maxMessageBytes(),
            counters.backPressure);
        leaderOut.membershipFingerprint(ctx.membershipFingerprint());
        security.sign(leaderOut, FrameAuthenticator.ROLE_LEADER);
        final MessagePublisher learnerOut = new MessagePublisher(ctx.clusterId(), ctx.memberId(), memberIds,
            publications(members, Streams.REPLICA_STREAM_ID), null, null, rings, ctx.maxMessageBytes(),
            counters.backPressure);
        learnerOut.membershipFingerprint(ctx.membershipFingerprint());
        security.sign(learnerOut, FrameAuthenticator.ROLE_LEARNER);

        final long nowNs = clock.nanoTime();
        final SplittableRandom random = new SplittableRandom(nowNs ^ ((long)ctx.memberId() << 32));
        acceptor = new Acceptor(config, store, acceptorOut);
        leader = new Leader(config, leaderOut, random::nextLong, store.promisedBallot(), nowNs);
        sessions.leader(leader);
        final DeliveryHandler handler = ctx.deliveryHandler() != null ? ctx.deliveryHandler() :
            (slot, clientId, sequence, buffer, offset, length) -> {};
        // A restarted learner replays the log from its start, which rebuilds the applied-sequence
        // table and the application's state alike.
        learner = new Learner(config, learnerOut, handler, 0);

        final String selfChannel = "aeron:udp?endpoint=" + ctx.self().endpoint();
        final AcceptorAdapter acceptorAdapter =
            new AcceptorAdapter(ctx.clusterId(), config, ctx.maxMessageBytes(), counters.invalidDropped, acceptor);
        final LeaderAdapter leaderAdapter =
            new LeaderAdapter(ctx.clusterId(), config, ctx.maxMessageBytes(), counters.invalidDropped, leader, sessions);
        final LearnerAdapter learnerAdapter =
            new LearnerAdapter(ctx.clusterId(), config, ctx.maxMessageBytes(), counters.invalidDropped, learner);
        security.verify(acceptorAdapter, counters);
        security.verify(leaderAdapter, counters);
        security.verify(learnerAdapter, counters);
        acceptorAdapter.membershipFingerprint(ctx.membershipFingerprint(), counters.membershipRefused);
        leaderAdapter.membershipFingerprint(ctx.membershipFingerprint(), counters.membershipRefused);
        learnerAdapter.membershipFingerprint(ctx.membershipFingerprint(), counters.membershipRefused);
        final Agent acceptorAgent = new AcceptorAgent(acceptor, store, acceptorAdapter,
            aeron.addSubscription(selfChannel, Streams.REPLICA_STREAM_ID), rings.acceptor(), clock, counters,
            agentCounters, ctx.fragmentLimit(), ctx.memberId());
        final Agent leaderAgent = new LeaderAgent(leader, leaderAdapter, sessions,
            aeron.addSubscription(selfChannel, Streams.REPLICA_STREAM_ID),
            aeron.addSubscription(selfChannel, Streams.LEADER_STREAM_ID),
            aeron.addSubscription(selfChannel, Streams.INGRESS_STREAM_ID),
            aeron.addSubscription(Streams.IPC_CHANNEL, Streams.INGRESS_STREAM_ID),
            rings.leader(), clock, counters, ctx.fragmentLimit(), ctx.memberId());
        final Agent learnerAgent = new LearnerAgent(learner, learnerAdapter,
            aeron.addSubscription(selfChannel, Streams.REPLICA_STREAM_ID),
            aeron.addSubscription(selfChannel, Streams.LEARNER_STREAM_ID),
            rings.learner(), clock, counters, ctx.fragmentLimit(), ctx.memberId());

        writeNodeFile();

        final Agent syncerAgent = agentCounters.track(
            new SyncerAgent(store.detachSyncer(), clock, counters, ctx.memberId()), "syncer");
        final Agent trackedAcceptor = agentCounters.track(acceptorAgent, "acceptor");
        final Agent trackedLeader = agentCounters.track(leaderAgent, "leader");
        final Agent trackedLearner = agentCounters.track(learnerAgent, "learner");
        switch (mode)
        {
            case DEDICATED:
                invoker = null;
                // The acceptor's runner first: it closes first, while the syncer still prepares any
                // segment the acceptor may be waiting for.
                for (final Agent agent : List.of(trackedAcceptor, trackedLeader, trackedLearner))
                {
                    runners.add(new AgentRunner(ctx.newIdleStrategy(), errorHandler, null, guard(agent)));
                }
                runners.add(new AgentRunner(syncerIdleStrategy(), errorHandler, null, guard(syncerAgent)));
                runners.forEach(AgentRunner::startOnThread);
                break;

            case SHARED:
                runners.add(new AgentRunner(ctx.newIdleStrategy(), errorHandler, null,
                    guard(agentCounters.track(composite(trackedAcceptor, trackedLeader, trackedLearner), "shared"))));
                runners.add(new AgentRunner(syncerIdleStrategy(), errorHandler, null, guard(syncerAgent)));
                runners.forEach(AgentRunner::startOnThread);
                break;

            default:
                // One thread, the application's: the syncer runs in the same composite, after the roles,
                // so a hand-driven node stays deterministic.
                invoker = new AgentInvoker(errorHandler, null, guard(agentCounters.track(
                    composite(trackedAcceptor, trackedLeader, trackedLearner, syncerAgent), "invoker")));
                invoker.start();
        }
        if (out != null)
        {
            out.println("synod member " + ctx.memberId() + ": data " + ctx.memberDirectory() + ", counters in " +
                ctx.aeronDirectoryName() + ", " + store.describe() + ", " + ctx.describe() + ", " + threadLayout(ctx.threadingMode()));
            out.println("synod member " + ctx.memberId() + ": " + security.describe());
            out.println("synod member " + ctx.memberId() + ": " + ctx.authenticator().describe());
        }
    }

    /**
     * Under SYNC the syncer is on the reply path (an Accepted waits for its force), so it idles like the
     * roles. Under PAGE_CACHE it only forces in the background every few milliseconds: a spinning or
     * yielding syncer would take CPU from the roles (six yielding threads on two cores in one process
     * tripled the p50), so it backs off to parking.
     */
    private IdleStrategy syncerIdleStrategy()
    {
        return ctx.durabilityMode() == DurabilityMode.SYNC ? ctx.newIdleStrategy() :
            new BackoffIdleStrategy(1, 1, TimeUnit.MICROSECONDS.toNanos(10), TimeUnit.MILLISECONDS.toNanos(1));
    }

    /**
     * The threads a node of a threading mode runs, for start lines and benchmark setup lines.
     *
     * @param mode threading mode.
     * @return description naming the thread count.
     */
    public static String threadLayout(final ThreadingMode mode)
    {
        switch (mode)
        {
            case DEDICATED:
                return "6 threads per replica: acceptor, leader, learner, log syncer, media driver, client conductor";
            case SHARED:
                return "2 threads per replica: roles, embedded driver and client conductor on one, log syncer " +
                    "(forces, segment creation) on the other";
            default:
                return "no thread of its own: the application's thread runs roles, log syncer, driver and conductor";
        }
    }

    /**
     * Launches a node: opens (and recovers) its log, starts its driver, transport and agents.
     *
     * @param ctx settings; concluded here.
     * @return the running node.
     */
    public static SynodNode launch(final NodeContext ctx)
    {
        return launch(ctx, System.out);
    }

    public static SynodNode launch(final NodeContext ctx, final PrintStream out)
    {
        ctx.conclude();
        return new SynodNode(ctx, out);
    }

    /**
     * One duty cycle of every role, for {@link ThreadingMode#INVOKER}.
     *
     * @return work done.
     */
    public int doWork()
    {
        if (invoker == null)
        {
            throw new IllegalStateException("doWork() is for threading mode INVOKER, not " + ctx.threadingMode());
        }
        return invoker.invoke();
    }

    public NodeContext context()
    {
        return ctx;
    }

    /**
     * The node's Aeron client, for an application in the same process that offers commands over IPC
     * ({@code ClientContext.aeron(node.aeron()).ipcMemberId(node.memberId())}).
     */
    public Aeron aeron()
    {
        return aeron;
    }

    /**
     * Who the client is, as this member's authenticator accepted it: for a delivery handler that
     * attributes each command to its sender. Null if the client has no session at this member. Any
     * thread.
     */
    public String principal(final long clientId)
    {
        return sessions.principal(clientId);
    }

    public NodeCounters counters()
    {
        return counters;
    }

    public int memberId()
    {
        return ctx.memberId();
    }

    /**
     * @return the error that stopped this node (fail-stop), or null while it runs.
     */
    public Throwable fatalError()
    {
        return fatalError;
    }

    /**
     * Role of this member as its leader agent last published it.
     */
    public int roleCode()
    {
        return (int)counters.role.get();
    }

    public void close()
    {
        if (invoker != null)
        {
            CloseHelper.quietClose(invoker);
        }
        for (final AgentRunner runner : runners)
        {
            CloseHelper.quietClose(runner);
        }
        CloseHelper.quietCloseAll(sessions, agentCounters, counters, aeron, driver, store, lock);
    }

    private ExclusivePublication[] publications(final List<ClusterMember> members, final int streamId)
    {
        final ExclusivePublication[] publications = new ExclusivePublication[members.size()];
        for (int i = 0; i < publications.length; i++)
        {
            final ClusterMember member = members.get(i);
            if (member.id() != ctx.memberId())
            {
                publications[i] = aeron.addExclusivePublication(
                    Streams.udpChannel(member.endpoint(), ctx.mtuLength(), ctx.termLength()), streamId);
            }
        }
        return publications;
    }

    private Agent composite(final Agent... roleAgents)
    {
        final List<Agent> agents = new ArrayList<>();
        if (driver != null && driver.sharedAgentInvoker() != null)
        {
            agents.add(new InvokerAgent(driver.sharedAgentInvoker(), "synod-driver-" + ctx.memberId()));
        }
        if (aeron.conductorAgentInvoker() != null)
        {
            agents.add(new InvokerAgent(aeron.conductorAgentInvoker(), "synod-client-" + ctx.memberId()));
        }
        agents.addAll(List.of(roleAgents));
        return new CompositeAgent(agents);
    }

    /**
     * Fail-stop: after a storage failure the agents stop instead of carrying on.
     */
    private Agent guard(final Agent agent)
    {
        return new Agent()
        {
            public int doWork() throws Exception
            {
                if (fatalError != null)
                {
                    throw new AgentTerminationException("stopped after a fatal error: " + fatalError);
                }
                return agent.doWork();
            }

            public void onClose()
            {
                agent.onClose();
            }

            public String roleName()
            {
                return agent.roleName();
            }
        };
    }

    private void onError(final Throwable error)
    {
        if (error instanceof LogFailureException || error instanceof io.synod.engine.log.LogCorruptionException ||
            error instanceof io.synod.engine.protocol.InvariantViolation)
        {
            fatalError = error;
            System.err.println("synod member " + ctx.memberId() + " STOPPED (fail-stop): " + error);
        }
        else if (!(error instanceof AgentTerminationException))
        {
            System.err.println("synod member " + ctx.memberId() + " error: " + error);
            error.printStackTrace();
        }
    }

    private void writeNodeFile()
    {
        final Properties properties = new Properties();
        properties.setProperty("clusterId", Integer.toString(ctx.clusterId()));
        properties.setProperty("memberId", Integer.toString(ctx.memberId()));
        properties.setProperty("aeronDirectory", ctx.aeronDirectoryName());
        properties.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        final Path file = ctx.memberDirectory().resolve(NODE_FILE_NAME);
        try (var writer = Files.newBufferedWriter(file))
        {
            properties.store(writer, "written by synod node at start; read by synod stat");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + file, ex);
        }
    }

    private static final class InvokerAgent implements Agent
    {
        private final AgentInvoker invoker;
        private final String roleName;

        InvokerAgent(final AgentInvoker invoker, final String roleName)
        {
            this.invoker = invoker;
            this.roleName = roleName;
        }

        public int doWork()
        {
            return invoker.invoke();
        }

        public String roleName()
        {
            return roleName;
        }
    }
}
