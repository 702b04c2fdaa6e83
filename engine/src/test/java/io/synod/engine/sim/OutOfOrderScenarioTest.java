package io.synod.engine.sim;

import io.synod.engine.protocol.LeaderRole;
import io.synod.engine.protocol.Outbox;
import io.synod.engine.protocol.ProtocolConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Out of order made visible: the Accepts of an earlier slot are held back, a later slot is chosen
 * (and acknowledged) first, and still every learner delivers in slot order once the earlier slot is
 * chosen too.
 */
class OutOfOrderScenarioTest implements SimReplica.Network, SimDisk.DurableListener
{
    private static final long MS = 1_000_000L;
    private static final int[] MEMBERS = { 0, 1, 2 };

    private final ArrayList<SimMessage> inFlight = new ArrayList<>();
    private final ArrayList<SimMessage> acks = new ArrayList<>();
    private final List<List<String>> deliveries = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    private final SimReplica[] replicas = new SimReplica[3];
    private long timeNs;

    @Test
    void laterSlotChosenFirstIsDeliveredInSlotOrder()
    {
        for (int i = 0; i < 3; i++)
        {
            final ProtocolConfig config = new ProtocolConfig()
                .selfId(i)
                .memberIds(MEMBERS)
                .heartbeatIntervalNs(10 * MS)
                .electionTimeoutNs(50 * MS)
                .retransmitTimeoutNs(1_000 * MS)
                .catchUpTimeoutNs(1_000 * MS)
                .windowSlots(16)
                .learnerWindowSlots(16)
                .maxValueBytes(1024)
                .windowBytes(16 * 1024)
                .conclude();
            final int member = i;
            replicas[i] = new SimReplica(i, config, new SimDisk(i, this, false), this, new SplittableRandom(i),
                (slot, clientId, sequence, buffer, offset, length) ->
                    deliveries.get(member).add(slot + ":" + clientId + "/" + sequence),
                i == 0 ? 1.0 : 0.1, 0, 1);
            // Member 0's clock runs ten times faster, so it times out first and leads.
            replicas[i].start(0, 0);
            // Client 7's session is open (its open entry applied before the slots this test looks at).
            replicas[i].learner.sessions().open(7, 1);
        }

        tickUntil(() -> replicas[0].leader.role() == LeaderRole.LEADER, 200 * MS);
        deliverAll(m -> true);
        final long earlier = replicas[0].leader.nextSlot();

        submit(7, 1);
        tick(0);
        final List<SimMessage> held = takeAll(m -> m.type == SimMessage.Type.ACCEPT && m.to != 0);
        assertEquals(2, held.size(), "the Accepts of the earlier slot go to both followers");

        submit(7, 2);
        tick(0);
        deliverAll(m -> true);
        tickAll();
        deliverAll(m -> true);

        assertEquals(0, acks.size(), "nothing is acknowledged yet: the later slot is chosen, not applied");
        for (final SimReplica replica : replicas)
        {
            assertEquals(earlier, replica.learner.nextDeliverSlot(), "no learner delivers past the earlier slot");
        }
        deliveries.forEach(list -> assertTrue(list.isEmpty()));

        // Accept -> durable -> Accepted -> chosen -> chosen state -> delivery: three rounds.
        inFlight.addAll(held);
        for (int round = 0; round < 3; round++)
        {
            deliverAll(m -> true);
            tickAll();
        }

        assertEquals(2, acks.size(), "each command acknowledged once applied, at its slot");
        assertEquals(earlier, acks.get(0).slot);
        assertEquals(earlier + 1, acks.get(1).slot);
        for (int i = 0; i < 3; i++)
        {
            assertEquals(List.of(earlier + ":7/1", (earlier + 1) + ":7/2"), deliveries.get(i), "learner " + i);
        }
    }

    public void send(final SimMessage message)
    {
        if (message.type == SimMessage.Type.CLIENT_ACK)
        {
            acks.add(message);
        }
        else if (message.to == Outbox.ALL)
        {
            for (final int member : MEMBERS)
            {
                inFlight.add(message.copyTo(member));
            }
        }
        else
        {
            inFlight.add(message);
        }
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

    private void submit(final long clientId, final long sequence)
    {
        final SimMessage command = new SimMessage(SimMessage.Type.CLIENT_COMMAND, -1, 0);
        command.clientId = clientId;
        command.sequence = sequence;
        command.payload = new byte[]{ (byte)sequence };
        replicas[0].receive(command, timeNs);
    }

    private void tick(final int member)
    {
        timeNs += MS;
        replicas[member].tick(timeNs);
    }

    private void tickAll()
    {
        timeNs += MS;
        for (final SimReplica replica : replicas)
        {
            replica.tick(timeNs);
        }
    }

    private void tickUntil(final java.util.function.BooleanSupplier condition, final long limitNs)
    {
        while (!condition.getAsBoolean())
        {
            assertTrue(timeNs < limitNs, "condition not reached by " + limitNs / MS + " ms");
            tickAll();
            deliverAll(m -> true);
        }
    }

    private List<SimMessage> takeAll(final Predicate<SimMessage> filter)
    {
        final ArrayList<SimMessage> taken = new ArrayList<>();
        inFlight.removeIf(m -> filter.test(m) && taken.add(m));
        return taken;
    }

    private void deliverAll(final Predicate<SimMessage> filter)
    {
        while (!inFlight.isEmpty())
        {
            final List<SimMessage> batch = takeAll(filter);
            if (batch.isEmpty())
            {
                return;
            }
            for (final SimMessage m : batch)
            {
                replicas[m.to].receive(m, timeNs);
            }
        }
    }
}
