package io.synod.bench;

import io.synod.engine.protocol.Acceptor;
import io.synod.engine.protocol.AcceptorStore;
import io.synod.engine.protocol.ChosenSlots;
import io.synod.engine.protocol.Leader;
import io.synod.engine.protocol.Outbox;
import io.synod.engine.protocol.SlotRanges;
import io.synod.engine.protocol.ValueSource;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * {@link Outbox} that delivers by calling the addressed role's {@code onXxx} methods at once, on the
 * caller's thread: no encoding, no queue, no allocation. It measures the protocol core alone. One
 * instance per sending role: the leader's reaches the acceptors, an acceptor's reaches the leader.
 * There is no learner, so ChosenState, catch-up and deliveries go nowhere; client acks are counted.
 * <p>
 * Calls re-enter: an acceptor answers a Heartbeat at once, so {@link Leader#onAccepted} may run
 * inside {@link Leader#doWork}; a network would deliver it in a later duty cycle. That reply only
 * refreshes the leader's contact time, so the order does not change what the benchmark measures.
 * <p>
 * Single-threaded: every role it wires is driven by the one thread that drives them all.
 */
public final class DirectOutbox implements Outbox
{
    private final int fromId;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private Leader leader;
    private Acceptor[] acceptors = new Acceptor[0];
    private int[] acceptorIds = new int[0];
    private long nowNs;
    private long clientAcks;
    private long lastAckSlot = -1;

    /**
     * @param fromId member id of the sending role, passed as {@code from} to the receiver.
     */
    public DirectOutbox(final int fromId)
    {
        this.fromId = fromId;
    }

    /**
     * Sets the receivers, once all roles exist (each role takes its outbox when constructed).
     *
     * @param leader      receiver of Promise, PreVoteReply, Nack and Accepted, or null for the leader's own outbox.
     * @param acceptors   receivers of Prepare, PreVote, Accept and Heartbeat.
     * @param acceptorIds member id of each acceptor, same order.
     * @return this.
     */
    public DirectOutbox wire(final Leader leader, final Acceptor[] acceptors, final int[] acceptorIds)
    {
        this.leader = leader;
        this.acceptors = acceptors.clone();
        this.acceptorIds = acceptorIds.clone();
        return this;
    }

    /**
     * Logical time handed to the receivers' {@code onXxx(…, nowNs)}: the driver's current cycle.
     */
    public void nowNs(final long nowNs)
    {
        this.nowNs = nowNs;
    }

    public long clientAcks()
    {
        return clientAcks;
    }

    public long lastAckSlot()
    {
        return lastAckSlot;
    }

    public void prepare(final int to, final long ballot, final long fromSlot, final long toSlot)
    {
        for (int i = 0; i < acceptors.length; i++)
        {
            if (to == ALL || to == acceptorIds[i])
            {
                acceptors[i].onPrepare(fromId, ballot, fromSlot, toSlot, nowNs);
            }
        }
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
        if (null == leader)
        {
            return;
        }
        leader.onPromise(fromId, ballot, fromSlot, highestSlot, partIndex, partCount);
        for (long slot = entriesFromSlot; slot < entriesToSlot; slot++)
        {
            final long entryBallot = source.acceptedBallot(slot);
            if (entryBallot != AcceptorStore.NULL_BALLOT)
            {
                final int length = source.wrapValue(slot, view);
                leader.onPromiseEntry(slot, entryBallot, view, 0, length);
            }
        }
        leader.onPromiseEnd(nowNs);
    }

    public void nack(final int to, final long ballot, final long promisedBallot)
    {
        if (null != leader)
        {
            leader.onNack(fromId, ballot, promisedBallot, nowNs);
        }
    }

    public void preVote(final int to, final long ballot)
    {
        for (int i = 0; i < acceptors.length; i++)
        {
            if (to == ALL || to == acceptorIds[i])
            {
                acceptors[i].onPreVote(fromId, ballot, nowNs);
            }
        }
    }

    public void preVoteReply(final int to, final long ballot, final boolean granted, final long promisedBallot)
    {
        if (null != leader)
        {
            leader.onPreVoteReply(fromId, ballot, granted, promisedBallot, nowNs);
        }
    }

    public void accept(
        final int to, final long ballot, final long fromSlot, final long toSlot, final ValueSource values,
        final ChosenSlots chosen)
    {
        for (int i = 0; i < acceptors.length; i++)
        {
            if ((to == ALL || to == acceptorIds[i]) && acceptors[i].onAccept(fromId, ballot, nowNs))
            {
                for (long slot = fromSlot; slot < toSlot; slot++)
                {
                    final int length = values.wrapValue(slot, view);
                    acceptors[i].onAcceptEntry(fromId, ballot, slot, view, 0, Math.max(length, 0));
                }
            }
        }
    }

    public void accepted(final int to, final long ballot, final SlotRanges ranges)
    {
        if (null == leader)
        {
            return;
        }
        if (ranges.count() == 0)
        {
            leader.onAccepted(fromId, ballot, 0, 0, nowNs);
        }
        for (int i = 0; i < ranges.count(); i++)
        {
            leader.onAccepted(fromId, ballot, ranges.from(i), ranges.to(i), nowNs);
        }
    }

    public void heartbeat(final int to, final ChosenSlots chosen)
    {
        for (int i = 0; i < acceptors.length; i++)
        {
            if (to == ALL || to == acceptorIds[i])
            {
                acceptors[i].onHeartbeat(fromId, chosen.ballot(), nowNs);
            }
        }
    }

    public void chosenState(final int to, final ChosenSlots chosen)
    {
        // No learner in this wiring.
    }

    public void catchUpRequest(final int to, final long fromSlot, final long toSlot)
    {
        // No learner in this wiring.
    }

    public void catchUpResponse(
        final int to, final long fromSlot, final long toSlot, final int entryCount, final AcceptorStore source)
    {
        // No learner in this wiring.
    }

    public void clientAck(
        final long clientId, final long fromSequence, final long toSequence, final long slot, final int outcome)
    {
        clientAcks += toSequence - fromSequence + 1;
        lastAckSlot = slot;
    }

    public void sessionEvent(final long clientId, final int outcome, final long lastSequence, final long slot)
    {
        // No learner in this wiring.
    }
}
