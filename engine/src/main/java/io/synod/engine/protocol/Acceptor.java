package io.synod.engine.protocol;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.synod.engine.protocol.AcceptorStore.NULL_BALLOT;

/**
 * The acceptor role: promises, accepts and serves its log for catch-up. Single-threaded: owned by
 * the acceptor agent (or a simulated replica), which alone calls it.
 * <p>
 * <b>Persist before reply.</b> Every Promise and Accepted waits in a bounded queue of pending
 * replies until the store reports durable the position its write returned; {@link #doWork(long)}
 * releases them. With group commit the owner forces the store once per duty cycle, then calls
 * {@code doWork}, so one force covers every write of the cycle.
 */
public final class Acceptor
{
    static final int PROMISE = 1;
    static final int ACCEPTED = 2;

    private final ProtocolConfig config;
    private final AcceptorStore store;
    private final Outbox outbox;
    private final SlotRanges replyRanges;
    private final UnsafeBuffer valueView = new UnsafeBuffer(0, 0);

    private final int pendingMask;
    private final int[] pendingKind;
    private final int[] pendingTo;
    private final long[] pendingBallot;
    private final long[] pendingFrom;
    private final long[] pendingToSlot;
    private final long[] pendingPosition;
    private long pendingHead;
    private long pendingTail;

    private long lastWritePosition;
    private long leaderBallot = NULL_BALLOT;
    private long leaderContactNs;
    private boolean heardLeader;
    private long nackedBallot = NULL_BALLOT;
    private int nackedTo = -1;

    private long invalidDropped;
    private long staleRejected;
    private long stickyRefusals;
    private long pendingOverflows;
    private long ballotsRefused;
    private long preVotesRefused;

    public Acceptor(final ProtocolConfig config, final AcceptorStore store, final Outbox outbox)
    {
        this.config = config;
        this.store = store;
        this.outbox = outbox;
        final int capacity = Integer.highestOneBit(Math.max(2, config.maxPendingReplies() - 1)) << 1;
        pendingMask = capacity - 1;
        pendingKind = new int[capacity];
        pendingTo = new int[capacity];
        pendingBallot = new long[capacity];
        pendingFrom = new long[capacity];
        pendingToSlot = new long[capacity];
        pendingPosition = new long[capacity];
        replyRanges = new SlotRanges(config.maxChosenRanges());
        lastWritePosition = store.durablePosition();
    }

    public long promisedBallot()
    {
        return store.promisedBallot();
    }

    public long invalidDropped()
    {
        return invalidDropped;
    }

    /**
     * Prepares, Accepts and Heartbeats refused for a ballot below the promise (each answered by a
     * Nack so the stale proposer steps down).
     */
    public long staleRejected()
    {
        return staleRejected;
    }

    public long stickyRefusals()
    {
        return stickyRefusals;
    }

    /**
     * PreVotes answered no because this acceptor still hears a live leader.
     */
    public long preVotesRefused()
    {
        return preVotesRefused;
    }

    public long pendingOverflows()
    {
        return pendingOverflows;
    }

    /**
     * Prepares, Accepts, Heartbeats and PreVotes dropped because their ballot does not carry the
     * sender's member id, is negative, or jumps more than {@link ProtocolConfig#maxRoundJump()} rounds
     * past the promise.
     */
    public long ballotsRefused()
    {
        return ballotsRefused;
    }

    public int pendingReplies()
    {
        return (int)(pendingTail - pendingHead);
    }

    public void onPrepare(final int from, final long ballot, final long fromSlot, final long toSlot, final long nowNs)
    {
        if (fromSlot < 0 || toSlot < fromSlot)
        {
            invalidDropped++;
            return;
        }
        if (!isSane(from, ballot))
        {
            return;
        }
        final long promised = store.promisedBallot();
        if (ballot < promised)
        {
            staleRejected++;
            outbox.nack(from, ballot, promised);
            return;
        }
        if (hearsLiveLeaderOtherThan(ballot, nowNs))
        {
            // Leader stickiness: a replica that comes back from a partition must not depose a leader
            // this acceptor still hears. The candidate times out and tries again later.
            stickyRefusals++;
            return;
        }
        if (isFull())
        {
            pendingOverflows++;
            return;
        }
        if (ballot > promised)
        {
            lastWritePosition = store.promise(ballot);
        }
        enqueue(PROMISE, from, ballot, fromSlot, toSlot, lastWritePosition);
    }

    /**
     * A candidate asks whether this acceptor would promise {@code ballot}. Nothing is persisted or
     * changed: the answer is no while this acceptor hears a live leader (leader stickiness, asked
     * before the candidate raises any ballot), and carries the promise so the candidate can pick a
     * ballot above it.
     */
    public void onPreVote(final int from, final long ballot, final long nowNs)
    {
        if (!isSane(from, ballot))
        {
            return;
        }
        final boolean granted = !hearsLiveLeaderOtherThan(ballot, nowNs);
        if (!granted)
        {
            preVotesRefused++;
        }
        outbox.preVoteReply(from, ballot, granted, store.promisedBallot());
    }

    /**
     * The header of an Accept. Entries follow through {@link #onAcceptEntry} only if this returns
     * true; a stale ballot gets one Nack per message.
     */
    public boolean onAccept(final int from, final long ballot, final long nowNs)
    {
        if (!isSane(from, ballot))
        {
            return false;
        }
        final long promised = store.promisedBallot();
        if (ballot < promised && config.mutation() != Mutation.ACCEPT_LOWER_BALLOT)
        {
            nackOnce(from, ballot, promised);
            return false;
        }
        noteLeader(ballot, nowNs);
        return true;
    }

    public void onAcceptEntry(
        final int from, final long ballot, final long slot, final DirectBuffer buffer, final int offset, final int length)
    {
        if (slot < store.lowestSlot() || length > config.maxValueBytes() ||
            BatchDescriptor.validate(buffer, offset, length) < 0)
        {
            invalidDropped++;
            return;
        }
        if (ballot < store.promisedBallot() && config.mutation() != Mutation.ACCEPT_LOWER_BALLOT)
        {
            nackOnce(from, ballot, store.promisedBallot());
            return;
        }
        if (isFull())
        {
            pendingOverflows++;
            return;
        }
        if (store.acceptedBallot(slot) != ballot)
        {
            lastWritePosition = store.accept(slot, ballot, buffer, offset, length);
        }
        // A retransmitted entry is answered once everything written so far is durable, which covers
        // the earlier write of the same entry.
        enqueue(ACCEPTED, from, ballot, slot, slot + 1, lastWritePosition);
    }

    public void onHeartbeat(final int from, final long ballot, final long nowNs)
    {
        if (!isSane(from, ballot))
        {
            return;
        }
        final long promised = store.promisedBallot();
        if (ballot < promised)
        {
            nackOnce(from, ballot, promised);
            return;
        }
        noteLeader(ballot, nowNs);
        replyRanges.clear();
        // An empty Accepted tells the leader this acceptor is reachable: it steps down without a
        // majority of them. It claims nothing, so it need not wait for the store.
        outbox.accepted(from, ballot, replyRanges);
    }

    public void onCatchUpRequest(final int from, final long fromSlot, final long toSlot)
    {
        if (fromSlot < 0 || toSlot <= fromSlot)
        {
            invalidDropped++;
            return;
        }
        final long start = Math.max(fromSlot, store.lowestSlot());
        final long end = Math.min(toSlot, Math.max(start, store.highestSlot() + 1));
        final int budget = config.maxMessageBytes() - Outbox.MESSAGE_OVERHEAD_BYTES;
        int bytes = 0;
        int count = 0;
        long slot = start;
        for (; slot < end; slot++)
        {
            if (store.acceptedBallot(slot) != NULL_BALLOT)
            {
                final int entryBytes = Outbox.entryLengthBytes(store.wrapValue(slot, valueView));
                if (bytes + entryBytes > budget && count > 0)
                {
                    break;
                }
                bytes += entryBytes;
                count++;
            }
        }
        // Slots before start were compacted away, so the response does not cover them; when every
        // entry up to toSlot fit, it covers the whole request (slots past the last entry hold nothing).
        outbox.catchUpResponse(from, start, slot < end ? slot : toSlot, count, store);
    }

    /**
     * Releases replies whose writes the store now reports durable.
     *
     * @return number of replies sent.
     */
    public int doWork(final long nowNs)
    {
        final long durable = store.durablePosition();
        int work = 0;
        int batchTo = -1;
        long batchBallot = NULL_BALLOT;
        replyRanges.clear();
        while (pendingHead < pendingTail)
        {
            final int index = (int)(pendingHead & pendingMask);
            if (pendingPosition[index] > durable)
            {
                break;
            }
            final int kind = pendingKind[index];
            final int to = pendingTo[index];
            final long ballot = pendingBallot[index];
            if (kind == ACCEPTED && to == batchTo && ballot == batchBallot && replyRanges.addSlot(pendingFrom[index]))
            {
                pendingHead++;
                continue;
            }
            if (replyRanges.count() > 0)
            {
                outbox.accepted(batchTo, batchBallot, replyRanges);
                replyRanges.clear();
                work++;
            }
            if (kind == ACCEPTED)
            {
                batchTo = to;
                batchBallot = ballot;
                replyRanges.addSlot(pendingFrom[index]);
            }
            else
            {
                batchTo = -1;
                sendPromise(to, ballot, pendingFrom[index], pendingToSlot[index]);
                work++;
            }
            pendingHead++;
        }
        if (replyRanges.count() > 0)
        {
            outbox.accepted(batchTo, batchBallot, replyRanges);
            replyRanges.clear();
            work++;
        }
        nackedTo = -1;
        return work;
    }

    private void sendPromise(final int to, final long ballot, final long fromSlot, final long toSlot)
    {
        final long highestSlot = store.highestSlot();
        final long start = Math.max(fromSlot, store.lowestSlot());
        final long end = Math.min(toSlot, highestSlot + 1);
        final int budget = config.maxMessageBytes() - Outbox.MESSAGE_OVERHEAD_BYTES;

        int partCount = 1;
        int bytes = 0;
        for (long slot = start; slot < end; slot++)
        {
            if (store.acceptedBallot(slot) != NULL_BALLOT)
            {
                final int entryBytes = Outbox.entryLengthBytes(store.wrapValue(slot, valueView));
                if (bytes + entryBytes > budget && bytes > 0)
                {
                    partCount++;
                    bytes = 0;
                }
                bytes += entryBytes;
            }
        }

        int partIndex = 0;
        int count = 0;
        long partStart = start;
        bytes = 0;
        for (long slot = start; slot < end; slot++)
        {
            if (store.acceptedBallot(slot) != NULL_BALLOT)
            {
                final int entryBytes = Outbox.entryLengthBytes(store.wrapValue(slot, valueView));
                if (bytes + entryBytes > budget && bytes > 0)
                {
                    outbox.promise(
                        to, ballot, fromSlot, toSlot, highestSlot, partIndex++, partCount, partStart, slot, count, store);
                    partStart = slot;
                    bytes = 0;
                    count = 0;
                }
                bytes += entryBytes;
                count++;
            }
        }
        outbox.promise(to, ballot, fromSlot, toSlot, highestSlot, partIndex, partCount, partStart,
            Math.max(partStart, end), count, store);
    }

    private void noteLeader(final long ballot, final long nowNs)
    {
        if (ballot >= leaderBallot)
        {
            leaderBallot = ballot;
            leaderContactNs = nowNs;
            heardLeader = true;
        }
    }

    private void nackOnce(final int to, final long ballot, final long promised)
    {
        staleRejected++;
        if (to != nackedTo || ballot != nackedBallot)
        {
            nackedTo = to;
            nackedBallot = ballot;
            outbox.nack(to, ballot, promised);
        }
    }

    /**
     * Ballot sanity: see {@link #ballotsRefused()}. Such a message is dropped without a Nack, which
     * would only tell a forger what this acceptor promised.
     */
    private boolean isSane(final int from, final long ballot)
    {
        if (Ballot.isSane(ballot, from, store.promisedBallot(), config.maxRoundJump()))
        {
            return true;
        }
        ballotsRefused++;
        return false;
    }

    private boolean hearsLiveLeaderOtherThan(final long ballot, final long nowNs)
    {
        return heardLeader && Ballot.memberId(ballot) != Ballot.memberId(leaderBallot) &&
            nowNs - leaderContactNs < config.electionTimeoutNs();
    }

    private boolean isFull()
    {
        return pendingTail - pendingHead > pendingMask;
    }

    private void enqueue(
        final int kind, final int to, final long ballot, final long from, final long toSlot, final long position)
    {
        final int index = (int)(pendingTail & pendingMask);
        pendingKind[index] = kind;
        pendingTo[index] = to;
        pendingBallot[index] = ballot;
        pendingFrom[index] = from;
        pendingToSlot[index] = toSlot;
        pendingPosition[index] = config.mutation() == Mutation.REPLY_BEFORE_DURABLE ? 0 : position;
        pendingTail++;
    }
}
