package io.synod.engine.protocol;

import io.synod.engine.protocol.RecordingOutbox.Accept;
import io.synod.engine.protocol.RecordingOutbox.ClientAck;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.synod.engine.protocol.TestValues.T;
import static io.synod.engine.protocol.TestValues.buffer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10, scenario 3, driven by hand through the real roles of three members: a deposed leader
 * that has not noticed yet (its clock runs slow) puts a client's later command below an earlier one
 * that the new leader already had chosen. On main the new leader acknowledged K/1 once chosen, and
 * every learner then skipped it as a "duplicate" of K/1025: an acknowledged command never applied.
 */
class DeposedLeaderAckTest
{
    private static final long J = 7;
    private static final long K = 9;
    private final byte[] payload = { 1, 2, 3, 4 };

    @Test
    void anAcknowledgementStaysTrueWhenADeposedLeaderSlotsALaterCommandBelowIt()
    {
        final HandCluster c = new HandCluster(config -> config.maxBatchCommands(1).maxSlotsPerAccept(3));
        // B = 2 leads first and opens the sessions of J and K: slots 0 and 1, at every member.
        c.time(T);
        c.leaderWork(2);
        c.leaderWork(2);
        assertEquals(LeaderRole.LEADER, c.leader(2).role());
        assertEquals(Leader.ACCEPTED, c.leader(2).onSessionEvent(J, BatchDescriptor.SESSION_OPEN, 1));
        assertEquals(Leader.ACCEPTED, c.leader(2).onSessionEvent(K, BatchDescriptor.SESSION_OPEN, 1));
        for (int i = 1; i <= 3; i++)
        {
            c.time(T + i);
            c.leaderWork(2);
        }
        for (int member = 1; member <= 3; member++)
        {
            assertTrue(c.learners[member - 1].sessions().isOpen(K), "K's session is open at member " + member);
        }

        // A = 1 takes over at every member; it has not seen K's commands in its leadership.
        c.time(4 * T);
        c.leaderWork(1);
        c.leaderWork(1);
        c.time(4 * T + 1);
        c.leaderWork(1);
        assertEquals(LeaderRole.LEADER, c.leader(1).role());

        // A is cut off; B is elected again by {B, C}. A's clock runs slow: it still believes it leads.
        c.isolate(1);
        c.time(8 * T);
        c.nowNs[0] = 4 * T + 2;
        c.leaderWork(2);
        c.leaderWork(2);
        assertEquals(LeaderRole.LEADER, c.leader(2).role());

        // B takes J/1..J/3 and then K/1; C misses the Accept of J's slots, so only K/1 is chosen.
        for (int sequence = 1; sequence <= 3; sequence++)
        {
            assertEquals(Leader.ACCEPTED, c.leader(2).onClientCommand(J, sequence, buffer(payload), 0, payload.length));
        }
        assertEquals(Leader.ACCEPTED, c.leader(2).onClientCommand(K, 1, buffer(payload), 0, payload.length));
        final long jFirstSlot = c.leader(2).nextSlot() - 4;
        c.drop = sent -> sent.to() == 3 && sent.message() instanceof Accept a && a.fromSlot() == jFirstSlot;
        c.leaderWork(2);
        c.drop = sent -> false;
        final long k1Slot = jFirstSlot + 3;
        assertTrue(c.stores[2].entry(k1Slot) != null && c.stores[2].entry(jFirstSlot) == null,
            "C holds K/1 but none of J's slots");

        // K's window allows 1025 while 2..1024 are in flight; K's session answer named A, which still
        // leads by its own clock and slots K/1025 at its next slot, below K/1. Only A's acceptor hears it.
        assertEquals(Leader.ACCEPTED, c.leader(1).onClientCommand(K, 1025, buffer(payload), 0, payload.length));
        c.leaderWork(1);
        assertEquals(LeaderRole.LEADER, c.leader(1).role(), "A has not noticed it was deposed");
        assertTrue(c.stores[0].entry(jFirstSlot) != null, "A's acceptor holds K/1025 at slot " + jFirstSlot);

        // B crashes; the partition heals; C is elected by {A, C} and recovers K/1025 from A.
        c.crashed[1] = true;
        c.link(1, 3, true);
        c.time(12 * T);
        c.leaderWork(3);
        c.leaderWork(3);
        c.time(12 * T + 1);
        c.leaderWork(3);
        assertEquals(LeaderRole.LEADER, c.leader(3).role());
        for (int round = 0; round < 10; round++)
        {
            c.time(12 * T + 2 + round * TestValues.R);
            c.leaderWork(3);
        }

        final List<ClientAck> applied = new ArrayList<>();
        for (final Object answer : c.clientAnswers)
        {
            if (answer instanceof ClientAck ack && ack.outcome() == SessionTable.APPLIED)
            {
                applied.add(ack);
            }
        }
        assertTrue(applied.stream().anyMatch(a -> a.clientId() == K && a.sequence() == 1 && a.slot() == k1Slot),
            "K/1 is acknowledged once applied, at its slot: " + applied);
        for (final int member : new int[]{ 1, 3 })
        {
            final List<String> log = c.delivered.get(member - 1);
            assertTrue(log.contains(k1Slot + ":" + K + ":1"), "member " + member + " applies K/1: " + log);
            assertFalse(log.stream().anyMatch(e -> e.endsWith(":" + K + ":1025")),
                "K/1025 came before K/2..1024: a gap, not applied: " + log);
            for (final ClientAck ack : applied)
            {
                for (long sequence = ack.sequence(); sequence <= ack.toSequence(); sequence++)
                {
                    assertTrue(log.contains(ack.slot() + ":" + ack.clientId() + ":" + sequence),
                        "acknowledged " + ack + " must be applied at its slot by member " + member + ": " + log);
                }
            }
        }
    }
}
