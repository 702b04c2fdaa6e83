package io.synod.engine.protocol;

import io.synod.engine.protocol.RecordingOutbox.Accept;
import io.synod.engine.protocol.RecordingOutbox.Accepted;
import io.synod.engine.protocol.RecordingOutbox.Chosen;
import io.synod.engine.protocol.RecordingOutbox.ChosenState;
import io.synod.engine.protocol.RecordingOutbox.ClientAck;
import io.synod.engine.protocol.RecordingOutbox.Entry;
import io.synod.engine.protocol.RecordingOutbox.Heartbeat;
import io.synod.engine.protocol.RecordingOutbox.PreVote;
import io.synod.engine.protocol.RecordingOutbox.PreVoteReply;
import io.synod.engine.protocol.RecordingOutbox.Prepare;
import io.synod.engine.protocol.RecordingOutbox.Promise;
import io.synod.engine.protocol.RecordingOutbox.Range;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.synod.engine.protocol.TestValues.T;
import static io.synod.engine.protocol.TestValues.buffer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Member 1's leader, the acceptors of members 1, 2 and 3 and member 1's learner, with the test
 * carrying every message by hand (no loss, no reordering) and syncing every store each round: checks
 * that the roles' messages fit each other, not the network (that is the simulator's job).
 */
class RolesWiredByHandTest
{
    private final ProtocolConfig config = TestValues.config(1).maxBatchCommands(1).conclude();
    private final RecordingOutbox leaderOut = new RecordingOutbox();
    private final Leader leader = new Leader(config, leaderOut, bound -> 0, AcceptorStore.NULL_BALLOT, 0);
    private final MemoryStore[] stores = { new MemoryStore(), new MemoryStore(), new MemoryStore() };
    private final RecordingOutbox[] acceptorOut = { new RecordingOutbox(), new RecordingOutbox(), new RecordingOutbox() };
    private final Acceptor[] acceptors = new Acceptor[3];
    private final List<String> delivered = new ArrayList<>();
    private final RecordingOutbox learnerOut = new RecordingOutbox();
    private final Learner learner = new Learner(
        config, learnerOut, (slot, clientId, sequence, b, o, l) -> delivered.add(clientId + ":" + sequence), 0);
    private final List<ClientAck> acks = new ArrayList<>();
    private long nowNs;

    RolesWiredByHandTest()
    {
        for (int i = 0; i < 3; i++)
        {
            acceptors[i] = new Acceptor(TestValues.config(i + 1).conclude(), stores[i], acceptorOut[i]);
        }
    }

    private void round()
    {
        leader.doWork(nowNs);
        for (final Object message : leaderOut.drain())
        {
            if (message instanceof PreVote v)
            {
                acceptors[config.indexOf(v.to())].onPreVote(1, v.ballot(), nowNs);
            }
            else if (message instanceof Prepare p)
            {
                for (final Acceptor acceptor : acceptors)
                {
                    acceptor.onPrepare(1, p.ballot(), p.fromSlot(), p.toSlot(), nowNs);
                }
            }
            else if (message instanceof Accept a)
            {
                for (final Acceptor acceptor : acceptors)
                {
                    if (acceptor.onAccept(1, a.ballot(), nowNs))
                    {
                        for (final Entry e : a.entries())
                        {
                            acceptor.onAcceptEntry(1, a.ballot(), e.slot(), buffer(e.value()), 0, e.value().length);
                        }
                    }
                }
                for (final Entry e : a.entries())
                {
                    learner.onAcceptEntry(a.ballot(), e.slot(), buffer(e.value()), 0, e.value().length);
                }
                toLearner(a.chosen());
            }
            else if (message instanceof Heartbeat h)
            {
                for (final Acceptor acceptor : acceptors)
                {
                    acceptor.onHeartbeat(1, h.chosen().ballot(), nowNs);
                }
                toLearner(h.chosen());
            }
            else if (message instanceof ChosenState c)
            {
                toLearner(c.chosen());
            }
            else if (message instanceof ClientAck ack)
            {
                acks.add(ack);
            }
        }
        for (int i = 0; i < 3; i++)
        {
            stores[i].sync();
            acceptors[i].doWork(nowNs);
            final int from = i + 1;
            for (final Object message : acceptorOut[i].drain())
            {
                if (message instanceof PreVoteReply r)
                {
                    leader.onPreVoteReply(from, r.ballot(), r.granted(), r.promisedBallot(), nowNs);
                }
                else if (message instanceof Promise p)
                {
                    leader.onPromise(from, p.ballot(), p.fromSlot(), p.highestSlot(), p.partIndex(), p.partCount());
                    for (final Entry e : p.entries())
                    {
                        leader.onPromiseEntry(e.slot(), e.ballot(), buffer(e.value()), 0, e.value().length);
                    }
                    leader.onPromiseEnd(nowNs);
                }
                else if (message instanceof Accepted a)
                {
                    if (a.ranges().isEmpty())
                    {
                        leader.onAccepted(from, a.ballot(), 0, 0, nowNs);
                    }
                    for (final Range r : a.ranges())
                    {
                        leader.onAccepted(from, a.ballot(), r.from(), r.to(), nowNs);
                    }
                }
            }
        }
        learner.doWork(nowNs);
        acks.addAll(learnerOut.drain(ClientAck.class));
        nowNs++;
    }

    private void toLearner(final Chosen chosen)
    {
        learner.onChosenState(chosen.ballot(), chosen.ballotStartSlot(), chosen.watermark());
        for (final Range r : chosen.ranges())
        {
            learner.onChosenRange(r.from(), r.to());
        }
    }

    @Test
    void commandsSubmittedInOneCycleAreChosenAckedAndDeliveredInOrder()
    {
        nowNs = T;
        for (int i = 0; i < 5 && leader.role() != LeaderRole.LEADER; i++)
        {
            round();
        }
        assertEquals(LeaderRole.LEADER, leader.role());
        learner.sessions().open(42, 1);
        final byte[] payload = { 1, 2, 3, 4 };
        for (int sequence = 1; sequence <= 6; sequence++)
        {
            assertEquals(Leader.ACCEPTED, leader.onClientCommand(42, sequence, buffer(payload), 0, payload.length));
        }
        for (int i = 0; i < 5; i++)
        {
            round();
        }
        assertEquals(6, acks.size(), "every full slot is chosen and applied, not only the last one: " + acks);
        for (final ClientAck ack : acks)
        {
            assertEquals(ack.sequence() - 1, ack.slot(), "acknowledged where applied: " + ack);
        }
        assertEquals(6, leader.chosenWatermark());
        assertEquals(List.of("42:1", "42:2", "42:3", "42:4", "42:5", "42:6"), delivered);
        for (final MemoryStore store : stores)
        {
            assertTrue(store.highestSlot() == 5, "every acceptor holds the six slots");
        }
    }
}
