package io.synod.bench.rig;

import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.logbuffer.BufferClaim;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;

import java.io.File;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * The latency floor: a plain Aeron UDP round trip on 127.0.0.1 to an echo peer, no consensus, no
 * storage. The client runs on the rig's thread with its own invoker-mode driver; the peer is one agent
 * on one thread with its own invoker-mode driver. Single-threaded from the rig's side.
 */
public final class PingPongFloorTarget implements BenchTarget
{
    private final RigOptions options;
    private final int basePort;
    private LoopbackClient client;
    private EchoAgent echo;
    private AgentRunner echoRunner;

    /**
     * @param options idle strategy and base port.
     */
    public PingPongFloorTarget(final RigOptions options)
    {
        this.options = options;
        this.basePort = AeronLoopback.basePort(options.basePort());
    }

    @Override
    public String name()
    {
        return "pingpong-floor";
    }

    @Override
    public String setup()
    {
        return "pingpong-floor: Aeron UDP 127.0.0.1 client -> echo peer -> client; " + AeronLoopback.channelParams() +
            "; 2 threads: rig thread (client + its INVOKER driver + conductor invoker), echo agent thread (echo + " +
            "its INVOKER driver + conductor invoker); idle=" + options.idleStrategy() +
            "; responses: one per message [firstId,count=1]; header 8 B id; ports " + basePort + "..+1";
    }

    @Override
    public void start()
    {
        echo = new EchoAgent(basePort + 1, basePort);
        echoRunner = new AgentRunner(IdleStrategies.create(options.idleStrategy()), Throwable::printStackTrace, null, echo);
        AgentRunner.startOnThread(echoRunner);
        client = new LoopbackClient("pingpong-client", basePort + 1, basePort);
        client.awaitConnected(echo.ready::get, TimeUnit.SECONDS.toNanos(10));
    }

    @Override
    public long offer(final DirectBuffer buffer, final int offset, final int length)
    {
        return client.offer(buffer, offset, length);
    }

    @Override
    public int poll(final LongConsumer onResponse)
    {
        return client.poll(onResponse);
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(client, echoRunner);
    }

    /**
     * @return Aeron directories this target creates; gone after {@link #close()}.
     */
    List<File> directories()
    {
        return List.of(new File(client.aeronDir()), new File(echo.aeronDir));
    }

    /**
     * The echo peer; single-threaded, owned by its agent thread.
     */
    static final class EchoAgent implements Agent
    {
        final AtomicBoolean ready = new AtomicBoolean();
        private final int listenPort;
        private final int replyPort;
        private final BufferClaim claim = new BufferClaim();
        private final ControlledFragmentHandler handler = this::onMessage;
        private volatile String aeronDir;
        private AeronNode node;
        private Subscription subscription;
        private ExclusivePublication publication;

        EchoAgent(final int listenPort, final int replyPort)
        {
            this.listenPort = listenPort;
            this.replyPort = replyPort;
        }

        @Override
        public void onStart()
        {
            node = new AeronNode("pingpong-echo");
            aeronDir = node.aeronDir();
            subscription = node.aeron().addSubscription(AeronLoopback.channel(listenPort), 1);
            publication = node.aeron().addExclusivePublication(AeronLoopback.channel(replyPort), 1);
        }

        @Override
        public int doWork()
        {
            int work = node.invoke();
            if (!ready.get() && publication.isConnected())
            {
                ready.set(true);
            }
            work += subscription.controlledPoll(handler, LoopbackClient.FRAGMENT_LIMIT);
            return work;
        }

        private ControlledFragmentHandler.Action onMessage(
            final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            if (length < LoopbackClient.HEADER_LENGTH)
            {
                return ControlledFragmentHandler.Action.CONTINUE;
            }
            if (publication.tryClaim(LoopbackClient.RESPONSE_LENGTH, claim) < 0)
            {
                return ControlledFragmentHandler.Action.ABORT;
            }
            claim.buffer().putLong(claim.offset(), buffer.getLong(offset + LoopbackClient.ID_OFFSET));
            claim.buffer().putLong(claim.offset() + 8, 1L);
            claim.commit();
            return ControlledFragmentHandler.Action.CONTINUE;
        }

        @Override
        public void onClose()
        {
            CloseHelper.close(node);
        }

        @Override
        public String roleName()
        {
            return "pingpong-echo";
        }
    }
}
