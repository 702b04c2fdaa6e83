package io.synod.engine.sim;

import io.synod.engine.protocol.Ballot;
import io.synod.engine.protocol.LeaderRole;
import io.synod.engine.protocol.ProtocolConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One replica (member 1 of {0, 1, 2}) driven by hand, its acceptor and leader role wired as in a node:
 * traffic from a leader its own acceptor has already deposed is no proof that a leader is alive.
 */
class DeposedLeaderScenarioTest implements SimReplica.Network, SimDisk.DurableListener
{
    private static final long MS = 1_000_000L;
    private static final long T = 50 * MS;
    private static final int[] MEMBERS = { 0, 1, 2 };

    private final ArrayList<SimMessage> sent = new ArrayList<>();

    @Test
    void acceptsItsAcceptorNacksDoNotKeepAFollowerWaiting()
    {
        final ProtocolConfig config = new ProtocolConfig()
            .selfId(1)
            .memberIds(MEMBERS)
            .heartbeatIntervalNs(10 * MS)
            .electionTimeoutNs(T)
            .retransmitTimeoutNs(20 * MS)
            .catchUpTimeoutNs(20 * MS)
            .windowSlots(16)
            .learnerWindowSlots(16)
            .maxValueBytes(1024)
            .windowBytes(16 * 1024)
            .conclude();
        final SimReplica replica = new SimReplica(1, config, new SimDisk(1, this, false), this, new SplittableRandom(7),
            (slot, clientId, sequence, buffer, offset, length) -> { }, 1.0, 0, 1);
        replica.start(0, 0);

        // Member 2 runs phase 1 at 2.2 and this acceptor promises it; member 0 keeps leading at 1.0.
        final SimMessage prepare = new SimMessage(SimMessage.Type.PREPARE, 2, 1);
        prepare.ballot = Ballot.of(2, 2);
        prepare.toSlot = 16;
        replica.receive(prepare, MS);
        replica.tick(MS);
        assertEquals(Ballot.of(2, 2), replica.acceptor.promisedBallot());

        long timeNs = MS;
        for (; timeNs < 3 * T; timeNs += MS)
        {
            if (timeNs % (5 * MS) == 0)
            {
                final SimMessage accept = new SimMessage(SimMessage.Type.ACCEPT, 0, 1);
                accept.ballot = Ballot.of(1, 0);
                replica.receive(accept, timeNs);
            }
            replica.tick(timeNs);
        }

        assertTrue(sent.stream().anyMatch(m -> m.type == SimMessage.Type.NACK && m.to == 0),
            "its acceptor refuses member 0's Accepts at 1.0 below the promise 2.2");
        assertNotEquals(LeaderRole.FOLLOWER, replica.leader.role(),
            "after 3T of nothing but Nacked Accepts it must have noticed that no live leader is there");
    }

    public void send(final SimMessage message)
    {
        sent.add(message);
    }

    public int[] memberIds()
    {
        return MEMBERS;
    }

    public void onDurableAccept(final int memberId, final long slot, final long ballot, final byte[] value)
    {
    }

    public void onDurablePromise(final int memberId, final long ballot)
    {
    }
}
