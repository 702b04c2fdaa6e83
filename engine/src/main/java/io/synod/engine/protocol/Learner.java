package io.synod.engine.protocol;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static io.synod.engine.protocol.AcceptorStore.NULL_BALLOT;

/**
 * The learner role: learns which slots are chosen and delivers them strictly in slot order, gap-free,
 * each command once. Single-threaded: owned by the learner agent (or a simulated replica).
 * <p>
 * Knowing that a slot is chosen is not knowing its value. The learner keeps the values it sees in
 * Accepts (and catch-up responses) with their ballots, in a window of {@code learnerWindowSlots}
 * indexed by {@code slot & mask}, and delivers a value only when it knows it is the chosen one:
 * <ul>
 *     <li>the slot was announced chosen at ballot B and the value's ballot is at least B (any
 *     proposal at or above the chosen ballot carries the chosen value), or</li>
 *     <li>a majority of acceptors answered a catch-up request for the slot, sent after it was known
 *     chosen, and the value is the highest-ballot one among their answers (every majority holds
 *     the chosen value at the highest ballot: the phase 1 argument).</li>
 * </ul>
 * A lagging or restarted learner fetches what it lacks the second way, a window at a time.
 */
public final class Learner
{
    private final ProtocolConfig config;
    private final Outbox outbox;
    private final DeliveryHandler handler;
    private final SessionTable sessions;
    private final int quorum;
    private final int windowSlots;
    private final int mask;

    private final long[] slotOf;
    private final long[] valueBallot;
    private final int[] valueLength;
    private final long[] chosenAt;
    private final long[] responders;
    private final UnsafeBuffer slab;

    private long nextDeliver;
    private long knownWatermark;
    private long announcedBallot;
    private long announcedStart;
    private long announcedWatermark;
    private long pendingBallot;
    private long pendingStart;
    private int responseMember = -1;
    private long responseFrom;
    private long responseTo;

    private long stallSinceNs = -1;
    private long lastRequestNs;
    private long lastRequestTo;
    private long deliverAtRequest;
    private long shortestAnswerTo = Long.MAX_VALUE;

    private long runClient;
    private long runFrom;
    private long runTo;
    private int runOutcome = -1;

    private long delivered;
    private long duplicatesSkipped;
    private long gapsSkipped;
    private long unknownSessionSkipped;
    private long invalidDropped;
    private long catchUpRequests;

    public Learner(
        final ProtocolConfig config, final Outbox outbox, final DeliveryHandler handler, final long fromSlot)
    {
        this.config = config;
        this.outbox = outbox;
        this.handler = handler;
        this.sessions = new SessionTable(config.maxClients());
        this.quorum = config.quorum();
        this.windowSlots = config.learnerWindowSlots();
        this.mask = windowSlots - 1;
        slotOf = new long[windowSlots];
        valueBallot = new long[windowSlots];
        valueLength = new int[windowSlots];
        chosenAt = new long[windowSlots];
        responders = new long[windowSlots];
        slab = new UnsafeBuffer(ByteBuffer.allocateDirect(windowSlots * config.maxValueBytes()));
        Arrays.fill(slotOf, -1);
        nextDeliver = fromSlot;
        knownWatermark = fromSlot;
    }

    public long nextDeliverSlot()
    {
        return nextDeliver;
    }

    public long knownChosenWatermark()
    {
        return knownWatermark;
    }

    public long delivered()
    {
        return delivered;
    }

    public long duplicatesSkipped()
    {
        return duplicatesSkipped;
    }

    /**
     * Commands not applied because an earlier sequence of their client was missing.
     */
    public long gapsSkipped()
    {
        return gapsSkipped;
    }

    /**
     * Commands not applied because their session was not open at their slot.
     */
    public long unknownSessionSkipped()
    {
        return unknownSessionSkipped;
    }

    public long invalidDropped()
    {
        return invalidDropped;
    }

    public long catchUpRequests()
    {
        return catchUpRequests;
    }

    public SessionTable sessions()
    {
        return sessions;
    }

    /**
     * A value proposed at {@code ballot}, from an Accept.
     */
    public void onAcceptEntry(
        final long ballot, final long slot, final DirectBuffer buffer, final int offset, final int length)
    {
        offerValue(slot, ballot, buffer, offset, length);
    }

    /**
     * The fixed part of a chosen state (standalone, or piggybacked on an Accept or a Heartbeat). Its
     * ranges follow through {@link #onChosenRange(long, long)}.
     */
    public void onChosenState(final long ballot, final long ballotStartSlot, final long watermark)
    {
        pendingBallot = ballot;
        pendingStart = ballotStartSlot;
        if (watermark > knownWatermark)
        {
            knownWatermark = watermark;
        }
        if (ballot > announcedBallot)
        {
            announcedBallot = ballot;
            announcedStart = ballotStartSlot;
            announcedWatermark = watermark;
        }
        else if (ballot == announcedBallot && watermark > announcedWatermark)
        {
            announcedWatermark = watermark;
        }
    }

    public void onChosenRange(final long fromSlot, final long toSlot)
    {
        if (pendingBallot == NULL_BALLOT)
        {
            return;
        }
        final long start = Math.max(Math.max(fromSlot, pendingStart), nextDeliver);
        final long end = Math.min(toSlot, nextDeliver + windowSlots);
        for (long slot = start; slot < end; slot++)
        {
            chosenAt[claim(slot)] = pendingBallot;
        }
    }

    /**
     * The fixed part of a catch-up response from an acceptor: it holds nothing in {@code [fromSlot,
     * toSlot)} beyond the entries that follow through {@link #onCatchUpEntry}.
     */
    public void onCatchUpResponse(final int from, final long fromSlot, final long toSlot)
    {
        final int member = config.indexOf(from);
        responseMember = member;
        responseFrom = fromSlot;
        responseTo = toSlot;
        if (member < 0 || toSlot < fromSlot)
        {
            invalidDropped++;
            responseMember = -1;
            return;
        }
        shortestAnswerTo = Math.min(shortestAnswerTo, toSlot);
        // Count the answer only for slots known chosen when this learner asked: an acceptor's entry
        // never goes down once it acknowledged it, so any later answer shows the chosen value or one
        // at a higher ballot.
        final long start = Math.max(fromSlot, nextDeliver);
        final long end = Math.min(Math.min(toSlot, knownWatermark), Math.min(lastRequestTo, nextDeliver + windowSlots));
        final long bit = 1L << member;
        for (long slot = start; slot < end; slot++)
        {
            responders[claim(slot)] |= bit;
        }
    }

    public void onCatchUpEntry(
        final long slot, final long ballot, final DirectBuffer buffer, final int offset, final int length)
    {
        if (responseMember < 0 || slot < responseFrom || slot >= responseTo)
        {
            invalidDropped++;
            return;
        }
        offerValue(slot, ballot, buffer, offset, length);
    }

    /**
     * Delivers what it can, and asks for what it lacks.
     *
     * @return number of slots delivered plus requests sent.
     */
    public int doWork(final long nowNs)
    {
        int work = 0;
        while (nextDeliver < knownWatermark || isRangeChosen(nextDeliver))
        {
            final int index = (int)(nextDeliver & mask);
            if (slotOf[index] != nextDeliver || !isDeliverable(index, nextDeliver))
            {
                if (config.mutation() == Mutation.DELIVER_PAST_GAP && nextDeliver < knownWatermark &&
                    isDeliverable((int)((nextDeliver + 1) & mask), nextDeliver + 1))
                {
                    nextDeliver++;
                    continue;
                }
                break;
            }
            deliver(index, nextDeliver);
            slotOf[index] = -1;
            nextDeliver++;
            work++;
        }
        work += catchUp(nowNs);
        return work;
    }

    private int catchUp(final long nowNs)
    {
        if (nextDeliver >= knownWatermark)
        {
            stallSinceNs = -1;
            return 0;
        }
        if (stallSinceNs < 0)
        {
            stallSinceNs = nowNs;
        }
        // Close behind the leader the value is usually on its way in an Accept: give it a moment.
        // Far behind, ask at once.
        final boolean farBehind = knownWatermark - nextDeliver > (windowSlots >> 1);
        final long waitNs = farBehind ? 0 : config.catchUpTimeoutNs() >> 1;
        if (nowNs - stallSinceNs < waitNs)
        {
            return 0;
        }
        if (nextDeliver < lastRequestTo && nowNs - lastRequestNs < config.catchUpTimeoutNs() &&
            !consumedPartialAnswer())
        {
            return 0;
        }
        final long toSlot = Math.min(knownWatermark, nextDeliver + windowSlots);
        lastRequestTo = toSlot;
        lastRequestNs = nowNs;
        deliverAtRequest = nextDeliver;
        shortestAnswerTo = Long.MAX_VALUE;
        catchUpRequests++;
        outbox.catchUpRequest(Outbox.ALL, nextDeliver, toSlot);
        return 1;
    }

    /**
     * An acceptor cuts its answer at the message size limit, so one answer may cover only the start of
     * the request. Once this learner delivered up to the end of such an answer it asks for the rest at
     * once instead of waiting out the catch-up timeout (which made a long replay run at one message per
     * timeout). Requiring progress since the request bounds the extra requests to one per advance.
     */
    private boolean consumedPartialAnswer()
    {
        return nextDeliver > deliverAtRequest && nextDeliver >= shortestAnswerTo;
    }

    private boolean isRangeChosen(final long slot)
    {
        final int index = (int)(slot & mask);
        return slotOf[index] == slot && chosenAt[index] != NULL_BALLOT;
    }

    private boolean isDeliverable(final int index, final long slot)
    {
        final long ballot = valueBallot[index];
        if (ballot == NULL_BALLOT)
        {
            return false;
        }
        long chosenBallot = chosenAt[index];
        if (chosenBallot == NULL_BALLOT && slot >= announcedStart && slot < announcedWatermark)
        {
            chosenBallot = announcedBallot;
        }
        if (chosenBallot != NULL_BALLOT && ballot >= chosenBallot)
        {
            return true;
        }
        return Long.bitCount(responders[index]) >= quorum;
    }

    /**
     * Applies a slot's entries in order: session events change the table, commands are applied or
     * skipped as the table decides, and the client hears the outcome. Consecutive sequences of one
     * client with one outcome in the slot are answered by one acknowledgement.
     */
    private void deliver(final int index, final long slot)
    {
        final int base = index * config.maxValueBytes();
        final int limit = base + valueLength[index];
        int position = base;
        while (position < limit)
        {
            final long clientId = BatchDescriptor.clientId(slab, position);
            final long sequence = BatchDescriptor.sequence(slab, position);
            final int length = BatchDescriptor.payloadLength(slab, position);
            if (BatchDescriptor.isSessionEvent(sequence))
            {
                flushRun(slot);
                final int outcome = sequence == BatchDescriptor.SESSION_OPEN ?
                    sessions.open(clientId, BatchDescriptor.openNextSequence(slab, position)) :
                    sessions.close(clientId);
                outbox.sessionEvent(clientId, outcome, sessions.lastApplied(clientId), slot);
            }
            else
            {
                int outcome = sessions.apply(clientId, sequence);
                if (outcome == SessionTable.GAP && config.mutation() == Mutation.APPLY_PAST_GAP)
                {
                    sessions.forceApplied(clientId, sequence);
                    outcome = SessionTable.APPLIED;
                }
                switch (outcome)
                {
                    case SessionTable.APPLIED:
                        delivered++;
                        handler.onDelivery(slot, clientId, sequence, slab, position + BatchDescriptor.HEADER_LENGTH, length);
                        break;

                    case SessionTable.DUPLICATE:
                        duplicatesSkipped++;
                        break;

                    case SessionTable.GAP:
                        gapsSkipped++;
                        break;

                    default:
                        unknownSessionSkipped++;
                        break;
                }
                if (runOutcome == outcome && runClient == clientId && runTo + 1 == sequence)
                {
                    runTo = sequence;
                }
                else
                {
                    flushRun(slot);
                    runClient = clientId;
                    runFrom = sequence;
                    runTo = sequence;
                    runOutcome = outcome;
                }
            }
            position += BatchDescriptor.commandLength(length);
        }
        flushRun(slot);
    }

    private void flushRun(final long slot)
    {
        if (runOutcome >= 0)
        {
            outbox.clientAck(runClient, runFrom, runTo, slot, runOutcome);
            runOutcome = -1;
        }
    }

    private void offerValue(
        final long slot, final long ballot, final DirectBuffer buffer, final int offset, final int length)
    {
        if (slot < nextDeliver || slot >= nextDeliver + windowSlots)
        {
            return;
        }
        if (ballot == NULL_BALLOT || length > config.maxValueBytes() ||
            BatchDescriptor.validate(buffer, offset, length) < 0)
        {
            invalidDropped++;
            return;
        }
        final int index = claim(slot);
        if (ballot > valueBallot[index])
        {
            valueBallot[index] = ballot;
            valueLength[index] = length;
            slab.putBytes(index * config.maxValueBytes(), buffer, offset, length);
        }
    }

    /**
     * Makes the ring entry of a slot inside the window belong to it, clearing what an older slot left.
     */
    private int claim(final long slot)
    {
        final int index = (int)(slot & mask);
        if (slotOf[index] != slot)
        {
            slotOf[index] = slot;
            valueBallot[index] = NULL_BALLOT;
            valueLength[index] = 0;
            chosenAt[index] = NULL_BALLOT;
            responders[index] = 0;
        }
        return index;
    }
}
