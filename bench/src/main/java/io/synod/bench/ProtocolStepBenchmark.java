package io.synod.bench;

import io.synod.engine.protocol.Acceptor;
import io.synod.engine.protocol.AcceptorStore;
import io.synod.engine.protocol.Leader;
import io.synod.engine.protocol.LeaderRole;
import io.synod.engine.protocol.ProtocolConfig;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * One step of the protocol core, with no transport: a client command of {@link #PAYLOAD_LENGTH_BYTES}
 * is sequenced by an elected leader (member 0 of 3), sealed into its slot and sent as an Accept to two
 * acceptors (members 0 and 1: a majority), which store it in a {@link SlabAcceptorStore} (durable at
 * once) and release their Accepted, which the leader tallies: the slot is chosen and the client
 * acked by the learners (not in this wiring). Roles talk through {@link DirectOutbox}, so one op is exactly
 * {@code onClientCommand, Leader.doWork, 2 x (onAccept, onAcceptEntry), 2 x Acceptor.doWork,
 * 2 x onAccepted}. Every op's slot is chosen, so the leader's window never fills (checked
 * each op). Logical time advances {@link #STEP_NS} per op, so heartbeats and retransmit scans run
 * at their configured rates. Run with {@code -prof gc}: the goal is 0 B/op.
 * <p>
 * Single-threaded: the JMH thread plays every role, as the simulator does.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens", "java.base/java.nio=ALL-UNNAMED" })
public class ProtocolStepBenchmark
{
    static final int LEADER_ID = 0;
    static final int[] MEMBER_IDS = { 0, 1, 2 };
    static final int[] ACCEPTOR_IDS = { 0, 1 };
    static final int PAYLOAD_LENGTH_BYTES = 32;
    static final int MAX_VALUE_BYTES = 4096;
    static final int WINDOW_SLOTS = 1024;
    static final long CLIENT_ID = 42;
    /**
     * Logical time per op: 1 µs, so a 10 ms heartbeat goes out every 10,000 ops.
     */
    static final long STEP_NS = 1_000;

    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD_LENGTH_BYTES]);
    private DirectOutbox leaderOutbox;
    private DirectOutbox[] acceptorOutboxes;
    private Leader leader;
    private Acceptor[] acceptors;
    private long nowNs;
    private long sequence;

    @Setup(Level.Trial)
    public void setup()
    {
        leaderOutbox = new DirectOutbox(LEADER_ID);
        leader = new Leader(config(LEADER_ID), leaderOutbox, bound -> 0, AcceptorStore.NULL_BALLOT, 0);
        acceptors = new Acceptor[ACCEPTOR_IDS.length];
        acceptorOutboxes = new DirectOutbox[ACCEPTOR_IDS.length];
        for (int i = 0; i < ACCEPTOR_IDS.length; i++)
        {
            acceptorOutboxes[i] = new DirectOutbox(ACCEPTOR_IDS[i]);
            acceptors[i] = new Acceptor(
                config(ACCEPTOR_IDS[i]), new SlabAcceptorStore(WINDOW_SLOTS, MAX_VALUE_BYTES), acceptorOutboxes[i]);
        }
        leaderOutbox.wire(null, acceptors, ACCEPTOR_IDS);
        for (final DirectOutbox outbox : acceptorOutboxes)
        {
            outbox.wire(leader, new Acceptor[0], new int[0]);
        }
        for (int i = 0; i < PAYLOAD_LENGTH_BYTES; i++)
        {
            payload.putByte(i, (byte)i);
        }
        elect();
    }

    /**
     * Election by hand: past the (non-random) election timeout the leader sends a PreVote to its peer,
     * which grants it at once (it heard no leader), then Prepare,
     * which promises (durable at once) and answers on its doWork; then the leader asks its own
     * acceptor, whose promise completes phase 1.
     */
    private void elect()
    {
        nowNs = 2 * config(LEADER_ID).electionTimeoutNs() + 1;
        time(nowNs);
        leader.doWork(nowNs);
        // The candidate asks its own acceptor only once a peer promised: two rounds of replies.
        for (int round = 0; round < 3 && leader.role() != LeaderRole.LEADER; round++)
        {
            for (final Acceptor acceptor : acceptors)
            {
                acceptor.doWork(nowNs);
            }
        }
        if (leader.role() != LeaderRole.LEADER)
        {
            throw new IllegalStateException("leader not elected: " + leader.role());
        }
        // The first cycle as leader sends its first heartbeat.
        leader.doWork(nowNs);
        for (final Acceptor acceptor : acceptors)
        {
            acceptor.doWork(nowNs);
        }
    }

    /**
     * @return commands chosen so far, one per op (acks come from learners, which this wiring leaves out).
     */
    @Benchmark
    public long step()
    {
        nowNs += STEP_NS;
        time(nowNs);
        final int result = leader.onClientCommand(CLIENT_ID, ++sequence, payload, 0, PAYLOAD_LENGTH_BYTES);
        leader.doWork(nowNs);
        for (final Acceptor acceptor : acceptors)
        {
            acceptor.doWork(nowNs);
        }
        if (result != Leader.ACCEPTED || leader.inFlightSlots() != 0)
        {
            throw new IllegalStateException(
                "step not chosen: result=" + result + " inFlightSlots=" + leader.inFlightSlots());
        }
        return leader.commandsChosen();
    }

    Leader leader()
    {
        return leader;
    }

    Acceptor acceptor(final int index)
    {
        return acceptors[index];
    }

    DirectOutbox leaderOutbox()
    {
        return leaderOutbox;
    }

    private void time(final long nowNs)
    {
        leaderOutbox.nowNs(nowNs);
        for (final DirectOutbox outbox : acceptorOutboxes)
        {
            outbox.nowNs(nowNs);
        }
    }

    private static ProtocolConfig config(final int selfId)
    {
        return new ProtocolConfig()
            .selfId(selfId)
            .memberIds(MEMBER_IDS)
            .windowSlots(WINDOW_SLOTS)
            .maxValueBytes(MAX_VALUE_BYTES)
            .conclude();
    }
}
