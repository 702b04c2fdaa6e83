package io.synod.engine.protocol;

import io.synod.engine.protocol.RecordingOutbox.Accepted;
import io.synod.engine.protocol.RecordingOutbox.CatchUpResponse;
import io.synod.engine.protocol.RecordingOutbox.Entry;
import io.synod.engine.protocol.RecordingOutbox.Nack;
import io.synod.engine.protocol.RecordingOutbox.PreVoteReply;
import io.synod.engine.protocol.RecordingOutbox.Promise;
import io.synod.engine.protocol.RecordingOutbox.Range;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.synod.engine.protocol.TestValues.T;
import static io.synod.engine.protocol.TestValues.buffer;
import static io.synod.engine.protocol.TestValues.command;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acceptor driven by hand: member 1 of {1, 2, 3}, its store durable only when the test syncs it.
 */
class AcceptorTest
{
    private static final long B1 = Ballot.of(1, 2);
    private static final long B2 = Ballot.of(2, 2);
    private static final long B3 = Ballot.of(3, 3);

    private final MemoryStore store = new MemoryStore();
    private final RecordingOutbox outbox = new RecordingOutbox();
    private Acceptor acceptor = new Acceptor(TestValues.config(1).conclude(), store, outbox);
    private long nowNs = 1_000_000;

    @Test
    void promiseOnlyAfterDurable()
    {
        acceptor.onPrepare(2, B1, 0, 8, nowNs);
        assertEquals(B1, acceptor.promisedBallot(), "written at once");
        assertEquals(0, acceptor.doWork(nowNs));
        assertTrue(outbox.sent().isEmpty(), "no Promise before the store is durable: " + outbox.sent());

        store.sync();
        assertTrue(outbox.sent().isEmpty(), "sync alone sends nothing: doWork releases");
        assertEquals(1, acceptor.doWork(nowNs));
        assertEquals(
            List.of(new Promise(2, B1, 0, 8, -1, 0, 1, 0, 0, 0, List.of())),
            outbox.drain());
        assertEquals(0, acceptor.pendingReplies());
        assertEquals(0, acceptor.doWork(nowNs), "released once");
        assertTrue(outbox.sent().isEmpty());
    }

    @Test
    void retransmittedPrepareAnsweredAgainWithoutNewWrite()
    {
        acceptor.onPrepare(2, B1, 0, 8, nowNs);
        store.sync();
        acceptor.doWork(nowNs);
        outbox.clear();
        final int writes = store.writes();

        acceptor.onPrepare(2, B1, 0, 8, nowNs);
        acceptor.doWork(nowNs);
        assertEquals(writes, store.writes(), "same ballot is a retransmission: nothing to persist");
        assertEquals(1, outbox.sent(Promise.class).size());
    }

    @Test
    void nackForLowerBallotCarriesPromised()
    {
        acceptor.onPrepare(3, B3, 0, 8, nowNs);
        acceptor.onPrepare(2, B2, 0, 8, nowNs);
        assertEquals(List.of(new Nack(2, B2, B3)), outbox.sent(Nack.class));
        assertEquals(B3, acceptor.promisedBallot());
    }

    @Test
    void acceptStoredAndAcceptedOnlyAfterDurable()
    {
        final byte[] v0 = command(10, 1);
        final byte[] v1 = command(10, 2);
        assertTrue(acceptor.onAccept(2, B1, nowNs));
        acceptor.onAcceptEntry(2, B1, 0, buffer(v0), 0, v0.length);
        acceptor.onAcceptEntry(2, B1, 1, buffer(v1), 0, v1.length);
        assertEquals(B1, store.acceptedBallot(0));
        assertArrayEquals(v1, store.entry(1).value());
        assertEquals(B1, acceptor.promisedBallot(), "accepting raises the promise");

        acceptor.doWork(nowNs);
        assertTrue(outbox.sent().isEmpty(), "no Accepted before durable: " + outbox.sent());

        store.sync();
        acceptor.doWork(nowNs);
        assertEquals(List.of(new Accepted(2, B1, List.of(new Range(0, 2)))), outbox.drain());
    }

    @Test
    void acceptAtEqualBallotAfterPromise()
    {
        acceptor.onPrepare(2, B2, 0, 8, nowNs);
        final byte[] v = command(10, 1);
        assertTrue(acceptor.onAccept(2, B2, nowNs));
        acceptor.onAcceptEntry(2, B2, 5, buffer(v), 0, v.length);
        assertEquals(B2, store.acceptedBallot(5));
    }

    @Test
    void acceptedReleasedOnlyUpToDurablePosition()
    {
        final byte[] v = command(10, 1);
        acceptor.onAccept(2, B1, nowNs);
        acceptor.onAcceptEntry(2, B1, 0, buffer(v), 0, v.length);
        store.sync();
        acceptor.onAcceptEntry(2, B1, 1, buffer(v), 0, v.length);
        acceptor.doWork(nowNs);
        assertEquals(List.of(new Accepted(2, B1, List.of(new Range(0, 1)))), outbox.drain(), "slot 1 is not durable");
        store.sync();
        acceptor.doWork(nowNs);
        assertEquals(List.of(new Accepted(2, B1, List.of(new Range(1, 2)))), outbox.drain());
    }

    @Test
    void consecutiveSlotsCoalescedIntoRanges()
    {
        final byte[] v = command(10, 1);
        acceptor.onAccept(2, B1, nowNs);
        for (final long slot : new long[]{ 3, 4, 5, 7, 9, 10 })
        {
            acceptor.onAcceptEntry(2, B1, slot, buffer(v), 0, v.length);
        }
        store.sync();
        assertEquals(1, acceptor.doWork(nowNs), "one Accepted for the duty cycle");
        assertEquals(
            List.of(new Accepted(2, B1, List.of(new Range(3, 6), new Range(7, 8), new Range(9, 11)))),
            outbox.drain());
    }

    @Test
    void rangesBeyondCapacitySplitIntoSeveralAccepted()
    {
        final byte[] v = command(10, 1);
        acceptor.onAccept(2, B1, nowNs);
        for (long slot = 0; slot < 12; slot += 2)
        {
            acceptor.onAcceptEntry(2, B1, slot, buffer(v), 0, v.length);
        }
        store.sync();
        acceptor.doWork(nowNs);
        final List<Range> all = new ArrayList<>();
        for (final Accepted accepted : outbox.sent(Accepted.class))
        {
            assertTrue(accepted.ranges().size() <= 4, "maxChosenRanges bounds an Accepted");
            all.addAll(accepted.ranges());
        }
        assertEquals(2, outbox.sent(Accepted.class).size());
        assertEquals(6, all.size());
        for (int i = 0; i < 6; i++)
        {
            assertEquals(new Range(2 * i, 2 * i + 1), all.get(i));
        }
    }

    @Test
    void lowerBallotAcceptGetsOneNackPerMessage()
    {
        acceptor.onPrepare(3, B3, 0, 8, nowNs);
        final byte[] v = command(10, 1);
        assertFalse(acceptor.onAccept(2, B2, nowNs), "entries of a stale Accept are not offered");
        acceptor.onAcceptEntry(2, B2, 0, buffer(v), 0, v.length);
        acceptor.onAcceptEntry(2, B2, 1, buffer(v), 0, v.length);
        assertEquals(List.of(new Nack(2, B2, B3)), outbox.sent(Nack.class), "one Nack for the message");
        assertNull(store.entry(0), "nothing below the promise is stored");
        store.sync();
        acceptor.doWork(nowNs);
        assertEquals(1, outbox.sent(Accepted.class).size() + outbox.sent(Promise.class).size(),
            "only the Promise to member 3: " + outbox.sent());
        outbox.clear();

        assertFalse(acceptor.onAccept(2, B2, nowNs + 1));
        assertEquals(List.of(new Nack(2, B2, B3)), outbox.sent(Nack.class), "the next message gets its own Nack");
    }

    @Test
    void retransmittedAcceptAnsweredAgain()
    {
        final byte[] v = command(10, 1);
        acceptor.onAccept(2, B1, nowNs);
        acceptor.onAcceptEntry(2, B1, 0, buffer(v), 0, v.length);
        store.sync();
        acceptor.doWork(nowNs);
        outbox.clear();
        final int writes = store.writes();

        acceptor.onAccept(2, B1, nowNs + 10);
        acceptor.onAcceptEntry(2, B1, 0, buffer(v), 0, v.length);
        acceptor.doWork(nowNs + 10);
        assertEquals(writes, store.writes(), "the same entry is not written twice");
        assertEquals(List.of(new Accepted(2, B1, List.of(new Range(0, 1)))), outbox.drain());
    }

    @Test
    void retransmissionOfUndurableEntryWaitsForIt()
    {
        final byte[] v = command(10, 1);
        acceptor.onAccept(2, B1, nowNs);
        acceptor.onAcceptEntry(2, B1, 0, buffer(v), 0, v.length);
        acceptor.onAccept(2, B1, nowNs + 1);
        acceptor.onAcceptEntry(2, B1, 0, buffer(v), 0, v.length);
        acceptor.doWork(nowNs + 1);
        assertTrue(outbox.sent().isEmpty(), "the retransmission must not beat the original write: " + outbox.sent());
        store.sync();
        acceptor.doWork(nowNs + 1);
        assertFalse(outbox.sent(Accepted.class).isEmpty());
    }

    @Test
    void leaderStickinessRefusesOtherProposerWithinTimeout()
    {
        acceptor.onAccept(2, B1, nowNs);
        acceptor.onPrepare(3, B3, 0, 8, nowNs + T - 1);
        store.sync();
        acceptor.doWork(nowNs + T - 1);
        assertTrue(outbox.sent().isEmpty(), "heard leader 2 within T: no reply to 3 " + outbox.sent());
        assertEquals(AcceptorStore.NULL_BALLOT, acceptor.promisedBallot(), "no promise made either");
        assertEquals(1, acceptor.stickyRefusals());

        acceptor.onPrepare(2, B2, 0, 8, nowNs + T - 1);
        store.sync();
        acceptor.doWork(nowNs + T - 1);
        assertEquals(B2, outbox.drain(Promise.class).get(0).ballot(), "the live leader itself may move up");

        acceptor.onPrepare(3, B3, 0, 8, nowNs + T);
        store.sync();
        acceptor.doWork(nowNs + T);
        final List<Promise> promises = outbox.sent(Promise.class);
        assertEquals(1, promises.size(), "T after the leader was last heard, another proposer may win");
        assertEquals(3, promises.get(0).to());
        assertEquals(B3, acceptor.promisedBallot());
    }

    @Test
    void heartbeatRefreshesStickinessAndIsAnsweredAtOnce()
    {
        acceptor.onAccept(2, B1, nowNs);
        acceptor.onHeartbeat(2, B1, nowNs + T / 2);
        assertEquals(List.of(new Accepted(2, B1, List.of())), outbox.drain(), "empty Accepted claims nothing");
        acceptor.onPrepare(3, B3, 0, 8, nowNs + T);
        store.sync();
        acceptor.doWork(nowNs + T);
        assertTrue(outbox.sent().isEmpty(), "heartbeat at T/2 keeps the leader sticky until 3T/2");
        acceptor.onPrepare(3, B3, 0, 8, nowNs + T / 2 + T);
        store.sync();
        acceptor.doWork(nowNs + T / 2 + T);
        assertEquals(1, outbox.sent(Promise.class).size());
    }

    @Test
    void promiseCarriesAcceptedEntriesInRange()
    {
        final byte[] v2 = command(10, 2);
        final byte[] v4 = command(10, 4);
        final byte[] v9 = command(10, 9);
        acceptor.onAccept(2, B1, nowNs);
        acceptor.onAcceptEntry(2, B1, 2, buffer(v2), 0, v2.length);
        acceptor.onAcceptEntry(2, B1, 4, buffer(v4), 0, v4.length);
        acceptor.onAcceptEntry(2, B1, 9, buffer(v9), 0, v9.length);
        acceptor.onPrepare(2, B2, 3, 8, nowNs);
        store.sync();
        acceptor.doWork(nowNs);
        final List<Promise> promises = outbox.sent(Promise.class);
        assertEquals(1, promises.size());
        final Promise promise = promises.get(0);
        assertEquals(9, promise.highestSlot(), "tells the leader how far the log goes");
        assertEquals(1, promise.entryCount());
        assertEquals(List.of(new Entry(4, B1, v4)), promise.entries(), "only [fromSlot, toSlot)");
    }

    @Test
    void promiseSplitIntoPartsWhenEntriesExceedMessage()
    {
        // Budget 1024 - 128 = 896 bytes; each entry 24 + 280 = 304 bytes: two per part.
        final ProtocolConfig config = TestValues.config(1).maxValueBytes(300).windowBytes(4096).conclude();
        acceptor = new Acceptor(config, store, outbox);
        final long[] slots = { 0, 1, 2, 5, 6 };
        acceptor.onAccept(2, B1, nowNs);
        for (final long slot : slots)
        {
            final byte[] v = command(10, slot + 1, 260);
            acceptor.onAcceptEntry(2, B1, slot, buffer(v), 0, v.length);
        }
        acceptor.onPrepare(2, B2, 0, 16, nowNs);
        store.sync();
        acceptor.doWork(nowNs);

        final List<Promise> parts = outbox.sent(Promise.class);
        assertEquals(3, parts.size(), parts.toString());
        long expectedFrom = 0;
        final List<Long> seen = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++)
        {
            final Promise part = parts.get(i);
            assertEquals(i, part.partIndex());
            assertEquals(3, part.partCount());
            assertEquals(B2, part.ballot());
            assertEquals(0, part.fromSlot());
            assertEquals(16, part.toSlot());
            assertEquals(6, part.highestSlot());
            assertEquals(expectedFrom, part.entriesFromSlot(), "parts are contiguous");
            assertEquals(part.entryCount(), part.entries().size(), "count matches the entries in the part's range");
            int bytes = 0;
            for (final Entry entry : part.entries())
            {
                seen.add(entry.slot());
                bytes += Outbox.entryLengthBytes(entry.value().length);
            }
            assertTrue(bytes <= config.maxMessageBytes() - Outbox.MESSAGE_OVERHEAD_BYTES, "part fits: " + bytes);
            expectedFrom = part.entriesToSlot();
        }
        assertEquals(7, expectedFrom, "the parts cover up to the highest slot");
        assertEquals(List.of(0L, 1L, 2L, 5L, 6L), seen, "every entry once, in order");
    }

    @Test
    void catchUpResponseCoversRequestedRange()
    {
        final byte[] v = command(10, 1);
        acceptor.onAccept(2, B1, nowNs);
        acceptor.onAcceptEntry(2, B1, 1, buffer(v), 0, v.length);
        acceptor.onAcceptEntry(2, B1, 3, buffer(v), 0, v.length);
        acceptor.onCatchUpRequest(3, 0, 10);
        final List<CatchUpResponse> responses = outbox.sent(CatchUpResponse.class);
        assertEquals(1, responses.size());
        final CatchUpResponse response = responses.get(0);
        assertEquals(3, response.to());
        assertEquals(0, response.fromSlot());
        assertEquals(10, response.toSlot(), "holds nothing else up to the requested end");
        assertEquals(2, response.entryCount());
        assertEquals(List.of(new Entry(1, B1, v), new Entry(3, B1, v)), response.entries());
    }

    @Test
    void catchUpResponseTruncatedToMessageSizeSaysWhereItStops()
    {
        final ProtocolConfig config = TestValues.config(1).maxValueBytes(300).windowBytes(4096).conclude();
        acceptor = new Acceptor(config, store, outbox);
        acceptor.onAccept(2, B1, nowNs);
        for (long slot = 0; slot < 5; slot++)
        {
            final byte[] v = command(10, slot + 1, 260);
            acceptor.onAcceptEntry(2, B1, slot, buffer(v), 0, v.length);
        }
        acceptor.onCatchUpRequest(3, 0, 5);
        final CatchUpResponse first = outbox.drain(CatchUpResponse.class).get(0);
        assertEquals(0, first.fromSlot());
        assertEquals(2, first.toSlot(), "two entries fit: the response claims only what it carries");
        assertEquals(2, first.entries().size());

        acceptor.onCatchUpRequest(3, first.toSlot(), 5);
        final CatchUpResponse second = outbox.drain(CatchUpResponse.class).get(0);
        assertEquals(2, second.fromSlot());
        assertEquals(4, second.toSlot());
    }

    @Test
    void invalidRequestsAndValuesDroppedAndCounted()
    {
        acceptor.onCatchUpRequest(3, 5, 5);
        acceptor.onCatchUpRequest(3, -1, 5);
        acceptor.onPrepare(2, B1, 5, 4, nowNs);
        assertEquals(3, acceptor.invalidDropped());

        final byte[] good = command(10, 1, 8);
        final UnsafeBuffer truncated = buffer(good);
        acceptor.onAccept(2, B1, nowNs);
        acceptor.onAcceptEntry(2, B1, 0, truncated, 0, good.length - 1);
        final byte[] negative = command(10, 1, 8);
        buffer(negative).putInt(BatchDescriptor.LENGTH_OFFSET, -5, java.nio.ByteOrder.LITTLE_ENDIAN);
        acceptor.onAcceptEntry(2, B1, 1, buffer(negative), 0, negative.length);
        final byte[] huge = new byte[TestValues.MAX_VALUE_BYTES + 1];
        acceptor.onAcceptEntry(2, B1, 2, buffer(huge), 0, huge.length);
        acceptor.onAcceptEntry(2, B1, -1, buffer(good), 0, good.length);
        assertEquals(7, acceptor.invalidDropped());
        assertEquals(-1, store.highestSlot(), "nothing stored");
        store.sync();
        acceptor.doWork(nowNs);
        assertTrue(outbox.sent().isEmpty(), "nothing acknowledged: " + outbox.sent());
    }

    @Test
    void promisedBallotNeverDecreases()
    {
        final byte[] v = command(10, 1);
        long highest = AcceptorStore.NULL_BALLOT;
        final long[] ballots = { Ballot.of(2, 1), Ballot.of(1, 3), Ballot.of(4, 2), Ballot.of(3, 3), Ballot.of(4, 1) };
        for (final long ballot : ballots)
        {
            acceptor.onPrepare(Ballot.memberId(ballot), ballot, 0, 8, nowNs);
            highest = Math.max(highest, ballot);
            assertEquals(highest, acceptor.promisedBallot());
            if (acceptor.onAccept(Ballot.memberId(ballot), ballot, nowNs))
            {
                acceptor.onAcceptEntry(Ballot.memberId(ballot), ballot, 0, buffer(v), 0, v.length);
            }
            assertEquals(highest, acceptor.promisedBallot());
            nowNs += 2 * T;
        }
        assertEquals(Ballot.of(4, 2), store.acceptedBallot(0));
        acceptor.onHeartbeat(1, Ballot.of(1, 1), nowNs);
        assertEquals(Ballot.of(4, 2), acceptor.promisedBallot());
    }

    @Test
    void higherBallotAcceptRaisesPromiseAndLaterPrepareBelowIsNacked()
    {
        final byte[] v = command(10, 1);
        acceptor.onPrepare(2, B1, 0, 8, nowNs);
        assertTrue(acceptor.onAccept(3, B3, nowNs));
        acceptor.onAcceptEntry(3, B3, 0, buffer(v), 0, v.length);
        assertEquals(B3, acceptor.promisedBallot());
        acceptor.onPrepare(2, B2, 0, 8, nowNs + 3 * T);
        assertEquals(List.of(new Nack(2, B2, B3)), outbox.sent(Nack.class));
    }

    @Test
    void nearMaximumBallotPrepareIsRefusedAndTheClusterCanStillElect()
    {
        // Issue 14: member 2 sends one well-formed Prepare with the highest round a ballot can hold.
        final long maxBallot = (Long.MAX_VALUE >>> Ballot.MEMBER_BITS << Ballot.MEMBER_BITS) | 2;
        acceptor.onPrepare(2, maxBallot, 0, 8, nowNs);
        store.sync();
        acceptor.doWork(nowNs);
        assertEquals(AcceptorStore.NULL_BALLOT, acceptor.promisedBallot(),
            "a round jump that large must not become the promise: nothing could ever be elected above it");
        assertTrue(outbox.sent().isEmpty(), "refused without an answer: " + outbox.sent());
        assertEquals(1, acceptor.ballotsRefused());

        // An ordinary election afterwards still works.
        acceptor.onPrepare(3, B3, 0, 8, nowNs);
        store.sync();
        acceptor.doWork(nowNs);
        assertEquals(B3, acceptor.promisedBallot());
        assertEquals(1, outbox.drain(Promise.class).size());
    }

    @Test
    void ballotNotCarryingTheSendersMemberIdIsDropped()
    {
        acceptor.onPrepare(2, B3, 0, 8, nowNs);
        acceptor.onHeartbeat(2, B3, nowNs);
        assertTrue(!acceptor.onAccept(2, B3, nowNs), "an Accept from 2 at 3's ballot is forged");
        store.sync();
        acceptor.doWork(nowNs);
        assertEquals(AcceptorStore.NULL_BALLOT, acceptor.promisedBallot(), "member 2 cannot promise on behalf of 3");
        assertTrue(outbox.sent().isEmpty(), "nothing answered: " + outbox.sent());
        assertEquals(3, acceptor.ballotsRefused());
    }

    @Test
    void roundJumpBoundedByTheSetting()
    {
        acceptor = new Acceptor(TestValues.config(1).maxRoundJump(10).conclude(), store, outbox);
        acceptor.onPrepare(2, Ballot.of(11, 2), 0, 8, nowNs);
        assertEquals(AcceptorStore.NULL_BALLOT, acceptor.promisedBallot(), "11 rounds past the promise 0");
        acceptor.onPrepare(2, Ballot.of(10, 2), 0, 8, nowNs);
        assertEquals(Ballot.of(10, 2), acceptor.promisedBallot(), "10 rounds is allowed");
        assertFalse(acceptor.onAccept(3, Ballot.of(21, 3), nowNs), "11 rounds past the promise 10.2");
        assertTrue(acceptor.onAccept(3, Ballot.of(20, 3), nowNs));
        assertEquals(1 + 1, acceptor.ballotsRefused());
    }

    @Test
    void preVoteRefusedWhileALeaderIsHeardAndNothingPersisted()
    {
        acceptor.onHeartbeat(2, B1, nowNs);
        outbox.clear();
        final int writes = store.writes();

        acceptor.onPreVote(3, B3, nowNs + T - 1);
        assertEquals(List.of(new PreVoteReply(3, B3, false, AcceptorStore.NULL_BALLOT)), outbox.drain(),
            "member 2 led within T: no");
        acceptor.onPreVote(2, Ballot.of(4, 2), nowNs + T - 1);
        assertEquals(List.of(new PreVoteReply(2, Ballot.of(4, 2), true, AcceptorStore.NULL_BALLOT)), outbox.drain(),
            "the leader itself asking (say it restarted) is no rival");
        acceptor.onPreVote(3, B3, nowNs + T);
        assertEquals(List.of(new PreVoteReply(3, B3, true, AcceptorStore.NULL_BALLOT)), outbox.drain(),
            "nothing heard for T: yes");
        assertEquals(writes, store.writes(), "a pre-vote persists nothing");
        assertEquals(AcceptorStore.NULL_BALLOT, acceptor.promisedBallot());
        assertEquals(1, acceptor.preVotesRefused());

        acceptor.onPreVote(2, B3, nowNs + T);
        assertTrue(outbox.sent().isEmpty(), "a PreVote at another member's ballot is forged: dropped");
        assertEquals(1, acceptor.ballotsRefused());
    }
}
