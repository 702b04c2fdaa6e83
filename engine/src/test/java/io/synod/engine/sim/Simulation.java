package io.synod.engine.sim;

import io.synod.engine.protocol.Ballot;
import io.synod.engine.protocol.BatchDescriptor;
import io.synod.engine.protocol.SessionTable;
import io.synod.engine.protocol.LeaderRole;
import io.synod.engine.protocol.ProtocolConfig;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A deterministic simulation of one cluster from one seed: the unchanged core of every replica, a
 * network that drops, duplicates, delays, reorders and partitions, disks that lose unsynced writes,
 * crashes and restarts, skewed clocks and retrying clients. Swarm testing: the seed also draws which
 * faults happen and how often. The invariants are checked after every event; the first violation
 * stops the run with the seed and a readable trace of the last events.
 * <p>
 * After the fault phase the network heals for a random majority, which must then deliver every
 * acknowledged and pending command within a budget of simulated time.
 */
final class Simulation implements SimReplica.Network, SimDisk.DurableListener
{
    private static final int MESSAGE = 0;
    private static final int TICK = 1;
    private static final int CLIENT_TICK = 2;
    private static final int RESEND_BURST = 32;
    private static final int LARGE_WINDOW = Integer.getInteger("synod.sim.large.window", 8);
    private static final int CRASH = 3;
    private static final int RESTART = 4;
    private static final int PARTITION = 5;
    private static final int HEAL = 6;
    private static final int STALL = 7;
    private static final int UNSTALL = 8;

    private static final long MS = 1_000_000L;
    private static final long ELECTION_TIMEOUT_NS = 50 * MS;
    private static final int TRACE_LENGTH = 64;

    private static final class Event implements Comparable<Event>
    {
        final long timeNs;
        final long order;
        final int kind;
        final int target;
        final SimMessage message;
        final int incarnation;

        Event(final long timeNs, final long order, final int kind, final int target, final SimMessage message,
            final int incarnation)
        {
            this.timeNs = timeNs;
            this.order = order;
            this.kind = kind;
            this.target = target;
            this.message = message;
            this.incarnation = incarnation;
        }

        public int compareTo(final Event other)
        {
            final int byTime = Long.compare(timeNs, other.timeNs);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }

    static final class Violation extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        Violation(final String message)
        {
            super(message, null, false, false);
        }
    }

    static final class Result
    {
        long seed;
        int replicas;
        long events;
        long commandsChosen;
        long elections;
        long preVotes;
        long faults;
        long simulatedNs;
        String violation;
        String trace;
        String swarm;
        boolean stallScenario;
    }

    private final long seed;
    private final int replicaCount;
    private final long faultEvents;
    private final PlantedBug bug;
    private final SplittableRandom random;
    private final SplittableRandom netRandom;
    private final SplittableRandom faultRandom;
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final SimReplica[] replicas;
    private final SimClient[] clients;
    private final int[] memberIds;
    private final boolean[][] cut;
    private final int majority;

    // Swarm: what this seed does to the system.
    private final double lossRate;
    private final double duplicateRate;
    private final long minDelayNs;
    private final long maxDelayNs;
    private final long tickNs;
    private final long clientTickNs;
    private final long meanCrashIntervalNs;
    private final long meanPartitionIntervalNs;
    private final String swarm;

    // Follower-stall scenario: no crash, loss or partition; one follower processes nothing for 3T
    // while the clients keep the leader busy, and the leader must stay.
    private final boolean stallScenario;
    private int stalled = -1;
    private long stallStartNs = -1;
    private long stallEndNs = -1;
    private long stabilityEndNs = -1;
    private int stableLeader = -1;
    private long stableBallot;
    private long electionsAtStall;
    private int chosenAtStall;

    // Checker state.
    private final Long2ObjectHashMap<Long2ObjectHashMap<byte[]>> votesValue = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<Long2ObjectHashMap<long[]>> votesMask = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<byte[]> chosen = new Long2ObjectHashMap<>();
    private final ArrayList<long[]> common = new ArrayList<>();
    private final LongHashSet deliveredCommands = new LongHashSet();
    private final LongHashSet ackedCommands = new LongHashSet();
    // Invariant 7 (FIFO): the last sequence applied per client, in the common delivery order.
    private final org.agrona.collections.Long2LongHashMap lastApplied = new org.agrona.collections.Long2LongHashMap(0);
    // Invariant 8 (every ack true): the slot each command was applied at, and acks not yet borne out.
    private final org.agrona.collections.Long2LongHashMap appliedAt = new org.agrona.collections.Long2LongHashMap(-1);
    private final org.agrona.collections.Long2LongHashMap claimedAt = new org.agrona.collections.Long2LongHashMap(-1);
    private final int[] position;
    private final long[] maxDurablePromise;

    private final Object[] trace = new Object[TRACE_LENGTH];
    private final long[] traceTime = new long[TRACE_LENGTH];
    private int traceCount;

    private long nowNs;
    private long order;
    private long events;
    private long faults;
    private boolean healed;
    private boolean submitting = true;
    private long heldMajorityMask;
    private String violation;

    Simulation(final long seed, final int replicaCount, final long faultEvents, final PlantedBug bug)
    {
        this(seed, replicaCount, faultEvents, bug, false);
    }

    /**
     * @param stallScenario run the follower-stall scenario instead of the swarm's faults.
     */
    Simulation(
        final long seed,
        final int replicaCount,
        final long faultEvents,
        final PlantedBug bug,
        final boolean stallScenario)
    {
        this.seed = seed;
        this.stallScenario = stallScenario;
        this.replicaCount = replicaCount;
        this.faultEvents = faultEvents;
        this.bug = bug;
        this.random = new SplittableRandom(seed);
        this.netRandom = random.split();
        this.faultRandom = random.split();
        this.majority = replicaCount / 2 + 1;

        final boolean lossy = random.nextInt(4) != 0;
        final double drawnLossRate = lossy ? random.nextDouble() * 0.3 : 0;
        duplicateRate = random.nextInt(3) != 0 ? random.nextDouble() * 0.5 : 0;
        minDelayNs = 20_000 + random.nextLong(200_000);
        final long drawnMaxDelayNs =
            minDelayNs + (random.nextBoolean() ? random.nextLong(2 * MS) : random.nextLong(30 * MS));
        tickNs = 500_000 + random.nextLong(MS);
        clientTickNs = 200_000 + random.nextLong(2 * MS);
        final long drawnCrashIntervalNs = random.nextInt(4) != 0 ? 50 * MS + random.nextLong(500 * MS) : 0;
        final long drawnPartitionIntervalNs = random.nextInt(4) != 0 ? 50 * MS + random.nextLong(500 * MS) : 0;
        // The scenario keeps the seed's draws (same random stream) but drops the faults that may
        // rightly cost a leader its place: loss, long delays, crashes, partitions.
        lossRate = stallScenario ? 0 : drawnLossRate;
        maxDelayNs = stallScenario ? Math.min(drawnMaxDelayNs, minDelayNs + 2 * MS) : drawnMaxDelayNs;
        meanCrashIntervalNs = stallScenario ? 0 : drawnCrashIntervalNs;
        meanPartitionIntervalNs = stallScenario ? 0 : drawnPartitionIntervalNs;
        final boolean skew = random.nextBoolean();
        // Stale-leader overlap: in some seeds one clock runs much slower, so a deposed leader keeps
        // believing in its majority (and answering clients) well after the others moved on.
        final int slowClock = random.nextInt(3) == 0 ? random.nextInt(replicaCount) : -1;
        final int windowSlots = random.nextBoolean() ? 16 : 64;
        final int maxValueBytes = 256 + random.nextInt(512);
        final int maxMessageBytes = 128 + 4 * 16 + 24 + maxValueBytes + random.nextInt(4096);
        final int maxSlotsPerAccept = 1 + random.nextInt(8);
        final int maxBatchCommands = 1 + random.nextInt(8);
        final int syncEveryTicks = random.nextBoolean() ? 1 : 1 + random.nextInt(4);

        memberIds = new int[replicaCount];
        for (int i = 0; i < replicaCount; i++)
        {
            memberIds[i] = i;
        }
        cut = new boolean[replicaCount][replicaCount];
        position = new int[replicaCount];
        maxDurablePromise = new long[replicaCount];
        replicas = new SimReplica[replicaCount];
        final StringBuilder clocks = new StringBuilder();
        for (int i = 0; i < replicaCount; i++)
        {
            final ProtocolConfig config = new ProtocolConfig()
                .selfId(i)
                .memberIds(memberIds)
                .heartbeatIntervalNs(10 * MS)
                .electionTimeoutNs(ELECTION_TIMEOUT_NS)
                .retransmitTimeoutNs(20 * MS)
                .catchUpTimeoutNs(20 * MS)
                .windowSlots(windowSlots)
                .windowBytes(windowSlots * maxValueBytes / 2)
                .learnerWindowSlots(32)
                .maxValueBytes(maxValueBytes)
                .maxMessageBytes(maxMessageBytes)
                .maxSlotsPerAccept(maxSlotsPerAccept)
                .maxBatchCommands(maxBatchCommands)
                .maxChosenRanges(4)
                .maxPendingReplies(1024)
                .maxClients(64)
                .mutation(bug.mutation)
                .conclude();
            final double rate = i == slowClock ? 0.5 + random.nextDouble() * 0.3 :
                skew ? 0.9 + random.nextDouble() * 0.2 : 1.0;
            final long offset = random.nextLong(1_000 * MS);
            clocks.append(String.format("%.3f ", rate));
            final int member = i;
            final SimDisk disk = new SimDisk(i, this, bug == PlantedBug.PROMISE_NOT_PERSISTED);
            replicas[i] = new SimReplica(i, config, disk, this, random.split(),
                (slot, clientId, sequence, buffer, offset2, length) ->
                    onDelivery(member, slot, clientId, sequence, buffer, offset2, length),
                rate, offset, syncEveryTicks);
        }

        final int clientCount = 2 + random.nextInt(4);
        clients = new SimClient[clientCount];
        for (int i = 0; i < clientCount; i++)
        {
            // Some clients keep the whole window replicas allow in flight, so sequences far apart race.
            final int window = random.nextInt(4) == 0 ? LARGE_WINDOW :
                1 + random.nextInt(8);
            clients[i] = new SimClient(
                100 + i, window, 40 * MS + random.nextLong(200 * MS), random.nextInt(replicaCount));
        }

        swarm = String.format(
            "replicas=%d clients=%d windows=%s loss=%.3f dup=%.3f delay=[%d,%d]us tick=%dus crashEvery=%dms " +
            "partitionEvery=%dms clocks=%swindow=%d maxValue=%d maxMessage=%d slotsPerAccept=%d batch=%d sync=1/%d bug=%s" +
            (stallScenario ? " scenario=follower-stall" : ""),
            replicaCount, clientCount, windowsText(), lossRate, duplicateRate, minDelayNs / 1000, maxDelayNs / 1000, tickNs / 1000,
            meanCrashIntervalNs / MS, meanPartitionIntervalNs / MS, clocks, windowSlots, maxValueBytes,
            maxMessageBytes, maxSlotsPerAccept, maxBatchCommands, syncEveryTicks, bug);
    }

    private String windowsText()
    {
        final StringBuilder sb = new StringBuilder();
        for (final SimClient client : clients)
        {
            sb.append(sb.length() > 0 ? "/" : "").append(client.window);
        }
        return sb.toString();
    }

    Result run()
    {
        for (final SimReplica replica : replicas)
        {
            replica.start(0, 0);
            schedule(random.nextLong(tickNs), TICK, replica.id, null, 0);
        }
        for (int i = 0; i < clients.length; i++)
        {
            schedule(random.nextLong(clientTickNs), CLIENT_TICK, i, null, 0);
        }
        scheduleNextCrash();
        scheduleNextPartition();
        if (stallScenario)
        {
            schedule(300 * MS, STALL, 0, null, 0);
        }

        long healDeadlineNs = Long.MAX_VALUE;
        try
        {
            while (!queue.isEmpty())
            {
                final Event event = queue.poll();
                nowNs = event.timeNs;
                events++;
                if (!healed && events >= faultEvents && (!stallScenario || stabilityWindowPassed()))
                {
                    heal();
                    healDeadlineNs = nowNs + 30_000 * MS;
                }
                process(event);
                checkAfterEvent();
                if (healed)
                {
                    if (converged())
                    {
                        break;
                    }
                    if (nowNs > healDeadlineNs)
                    {
                        throw new Violation("liveness: the healed majority " + maskText(heldMajorityMask) +
                            " did not deliver every command within 30 s: " + progressText());
                    }
                }
            }
        }
        catch (final Violation v)
        {
            violation = v.getMessage();
        }
        catch (final RuntimeException ex)
        {
            violation = "exception: " + ex;
            ex.printStackTrace();
        }

        final Result result = new Result();
        result.seed = seed;
        result.replicas = replicaCount;
        result.events = events;
        result.commandsChosen = common.size();
        for (final SimReplica replica : replicas)
        {
            if (replica.leader != null)
            {
                result.elections += replica.leader.elections();
                result.preVotes += replica.leader.preVotes();
            }
        }
        result.faults = faults;
        result.simulatedNs = nowNs;
        result.violation = violation;
        result.swarm = swarm;
        result.stallScenario = stallScenario;
        if (violation != null)
        {
            result.trace = traceText();
        }
        return result;
    }

    // ---------------------------------------------------------------- events

    private void process(final Event event)
    {
        switch (event.kind)
        {
            case MESSAGE -> deliver(event);
            case TICK ->
            {
                final SimReplica replica = replicas[event.target];
                if (replica.up && !isStalled(event.target))
                {
                    replica.tick(nowNs);
                }
                schedule(nowNs + tickNs, TICK, event.target, null, 0);
            }
            case CLIENT_TICK ->
            {
                clientTick(clients[event.target]);
                schedule(nowNs + clientTickNs, CLIENT_TICK, event.target, null, 0);
            }
            case CRASH -> crash();
            case RESTART -> restart(event.target);
            case PARTITION -> partition();
            case HEAL -> healPartition();
            case STALL -> stall();
            case UNSTALL -> unstall();
            default -> throw new IllegalStateException("unknown event " + event.kind);
        }
    }

    private void schedule(final long timeNs, final int kind, final int target, final SimMessage message,
        final int incarnation)
    {
        queue.add(new Event(timeNs, order++, kind, target, message, incarnation));
    }

    public int[] memberIds()
    {
        return memberIds;
    }

    public void send(final SimMessage message)
    {
        if (message.type == SimMessage.Type.CLIENT_ACK || message.type == SimMessage.Type.SESSION_EVENT)
        {
            final int client = (int)(message.clientId - 100);
            transmit(message, client, false);
            return;
        }
        if (message.to == io.synod.engine.protocol.Outbox.ALL)
        {
            for (int i = 0; i < replicaCount; i++)
            {
                transmit(message.copyTo(i), i, true);
            }
        }
        else if (message.to >= 0 && message.to < replicaCount)
        {
            transmit(message, message.to, true);
        }
    }

    private void transmit(final SimMessage message, final int target, final boolean toReplica)
    {
        if (toReplica && message.from == target && message.from >= 0)
        {
            // Roles of one node talk through ring buffers: reliable and in order, gone with a crash.
            schedule(nowNs + 1_000, MESSAGE, target, message, replicas[target].incarnation);
            return;
        }
        if (toReplica && message.from >= 0 && cut[message.from][target])
        {
            return;
        }
        if (netRandom.nextDouble() < currentLossRate())
        {
            return;
        }
        final int copies = netRandom.nextDouble() < currentDuplicateRate() ? 2 : 1;
        for (int i = 0; i < copies; i++)
        {
            final long delay = minDelayNs + netRandom.nextLong(maxDelayNs - minDelayNs + 1);
            schedule(nowNs + delay, MESSAGE, toReplica ? target : -1 - target, message, -1);
        }
    }

    private double currentLossRate()
    {
        return healed ? 0 : lossRate;
    }

    private double currentDuplicateRate()
    {
        return healed ? 0 : duplicateRate;
    }

    private void deliver(final Event event)
    {
        final SimMessage m = event.message;
        if (event.target < 0)
        {
            onClientMessage(clients[-1 - event.target], m);
            return;
        }
        final SimReplica replica = replicas[event.target];
        if (!replica.up || (event.incarnation >= 0 && event.incarnation != replica.incarnation))
        {
            return;
        }
        if (isStalled(event.target))
        {
            // A stalled replica reads nothing; its transport buffers what arrives, in order.
            schedule(stallEndNs, MESSAGE, event.target, m, event.incarnation);
            return;
        }
        if (healed && m.from >= 0 && cut[m.from][event.target])
        {
            return;
        }
        addTrace(m);
        final SimMessage reply = replica.receive(m, nowNs);
        if (reply != null)
        {
            transmit(reply, (int)(reply.clientId - 100), false);
        }
    }

    // ---------------------------------------------------------------- clients

    private void clientTick(final SimClient client)
    {
        if (!client.open)
        {
            // Commands wait for the session: its open entry must be applied first.
            if (nowNs - client.openSentNs >= client.timeoutNs)
            {
                if (client.openSentNs > Long.MIN_VALUE / 2)
                {
                    client.target = (client.target + 1) % replicaCount;
                }
                sendOpen(client);
            }
            return;
        }
        // Replicas answer for at most MAX_IN_FLIGHT sequences from the oldest unacknowledged one.
        while (submitting && client.inFlight.size() < client.window &&
            (client.inFlight.isEmpty() ||
            client.nextSequence - client.inFlight.firstKey() < io.synod.engine.protocol.SessionTable.MAX_IN_FLIGHT))
        {
            final long sequence = client.nextSequence++;
            final SimClient.Pending pending = new SimClient.Pending(sequence, payload(client.clientId, sequence));
            client.inFlight.put(sequence, pending);
            sendCommand(client, pending);
        }
        // Resend the oldest timed-out commands only: per-client FIFO applies nothing past the first
        // missing one, so resending a whole 1,024 window would be traffic for nothing.
        boolean movedOn = false;
        int resent = 0;
        int looked = 0;
        for (final SimClient.Pending pending : client.inFlight.values())
        {
            if (resent == RESEND_BURST || looked++ == 4 * RESEND_BURST)
            {
                break;
            }
            if (nowNs - pending.sentAtNs >= client.timeoutNs)
            {
                // Move on only when the member sent to has gone quiet, not because one command of a
                // large window waited long.
                if (!movedOn && ++pending.attempts % 2 == 0 && nowNs - client.heardNs >= client.timeoutNs)
                {
                    client.target = (client.target + 1) % replicaCount;
                    movedOn = true;
                }
                sendCommand(client, pending);
                resent++;
            }
        }
    }

    private void sendOpen(final SimClient client)
    {
        client.openSentNs = nowNs;
        final SimMessage m = new SimMessage(SimMessage.Type.SESSION_OPEN, -1, client.target);
        m.clientId = client.clientId;
        m.sequence = client.inFlight.isEmpty() ? client.nextSequence : client.inFlight.firstKey();
        transmit(m, client.target, true);
    }

    private void sendCommand(final SimClient client, final SimClient.Pending pending)
    {
        pending.sentAtNs = nowNs;
        final SimMessage m = new SimMessage(SimMessage.Type.CLIENT_COMMAND, -1, client.target);
        m.clientId = client.clientId;
        m.sequence = pending.sequence;
        m.payload = pending.payload;
        transmit(m, client.target, true);
    }

    /**
     * After a gap or a new session: the oldest commands again, in order, at most once per client tick.
     */
    private void resendAll(final SimClient client)
    {
        if (nowNs - client.bulkResendNs < clientTickNs)
        {
            return;
        }
        client.bulkResendNs = nowNs;
        int resent = 0;
        for (final SimClient.Pending pending : client.inFlight.values())
        {
            if (resent++ == RESEND_BURST)
            {
                break;
            }
            sendCommand(client, pending);
        }
    }

    private void onClientMessage(final SimClient client, final SimMessage m)
    {
        addTrace(m);
        switch (m.type)
        {
            case CLIENT_REDIRECT ->
            {
                // Follow the hint, and resend only what this redirect answers: the others get their
                // own answers, and resending them all would multiply the traffic.
                client.target = m.result >= 0 ? m.result : (client.target + 1) % replicaCount;
                if (m.result < 0)
                {
                    return;
                }
                if (!client.open)
                {
                    sendOpen(client);
                    return;
                }
                // The commands that went to the wrong member go again, oldest first, in one burst.
                resendAll(client);
            }
            case SESSION_EVENT ->
            {
                if (m.result == SessionTable.OPENED || m.result == SessionTable.ALREADY_OPEN)
                {
                    client.target = m.from;
                    if (!client.open)
                    {
                        client.open = true;
                        resendAll(client);
                    }
                }
                else if (m.result == SessionTable.REFUSED)
                {
                    throw new Violation("capacity: client " + client.clientId + " refused a session by a table of " +
                        replicas[0].config.maxClients() + " with " + clients.length + " clients");
                }
                else
                {
                    client.open = false;
                }
            }
            case CLIENT_ACK ->
            {
                client.heardNs = nowNs;
                onAck(client, m);
            }
            default -> throw new IllegalStateException("unexpected " + m.type);
        }
    }

    private void onAck(final SimClient client, final SimMessage m)
    {
        switch (m.result)
        {
            case SessionTable.APPLIED, SessionTable.DUPLICATE ->
            {
                for (long sequence = m.sequence; sequence <= m.toSequence; sequence++)
                {
                    checkAck(m, sequence);
                    if (client.inFlight.remove(sequence) != null)
                    {
                        client.acked++;
                        ackedCommands.add(key(m.clientId, sequence));
                    }
                }
            }
            case SessionTable.GAP -> resendAll(client);
            case SessionTable.UNKNOWN_SESSION ->
            {
                if (client.open)
                {
                    client.open = false;
                    sendOpen(client);
                }
            }
            default -> throw new IllegalStateException("unexpected outcome " + m.result);
        }
    }

    /**
     * Invariant 8: every acknowledgement is true. OK: the command is in the chosen value of the
     * slot, and applied exactly once there (checked now if applied, else when the slot is applied);
     * DUPLICATE: it was applied once, before this copy.
     */
    private void checkAck(final SimMessage m, final long sequence)
    {
        final long command = key(m.clientId, sequence);
        final long at = appliedAt.get(command);
        if (m.result == SessionTable.DUPLICATE)
        {
            // Earlier: at a lower slot, or earlier in the same slot (a resend batched with the original).
            if (at < 0 || at > m.slot)
            {
                throw new Violation("ack: client " + m.clientId + " seq " + sequence + " acknowledged DUPLICATE of slot " +
                    m.slot + " but applied " + (at < 0 ? "nowhere" : "at slot " + at));
            }
            return;
        }
        final byte[] value = chosen.get(m.slot);
        if (value == null || !contains(value, m.clientId, sequence))
        {
            throw new Violation("durability: client " + m.clientId + " seq " + sequence + " acknowledged in slot " +
                m.slot + " which no durable majority accepted with it");
        }
        if (at >= 0 && at != m.slot)
        {
            throw new Violation("ack: client " + m.clientId + " seq " + sequence + " acknowledged as applied at slot " +
                m.slot + " but applied at slot " + at);
        }
        if (at < 0)
        {
            claimedAt.put(command, m.slot);
        }
    }

    private byte[] payload(final long clientId, final long sequence)
    {
        final long mix = mix(seed ^ mix(clientId * 31 + sequence));
        final byte[] payload = new byte[4 + (int)((mix >>> 1) % 61)];
        for (int i = 0; i < payload.length; i++)
        {
            payload[i] = (byte)(mix >>> ((i % 8) * 8));
        }
        return payload;
    }

    // ---------------------------------------------------------------- faults

    private void scheduleNextCrash()
    {
        if (meanCrashIntervalNs > 0)
        {
            schedule(nowNs + 1 + faultRandom.nextLong(2 * meanCrashIntervalNs), CRASH, 0, null, 0);
        }
    }

    private void scheduleNextPartition()
    {
        if (meanPartitionIntervalNs > 0)
        {
            schedule(nowNs + 1 + faultRandom.nextLong(2 * meanPartitionIntervalNs), PARTITION, 0, null, 0);
        }
    }

    private void crash()
    {
        if (healed)
        {
            return;
        }
        final int target = faultRandom.nextInt(replicaCount);
        final SimReplica replica = replicas[target];
        if (replica.up)
        {
            faults++;
            addTrace("CRASH " + target + (replica.leader.role() == LeaderRole.LEADER ? " (leader)" : "") +
                " unsynced=" + replica.disk.unsyncedWrites());
            replica.crash(faultRandom);
            schedule(nowNs + 5 * MS + faultRandom.nextLong(300 * MS), RESTART, target, null, 0);
        }
        scheduleNextCrash();
    }

    private void restart(final int target)
    {
        final SimReplica replica = replicas[target];
        if (replica.up)
        {
            return;
        }
        long fromSlot = 0;
        int resumeAt = 0;
        if (bug == PlantedBug.DEDUP_NOT_REBUILT)
        {
            fromSlot = replica.lastDeliveredSlot + 1;
            while (resumeAt < common.size() && common.get(resumeAt)[0] < fromSlot)
            {
                resumeAt++;
            }
        }
        else
        {
            replica.lastDeliveredSlot = -1;
        }
        replica.start(nowNs, fromSlot);
        position[target] = resumeAt;
        addTrace("RESTART " + target + " promised=" + Ballot.toString(replica.disk.promisedBallot()));
        if (replica.disk.promisedBallot() < maxDurablePromise[target])
        {
            throw new Violation("promise went backwards across a restart of " + target + ": " +
                Ballot.toString(replica.disk.promisedBallot()) + " < durable " +
                Ballot.toString(maxDurablePromise[target]));
        }
    }

    private void partition()
    {
        if (healed)
        {
            return;
        }
        faults++;
        for (final boolean[] row : cut)
        {
            Arrays.fill(row, false);
        }
        final int mode = faultRandom.nextInt(4);
        final String text;
        switch (mode)
        {
            case 0 ->
            {
                int leader = -1;
                for (final SimReplica replica : replicas)
                {
                    if (replica.up && replica.leader.role() == LeaderRole.LEADER)
                    {
                        leader = replica.id;
                    }
                }
                if (leader < 0)
                {
                    leader = faultRandom.nextInt(replicaCount);
                }
                isolate(1L << leader);
                text = "isolate leader " + leader;
            }
            case 1 ->
            {
                long minority = 0;
                final int size = 1 + faultRandom.nextInt(replicaCount / 2);
                while (Long.bitCount(minority) < size)
                {
                    minority |= 1L << faultRandom.nextInt(replicaCount);
                }
                isolate(minority);
                text = "split minority " + maskText(minority);
            }
            case 2 ->
            {
                final int a = faultRandom.nextInt(replicaCount);
                final int b = (a + 1 + faultRandom.nextInt(replicaCount - 1)) % replicaCount;
                cut[a][b] = true;
                text = "asymmetric " + a + "-/->" + b;
            }
            default ->
            {
                final int a = faultRandom.nextInt(replicaCount);
                for (int i = 0; i < replicaCount; i++)
                {
                    cut[i][a] = i != a;
                }
                text = "deafen " + a;
            }
        }
        addTrace("PARTITION " + text);
        schedule(nowNs + 20 * MS + faultRandom.nextLong(400 * MS), HEAL, 0, null, 0);
    }

    private void healPartition()
    {
        if (healed)
        {
            return;
        }
        for (final boolean[] row : cut)
        {
            Arrays.fill(row, false);
        }
        addTrace("HEAL partition");
        scheduleNextPartition();
    }

    private void isolate(final long group)
    {
        for (int a = 0; a < replicaCount; a++)
        {
            for (int b = 0; b < replicaCount; b++)
            {
                final boolean aIn = (group & (1L << a)) != 0;
                final boolean bIn = (group & (1L << b)) != 0;
                cut[a][b] = aIn != bIn;
            }
        }
    }

    /**
     * End of the fault phase: a random majority is up and connected; the rest stays cut off.
     */
    private void heal()
    {
        healed = true;
        submitting = false;
        long chosenMask = 0;
        while (Long.bitCount(chosenMask) < majority)
        {
            chosenMask |= 1L << faultRandom.nextInt(replicaCount);
        }
        heldMajorityMask = chosenMask;
        for (int i = 0; i < replicaCount; i++)
        {
            if ((chosenMask & (1L << i)) != 0 && !replicas[i].up)
            {
                restart(i);
            }
        }
        isolate(chosenMask);
        addTrace("HEALED for majority " + maskText(chosenMask));
    }

    // ---------------------------------------------------------------- follower stall

    /**
     * The scenario heals (and so may isolate a minority, the leader among it) only after its stall
     * and the stability window that follows.
     */
    private boolean stabilityWindowPassed()
    {
        return stabilityEndNs >= 0 && nowNs > stabilityEndNs;
    }

    private boolean isStalled(final int target)
    {
        return target == stalled && nowNs < stallEndNs;
    }

    /**
     * Once a leader leads, one of its followers stops for three election timeouts: it ticks not and
     * reads not (say a long GC pause or a blocked disk), while the clients keep the leader busy.
     */
    private void stall()
    {
        int leader = -1;
        for (final SimReplica replica : replicas)
        {
            if (replica.up && replica.leader.role() == LeaderRole.LEADER)
            {
                leader = replica.id;
            }
        }
        if (leader < 0 || chosen.isEmpty())
        {
            schedule(nowNs + 10 * MS, STALL, 0, null, 0);
            return;
        }
        stableLeader = leader;
        stableBallot = replicas[leader].leader.ballot();
        electionsAtStall = totalElections();
        chosenAtStall = chosen.size();
        stalled = (leader + 1 + faultRandom.nextInt(replicaCount - 1)) % replicaCount;
        stallStartNs = nowNs;
        stallEndNs = nowNs + 3 * ELECTION_TIMEOUT_NS;
        // After the stall the follower reads what queued up and may time out first: give it time.
        stabilityEndNs = stallEndNs + 4 * ELECTION_TIMEOUT_NS;
        addTrace("STALL " + stalled + " until " + stallEndNs / MS + " ms; leader " + leader + " at " +
            Ballot.toString(stableBallot));
        schedule(stallEndNs, UNSTALL, stalled, null, 0);
    }

    private void unstall()
    {
        addTrace("UNSTALL " + stalled);
        // The duty cycle it stalled in resumes: its timers, all expired, run before it reads the
        // backlog (which was scheduled after this event, so it comes next).
        replicas[stalled].tick(nowNs);
        if (chosen.size() <= chosenAtStall)
        {
            throw new Violation("stability: nothing was chosen while follower " + stalled + " stalled (" +
                chosenAtStall + " slots chosen before)");
        }
    }

    private long totalElections()
    {
        long total = 0;
        for (final SimReplica replica : replicas)
        {
            if (replica.up)
            {
                total += replica.leader.elections();
            }
        }
        return total;
    }

    /**
     * From the stall until a while after it: the leader keeps its place and its ballot, and no member
     * starts an election (pre-vote keeps the stalled one from raising a ballot).
     */
    private void checkStability()
    {
        if (stallStartNs < 0 || nowNs > stabilityEndNs)
        {
            return;
        }
        final SimReplica leader = replicas[stableLeader];
        if (leader.leader.role() != LeaderRole.LEADER || leader.leader.ballot() != stableBallot)
        {
            throw new Violation("stability: leader " + stableLeader + " at " + Ballot.toString(stableBallot) +
                " lost its place (now " + leader.leader.role() + " at " + Ballot.toString(leader.leader.ballot()) +
                ") around the stall of follower " + stalled);
        }
        final long elections = totalElections();
        if (elections != electionsAtStall)
        {
            throw new Violation("stability: " + (elections - electionsAtStall) + " election(s) started around " +
                "the stall of follower " + stalled + " while leader " + stableLeader + " was healthy");
        }
    }

    // ---------------------------------------------------------------- checks

    public void onDurableAccept(final int memberId, final long slot, final long ballot, final byte[] value)
    {
        maxDurablePromise[memberId] = Math.max(maxDurablePromise[memberId], ballot);
        Long2ObjectHashMap<byte[]> values = votesValue.get(slot);
        Long2ObjectHashMap<long[]> masks = votesMask.get(slot);
        if (values == null)
        {
            values = new Long2ObjectHashMap<>();
            masks = new Long2ObjectHashMap<>();
            votesValue.put(slot, values);
            votesMask.put(slot, masks);
        }
        final byte[] existing = values.get(ballot);
        if (existing == null)
        {
            values.put(ballot, value);
            masks.put(ballot, new long[1]);
        }
        else if (!Arrays.equals(existing, value))
        {
            throw new Violation("two values proposed in slot " + slot + " at one ballot " + Ballot.toString(ballot));
        }
        final long[] mask = masks.get(ballot);
        mask[0] |= 1L << memberId;
        if (Long.bitCount(mask[0]) >= majority)
        {
            final byte[] previous = chosen.get(slot);
            if (previous == null)
            {
                chosen.put(slot, value);
            }
            else if (!Arrays.equals(previous, value))
            {
                throw new Violation("agreement: slot " + slot + " chosen with two values (now at ballot " +
                    Ballot.toString(ballot) + " by " + maskText(mask[0]) + ")");
            }
        }
    }

    public void onDurablePromise(final int memberId, final long ballot)
    {
        maxDurablePromise[memberId] = Math.max(maxDurablePromise[memberId], ballot);
    }

    private void onDelivery(
        final int member, final long slot, final long clientId, final long sequence,
        final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] delivered = new byte[length];
        buffer.getBytes(offset, delivered);
        addTrace("DELIVER at " + member + " slot=" + slot + " client=" + clientId + " seq=" + sequence);
        replicas[member].lastDeliveredSlot = slot;

        final byte[] value = chosen.get(slot);
        if (value == null || !contains(value, clientId, sequence))
        {
            throw new Violation("learner " + member + " delivered slot " + slot + " (client " + clientId + " seq " +
                sequence + ") which is not the value a durable majority chose");
        }
        final SimClient client = clientId >= 100 && clientId - 100 < clients.length ? clients[(int)(clientId - 100)] : null;
        if (client == null || sequence < 1 || sequence >= client.nextSequence ||
            !Arrays.equals(delivered, payload(clientId, sequence)))
        {
            throw new Violation("validity: learner " + member + " delivered a command no client submitted: client " +
                clientId + " seq " + sequence);
        }
        final int at = position[member]++;
        if (at < common.size())
        {
            final long[] expected = common.get(at);
            if (expected[0] != slot || expected[1] != clientId || expected[2] != sequence)
            {
                throw new Violation("order: learner " + member + " delivered (slot " + slot + ", client " + clientId +
                    ", seq " + sequence + ") at position " + at + " where others delivered (slot " + expected[0] +
                    ", client " + expected[1] + ", seq " + expected[2] + ")");
            }
        }
        else
        {
            if (!deliveredCommands.add(key(clientId, sequence)))
            {
                throw new Violation("exactly once: client " + clientId + " seq " + sequence +
                    " delivered a second time, in slot " + slot);
            }
            final long last = lastApplied.get(clientId);
            if (sequence != last + 1)
            {
                throw new Violation("fifo: client " + clientId + " seq " + sequence + " applied in slot " + slot +
                    " after seq " + last);
            }
            lastApplied.put(clientId, sequence);
            final long command = key(clientId, sequence);
            appliedAt.put(command, slot);
            final long claimed = claimedAt.remove(command);
            if (claimed >= 0 && claimed != slot)
            {
                throw new Violation("ack: client " + clientId + " seq " + sequence + " acknowledged as applied at slot " +
                    claimed + " but applied at slot " + slot);
            }
            common.add(new long[]{ slot, clientId, sequence });
        }
    }

    private void checkAfterEvent()
    {
        if (stallScenario)
        {
            checkStability();
        }
        if (!claimedAt.isEmpty())
        {
            // An acknowledged command not applied at its slot once some learner went past the slot.
            long delivered = -1;
            for (final SimReplica replica : replicas)
            {
                delivered = Math.max(delivered, replica.lastDeliveredSlot);
            }
            final org.agrona.collections.Long2LongHashMap.EntryIterator claims = claimedAt.entrySet().iterator();
            while (claims.hasNext())
            {
                claims.next();
                if (claims.getLongValue() < delivered)
                {
                    final long command = claims.getLongKey();
                    throw new Violation("ack: client " + (command >>> 32) + " seq " + (command & 0xFFFF_FFFFL) +
                        " acknowledged as applied at slot " + claims.getLongValue() +
                        " but learners delivered past that slot without applying it");
                }
            }
        }
        for (final SimReplica replica : replicas)
        {
            if (replica.up && replica.acceptor.promisedBallot() < maxDurablePromise[replica.id])
            {
                throw new Violation("promise went backwards at " + replica.id + ": " +
                    Ballot.toString(replica.acceptor.promisedBallot()) + " < durable " +
                    Ballot.toString(maxDurablePromise[replica.id]));
            }
        }
    }

    private boolean converged()
    {
        long submitted = 0;
        for (final SimClient client : clients)
        {
            if (!client.inFlight.isEmpty())
            {
                return false;
            }
            submitted += client.submitted();
        }
        if (common.size() != submitted)
        {
            return false;
        }
        for (int i = 0; i < replicaCount; i++)
        {
            if ((heldMajorityMask & (1L << i)) != 0 && position[i] != common.size())
            {
                return false;
            }
        }
        final LongHashSet.LongIterator acked = ackedCommands.iterator();
        while (acked.hasNext())
        {
            final long command = acked.nextValue();
            if (!deliveredCommands.contains(command))
            {
                throw new Violation("durability: acknowledged command " + (command >>> 32) + "/" +
                    (command & 0xFFFF_FFFFL) + " was never delivered");
            }
        }
        return true;
    }

    private String progressText()
    {
        final StringBuilder sb = new StringBuilder();
        long submitted = 0;
        for (final SimClient client : clients)
        {
            submitted += client.submitted();
            sb.append("client ").append(client.clientId).append(" inFlight=").append(client.inFlight.keySet())
                .append(" target=").append(client.target).append("; ");
        }
        sb.append("submitted=").append(submitted).append(" delivered=").append(common.size()).append("; ");
        for (final SimReplica replica : replicas)
        {
            sb.append("replica ").append(replica.id).append(replica.up ? " up" : " down");
            if (replica.up)
            {
                sb.append(" role=").append(replica.leader.role()).append(" ballot=")
                    .append(Ballot.toString(replica.leader.ballot())).append(" promised=")
                    .append(Ballot.toString(replica.acceptor.promisedBallot())).append(" next=")
                    .append(replica.learner.nextDeliverSlot()).append(" known=")
                    .append(replica.learner.knownChosenWatermark()).append(" pos=").append(position[replica.id]);
            }
            sb.append("; ");
        }
        return sb.toString();
    }

    private boolean contains(final byte[] value, final long clientId, final long sequence)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(value);
        int position = 0;
        while (position < value.length)
        {
            if (BatchDescriptor.clientId(buffer, position) == clientId &&
                BatchDescriptor.sequence(buffer, position) == sequence)
            {
                return true;
            }
            position += BatchDescriptor.commandLength(BatchDescriptor.payloadLength(buffer, position));
        }
        return false;
    }

    private static long key(final long clientId, final long sequence)
    {
        return (clientId << 32) | sequence;
    }

    private static long mix(final long value)
    {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static String maskText(final long mask)
    {
        final StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < 64; i++)
        {
            if ((mask & (1L << i)) != 0)
            {
                sb.append(sb.length() > 1 ? "," : "").append(i);
            }
        }
        return sb.append('}').toString();
    }

    // ---------------------------------------------------------------- trace

    private void addTrace(final Object entry)
    {
        final int index = traceCount++ % TRACE_LENGTH;
        trace[index] = entry;
        traceTime[index] = nowNs;
    }

    private String traceText()
    {
        final StringBuilder sb = new StringBuilder();
        final int count = Math.min(traceCount, TRACE_LENGTH);
        for (int i = traceCount - count; i < traceCount; i++)
        {
            final int index = i % TRACE_LENGTH;
            sb.append(String.format("  %10.3f ms  %s%n", traceTime[index] / 1e6, trace[index]));
        }
        return sb.toString();
    }
}
