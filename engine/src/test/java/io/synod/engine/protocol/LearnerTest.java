package io.synod.engine.protocol;

import io.synod.engine.protocol.RecordingOutbox.CatchUpRequest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.synod.engine.protocol.TestValues.CATCH_UP;
import static io.synod.engine.protocol.TestValues.buffer;
import static io.synod.engine.protocol.TestValues.command;
import static io.synod.engine.protocol.TestValues.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The learner of member 1 of {1, 2, 3}, driven by hand: the test plays Accepts, chosen states and
 * catch-up responses.
 */
class LearnerTest
{
    private static final long B1 = Ballot.of(1, 2);
    private static final long B2 = Ballot.of(2, 3);
    private static final long B3 = Ballot.of(3, 2);

    private final RecordingOutbox outbox = new RecordingOutbox();
    private final List<String> delivered = new ArrayList<>();
    private final Learner learner = new Learner(
        TestValues.config(1).conclude(),
        outbox,
        (slot, clientId, sequence, buffer, offset, length) ->
        {
            assertEquals((byte)sequence, buffer.getByte(offset), "payload handed over intact");
            deliveredLength = length;
            delivered.add(slot + "=" + clientId + ":" + sequence);
        },
        0);
    private int deliveredLength;
    private long nowNs = 1_000;

    LearnerTest()
    {
        // The clients these tests use have open sessions (a session-open entry applied earlier).
        learner.sessions().open(7, 1);
        learner.sessions().open(8, 1);
    }

    private void accept(final long ballot, final long slot, final byte[] value)
    {
        learner.onAcceptEntry(ballot, slot, buffer(value), 0, value.length);
    }

    private void chosen(final long ballot, final long ballotStartSlot, final long watermark, final long... ranges)
    {
        learner.onChosenState(ballot, ballotStartSlot, watermark);
        for (int i = 0; i < ranges.length; i += 2)
        {
            learner.onChosenRange(ranges[i], ranges[i + 1]);
        }
    }

    private void response(final int from, final long fromSlot, final long toSlot, final Object... slotBallotValue)
    {
        learner.onCatchUpResponse(from, fromSlot, toSlot);
        for (int i = 0; i < slotBallotValue.length; i += 3)
        {
            final byte[] value = (byte[])slotBallotValue[i + 2];
            learner.onCatchUpEntry((Long)slotBallotValue[i], (Long)slotBallotValue[i + 1], buffer(value), 0, value.length);
        }
    }

    @Test
    void deliversInSlotOrderOnlyOnceChosen()
    {
        accept(B1, 0, command(7, 1));
        accept(B1, 1, command(7, 2));
        accept(B1, 2, command(8, 1));
        learner.doWork(nowNs);
        assertTrue(delivered.isEmpty(), "proposed is not chosen");
        chosen(B1, 0, 0, 1, 3);
        learner.doWork(nowNs);
        assertTrue(delivered.isEmpty(), "slots 1 and 2 wait for slot 0");
        assertEquals(0, learner.nextDeliverSlot());
        chosen(B1, 0, 3);
        learner.doWork(nowNs);
        assertEquals(List.of("0=7:1", "1=7:2", "2=8:1"), delivered);
        assertEquals(3, learner.nextDeliverSlot());
        assertEquals(3, learner.delivered());
    }

    @Test
    void laterSlotChosenFirstIsHeldUntilEarlierDelivered()
    {
        accept(B1, 1, command(7, 2));
        chosen(B1, 0, 0, 1, 2);
        learner.doWork(nowNs);
        assertTrue(delivered.isEmpty());
        accept(B1, 0, command(7, 1));
        learner.doWork(nowNs);
        assertTrue(delivered.isEmpty(), "slot 0 has a value but is not known chosen");
        chosen(B1, 0, 0, 0, 2);
        learner.doWork(nowNs);
        assertEquals(List.of("0=7:1", "1=7:2"), delivered);
    }

    @Test
    void valueSeenAtLowerBallotThanChosenIsNotDelivered()
    {
        accept(B1, 0, command(7, 1));
        chosen(B2, 0, 1);
        learner.doWork(nowNs);
        assertTrue(delivered.isEmpty(), "the value at B1 may not be the one chosen at B2");
        accept(B2, 0, command(7, 1, 5));
        learner.doWork(nowNs);
        assertEquals(List.of("0=7:1"), delivered, "the value at the chosen ballot is");
        assertEquals(5, deliveredLength, "the B2 value, not the B1 one");
    }

    @Test
    void valueAtHigherBallotThanChosenIsDelivered()
    {
        chosen(B2, 0, 0, 0, 1);
        accept(B1, 0, command(7, 1));
        learner.doWork(nowNs);
        assertTrue(delivered.isEmpty());
        accept(B3, 0, command(7, 1, 5));
        learner.doWork(nowNs);
        assertEquals(List.of("0=7:1"), delivered, "a proposal above the chosen ballot carries the chosen value");
        assertEquals(5, deliveredLength, "the B3 value");
    }

    @Test
    void slotsBelowBallotStartNeedCatchUpEvenWithLocalValue()
    {
        accept(B1, 0, command(7, 1));
        chosen(B2, 1, 1);
        learner.doWork(nowNs);
        assertTrue(delivered.isEmpty(), "slot 0 was chosen before B2's leader: at an unknown ballot");
    }

    @Test
    void catchUpRequestedAtOnceWhenFarBehind()
    {
        chosen(B1, 0, 6);
        learner.doWork(nowNs);
        assertEquals(List.of(new CatchUpRequest(Outbox.ALL, 0, 6)), outbox.drain());
        learner.doWork(nowNs + CATCH_UP - 1);
        assertTrue(outbox.sent().isEmpty(), "one request per catch-up timeout");
        learner.doWork(nowNs + CATCH_UP);
        assertEquals(List.of(new CatchUpRequest(Outbox.ALL, 0, 6)), outbox.drain());
        assertEquals(2, learner.catchUpRequests());
    }

    @Test
    void asksForTheRestAtOnceAfterDeliveringAPartialAnswer()
    {
        chosen(B1, 0, 6);
        learner.doWork(nowNs);
        assertEquals(List.of(new CatchUpRequest(Outbox.ALL, 0, 6)), outbox.drain());

        // Answers cut at the message size limit: they cover [0, 2) of the requested [0, 6).
        response(2, 0, 2, 0L, B1, command(7, 1), 1L, B1, command(7, 2));
        response(3, 0, 2, 0L, B1, command(7, 1), 1L, B1, command(7, 2));
        final long beforeTimeoutNs = nowNs + CATCH_UP / 2;
        learner.doWork(beforeTimeoutNs);
        assertEquals(List.of("0=7:1", "1=7:2"), delivered);
        assertEquals(List.of(new CatchUpRequest(Outbox.ALL, 2, 6)), catchUpRequests(outbox.drain()),
            "the rest is asked for at once, not after a catch-up timeout per answer");

        learner.doWork(beforeTimeoutNs + 1);
        assertTrue(catchUpRequests(outbox.sent()).isEmpty(), "no further request without progress: " + outbox.sent());
    }

    private static List<Object> catchUpRequests(final List<Object> sent)
    {
        return sent.stream().filter(m -> m instanceof CatchUpRequest).toList();
    }

    @Test
    void noEarlyRequestWithoutProgress()
    {
        chosen(B1, 0, 6);
        learner.doWork(nowNs);
        outbox.drain();
        response(2, 0, 2);
        response(3, 0, 2);
        learner.doWork(nowNs + CATCH_UP / 2);
        assertTrue(delivered.isEmpty());
        assertTrue(outbox.sent().isEmpty(), "nothing delivered: wait for the timeout, " + outbox.sent());
        learner.doWork(nowNs + CATCH_UP);
        assertEquals(List.of(new CatchUpRequest(Outbox.ALL, 0, 6)), outbox.drain());
    }

    @Test
    void catchUpRequestBoundedByLearnerWindow()
    {
        chosen(B1, 0, 100);
        learner.doWork(nowNs);
        assertEquals(List.of(new CatchUpRequest(Outbox.ALL, 0, 8)), outbox.drain());
    }

    @Test
    void catchUpWaitsABitWhenCloseBehind()
    {
        chosen(B1, 0, 2);
        learner.doWork(nowNs);
        assertTrue(outbox.sent().isEmpty(), "the Accept is probably on its way");
        learner.doWork(nowNs + CATCH_UP / 2 - 1);
        assertTrue(outbox.sent().isEmpty());
        learner.doWork(nowNs + CATCH_UP / 2);
        assertEquals(List.of(new CatchUpRequest(Outbox.ALL, 0, 2)), outbox.drain());
    }

    @Test
    void noCatchUpWhenUpToDate()
    {
        accept(B1, 0, command(7, 1));
        chosen(B1, 0, 1);
        learner.doWork(nowNs);
        learner.doWork(nowNs + 10 * CATCH_UP);
        assertEquals(List.of("0=7:1"), delivered);
        assertTrue(outbox.sent(CatchUpRequest.class).isEmpty(), outbox.sent().toString());
    }

    @Test
    void majorityOfResponsesDeliversHighestBallotValue()
    {
        accept(B1, 0, command(7, 1));
        chosen(B3, 2, 2);
        learner.doWork(nowNs);
        learner.doWork(nowNs + CATCH_UP / 2);
        assertEquals(List.of(new CatchUpRequest(Outbox.ALL, 0, 2)), outbox.drain());

        response(2, 0, 2, 0L, B1, command(7, 1), 1L, B1, command(7, 3));
        learner.doWork(nowNs + CATCH_UP / 2);
        assertTrue(delivered.isEmpty(), "one answer (plus a local value) is fewer than a majority");

        response(2, 0, 2, 0L, B1, command(7, 1), 1L, B1, command(7, 3));
        learner.doWork(nowNs + CATCH_UP / 2);
        assertTrue(delivered.isEmpty(), "the same acceptor twice is still one");

        response(3, 0, 2, 0L, B2, command(8, 1), 1L, B1, command(7, 3));
        learner.doWork(nowNs + CATCH_UP / 2);
        assertEquals(List.of("0=8:1"), delivered, "highest ballot among the majority (7:3 is a gap after it)");
        assertEquals(2, learner.nextDeliverSlot());
        assertEquals(1, learner.gapsSkipped());
    }

    @Test
    void majorityWhereNobodyHoldsSlotDoesNotDeliver()
    {
        chosen(B3, 2, 2);
        learner.doWork(nowNs);
        learner.doWork(nowNs + CATCH_UP / 2);
        response(2, 0, 2);
        response(3, 0, 2, 1L, B1, command(7, 3));
        learner.doWork(nowNs + CATCH_UP / 2);
        assertTrue(delivered.isEmpty(), "no value for slot 0: nothing to deliver");
    }

    @Test
    void responsesFromUnknownMembersOrOutsideRangeAreDropped()
    {
        chosen(B3, 2, 2);
        learner.doWork(nowNs);
        learner.doWork(nowNs + CATCH_UP / 2);
        response(9, 0, 2, 0L, B1, command(7, 1));
        response(2, 0, 1, 0L, B1, command(7, 1), 1L, B1, command(7, 3));
        response(3, 0, 1, 0L, B1, command(7, 1));
        learner.doWork(nowNs + CATCH_UP / 2);
        assertEquals(List.of("0=7:1"), delivered, "slot 1 lay outside both responses' ranges");
        assertEquals(3, learner.invalidDropped());
    }

    @Test
    void responsesOnlyCountForSlotsKnownChosenWhenAsked()
    {
        chosen(B3, 2, 1);
        learner.doWork(nowNs);
        learner.doWork(nowNs + CATCH_UP / 2);
        assertEquals(List.of(new CatchUpRequest(Outbox.ALL, 0, 1)), outbox.drain());
        chosen(B3, 2, 2);
        response(2, 0, 2, 0L, B1, command(7, 1), 1L, B1, command(7, 3));
        response(3, 0, 2, 0L, B1, command(7, 1), 1L, B1, command(7, 3));
        learner.doWork(nowNs + CATCH_UP / 2);
        assertEquals(List.of("0=7:1"), delivered, "slot 1 was not asked for after it was known chosen");
    }

    @Test
    void duplicateCommandSkipped()
    {
        accept(B1, 0, command(7, 1));
        accept(B1, 1, concat(command(7, 1), command(7, 2)));
        accept(B1, 2, command(7, 1));
        chosen(B1, 0, 3);
        learner.doWork(nowNs);
        assertEquals(List.of("0=7:1", "1=7:2"), delivered);
        assertEquals(2, learner.duplicatesSkipped());
        assertEquals(3, learner.nextDeliverSlot(), "a slot of only duplicates still counts as delivered");
        assertEquals(2, learner.sessions().lastApplied(7));
    }

    @Test
    void noOpSlotAdvancesWithoutDelivery()
    {
        accept(B1, 0, new byte[0]);
        accept(B1, 1, command(7, 1));
        chosen(B1, 0, 2);
        learner.doWork(nowNs);
        assertEquals(List.of("1=7:1"), delivered);
        assertEquals(2, learner.nextDeliverSlot());
    }

    @Test
    void invalidValuesDroppedAndCounted()
    {
        final byte[] good = command(7, 1);
        learner.onAcceptEntry(B1, 0, buffer(good), 0, good.length - 1);
        learner.onAcceptEntry(AcceptorStore.NULL_BALLOT, 0, buffer(good), 0, good.length);
        chosen(B1, 0, 1);
        learner.doWork(nowNs);
        assertTrue(delivered.isEmpty());
        assertEquals(2, learner.invalidDropped());
    }

    @Test
    void valuesOutsideWindowIgnored()
    {
        accept(B1, 8, command(7, 8));
        chosen(B1, 0, 0, 8, 9);
        learner.doWork(nowNs);
        assertTrue(delivered.isEmpty());
        for (long slot = 0; slot < 8; slot++)
        {
            accept(B1, slot, command(7, slot + 1));
        }
        chosen(B1, 0, 9);
        learner.doWork(nowNs);
        assertEquals(8, delivered.size(), "slot 8 lay beyond the window when it came: fetched later, not guessed");
        assertEquals(8, learner.nextDeliverSlot());
    }
}
