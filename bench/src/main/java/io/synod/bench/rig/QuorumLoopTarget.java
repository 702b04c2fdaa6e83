package io.synod.bench.rig;

import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.BufferClaim;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * The physical ceiling of any leader-based design: client -> leader -> followers -> leader -> client
 * over the same Aeron UDP loopback setup, with no consensus and no storage. The leader drains every
 * command available, forwards them as one batch to every follower, and answers the client as soon as a
 * majority counting itself has the batch (first follower ack of 2 for 3 members, 2 of 4 for 5).
 * Single-threaded from the rig's side; the leader and each follower are one agent on one thread, each
 * with its own invoker-mode driver.
 */
public final class QuorumLoopTarget implements BenchTarget
{
    /** Bound on one batch forwarded to followers (messages above the MTU are fragmented by Aeron). */
    static final int MAX_BATCH_BYTES = 64 * 1024;

    /** Bound on batches forwarded but not yet answered to the client; past it the leader stops reading. */
    static final int MAX_BATCHES_IN_FLIGHT = 1024;

    private final RigOptions options;
    private final int basePort;
    private final int followerCount;
    private LoopbackClient client;
    private LeaderAgent leader;
    private final List<FollowerAgent> followers = new ArrayList<>();
    private final List<AgentRunner> runners = new ArrayList<>();

    /**
     * @param options cluster size, idle strategy and base port.
     */
    public QuorumLoopTarget(final RigOptions options)
    {
        this.options = options;
        this.basePort = AeronLoopback.basePort(options.basePort());
        this.followerCount = options.clusterSize() - 1;
    }

    @Override
    public String name()
    {
        return "quorum-loop";
    }

    @Override
    public String setup()
    {
        return "quorum-loop: Aeron UDP 127.0.0.1 client -> leader -> " + followerCount + " followers -> leader -> " +
            "client; no consensus, no storage; quorum=" + (followerCount / 2 + 1) + " of " + (followerCount + 1) +
            " (leader + first " + (followerCount / 2) + " follower acks); " + AeronLoopback.channelParams() +
            "; batching natural (leader drains all available, max " + MAX_BATCH_BYTES + " B/batch, max " +
            MAX_BATCHES_IN_FLIGHT + " batches in flight; followers ack cumulatively once per duty cycle); " +
            (followerCount + 2) + " threads: rig thread (client + INVOKER driver), one agent thread per member, " +
            "each with its own INVOKER driver + conductor invoker; idle=" + options.idleStrategy() +
            "; header 8 B id; ports " + basePort + "..+" + (3 + followerCount);
    }

    @Override
    public void start()
    {
        final int clientPort = basePort;
        final int leaderPort = basePort + 1;
        final int ackPort = basePort + 2;
        final int[] followerPorts = new int[followerCount];
        for (int i = 0; i < followerCount; i++)
        {
            followerPorts[i] = basePort + 3 + i;
            final FollowerAgent follower = new FollowerAgent(i, followerPorts[i], ackPort);
            followers.add(follower);
            runners.add(startAgent(follower));
        }
        leader = new LeaderAgent(leaderPort, clientPort, ackPort, followerPorts);
        runners.add(startAgent(leader));
        client = new LoopbackClient("quorum-client", leaderPort, clientPort);
        client.awaitConnected(leader.ready::get, TimeUnit.SECONDS.toNanos(10));
    }

    private AgentRunner startAgent(final Agent agent)
    {
        final AgentRunner runner = new AgentRunner(
            IdleStrategies.create(options.idleStrategy()), Throwable::printStackTrace, null, agent);
        AgentRunner.startOnThread(runner);
        return runner;
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
        CloseHelper.close(client);
        for (int i = runners.size() - 1; i >= 0; i--)
        {
            CloseHelper.close(runners.get(i));
        }
    }

    /**
     * @return Aeron directories this target creates; gone after {@link #close()}.
     */
    List<File> directories()
    {
        final List<File> dirs = new ArrayList<>();
        dirs.add(new File(client.aeronDir()));
        dirs.add(new File(leader.aeronDir));
        for (final FollowerAgent follower : followers)
        {
            dirs.add(new File(follower.aeronDir));
        }
        return dirs;
    }

    /**
     * The leader; single-threaded, owned by its agent thread.
     * <pre>
     *   batch to followers:  [batchSeq:8][firstId:8][count:8] then per command [length:4][bytes]
     *   ack from follower:   [followerIndex:8][batchSeq:8]   (cumulative: every batch up to batchSeq)
     *   answer to client:    [firstId:8][count:8]            (contiguous id range)
     * </pre>
     */
    static final class LeaderAgent implements Agent
    {
        final AtomicBoolean ready = new AtomicBoolean();
        private final int listenPort;
        private final int clientPort;
        private final int ackPort;
        private final int[] followerPorts;
        private final ExclusivePublication[] followerPublications;
        private final long[] ackedUpTo;
        private final long[] batchEndIds = new long[MAX_BATCHES_IN_FLIGHT];
        private final UnsafeBuffer batch = new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_BATCH_BYTES));
        private final BufferClaim claim = new BufferClaim();
        private final ControlledFragmentHandler commandHandler = this::onCommand;
        private final FragmentHandler ackHandler = this::onAck;
        private final int quorumFollowers;
        private volatile String aeronDir;
        private AeronNode node;
        private Subscription commandSubscription;
        private Subscription ackSubscription;
        private ExclusivePublication clientPublication;
        private long nextBatchSeq = 1;
        private long nextIdToAnswer;
        private long nextBatchToAnswer = 1;
        private int batchLength;
        private long batchFirstId = -1;
        private long batchCount;
        private int batchSentMask;

        LeaderAgent(final int listenPort, final int clientPort, final int ackPort, final int[] followerPorts)
        {
            this.listenPort = listenPort;
            this.clientPort = clientPort;
            this.ackPort = ackPort;
            this.followerPorts = followerPorts;
            this.followerPublications = new ExclusivePublication[followerPorts.length];
            this.ackedUpTo = new long[followerPorts.length];
            this.quorumFollowers = followerPorts.length / 2;
        }

        @Override
        public void onStart()
        {
            node = new AeronNode("quorum-leader");
            aeronDir = node.aeronDir();
            commandSubscription = node.aeron().addSubscription(AeronLoopback.channel(listenPort), 1);
            ackSubscription = node.aeron().addSubscription(AeronLoopback.channel(ackPort), 2);
            clientPublication = node.aeron().addExclusivePublication(AeronLoopback.channel(clientPort), 1);
            for (int i = 0; i < followerPorts.length; i++)
            {
                followerPublications[i] = node.aeron().addExclusivePublication(AeronLoopback.channel(followerPorts[i]), 2);
            }
        }

        @Override
        public int doWork()
        {
            int work = node.invoke();
            if (!ready.get())
            {
                checkReady();
                return work;
            }
            work += ackSubscription.poll(ackHandler, LoopbackClient.FRAGMENT_LIMIT);
            work += answer();
            if (0 == batchLength && nextBatchSeq - nextBatchToAnswer < MAX_BATCHES_IN_FLIGHT)
            {
                // Natural batching: everything available now goes into one batch.
                batchLength = 24;
                batchFirstId = -1;
                batchCount = 0;
                work += commandSubscription.controlledPoll(commandHandler, Integer.MAX_VALUE);
                if (0 == batchCount)
                {
                    batchLength = 0;
                }
            }
            if (batchLength > 0)
            {
                work += forwardBatch();
            }
            return work;
        }

        private void checkReady()
        {
            boolean connected = clientPublication.isConnected() && ackSubscription.imageCount() == followerPorts.length;
            for (final ExclusivePublication publication : followerPublications)
            {
                connected &= publication.isConnected();
            }
            if (connected)
            {
                ready.set(true);
            }
        }

        private ControlledFragmentHandler.Action onCommand(
            final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            final int payloadLength = length - LoopbackClient.HEADER_LENGTH;
            if (payloadLength < 0)
            {
                return ControlledFragmentHandler.Action.CONTINUE;
            }
            if (batchLength + 4 + payloadLength > MAX_BATCH_BYTES)
            {
                return ControlledFragmentHandler.Action.ABORT;
            }
            final long id = buffer.getLong(offset + LoopbackClient.ID_OFFSET);
            if (batchFirstId < 0)
            {
                batchFirstId = id;
            }
            batch.putInt(batchLength, payloadLength);
            batch.putBytes(batchLength + 4, buffer, offset + LoopbackClient.HEADER_LENGTH, payloadLength);
            batchLength += 4 + payloadLength;
            batchCount++;
            return ControlledFragmentHandler.Action.CONTINUE;
        }

        private int forwardBatch()
        {
            batch.putLong(0, nextBatchSeq);
            batch.putLong(8, batchFirstId);
            batch.putLong(16, batchCount);
            final int allSent = (1 << followerPublications.length) - 1;
            for (int i = 0; i < followerPublications.length; i++)
            {
                if ((batchSentMask & (1 << i)) == 0 && followerPublications[i].offer(batch, 0, batchLength) > 0)
                {
                    batchSentMask |= 1 << i;
                }
            }
            if (batchSentMask != allSent)
            {
                return 0;
            }
            batchEndIds[(int)(nextBatchSeq % MAX_BATCHES_IN_FLIGHT)] = batchFirstId + batchCount;
            nextBatchSeq++;
            batchLength = 0;
            batchSentMask = 0;
            return 1;
        }

        private void onAck(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            if (length < 16)
            {
                return;
            }
            final long follower = buffer.getLong(offset);
            final long batchSeq = buffer.getLong(offset + 8);
            if (follower >= 0 && follower < ackedUpTo.length && batchSeq < nextBatchSeq)
            {
                ackedUpTo[(int)follower] = Math.max(ackedUpTo[(int)follower], batchSeq);
            }
        }

        private int answer()
        {
            final long quorumUpTo = quorumUpTo();
            if (quorumUpTo < nextBatchToAnswer)
            {
                return 0;
            }
            final long endId = batchEndIds[(int)(quorumUpTo % MAX_BATCHES_IN_FLIGHT)];
            if (clientPublication.tryClaim(LoopbackClient.RESPONSE_LENGTH, claim) < 0)
            {
                return 0;
            }
            claim.buffer().putLong(claim.offset(), nextIdToAnswer);
            claim.buffer().putLong(claim.offset() + 8, endId - nextIdToAnswer);
            claim.commit();
            nextIdToAnswer = endId;
            nextBatchToAnswer = quorumUpTo + 1;
            return 1;
        }

        /** The highest batch that {@code quorumFollowers} followers have acked. */
        private long quorumUpTo()
        {
            long result = Long.MAX_VALUE;
            // Small member counts: the quorumFollowers-th highest ack by selection without allocation.
            long previous = Long.MAX_VALUE;
            int counted = 0;
            while (counted < quorumFollowers)
            {
                long best = -1;
                int bestCount = 0;
                for (final long acked : ackedUpTo)
                {
                    if (acked < previous && acked > best)
                    {
                        best = acked;
                        bestCount = 1;
                    }
                    else if (acked == best)
                    {
                        bestCount++;
                    }
                }
                if (best < 0)
                {
                    return 0;
                }
                counted += bestCount;
                previous = best;
                result = best;
            }
            return result;
        }

        @Override
        public void onClose()
        {
            CloseHelper.close(node);
        }

        @Override
        public String roleName()
        {
            return "quorum-leader";
        }
    }

    /**
     * A follower: receives batches and acks the highest batch seen once per duty cycle. Single-threaded,
     * owned by its agent thread.
     */
    static final class FollowerAgent implements Agent
    {
        private final int index;
        private final int listenPort;
        private final int ackPort;
        private final UnsafeBuffer ack = new UnsafeBuffer(new byte[16]);
        private final FragmentAssembler batchHandler = new FragmentAssembler(this::onBatch);
        private volatile String aeronDir;
        private AeronNode node;
        private Subscription batchSubscription;
        private ExclusivePublication ackPublication;
        private long receivedUpTo;
        private long ackedUpTo;

        FollowerAgent(final int index, final int listenPort, final int ackPort)
        {
            this.index = index;
            this.listenPort = listenPort;
            this.ackPort = ackPort;
        }

        @Override
        public void onStart()
        {
            node = new AeronNode("quorum-follower-" + index);
            aeronDir = node.aeronDir();
            batchSubscription = node.aeron().addSubscription(AeronLoopback.channel(listenPort), 2);
            ackPublication = node.aeron().addExclusivePublication(AeronLoopback.channel(ackPort), 2);
        }

        @Override
        public int doWork()
        {
            int work = node.invoke();
            work += batchSubscription.poll(batchHandler, LoopbackClient.FRAGMENT_LIMIT);
            if (receivedUpTo > ackedUpTo)
            {
                ack.putLong(0, index);
                ack.putLong(8, receivedUpTo);
                if (ackPublication.offer(ack, 0, 16) > 0)
                {
                    ackedUpTo = receivedUpTo;
                    work++;
                }
            }
            return work;
        }

        private void onBatch(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            if (length >= 24)
            {
                receivedUpTo = Math.max(receivedUpTo, buffer.getLong(offset));
            }
        }

        @Override
        public void onClose()
        {
            CloseHelper.close(node);
        }

        @Override
        public String roleName()
        {
            return "quorum-follower-" + index;
        }
    }
}
