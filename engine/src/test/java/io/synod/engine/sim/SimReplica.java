package io.synod.engine.sim;

import io.synod.engine.protocol.Acceptor;
import io.synod.engine.protocol.BatchDescriptor;
import io.synod.engine.protocol.LeaderRole;
import io.synod.engine.protocol.SessionTable;
import io.synod.engine.protocol.AcceptorStore;
import io.synod.engine.protocol.ChosenSlots;
import io.synod.engine.protocol.DeliveryHandler;
import io.synod.engine.protocol.Leader;
import io.synod.engine.protocol.Learner;
import io.synod.engine.protocol.Outbox;
import io.synod.engine.protocol.ProtocolConfig;
import io.synod.engine.protocol.SlotRanges;
import io.synod.engine.protocol.ValueSource;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.SplittableRandom;

/**
 * One simulated replica: the unchanged acceptor, leader and learner over a {@link SimDisk}, with its
 * own skewed clock. Its outbox turns the core's sends into {@link SimMessage}s for the network.
 */
final class SimReplica implements Outbox
{
    interface Network
    {
        void send(SimMessage message);

        int[] memberIds();
    }

    final int id;
    final ProtocolConfig config;
    final SimDisk disk;
    private final Network network;
    private final SplittableRandom random;
    private final DeliveryHandler handler;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);

    final double clockRate;
    final long clockOffsetNs;
    final int syncEveryTicks;

    Acceptor acceptor;
    Leader leader;
    Learner learner;
    boolean up;
    int incarnation;
    long lastDeliveredSlot = -1;
    private int ticks;

    SimReplica(
        final int id,
        final ProtocolConfig config,
        final SimDisk disk,
        final Network network,
        final SplittableRandom random,
        final DeliveryHandler handler,
        final double clockRate,
        final long clockOffsetNs,
        final int syncEveryTicks)
    {
        this.id = id;
        this.config = config;
        this.disk = disk;
        this.network = network;
        this.random = random;
        this.handler = handler;
        this.clockRate = clockRate;
        this.clockOffsetNs = clockOffsetNs;
        this.syncEveryTicks = syncEveryTicks;
    }

    long nowNs(final long simTimeNs)
    {
        return clockOffsetNs + (long)(simTimeNs * clockRate);
    }

    void start(final long simTimeNs, final long learnerFromSlot)
    {
        up = true;
        incarnation++;
        acceptor = new Acceptor(config, disk, this);
        leader = new Leader(config, this, random::nextLong, disk.promisedBallot(), nowNs(simTimeNs));
        learner = new Learner(config, this, handler, learnerFromSlot);
    }

    void crash(final SplittableRandom faultRandom)
    {
        up = false;
        acceptor = null;
        leader = null;
        learner = null;
        disk.crash(faultRandom);
    }

    /**
     * One duty cycle: learner, leader, then group commit and the acceptor's durable replies.
     */
    void tick(final long simTimeNs)
    {
        final long now = nowNs(simTimeNs);
        learner.doWork(now);
        leader.onOwnPromise(acceptor.promisedBallot());
        leader.doWork(now);
        if (++ticks % syncEveryTicks == 0)
        {
            disk.sync();
        }
        acceptor.doWork(now);
    }

    /**
     * Hands a message to the roles it is for.
     *
     * @return a redirect for a client whose command reached a member that does not lead, or null.
     */
    SimMessage receive(final SimMessage m, final long simTimeNs)
    {
        final long now = nowNs(simTimeNs);
        switch (m.type)
        {
            case PREPARE -> acceptor.onPrepare(m.from, m.ballot, m.fromSlot, m.toSlot, now);
            case PROMISE ->
            {
                leader.onPromise(m.from, m.ballot, m.fromSlot, m.highestSlot, m.partIndex, m.partCount);
                for (final SimMessage.Entry e : m.entries)
                {
                    view.wrap(e.value);
                    leader.onPromiseEntry(e.slot, e.ballot, view, 0, e.value.length);
                }
                leader.onPromiseEnd(now);
            }
            case NACK -> leader.onNack(m.from, m.ballot, m.promisedBallot, now);
            case PRE_VOTE -> acceptor.onPreVote(m.from, m.ballot, now);
            case PRE_VOTE_REPLY -> leader.onPreVoteReply(m.from, m.ballot, m.granted, m.promisedBallot, now);
            case ACCEPT ->
            {
                if (acceptor.onAccept(m.from, m.ballot, now))
                {
                    for (final SimMessage.Entry e : m.entries)
                    {
                        view.wrap(e.value);
                        acceptor.onAcceptEntry(m.from, m.ballot, e.slot, view, 0, e.value.length);
                    }
                }
                for (final SimMessage.Entry e : m.entries)
                {
                    view.wrap(e.value);
                    learner.onAcceptEntry(m.ballot, e.slot, view, 0, e.value.length);
                }
                chosenState(m);
                // As in the runtime: an Accept shows the leader role its leader is alive, unless its
                // own acceptor has promised a higher ballot since.
                leader.onOwnPromise(acceptor.promisedBallot());
                leader.onHeartbeat(m.from, m.ballot, m.watermark, now);
            }
            case ACCEPTED ->
            {
                if (m.ranges.length == 0)
                {
                    leader.onAccepted(m.from, m.ballot, 0, 0, now);
                }
                for (int i = 0; i < m.ranges.length; i += 2)
                {
                    leader.onAccepted(m.from, m.ballot, m.ranges[i], m.ranges[i + 1], now);
                }
            }
            case HEARTBEAT ->
            {
                acceptor.onHeartbeat(m.from, m.ballot, now);
                leader.onOwnPromise(acceptor.promisedBallot());
                leader.onHeartbeat(m.from, m.ballot, m.watermark, now);
                chosenState(m);
            }
            case CHOSEN_STATE -> chosenState(m);
            case CATCH_UP_REQUEST -> acceptor.onCatchUpRequest(m.from, m.fromSlot, m.toSlot);
            case CATCH_UP_RESPONSE ->
            {
                learner.onCatchUpResponse(m.from, m.fromSlot, m.toSlot);
                for (final SimMessage.Entry e : m.entries)
                {
                    view.wrap(e.value);
                    learner.onCatchUpEntry(e.slot, e.ballot, view, 0, e.value.length);
                }
            }
            case CLIENT_COMMAND ->
            {
                view.wrap(m.payload);
                final int result = leader.onClientCommand(m.clientId, m.sequence, view, 0, m.payload.length);
                if (result == Leader.NOT_LEADER)
                {
                    return redirect(m, now);
                }
                if (result == Leader.OUT_OF_ORDER)
                {
                    final SimMessage gap = new SimMessage(SimMessage.Type.CLIENT_ACK, id, -1);
                    gap.clientId = m.clientId;
                    gap.sequence = m.sequence;
                    gap.toSequence = m.sequence;
                    gap.slot = -1;
                    gap.result = SessionTable.GAP;
                    return gap;
                }
            }
            case SESSION_OPEN ->
            {
                // As ClientSessions: the leader puts the open in the log and the learner answers it.
                if (leader.onSessionEvent(m.clientId, BatchDescriptor.SESSION_OPEN, m.sequence) == Leader.NOT_LEADER)
                {
                    return redirect(m, now);
                }
            }
            default -> throw new IllegalStateException("unexpected " + m.type);
        }
        return null;
    }

    private SimMessage redirect(final SimMessage m, final long now)
    {
        final SimMessage redirect = new SimMessage(SimMessage.Type.CLIENT_REDIRECT, id, -1);
        redirect.clientId = m.clientId;
        redirect.sequence = m.type == SimMessage.Type.SESSION_OPEN ? 0 : m.sequence;
        redirect.result = leader.leaderMemberId(now);
        return redirect;
    }

    private void chosenState(final SimMessage m)
    {
        learner.onChosenState(m.ballot, m.ballotStartSlot, m.watermark);
        for (int i = 0; i < m.ranges.length; i += 2)
        {
            learner.onChosenRange(m.ranges[i], m.ranges[i + 1]);
        }
    }

    public void prepare(final int to, final long ballot, final long fromSlot, final long toSlot)
    {
        final SimMessage m = new SimMessage(SimMessage.Type.PREPARE, id, to);
        m.ballot = ballot;
        m.fromSlot = fromSlot;
        m.toSlot = toSlot;
        network.send(m);
    }

    public void promise(
        final int to,
        final long ballot,
        final long fromSlot,
        final long toSlot,
        final long highestSlot,
        final int partIndex,
        final int partCount,
        final long entriesFromSlot,
        final long entriesToSlot,
        final int entryCount,
        final AcceptorStore source)
    {
        final SimMessage m = new SimMessage(SimMessage.Type.PROMISE, id, to);
        m.ballot = ballot;
        m.fromSlot = fromSlot;
        m.toSlot = toSlot;
        m.highestSlot = highestSlot;
        m.partIndex = partIndex;
        m.partCount = partCount;
        addEntries(m, entriesFromSlot, entriesToSlot, source);
        check(m.entries.size() == entryCount, "promise entry count");
        network.send(m);
    }

    public void nack(final int to, final long ballot, final long promisedBallot)
    {
        final SimMessage m = new SimMessage(SimMessage.Type.NACK, id, to);
        m.ballot = ballot;
        m.promisedBallot = promisedBallot;
        network.send(m);
    }

    public void preVote(final int to, final long ballot)
    {
        final SimMessage m = new SimMessage(SimMessage.Type.PRE_VOTE, id, to);
        m.ballot = ballot;
        network.send(m);
    }

    public void preVoteReply(final int to, final long ballot, final boolean granted, final long promisedBallot)
    {
        final SimMessage m = new SimMessage(SimMessage.Type.PRE_VOTE_REPLY, id, to);
        m.ballot = ballot;
        m.granted = granted;
        m.promisedBallot = promisedBallot;
        network.send(m);
    }

    public void accept(
        final int to, final long ballot, final long fromSlot, final long toSlot, final ValueSource values,
        final ChosenSlots chosen)
    {
        final SimMessage m = new SimMessage(SimMessage.Type.ACCEPT, id, to);
        m.ballot = ballot;
        chosenSlots(m, chosen);
        for (long slot = fromSlot; slot < toSlot; slot++)
        {
            final int length = values.wrapValue(slot, view);
            check(length >= 0, "accept of a slot the leader does not hold");
            final byte[] value = new byte[length];
            view.getBytes(0, value);
            m.entries.add(new SimMessage.Entry(slot, ballot, value));
        }
        network.send(m);
    }

    public void accepted(final int to, final long ballot, final SlotRanges ranges)
    {
        final SimMessage m = new SimMessage(SimMessage.Type.ACCEPTED, id, to);
        m.ballot = ballot;
        m.ranges = ranges(ranges);
        network.send(m);
    }

    public void heartbeat(final int to, final ChosenSlots chosen)
    {
        final SimMessage m = new SimMessage(SimMessage.Type.HEARTBEAT, id, to);
        m.ballot = chosen.ballot();
        chosenSlots(m, chosen);
        network.send(m);
    }

    public void chosenState(final int to, final ChosenSlots chosen)
    {
        final SimMessage m = new SimMessage(SimMessage.Type.CHOSEN_STATE, id, to);
        m.ballot = chosen.ballot();
        chosenSlots(m, chosen);
        network.send(m);
    }

    public void catchUpRequest(final int to, final long fromSlot, final long toSlot)
    {
        final SimMessage m = new SimMessage(SimMessage.Type.CATCH_UP_REQUEST, id, to);
        m.fromSlot = fromSlot;
        m.toSlot = toSlot;
        network.send(m);
    }

    public void catchUpResponse(
        final int to, final long fromSlot, final long toSlot, final int entryCount, final AcceptorStore source)
    {
        final SimMessage m = new SimMessage(SimMessage.Type.CATCH_UP_RESPONSE, id, to);
        m.fromSlot = fromSlot;
        m.toSlot = toSlot;
        addEntries(m, fromSlot, toSlot, source);
        check(m.entries.size() == entryCount, "catch-up entry count");
        network.send(m);
    }

    /**
     * As in the runtime, a learner's outcome reaches the client only through a member whose leader
     * role leads. (The planted ACK_ON_CHOSEN bug calls this from the leader role.)
     */
    public void clientAck(
        final long clientId, final long fromSequence, final long toSequence, final long slot, final int outcome)
    {
        if (leader == null || leader.role() != LeaderRole.LEADER)
        {
            return;
        }
        if (outcome == SessionTable.APPLIED)
        {
            // The last applied, exactly (a duplicate's sequence says only that it is at or below).
            leader.onApplied(clientId, toSequence);
        }
        final SimMessage m = new SimMessage(SimMessage.Type.CLIENT_ACK, id, -1);
        m.clientId = clientId;
        m.sequence = fromSequence;
        m.toSequence = toSequence;
        m.slot = slot;
        m.result = outcome;
        network.send(m);
    }

    public void sessionEvent(final long clientId, final int outcome, final long lastSequence, final long slot)
    {
        if (leader == null || leader.role() != LeaderRole.LEADER)
        {
            return;
        }
        final SimMessage m = new SimMessage(SimMessage.Type.SESSION_EVENT, id, -1);
        m.clientId = clientId;
        m.result = outcome;
        m.sequence = lastSequence;
        m.slot = slot;
        network.send(m);
    }

    private void addEntries(
        final SimMessage m, final long fromSlot, final long toSlot, final AcceptorStore source)
    {
        for (long slot = fromSlot; slot < toSlot; slot++)
        {
            final long ballot = source.acceptedBallot(slot);
            if (ballot != AcceptorStore.NULL_BALLOT)
            {
                final int length = source.wrapValue(slot, view);
                final byte[] value = new byte[length];
                view.getBytes(0, value);
                m.entries.add(new SimMessage.Entry(slot, ballot, value));
            }
        }
    }

    private static void chosenSlots(final SimMessage m, final ChosenSlots chosen)
    {
        m.watermark = chosen.watermark();
        m.ballotStartSlot = chosen.ballotStartSlot();
        m.ranges = ranges(chosen.ranges());
    }

    private static long[] ranges(final SlotRanges ranges)
    {
        final long[] result = new long[ranges.count() * 2];
        for (int i = 0; i < ranges.count(); i++)
        {
            result[2 * i] = ranges.from(i);
            result[2 * i + 1] = ranges.to(i);
        }
        return result;
    }

    private static void check(final boolean condition, final String what)
    {
        if (!condition)
        {
            throw new IllegalStateException("outbox contract broken: " + what);
        }
    }
}
