package io.synod.engine.protocol;

import io.synod.engine.protocol.RecordingOutbox.Accept;
import io.synod.engine.protocol.RecordingOutbox.Accepted;
import io.synod.engine.protocol.RecordingOutbox.CatchUpRequest;
import io.synod.engine.protocol.RecordingOutbox.CatchUpResponse;
import io.synod.engine.protocol.RecordingOutbox.Chosen;
import io.synod.engine.protocol.RecordingOutbox.ChosenState;
import io.synod.engine.protocol.RecordingOutbox.Entry;
import io.synod.engine.protocol.RecordingOutbox.Heartbeat;
import io.synod.engine.protocol.RecordingOutbox.Nack;
import io.synod.engine.protocol.RecordingOutbox.Prepare;
import io.synod.engine.protocol.RecordingOutbox.PreVote;
import io.synod.engine.protocol.RecordingOutbox.PreVoteReply;
import io.synod.engine.protocol.RecordingOutbox.Promise;
import io.synod.engine.protocol.RecordingOutbox.Range;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static io.synod.engine.protocol.TestValues.buffer;

/**
 * Three whole members (1, 2, 3: leader role, acceptor, learner, in-memory store), with the test
 * carrying every message by hand: a link matrix says who hears whom, a filter can drop single
 * messages, and each member reads its own clock, so a test can hold a deposed leader's clock back.
 * Leader roles act only when the test calls {@link #leaderWork(int)}. Single-threaded: owned by the test.
 */
final class HandCluster
{
    static final int N = 3;

    /**
     * A message in flight from one member to another, for a drop filter.
     */
    record Sent(int from, int to, Object message)
    {
    }

    final ProtocolConfig[] configs = new ProtocolConfig[N];
    final MemoryStore[] stores = new MemoryStore[N];
    final RecordingOutbox[] out = new RecordingOutbox[N];
    final Leader[] leaders = new Leader[N];
    final Acceptor[] acceptors = new Acceptor[N];
    final Learner[] learners = new Learner[N];
    final long[] nowNs = new long[N];
    final boolean[][] linked = new boolean[N][N];
    final boolean[] crashed = new boolean[N];
    /**
     * What each member's learner delivered, as "slot:clientId:sequence".
     */
    final List<List<String>> delivered = new ArrayList<>();
    Function<Sent, Boolean> drop = sent -> false;

    HandCluster(final Function<ProtocolConfig, ProtocolConfig> tweak)
    {
        for (int i = 0; i < N; i++)
        {
            final int member = i;
            configs[i] = tweak.apply(TestValues.config(i + 1)).conclude();
            stores[i] = new MemoryStore();
            out[i] = new RecordingOutbox();
            leaders[i] = new Leader(configs[i], out[i], bound -> 0, AcceptorStore.NULL_BALLOT, 0);
            acceptors[i] = new Acceptor(configs[i], stores[i], out[i]);
            final List<String> log = new ArrayList<>();
            delivered.add(log);
            learners[i] = new Learner(configs[i], out[i],
                (slot, clientId, sequence, b, o, l) -> log.add(slot + ":" + clientId + ":" + sequence), 0);
            for (int j = 0; j < N; j++)
            {
                linked[i][j] = true;
            }
        }
    }

    Leader leader(final int member)
    {
        return leaders[member - 1];
    }

    void time(final long nowNs)
    {
        java.util.Arrays.fill(this.nowNs, nowNs);
    }

    /**
     * Cuts (or restores) both directions between two members.
     */
    void link(final int a, final int b, final boolean up)
    {
        linked[a - 1][b - 1] = up;
        linked[b - 1][a - 1] = up;
    }

    void isolate(final int member)
    {
        for (int j = 1; j <= N; j++)
        {
            if (j != member)
            {
                link(member, j, false);
            }
        }
    }

    void leaderWork(final int member)
    {
        leaders[member - 1].doWork(nowNs[member - 1]);
        pump();
    }

    /**
     * Carries messages until none is left, letting acceptors release durable replies and learners
     * deliver between rounds.
     */
    void pump()
    {
        for (int round = 0; round < 100; round++)
        {
            boolean moved = false;
            for (int i = 0; i < N; i++)
            {
                if (crashed[i])
                {
                    out[i].clear();
                    continue;
                }
                stores[i].sync();
                acceptors[i].doWork(nowNs[i]);
                learners[i].doWork(nowNs[i]);
                for (final Object message : out[i].drain())
                {
                    moved = true;
                    route(i, message);
                }
            }
            if (!moved)
            {
                return;
            }
        }
        throw new AssertionError("messages kept flowing for 100 rounds");
    }

    /**
     * Messages a member sent that are not addressed to a member (client answers), by type.
     */
    final List<Object> clientAnswers = new ArrayList<>();

    private void route(final int from, final Object message)
    {
        final int to = toOf(message);
        if (to == Integer.MIN_VALUE)
        {
            clientAnswers.add(message);
            return;
        }
        for (int j = 0; j < N; j++)
        {
            if ((to == Outbox.ALL || to == j + 1) && !crashed[j] && linked[from][j] &&
                !drop.apply(new Sent(from + 1, j + 1, message)))
            {
                receive(from + 1, j, message);
            }
        }
    }

    private static int toOf(final Object message)
    {
        if (message instanceof Prepare m)
        {
            return m.to();
        }
        if (message instanceof Promise m)
        {
            return m.to();
        }
        if (message instanceof Nack m)
        {
            return m.to();
        }
        if (message instanceof Accept m)
        {
            return m.to();
        }
        if (message instanceof Accepted m)
        {
            return m.to();
        }
        if (message instanceof Heartbeat m)
        {
            return m.to();
        }
        if (message instanceof ChosenState m)
        {
            return m.to();
        }
        if (message instanceof CatchUpRequest m)
        {
            return m.to();
        }
        if (message instanceof CatchUpResponse m)
        {
            return m.to();
        }
        if (message instanceof PreVote m)
        {
            return m.to();
        }
        if (message instanceof PreVoteReply m)
        {
            return m.to();
        }
        return Integer.MIN_VALUE;
    }

    private void receive(final int from, final int j, final Object message)
    {
        final long now = nowNs[j];
        if (message instanceof Prepare p)
        {
            acceptors[j].onPrepare(from, p.ballot(), p.fromSlot(), p.toSlot(), now);
        }
        else if (message instanceof Promise p)
        {
            leaders[j].onPromise(from, p.ballot(), p.fromSlot(), p.highestSlot(), p.partIndex(), p.partCount());
            for (final Entry e : p.entries())
            {
                leaders[j].onPromiseEntry(e.slot(), e.ballot(), buffer(e.value()), 0, e.value().length);
            }
            leaders[j].onPromiseEnd(now);
        }
        else if (message instanceof Nack n)
        {
            leaders[j].onNack(from, n.ballot(), n.promisedBallot(), now);
        }
        else if (message instanceof Accept a)
        {
            if (acceptors[j].onAccept(from, a.ballot(), now))
            {
                for (final Entry e : a.entries())
                {
                    acceptors[j].onAcceptEntry(from, a.ballot(), e.slot(), buffer(e.value()), 0, e.value().length);
                }
            }
            for (final Entry e : a.entries())
            {
                learners[j].onAcceptEntry(a.ballot(), e.slot(), buffer(e.value()), 0, e.value().length);
            }
            toLearner(j, a.chosen());
        }
        else if (message instanceof Accepted a)
        {
            if (a.ranges().isEmpty())
            {
                leaders[j].onAccepted(from, a.ballot(), 0, 0, now);
            }
            for (final Range r : a.ranges())
            {
                leaders[j].onAccepted(from, a.ballot(), r.from(), r.to(), now);
            }
        }
        else if (message instanceof Heartbeat h)
        {
            acceptors[j].onHeartbeat(from, h.chosen().ballot(), now);
            leaders[j].onHeartbeat(from, h.chosen().ballot(), h.chosen().watermark(), now);
            toLearner(j, h.chosen());
        }
        else if (message instanceof ChosenState c)
        {
            toLearner(j, c.chosen());
        }
        else if (message instanceof PreVote p)
        {
            acceptors[j].onPreVote(from, p.ballot(), now);
        }
        else if (message instanceof PreVoteReply p)
        {
            leaders[j].onPreVoteReply(from, p.ballot(), p.granted(), p.promisedBallot(), now);
        }
        else if (message instanceof CatchUpRequest c)
        {
            acceptors[j].onCatchUpRequest(from, c.fromSlot(), c.toSlot());
        }
        else if (message instanceof CatchUpResponse c)
        {
            learners[j].onCatchUpResponse(from, c.fromSlot(), c.toSlot());
            for (final Entry e : c.entries())
            {
                learners[j].onCatchUpEntry(e.slot(), e.ballot(), buffer(e.value()), 0, e.value().length);
            }
        }
    }

    private void toLearner(final int j, final Chosen chosen)
    {
        learners[j].onChosenState(chosen.ballot(), chosen.ballotStartSlot(), chosen.watermark());
        for (final Range r : chosen.ranges())
        {
            learners[j].onChosenRange(r.from(), r.to());
        }
    }
}
