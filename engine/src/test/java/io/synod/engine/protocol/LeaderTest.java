package io.synod.engine.protocol;

import io.synod.engine.protocol.RecordingOutbox.Accept;
import io.synod.engine.protocol.RecordingOutbox.ChosenState;
import io.synod.engine.protocol.RecordingOutbox.ClientAck;
import io.synod.engine.protocol.RecordingOutbox.Entry;
import io.synod.engine.protocol.RecordingOutbox.Heartbeat;
import io.synod.engine.protocol.RecordingOutbox.PreVote;
import io.synod.engine.protocol.RecordingOutbox.Prepare;
import io.synod.engine.protocol.RecordingOutbox.Range;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.synod.engine.protocol.TestValues.H;
import static io.synod.engine.protocol.TestValues.R;
import static io.synod.engine.protocol.TestValues.T;
import static io.synod.engine.protocol.TestValues.buffer;
import static io.synod.engine.protocol.TestValues.command;
import static io.synod.engine.protocol.TestValues.commandsOf;
import static io.synod.engine.protocol.TestValues.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The leader role of member 1 of {1, 2, 3}, driven by hand: the test plays the acceptors' replies.
 */
class LeaderTest
{
    private final RecordingOutbox outbox = new RecordingOutbox();
    private long randomValue;
    private final List<Long> randomBounds = new ArrayList<>();
    private final RandomSource random = bound ->
    {
        randomBounds.add(bound);
        return Math.min(randomValue, bound - 1);
    };
    private ProtocolConfig config = TestValues.config(1).conclude();
    private Leader leader;
    private long nowNs;

    private Leader newLeader(final long recoveredPromisedBallot)
    {
        leader = new Leader(config, outbox, random, recoveredPromisedBallot, nowNs);
        return leader;
    }

    /**
     * Times the leader out (random 0: at T), and answers its Prepare with empty promises from 1 and 2.
     */
    private long elect()
    {
        if (leader == null)
        {
            newLeader(AcceptorStore.NULL_BALLOT);
        }
        nowNs += T;
        campaign(nowNs);
        final Prepare prepare = outbox.drain(Prepare.class).get(0);
        promise(1, prepare.fromSlot(), -1);
        promise(2, prepare.fromSlot(), -1);
        assertEquals(LeaderRole.LEADER, leader.role());
        return prepare.ballot();
    }

    /**
     * One duty cycle at {@code t}; if it started a pre-vote, member 2 grants it (and the PreVotes are
     * taken off the outbox), so the member runs phase 1 as it would once a peer agreed.
     */
    private void campaign(final long t)
    {
        leader.doWork(t);
        if (leader.role() == LeaderRole.PRE_CANDIDATE)
        {
            final List<PreVote> preVotes = outbox.sent(PreVote.class);
            outbox.sent().removeIf(m -> m instanceof PreVote);
            leader.onPreVoteReply(2, preVotes.get(0).ballot(), true, AcceptorStore.NULL_BALLOT, t);
        }
    }

    private void promise(final int from, final long fromSlot, final long highestSlot, final Entry... entries)
    {
        leader.onPromise(from, leader.ballot(), fromSlot, highestSlot, 0, 1);
        for (final Entry entry : entries)
        {
            leader.onPromiseEntry(entry.slot(), entry.ballot(), buffer(entry.value()), 0, entry.value().length);
        }
        leader.onPromiseEnd(nowNs);
    }

    private int submit(final long clientId, final long sequence)
    {
        final byte[] payload = { 1, 2, 3, 4 };
        return leader.onClientCommand(clientId, sequence, buffer(payload), 0, payload.length);
    }

    private void accepted(final int from, final long fromSlot, final long toSlot)
    {
        leader.onAccepted(from, leader.ballot(), fromSlot, toSlot, nowNs);
    }

    @Test
    void electionStartsAfterRandomTimeoutBetweenTAndTwoT()
    {
        randomValue = 0;
        newLeader(AcceptorStore.NULL_BALLOT);
        assertEquals(List.of(T + 1), randomBounds, "draws from [0, T], so the timeout is in [T, 2T]");
        campaign(T - 1);
        assertEquals(LeaderRole.FOLLOWER, leader.role());
        assertTrue(outbox.sent().isEmpty());
        campaign(T);
        assertEquals(LeaderRole.CANDIDATE, leader.role());
        assertEquals(2, outbox.sent(Prepare.class).size(), "one Prepare to each peer");

        outbox.clear();
        randomValue = T;
        nowNs = 0;
        newLeader(AcceptorStore.NULL_BALLOT);
        campaign(2 * T - 1);
        assertTrue(outbox.sent().isEmpty(), "random T: not before 2T");
        campaign(2 * T);
        assertEquals(2, outbox.sent(Prepare.class).size());
        assertEquals(1, leader.elections());
    }

    @Test
    void heartbeatFromLeaderPostponesElection()
    {
        newLeader(AcceptorStore.NULL_BALLOT);
        leader.onHeartbeat(2, Ballot.of(3, 2), 0, T - 1);
        assertEquals(2, leader.leaderMemberId(T - 1));
        campaign(T);
        assertTrue(outbox.sent().isEmpty(), "heard a leader at T - 1");
        campaign(2 * T - 2);
        assertTrue(outbox.sent().isEmpty());
        campaign(2 * T - 1);
        assertEquals(2, outbox.sent(Prepare.class).size());
        assertEquals(-1, leader.leaderMemberId(2 * T - 1));
    }

    @Test
    void prepareGoesToPeersFirstWithBallotAboveEverySeenThenToItself()
    {
        newLeader(AcceptorStore.NULL_BALLOT);
        leader.onHeartbeat(3, Ballot.of(5, 3), 0, 10);
        leader.onNack(2, Ballot.of(1, 1), Ballot.of(7, 2), 20);
        campaign(20 + 2 * T);
        final long ballot = Ballot.of(8, 1);
        assertEquals(List.of(new Prepare(2, ballot, 0, 8), new Prepare(3, ballot, 0, 8)),
            outbox.drain(Prepare.class), "peers first: a refused candidacy persists nothing locally");
        assertEquals(ballot, leader.ballot());
        nowNs = 20 + 2 * T;
        promise(3, 0, -1);
        assertEquals(List.of(new Prepare(1, ballot, 0, 8)), outbox.drain(Prepare.class),
            "its own acceptor once a majority of the peers promised");
        promise(1, 0, -1);
        assertEquals(LeaderRole.LEADER, leader.role());
    }

    @Test
    void candidateFollowsOnlyABallotAboveItsOwn()
    {
        newLeader(AcceptorStore.NULL_BALLOT);
        leader.onHeartbeat(2, Ballot.of(3, 2), 0, 10);
        campaign(10 + T);
        assertEquals(LeaderRole.CANDIDATE, leader.role());
        assertEquals(Ballot.of(4, 1), leader.ballot());

        leader.onHeartbeat(2, Ballot.of(3, 2), 0, 20 + T);
        assertEquals(LeaderRole.CANDIDATE, leader.role(),
            "a heartbeat at 3.2, below its own 4.1, comes from a leader its candidacy is deposing");
        leader.onHeartbeat(3, Ballot.of(2, 3), 0, 30 + T);
        assertEquals(LeaderRole.CANDIDATE, leader.role(), "nor does an Accept of an even older ballot count");
        assertEquals(0, leader.stepDowns());

        leader.onHeartbeat(3, Ballot.of(5, 3), 0, 40 + T);
        assertEquals(LeaderRole.FOLLOWER, leader.role(), "a ballot above its own is a newer leader: follow it");
        assertEquals(3, leader.leaderMemberId(40 + T));
        leader.onHeartbeat(2, Ballot.of(3, 2), 0, 50 + T);
        assertEquals(3, leader.leaderMemberId(50 + T), "the deposed leader's traffic does not win it back");
    }

    @Test
    void leaderOnlyWithMajorityOfCompletePromisesIncludingSelf()
    {
        newLeader(AcceptorStore.NULL_BALLOT);
        nowNs = T;
        campaign(nowNs);
        promise(2, 0, -1);
        promise(3, 0, -1);
        assertEquals(LeaderRole.CANDIDATE, leader.role(), "a majority without its own acceptor is not enough");
        assertEquals(Leader.NOT_LEADER, submit(1, 1));
        promise(1, 0, -1);
        assertEquals(LeaderRole.LEADER, leader.role());
    }

    @Test
    void promiseCountsOnlyWithAllParts()
    {
        newLeader(AcceptorStore.NULL_BALLOT);
        nowNs = T;
        campaign(nowNs);
        promise(1, 0, -1);
        leader.onPromise(2, leader.ballot(), 0, -1, 0, 2);
        leader.onPromiseEnd(nowNs);
        leader.onPromise(2, leader.ballot(), 0, -1, 0, 2);
        leader.onPromiseEnd(nowNs);
        assertEquals(LeaderRole.CANDIDATE, leader.role(), "part 0 of 2, twice, is not a promise");
        leader.onPromise(2, leader.ballot(), 0, -1, 1, 2);
        leader.onPromiseEnd(nowNs);
        assertEquals(LeaderRole.LEADER, leader.role());
    }

    @Test
    void promiseForOtherBallotIgnored()
    {
        newLeader(AcceptorStore.NULL_BALLOT);
        nowNs = T;
        campaign(nowNs);
        promise(1, 0, -1);
        leader.onPromise(2, leader.ballot() - 1, 0, -1, 0, 1);
        leader.onPromiseEnd(nowNs);
        leader.onPromise(4, leader.ballot(), 0, -1, 0, 1);
        leader.onPromiseEnd(nowNs);
        assertEquals(LeaderRole.CANDIDATE, leader.role());
    }

    @Test
    void recoversHighestBallotValuePerSlotAndFillsHolesWithNoOps()
    {
        newLeader(Ballot.of(3, 3));
        nowNs = T;
        campaign(nowNs);
        final byte[] a = command(7, 1);
        final byte[] b = concat(command(7, 2), command(8, 1));
        final byte[] c = command(9, 1);
        promise(1, 0, 0, new Entry(0, Ballot.of(1, 2), a));
        assertEquals(LeaderRole.CANDIDATE, leader.role());
        final long own = leader.ballot();
        promise(2, 0, 3,
            new Entry(0, Ballot.of(1, 3), b),
            new Entry(3, Ballot.of(1, 2), c),
            new Entry(2, own, command(6, 6)));
        assertEquals(LeaderRole.LEADER, leader.role());
        assertEquals(1, leader.invalidDropped(), "an entry at the leader's own ballot cannot be in a promise");
        assertEquals(Ballot.of(4, 1), own);

        outbox.clear();
        campaign(nowNs);
        final List<Accept> accepts = outbox.sent(Accept.class);
        assertEquals(1, accepts.size(), outbox.sent().toString());
        final Accept accept = accepts.get(0);
        assertEquals(Outbox.ALL, accept.to());
        assertEquals(own, accept.ballot());
        assertEquals(0, accept.fromSlot());
        assertTrue(accept.toSlot() >= 4);
        assertArrayEquals(b, accept.entries().get(0).value(), "slot 0: the value of the highest ballot");
        assertEquals(0, accept.entries().get(1).value().length, "slot 1: a hole, no-op");
        assertEquals(0, accept.entries().get(2).value().length, "slot 2: a hole, no-op");
        assertArrayEquals(c, accept.entries().get(3).value());
    }

    @Test
    void recoveryKeepsHighestBallotWhicheverOrderPromisesArrive()
    {
        newLeader(Ballot.of(3, 3));
        nowNs = T;
        campaign(nowNs);
        final byte[] high = command(7, 2);
        promise(2, 0, 0, new Entry(0, Ballot.of(2, 3), high));
        promise(1, 0, 0, new Entry(0, Ballot.of(1, 2), command(7, 1)));
        outbox.clear();
        campaign(nowNs);
        final Accept accept = outbox.sent(Accept.class).get(0);
        assertEquals(1, accept.entries().size());
        assertArrayEquals(high, accept.entries().get(0).value());
    }

    @Test
    void batchesCommandsIntoOneSlot()
    {
        elect();
        outbox.clear();
        assertEquals(Leader.ACCEPTED, submit(1, 1));
        assertEquals(Leader.ACCEPTED, submit(1, 2));
        assertEquals(Leader.ACCEPTED, submit(2, 1));
        campaign(nowNs);
        final List<Accept> accepts = outbox.sent(Accept.class);
        assertEquals(1, accepts.size());
        assertEquals(0, accepts.get(0).fromSlot());
        assertEquals(1, accepts.get(0).toSlot());
        assertEquals(List.of("1:1", "1:2", "2:1"), commandsOf(accepts.get(0).entries().get(0).value()));
        assertEquals(1, leader.nextSlot());
    }

    @Test
    void severalSlotsPerAcceptBoundedByMaxSlotsPerAccept()
    {
        config = TestValues.config(1).maxBatchCommands(1).conclude();
        elect();
        outbox.clear();
        for (int i = 1; i <= 6; i++)
        {
            assertEquals(Leader.ACCEPTED, submit(1, i));
        }
        campaign(nowNs);
        final List<Accept> accepts = outbox.sent(Accept.class);
        assertEquals(2, accepts.size());
        assertEquals(0, accepts.get(0).fromSlot());
        assertEquals(4, accepts.get(0).toSlot());
        assertEquals(4, accepts.get(1).fromSlot());
        assertEquals(6, accepts.get(1).toSlot());
        for (final Accept accept : accepts)
        {
            for (final Entry entry : accept.entries())
            {
                assertEquals(List.of("1:" + (entry.slot() + 1)), commandsOf(entry.value()), "one command per slot");
            }
        }
    }

    @Test
    void slotChosenOnMajorityAndClientsAcked()
    {
        elect();
        submit(1, 1);
        submit(2, 5);
        campaign(nowNs);
        outbox.clear();
        accepted(3, 0, 1);
        assertEquals(0, leader.chosenWatermark(), "one acceptor is not a majority");
        accepted(3, 0, 1);
        assertEquals(0, leader.chosenWatermark(), "the same acceptor twice is not a majority");
        accepted(1, 0, 1);
        assertEquals(1, leader.chosenWatermark());
        assertEquals(2, leader.commandsChosen());
        accepted(2, 0, 1);
        assertEquals(2, leader.commandsChosen(), "chosen once");
        assertTrue(outbox.sent(ClientAck.class).isEmpty(),
            "chosen is not applied: the learners acknowledge, once they know the command's fate");
    }

    @Test
    void aClientsSequenceIsAdmittedOnlyAfterItsPredecessor()
    {
        elect();
        final byte[] payload = { 1 };
        assertEquals(Leader.ACCEPTED, leader.onClientCommand(1, 9, buffer(payload), 0, 1),
            "a client whose place this leadership does not know yet may send anything");
        leader.onApplied(1, 4);
        assertEquals(Leader.ACCEPTED, leader.onClientCommand(1, 5, buffer(payload), 0, 1),
            "this member's learner applied up to 4: 5 comes next");
        assertEquals(Leader.OUT_OF_ORDER, leader.onClientCommand(1, 7, buffer(payload), 0, 1), "6 must come first");
        assertEquals(Leader.ACCEPTED, leader.onClientCommand(1, 6, buffer(payload), 0, 1));
        assertEquals(Leader.ACCEPTED, leader.onClientCommand(1, 7, buffer(payload), 0, 1));
        assertEquals(Leader.ACCEPTED, leader.onClientCommand(1, 3, buffer(payload), 0, 1),
            "a resend below is admitted: the learners skip it if it was applied");
        assertEquals(1, leader.outOfOrderRefused());
    }

    @Test
    void aSessionOpenGoesToTheLogButSetsNoAdmissionMark()
    {
        elect();
        final byte[] payload = { 1 };
        assertEquals(Leader.ACCEPTED, leader.onSessionEvent(1, BatchDescriptor.SESSION_OPEN, 10));
        assertEquals(Leader.ACCEPTED, leader.onClientCommand(1, 11, buffer(payload), 0, 1),
            "an open request may be a late copy: it sets no mark that could refuse the client for good");
        assertEquals(Leader.NOT_LEADER, new Leader(TestValues.config(2).conclude(), new RecordingOutbox(), b -> 0,
            AcceptorStore.NULL_BALLOT, 0).onSessionEvent(1, BatchDescriptor.SESSION_OPEN, 1));
    }

    @Test
    void laterSlotChosenBeforeEarlierOne()
    {
        elect();
        submit(1, 1);
        campaign(nowNs);
        submit(1, 2);
        campaign(nowNs);
        outbox.clear();
        accepted(2, 1, 2);
        accepted(3, 1, 2);
        assertEquals(1, leader.commandsChosen(), "slot 1 chosen before slot 0");
        assertEquals(0, leader.chosenWatermark());
        campaign(nowNs);
        final List<ChosenState> states = outbox.drain(ChosenState.class);
        assertEquals(1, states.size(), "the news goes out at once");
        assertEquals(0, states.get(0).chosen().watermark());
        assertEquals(List.of(new Range(1, 2)), states.get(0).chosen().ranges());
        assertEquals(leader.ballot(), states.get(0).chosen().ballot());

        accepted(2, 0, 1);
        accepted(1, 0, 1);
        assertEquals(2, leader.commandsChosen());
        assertEquals(2, leader.chosenWatermark());
        nowNs += H;
        campaign(nowNs);
        final Heartbeat heartbeat = outbox.sent(Heartbeat.class).get(0);
        assertEquals(2, heartbeat.chosen().watermark());
        assertEquals(List.of(), heartbeat.chosen().ranges());
    }

    @Test
    void windowFullInSlotsIsBackPressure()
    {
        config = TestValues.config(1).maxBatchCommands(1).conclude();
        elect();
        for (int i = 1; i <= 8; i++)
        {
            assertEquals(Leader.ACCEPTED, submit(1, i));
        }
        assertEquals(Leader.BACK_PRESSURED, submit(1, 9));
        campaign(nowNs);
        assertEquals(Leader.BACK_PRESSURED, submit(1, 9), "sent but not chosen still fills the window");
        accepted(1, 1, 2);
        accepted(2, 1, 2);
        assertEquals(Leader.BACK_PRESSURED, submit(1, 9), "slot 0 holds the window base");
        accepted(1, 0, 1);
        accepted(2, 0, 1);
        assertEquals(2, leader.chosenWatermark());
        assertEquals(Leader.ACCEPTED, submit(1, 9));
        assertEquals(Leader.ACCEPTED, submit(1, 10));
        assertEquals(Leader.BACK_PRESSURED, submit(1, 11));
    }

    @Test
    void slotFilledByBytesIsSealedAndCanBeChosen()
    {
        elect();
        final byte[] payload = new byte[200];
        assertEquals(Leader.ACCEPTED, leader.onClientCommand(1, 1, buffer(payload), 0, 200));
        assertEquals(Leader.ACCEPTED, leader.onClientCommand(1, 2, buffer(payload), 0, 200));
        assertEquals(2, leader.nextSlot(), "220 + 220 bytes exceed maxValueBytes 256: two slots");
        campaign(nowNs);
        outbox.clear();
        accepted(1, 0, 2);
        accepted(2, 0, 2);
        assertEquals(2, leader.commandsChosen());
        assertEquals(2, leader.chosenWatermark());
    }

    @Test
    void windowFullInBytesIsBackPressure()
    {
        config = TestValues.config(1).windowBytes(512).conclude();
        elect();
        final byte[] payload = new byte[200];
        assertEquals(Leader.ACCEPTED, leader.onClientCommand(1, 1, buffer(payload), 0, 200));
        assertEquals(Leader.ACCEPTED, leader.onClientCommand(1, 2, buffer(payload), 0, 200));
        assertEquals(440, leader.inFlightBytes());
        assertEquals(Leader.BACK_PRESSURED, leader.onClientCommand(1, 3, buffer(payload), 0, 200));
        assertEquals(Leader.TOO_LARGE, leader.onClientCommand(1, 3, buffer(new byte[300]), 0, 300));
        assertEquals(Leader.INVALID, leader.onClientCommand(1, 0, buffer(payload), 0, 1));
    }

    @Test
    void notLeaderRedirects()
    {
        newLeader(AcceptorStore.NULL_BALLOT);
        assertEquals(Leader.NOT_LEADER, submit(1, 1));
        campaign(T);
        assertEquals(LeaderRole.CANDIDATE, leader.role());
        assertEquals(Leader.NOT_LEADER, submit(1, 1));
    }

    @Test
    void nackWithHigherBallotStepsDown()
    {
        final long ballot = elect();
        leader.onNack(2, ballot - 1, Ballot.of(50, 3), nowNs);
        assertEquals(LeaderRole.LEADER, leader.role(), "a Nack for an older ballot of ours is stale");
        leader.onNack(2, ballot, Ballot.of(9, 3), nowNs);
        assertEquals(LeaderRole.FOLLOWER, leader.role());
        assertEquals(1, leader.stepDowns());
        assertEquals(Leader.NOT_LEADER, submit(1, 1));
        nowNs += 2 * T;
        campaign(nowNs);
        assertEquals(Ballot.of(51, 1), outbox.sent(Prepare.class).get(outbox.sent(Prepare.class).size() - 1).ballot(),
            "the next ballot is above every one seen");
    }

    @Test
    void candidateStepsDownOnNackToo()
    {
        newLeader(AcceptorStore.NULL_BALLOT);
        campaign(T);
        leader.onNack(2, leader.ballot(), Ballot.of(4, 2), T);
        assertEquals(LeaderRole.FOLLOWER, leader.role());
    }

    @Test
    void noQuorumContactForElectionTimeoutStepsDown()
    {
        elect();
        final long since = nowNs;
        campaign(since + T - 1);
        assertEquals(LeaderRole.LEADER, leader.role());
        leader.onAccepted(3, leader.ballot(), 0, 0, since + T / 2);
        campaign(since + T);
        assertEquals(LeaderRole.LEADER, leader.role(), "member 3 answered a heartbeat at T/2");
        campaign(since + T / 2 + T - 1);
        assertEquals(LeaderRole.LEADER, leader.role());
        campaign(since + T / 2 + T);
        assertEquals(LeaderRole.FOLLOWER, leader.role(), "nobody but itself heard within T");
        assertEquals(1, leader.stepDowns());
    }

    @Test
    void heartbeatEveryInterval()
    {
        elect();
        outbox.clear();
        final long start = nowNs;
        final List<Long> heartbeatTimes = new ArrayList<>();
        for (long t = start; t <= start + 3 * H; t++)
        {
            leader.onAccepted(2, leader.ballot(), 0, 0, t);
            campaign(t);
            if (!outbox.drain(Heartbeat.class).isEmpty())
            {
                heartbeatTimes.add(t - start);
            }
        }
        assertEquals(List.of(0L, H, 2 * H, 3 * H), heartbeatTimes);
    }

    @Test
    void retransmitsUnacknowledgedAcceptsAfterTimeout()
    {
        config = TestValues.config(1).maxBatchCommands(1).conclude();
        elect();
        submit(1, 1);
        submit(1, 2);
        submit(1, 3);
        final long sent = nowNs;
        campaign(sent);
        assertEquals(1, outbox.drain(Accept.class).size());
        accepted(2, 0, 1);
        accepted(1, 0, 1);
        accepted(3, 2, 3);

        for (long t = sent + 1; t < sent + R; t++)
        {
            campaign(t);
            assertTrue(outbox.sent(Accept.class).isEmpty(), "no retransmission before the timeout, at " + (t - sent));
        }
        campaign(sent + R);
        final List<Accept> again = outbox.drain(Accept.class);
        assertEquals(1, again.size());
        assertEquals(1, again.get(0).fromSlot(), "the chosen slot 0 is not sent again");
        assertEquals(3, again.get(0).toSlot());
        assertEquals(List.of("1:2"), commandsOf(again.get(0).entries().get(0).value()));
    }

    @Test
    void chunkedPhaseOneWhenLogExtendsBeyondFirstWindow()
    {
        newLeader(Ballot.of(3, 3));
        nowNs = T;
        campaign(nowNs);
        final long ballot = leader.ballot();
        assertEquals(List.of(new Prepare(2, ballot, 0, 8), new Prepare(3, ballot, 0, 8)), outbox.drain(Prepare.class));
        final byte[] a = command(5, 1);
        final byte[] c = command(5, 2);
        promise(1, 0, -1);
        promise(2, 0, 10, new Entry(2, Ballot.of(1, 2), a));
        assertEquals(LeaderRole.LEADER, leader.role());
        assertEquals(Leader.BACK_PRESSURED, submit(9, 1), "no client commands while the log is recovered");

        campaign(nowNs);
        final List<Accept> first = outbox.drain(Accept.class);
        assertEquals(2, first.size());
        assertEquals(List.of(0L, 8L), List.of(first.get(0).fromSlot(), first.get(1).toSlot()),
            "re-proposes the whole first window");
        assertArrayEquals(a, first.get(0).entries().get(2).value());
        assertTrue(outbox.sent(Prepare.class).isEmpty(), "next range only after the first is chosen");

        accepted(1, 0, 8);
        campaign(nowNs);
        assertTrue(outbox.sent(Prepare.class).isEmpty());
        accepted(2, 0, 7);
        campaign(nowNs);
        assertTrue(outbox.sent(Prepare.class).isEmpty(), "slot 7 is not chosen yet");
        accepted(2, 7, 8);
        assertEquals(8, leader.chosenWatermark());
        assertEquals(Leader.BACK_PRESSURED, submit(9, 1));
        campaign(nowNs);
        assertEquals(List.of(new Prepare(2, ballot, 8, 16), new Prepare(3, ballot, 8, 16)),
            outbox.drain(Prepare.class), "the same ballot for the next range");
        assertEquals(Leader.BACK_PRESSURED, submit(9, 1));

        promise(1, 8, 7);
        promise(2, 8, 10, new Entry(10, Ballot.of(1, 2), c));
        assertEquals(LeaderRole.LEADER, leader.role());
        assertEquals(ballot, leader.ballot());
        assertEquals(Leader.ACCEPTED, submit(9, 1), "the log is recovered: clients are served");
        outbox.clear();
        campaign(nowNs);
        assertTrue(outbox.sent(Prepare.class).isEmpty());
        final List<Accept> second = outbox.sent(Accept.class);
        assertEquals(1, second.size());
        final Accept accept = second.get(0);
        assertEquals(8, accept.fromSlot());
        assertEquals(12, accept.toSlot());
        assertEquals(0, accept.entries().get(0).value().length);
        assertEquals(0, accept.entries().get(1).value().length);
        assertArrayEquals(c, accept.entries().get(2).value());
        assertEquals(List.of("9:1"), commandsOf(accept.entries().get(3).value()));
    }

    @Test
    void restartedLeaderNeverReusesBallot()
    {
        for (final long recovered : new long[]{ Ballot.of(5, 1), Ballot.of(5, 2), Ballot.of(5, 3) })
        {
            outbox.clear();
            nowNs = 0;
            newLeader(recovered);
            campaign(2 * T);
            final long ballot = outbox.sent(Prepare.class).get(0).ballot();
            assertTrue(ballot > recovered, Ballot.toString(ballot) + " above " + Ballot.toString(recovered));
            assertEquals(Ballot.of(6, 1), ballot);
        }
    }

    @Test
    void reElectionAfterStepDownUsesHigherBallotAndStartsAtChosenWatermark()
    {
        final long first = elect();
        submit(1, 1);
        campaign(nowNs);
        accepted(1, 0, 1);
        accepted(2, 0, 1);
        leader.onNack(3, first, first + 1, nowNs);
        outbox.clear();
        nowNs += 2 * T;
        campaign(nowNs);
        final Prepare prepare = outbox.sent(Prepare.class).get(0);
        assertTrue(prepare.ballot() > first + 1);
        assertEquals(1, prepare.fromSlot(), "slot 0 is known chosen: phase 1 starts after it");
    }

    @Test
    void forgedOrFarJumpingBallotsMoveNothing()
    {
        newLeader(AcceptorStore.NULL_BALLOT);
        final long nearMax = (Long.MAX_VALUE >>> Ballot.MEMBER_BITS << Ballot.MEMBER_BITS) | 2;
        leader.onHeartbeat(2, nearMax, 0, 10);
        leader.onHeartbeat(2, Ballot.of(3, 3), 0, 10);
        leader.onHeartbeat(2, -1L << Ballot.MEMBER_BITS | 2, 0, 10);
        leader.onNack(2, Ballot.of(1, 1), nearMax, 10);
        assertEquals(4, leader.ballotsRefused());
        assertEquals(-1, leader.leaderMemberId(10), "none of them is a leader to follow");
        campaign(10 + 2 * T);
        assertEquals(Ballot.of(1, 1), outbox.sent(Prepare.class).get(0).ballot(),
            "the next election starts from round 1: no refused ballot was seen");
    }

    @Test
    void preVoteComesBeforeAnyBallotIsRaised()
    {
        newLeader(AcceptorStore.NULL_BALLOT);
        leader.doWork(T);
        assertEquals(LeaderRole.PRE_CANDIDATE, leader.role());
        assertEquals(List.of(new PreVote(2, Ballot.of(1, 1)), new PreVote(3, Ballot.of(1, 1))), outbox.drain(),
            "asks first; no Prepare yet");
        assertEquals(AcceptorStore.NULL_BALLOT, leader.ballot(), "no ballot raised before a majority agrees");

        leader.onPreVoteReply(2, Ballot.of(1, 1), false, Ballot.of(3, 3), T + 1);
        leader.onPreVoteReply(3, Ballot.of(1, 1), false, Ballot.of(3, 3), T + 1);
        assertEquals(LeaderRole.PRE_CANDIDATE, leader.role(), "both still hear a leader");
        leader.doWork(T + R - 1);
        assertTrue(outbox.sent().isEmpty());
        leader.doWork(T + R);
        assertEquals(List.of(new PreVote(2, Ballot.of(1, 1)), new PreVote(3, Ballot.of(1, 1))), outbox.drain(),
            "asked again after the retransmit timeout: a refusal turns into a grant once the leader is gone");

        leader.onPreVoteReply(3, Ballot.of(9, 1), true, AcceptorStore.NULL_BALLOT, T + R + 1);
        assertEquals(LeaderRole.PRE_CANDIDATE, leader.role(), "a grant for another pre-vote round does not count");
        leader.onPreVoteReply(3, Ballot.of(1, 1), true, AcceptorStore.NULL_BALLOT, T + R + 1);
        assertEquals(LeaderRole.CANDIDATE, leader.role(), "itself and member 3: a majority");
        assertEquals(Ballot.of(4, 1), leader.ballot(), "above the promise 3.3 the refusals reported");
        assertEquals(List.of(new Prepare(2, Ballot.of(4, 1), 0, 8), new Prepare(3, Ballot.of(4, 1), 0, 8)),
            outbox.drain(Prepare.class));
        assertEquals(1, leader.preVotes());
        assertEquals(1, leader.elections());
    }

    @Test
    void preCandidateHearingItsLeaderFollowsAgainWithoutAnElection()
    {
        newLeader(AcceptorStore.NULL_BALLOT);
        leader.onHeartbeat(2, Ballot.of(3, 2), 0, 10);
        leader.doWork(10 + T);
        assertEquals(LeaderRole.PRE_CANDIDATE, leader.role(), "missed its leader's heartbeats, e.g. while stalled");
        leader.onHeartbeat(2, Ballot.of(3, 2), 0, 20 + T);
        assertEquals(LeaderRole.FOLLOWER, leader.role(), "the leader is alive after all");
        assertEquals(2, leader.leaderMemberId(20 + T));
        leader.onPreVoteReply(3, Ballot.of(4, 1), true, AcceptorStore.NULL_BALLOT, 20 + T);
        assertEquals(LeaderRole.FOLLOWER, leader.role(), "a late grant starts nothing");
        assertEquals(0, leader.elections());
        assertEquals(AcceptorStore.NULL_BALLOT, leader.ballot());
        leader.doWork(20 + 2 * T - 1);
        assertEquals(LeaderRole.FOLLOWER, leader.role(), "its election timeout restarted at the heartbeat");
    }

    @Test
    void candidateWhosePhaseOneTimesOutAsksAgainFirst()
    {
        newLeader(AcceptorStore.NULL_BALLOT);
        campaign(T);
        assertEquals(LeaderRole.CANDIDATE, leader.role());
        outbox.clear();
        leader.doWork(3 * T);
        assertEquals(LeaderRole.PRE_CANDIDATE, leader.role(), "no promises within the timeout: pre-vote again");
        assertEquals(2, outbox.sent(PreVote.class).size());
        assertEquals(1, leader.elections());
        assertEquals(2, leader.preVotes());
    }
}
