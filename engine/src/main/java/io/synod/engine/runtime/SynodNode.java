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
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
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
 * Aeron UDP and to each other through ring buffers, with an embedded media driver by default.
 * <p>
 * Threads depend on the {@link ThreadingMode}: DEDICATED gives each role, the driver and the Aeron
 * client conductor a thread; SHARED runs all of them on one thread; INVOKER runs none, and the
 * embedding application calls {@link #doWork()}. Launch and close from one thread.
 */
public final class SynodNode implements AutoCloseable
{
    public static final String NODE_FILE_NAME = "node.properties";

    private final NodeContext ctx;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final MappedAcceptorStore store;
    private final NodeCounters counters;
    private final ClientSessions sessions;
    private final Leader leader;
    private final Learner learner;
    private final Acceptor acceptor;
    private final List<AgentRunner> runners = new ArrayList<>();
    private final AgentInvoker invoker;
    private volatile Throwable fatalError;

    private SynodNode(final NodeContext ctx, final PrintStream out)
    {
        this.ctx = ctx;
        final ThreadingMode mode = ctx.threadingMode();
        final ProtocolConfig config = ctx.protocolConfig();
        final NanoClock clock = SystemNanoClock.INSTANCE;
        final ErrorHandler errorHandler = this::onError;

        try
        {
            Files.createDirectories(ctx.memberDirectory());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create " + ctx.memberDirectory(), ex);
        }

        MediaDriver launchedDriver = null;
        Aeron connected = null;
        MappedAcceptorStore openedStore = null;
        try
        {
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
                launchedDriver = MediaDriver.launch(driverCtx);
            }
            final Aeron.Context aeronCtx = new Aeron.Context()
                .aeronDirectoryName(ctx.aeronDirectoryName())
                .errorHandler(errorHandler)
                .useConductorAgentInvoker(mode != ThreadingMode.DEDICATED)
                .idleStrategy(ctx.newIdleStrategy());
            if (launchedDriver != null && launchedDriver.sharedAgentInvoker() != null)
            {
                aeronCtx.driverAgentInvoker(launchedDriver.sharedAgentInvoker());
            }
            connected = Aeron.connect(aeronCtx);
            openedStore = MappedAcceptorStore.open(ctx.logContext());
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(openedStore, connected, launchedDriver);
            throw ex;
        }
        driver = launchedDriver;
        aeron = connected;
        store = openedStore;

        counters = new NodeCounters(aeron, ctx.clusterId(), ctx.memberId());
        final LocalRings rings = new LocalRings(ctx.ringBufferLength());
        final int[] memberIds = config.memberIds();
        final List<ClusterMember> members = ctx.clusterMembers();

        final MemberSecurity security = new MemberSecurity(ctx);
        final MessagePublisher acceptorOut = new MessagePublisher(ctx.clusterId(), ctx.memberId(), memberIds,
            null, publications(members, Streams.LEADER_STREAM_ID), publications(members, Streams.LEARNER_STREAM_ID),
            rings, ctx.maxMessageBytes(), null, counters.backPressure);
        security.sign(acceptorOut, FrameAuthenticator.ROLE_ACCEPTOR);
        sessions = new ClientSessions(
            aeron, ctx.clusterId(), ctx.memberId(), ctx.maxClients(), members, counters, ctx.sessionTimeoutNs(),
            ctx.authenticator());
        final MessagePublisher leaderOut = new MessagePublisher(ctx.clusterId(), ctx.memberId(), memberIds,
            publications(members, Streams.REPLICA_STREAM_ID), null, null, rings, ctx.maxMessageBytes(), sessions,
            counters.backPressure);
        security.sign(leaderOut, FrameAuthenticator.ROLE_LEADER);
        final MessagePublisher learnerOut = new MessagePublisher(ctx.clusterId(), ctx.memberId(), memberIds,
            publications(members, Streams.REPLICA_STREAM_ID), null, null, rings, ctx.maxMessageBytes(), null,
            counters.backPressure);
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
        final Agent acceptorAgent = new AcceptorAgent(acceptor, store,
            security.verify(new AcceptorAdapter(ctx.clusterId(), config, ctx.maxMessageBytes(),
                counters.invalidDropped, acceptor), counters),
            aeron.addSubscription(selfChannel, Streams.REPLICA_STREAM_ID), rings.acceptor(), clock, counters,
            ctx.fragmentLimit(), ctx.memberId());
        final Agent leaderAgent = new LeaderAgent(leader,
            security.verify(new LeaderAdapter(ctx.clusterId(), config, ctx.maxMessageBytes(),
                counters.invalidDropped, leader, sessions), counters),
            sessions,
            aeron.addSubscription(selfChannel, Streams.REPLICA_STREAM_ID),
            aeron.addSubscription(selfChannel, Streams.LEADER_STREAM_ID),
            aeron.addSubscription(selfChannel, Streams.INGRESS_STREAM_ID),
            aeron.addSubscription(Streams.IPC_CHANNEL, Streams.INGRESS_STREAM_ID),
            rings.leader(), clock, counters, ctx.fragmentLimit(), ctx.memberId());
        final Agent learnerAgent = new LearnerAgent(learner,
            security.verify(new LearnerAdapter(ctx.clusterId(), config, ctx.maxMessageBytes(),
                counters.invalidDropped, learner), counters),
            aeron.addSubscription(selfChannel, Streams.REPLICA_STREAM_ID),
            aeron.addSubscription(selfChannel, Streams.LEARNER_STREAM_ID),
            rings.learner(), clock, counters, ctx.fragmentLimit(), ctx.memberId());

        writeNodeFile();
        if (out != null)
        {
            out.println("synod member " + ctx.memberId() + ": data " + ctx.memberDirectory() + ", counters in " +
                ctx.aeronDirectoryName() + ", " + store.describe() + ", " + ctx.describe());
            out.println("synod member " + ctx.memberId() + ": " + security.describe());
            out.println("synod member " + ctx.memberId() + ": " + ctx.authenticator().describe());
        }

        switch (mode)
        {
            case DEDICATED:
                invoker = null;
                for (final Agent agent : List.of(acceptorAgent, leaderAgent, learnerAgent))
                {
                    runners.add(new AgentRunner(ctx.newIdleStrategy(), errorHandler, null, guard(agent)));
                }
                runners.forEach(AgentRunner::startOnThread);
                break;

            case SHARED:
                invoker = null;
                runners.add(new AgentRunner(ctx.newIdleStrategy(), errorHandler, null,
                    guard(composite(acceptorAgent, leaderAgent, learnerAgent))));
                AgentRunner.startOnThread(runners.get(0));
                break;

            default:
                invoker = new AgentInvoker(errorHandler, null, guard(composite(acceptorAgent, leaderAgent, learnerAgent)));
                invoker.start();
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
        CloseHelper.quietCloseAll(sessions, counters, aeron, driver, store);
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

    private Agent composite(final Agent acceptorAgent, final Agent leaderAgent, final Agent learnerAgent)
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
        agents.add(acceptorAgent);
        agents.add(leaderAgent);
        agents.add(learnerAgent);
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
        if (error instanceof LogFailureException || error instanceof io.synod.engine.log.LogCorruptionException)
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
