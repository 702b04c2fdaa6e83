package io.synod.tools.process;

import io.synod.client.ClientContext;
import io.synod.client.EgressListener;
import io.synod.client.SynodClient;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Three replicas in three JVMs on loopback, a client in this JVM offering commands all along: a
 * replica is killed with SIGKILL, the rest carry on, it restarts on the same directory and catches up.
 * At the end every node stops cleanly with SIGTERM and the delivered logs are compared: identical line
 * for line on every replica, and each acknowledged {@code (clientId, sequence)} in them exactly once,
 * in the slot its acknowledgement named, and nothing else.
 * <p>
 * Failover time, a figure printed and never asserted, runs from the SIGKILL of the leader to the first
 * acknowledgement from another member; it includes the client's discovery of the new leader (a resend
 * timeout or two). Kill to a new leader's role counter is printed as well.
 * <p>
 * {@code -Dsynod.failover.kills=N} sets the leader kills (default 3), {@code -Dsynod.failover.follower.kills=N}
 * the follower kills (default 2), {@code -Dsynod.failover.durability} SYNC (default) or PAGE_CACHE.
 */
class ProcessFailoverTest
{
    private static final int LEADER_KILLS = Integer.getInteger("synod.failover.kills", 3);
    private static final int FOLLOWER_KILLS = Integer.getInteger("synod.failover.follower.kills", 2);
    private static final String DURABILITY = System.getProperty("synod.failover.durability", "SYNC");
    private static final int MEMBERS = 3;
    private static final long CLIENT_ID = 77;
    private static final int MAX_IN_FLIGHT = 16;
    private static final int PAYLOAD_BYTES = 32;
    private static final long ACKS_BETWEEN_KILLS = 300;
    private static final long WAIT_TIMEOUT_MS = 30_000;
    private static final int SIGTERM_EXIT_CODE = 143;

    @TempDir
    Path dir;

    private ProcessCluster cluster;
    private SynodClient client;
    private String clientAeronDir;

    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD_BYTES]);
    private final Long2LongHashMap slotBySequence = new Long2LongHashMap(-1);
    private boolean offering;
    private long acks;
    private long maxAckedSlot = -1;
    private long errors;
    private long lastAckNs;
    private long maxAckGapNs;
    private int killedMember = -1;
    private long firstAckAfterKillNs;
    private long electedNs;
    private int electedMember = -1;

    @AfterEach
    void tearDown()
    {
        CloseHelper.quietClose(client);
        if (clientAeronDir != null)
        {
            IoUtil.delete(new File(clientAeronDir), true);
        }
        CloseHelper.quietClose(cluster);
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void shouldKeepEveryAcknowledgedCommandWhenTheLeaderIsKilledAndRestarted() throws Exception
    {
        final int kills = LEADER_KILLS;
        final long[] failoverNs = new long[kills];
        final long[] electionNs = new long[kills];
        final long[] catchUpNs = new long[kills];
        runScenario(() ->
        {
            for (int k = 0; k < kills; k++)
            {
                final int leader = awaitSteadyLeader();
                final long killNs = kill(leader);
                pumpUntil(() -> firstAckAfterKillNs != 0 && electedNs != 0,
                    () -> "an ack from a member other than " + leader + " and a new leader after the kill");
                failoverNs[k] = firstAckAfterKillNs - killNs;
                electionNs[k] = electedNs - killNs;
                System.out.printf("leader kill %d: killed member %d; member %d leads after %.1f ms (counters), " +
                    "first ack from it after %.1f ms; client resends so far %d%n", k + 1, leader, electedMember, ms(electionNs[k]),
                    ms(failoverNs[k]), client.resends());
                catchUpNs[k] = restartAndCatchUp(leader);
            }
        });
        System.out.printf("ProcessFailoverTest: %d leader kills, durability %s, %d commands acked%n", kills, DURABILITY, acks);
        printFigures("  failover, kill -> first ack from the new leader", failoverNs);
        printFigures("  kill -> new leader's role counter", electionNs);
        printFigures("  restart -> restarted member delivered up to the leader", catchUpNs);
    }

    @Test
    @Timeout(value = 200, unit = TimeUnit.SECONDS)
    void shouldKeepEveryAcknowledgedCommandWhenAFollowerIsKilledAndRestarted() throws Exception
    {
        final int kills = FOLLOWER_KILLS;
        final long[] stallNs = new long[kills];
        final long[] catchUpNs = new long[kills];
        runScenario(() ->
        {
            for (int k = 0; k < kills; k++)
            {
                final int leader = awaitSteadyLeader();
                final int follower = (leader + 1 + k % (MEMBERS - 1)) % MEMBERS;
                kill(follower);
                final long acksAtKill = acks;
                maxAckGapNs = 0;
                pumpUntil(() -> acks - acksAtKill >= ACKS_BETWEEN_KILLS,
                    () -> ACKS_BETWEEN_KILLS + " acks with member " + follower + " down");
                stallNs[k] = maxAckGapNs;
                System.out.printf("follower kill %d: killed member %d under leader %d; longest gap between acks " +
                    "after it %.1f ms; client resends so far %d%n", k + 1, follower, leader, ms(stallNs[k]), client.resends());
                catchUpNs[k] = restartAndCatchUp(follower);
            }
        });
        System.out.printf("ProcessFailoverTest: %d follower kills, durability %s, %d commands acked%n", kills, DURABILITY, acks);
        printFigures("  longest gap between acks after a follower kill", stallNs);
        printFigures("  restart -> restarted member delivered up to the leader", catchUpNs);
    }

    private interface Scenario
    {
        void run() throws Exception;
    }

    /**
     * Starts the cluster and the client, runs the kills with traffic flowing, then drains, stops every
     * node cleanly and checks the delivered logs. Prints every child's output if anything fails.
     */
    private void runScenario(final Scenario kills) throws Exception
    {
        cluster = new ProcessCluster(MEMBERS, dir, DURABILITY);
        try
        {
            cluster.startAll();
            pumpUntil(() -> cluster.allRunning(), () -> "all members running");
            clientAeronDir = "/dev/shm/synod-proc-test-client-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
            final EgressListener listener = new EgressListener()
            {
                public void onAck(final long sequence, final long slot)
                {
                    onAcked(sequence, slot);
                }

                public void onError(final long sequence, final String code, final String text)
                {
                    errors++;
                    System.out.println("client: sequence " + sequence + " rejected: " + code + " " + text);
                }
            };
            client = SynodClient.connect(new ClientContext()
                .members(cluster.members())
                .clientId(CLIENT_ID)
                .maxInFlight(MAX_IN_FLIGHT)
                .maxPayloadBytes(PAYLOAD_BYTES)
                .aeronDirectoryName(clientAeronDir), listener);
            System.out.println("client connected; resends so far " + client.resends());
            offering = true;

            kills.run();

            offering = false;
            pumpUntil(() -> client.inFlight() == 0, () -> "every command in flight acked");
            final long[] slot = new long[1];
            pumpUntil(() ->
            {
                slot[0] = cluster.node(0).deliveredSlot();
                return slot[0] > maxAckedSlot && cluster.allDeliveredExactlyTo(slot[0]);
            }, () -> "every member delivered the same slots, past slot " + maxAckedSlot);
            stopAllCleanly();
            verifyDeliveredLogs();
        }
        catch (final Throwable t)
        {
            System.out.println("ProcessFailoverTest failed: " + t + "; acks " + acks + ", members " +
                cluster.members() + "; output of every member follows");
            cluster.printOutputs(System.out);
            throw t;
        }
    }

    private void onAcked(final long sequence, final long slot)
    {
        final long nowNs = System.nanoTime();
        if (slotBySequence.put(sequence, slot) != -1)
        {
            fail("sequence " + sequence + " acked twice");
        }
        acks++;
        maxAckedSlot = Math.max(maxAckedSlot, slot);
        if (lastAckNs != 0)
        {
            maxAckGapNs = Math.max(maxAckGapNs, nowNs - lastAckNs);
        }
        lastAckNs = nowNs;
        // After an ack the client targets the member that sent it.
        if (killedMember >= 0 && firstAckAfterKillNs == 0 && client.targetMemberId() != killedMember)
        {
            firstAckAfterKillNs = nowNs;
        }
    }

    /**
     * Offers while allowed (the client bounds what is in flight), drives the client, watches the nodes.
     */
    private void pump()
    {
        final long nowNs = System.nanoTime();
        int work = 0;
        if (client != null)
        {
            if (offering)
            {
                payload.putLong(0, nowNs);
                work += client.offer(payload, 0, PAYLOAD_BYTES) > 0 ? 1 : 0;
            }
            work += client.poll();
        }
        cluster.pollRunning(nowNs);
        if (killedMember >= 0 && electedNs == 0)
        {
            final int leader = cluster.leader();
            if (leader >= 0 && leader != killedMember)
            {
                electedNs = nowNs;
                electedMember = leader;
            }
        }
        if (work == 0)
        {
            Thread.yield();
        }
    }

    private void pumpUntil(final BooleanSupplier done, final Supplier<String> what)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_TIMEOUT_MS);
        while (!done.getAsBoolean())
        {
            if (System.nanoTime() > deadlineNs)
            {
                fail("no " + what.get() + " within " + WAIT_TIMEOUT_MS + " ms; acks " + acks + ", in flight " +
                    (client == null ? 0 : client.inFlight()) + ", resends " + (client == null ? 0 : client.resends()));
            }
            pump();
        }
    }

    /**
     * Waits for traffic since the last event, one leader by the counters, and the client sending to it.
     */
    private int awaitSteadyLeader()
    {
        final long acksAtStart = acks;
        pumpUntil(() -> cluster.allRunning() && acks - acksAtStart >= ACKS_BETWEEN_KILLS &&
            cluster.leader() >= 0 && client.targetMemberId() == cluster.leader(),
            () -> "steady state: " + ACKS_BETWEEN_KILLS + " acks, one leader, the client sending to it");
        return cluster.leader();
    }

    private long kill(final int memberId) throws InterruptedException
    {
        killedMember = memberId;
        firstAckAfterKillNs = 0;
        electedNs = 0;
        electedMember = -1;
        final long killNs = System.nanoTime();
        cluster.node(memberId).kill();
        return killNs;
    }

    /**
     * Restarts the killed member with the same arguments and waits until it has delivered every slot the
     * leader had delivered when it came up, traffic flowing all along.
     *
     * @return restart to caught up, in ns.
     */
    private long restartAndCatchUp(final int memberId) throws IOException
    {
        killedMember = -1;
        final NodeProcess node = cluster.node(memberId);
        final long restartNs = System.nanoTime();
        node.start();
        pumpUntil(() -> node.isRunning() && cluster.leader() >= 0, () -> "member " + memberId + " running again, and a leader");
        final long target = cluster.node(cluster.leader()).deliveredSlot();
        pumpUntil(() -> node.deliveredSlot() >= target,
            () -> "member " + memberId + " delivered up to slot " + target + " (it is at " + node.deliveredSlot() + ")");
        final long catchUpNs = System.nanoTime() - restartNs;
        System.out.printf("  member %d restarted and delivered slots [0, %d) in %.1f ms%n", memberId, target, ms(catchUpNs));
        return catchUpNs;
    }

    private void stopAllCleanly() throws InterruptedException
    {
        for (int id = 0; id < MEMBERS; id++)
        {
            cluster.node(id).terminate();
        }
        for (int id = 0; id < MEMBERS; id++)
        {
            // 143 (128 + SIGTERM): the JVM's signal path owns the exit status, so the node's own exit code
            // of 0 does not show; the delivered logs below are what show a clean stop.
            final int exitCode = cluster.node(id).awaitExit(WAIT_TIMEOUT_MS);
            assertTrue(exitCode == 0 || exitCode == SIGTERM_EXIT_CODE,
                "member " + id + " exit code after SIGTERM: " + exitCode + " (-1: still running)");
        }
    }

    private void verifyDeliveredLogs() throws IOException
    {
        final List<String> reference = cluster.deliveredLog(0);
        for (int id = 1; id < MEMBERS; id++)
        {
            final List<String> log = cluster.deliveredLog(id);
            final int common = Math.min(reference.size(), log.size());
            for (int i = 0; i < common; i++)
            {
                if (!reference.get(i).equals(log.get(i)))
                {
                    fail("delivered logs of members 0 and " + id + " differ at line " + (i + 1) + ": '" +
                        reference.get(i) + "' vs '" + log.get(i) + "'");
                }
            }
            assertEquals(reference.size(), log.size(), "lines in the delivered logs of members 0 and " + id);
        }

        final LongHashSet seen = new LongHashSet();
        long previousSequence = 0;
        long outOfOrder = 0;
        long ackedLater = 0;
        for (int i = 0; i < reference.size(); i++)
        {
            final String[] fields = reference.get(i).split(" ");
            assertEquals(3, fields.length, "line " + (i + 1) + ": '" + reference.get(i) + "'");
            final long slot = Long.parseLong(fields[0]);
            final long clientId = Long.parseLong(fields[1]);
            final long sequence = Long.parseLong(fields[2]);
            assertEquals(CLIENT_ID, clientId, "line " + (i + 1) + ": the only client");
            assertTrue(seen.add(sequence), "sequence " + sequence + " delivered twice, again at line " + (i + 1));
            final long ackedSlot = slotBySequence.get(sequence);
            assertTrue(ackedSlot != -1, "sequence " + sequence + " delivered (line " + (i + 1) + ") but never acked");
            // A command resent after a leader change can be chosen again in a later slot, which the
            // ack then names; replicas apply it at its first slot and skip the copy.
            assertTrue(slot <= ackedSlot, "sequence " + sequence + " delivered in slot " + slot +
                ", after the slot " + ackedSlot + " its ack named");
            ackedLater += slot < ackedSlot ? 1 : 0;
            outOfOrder += sequence < previousSequence ? 1 : 0;
            previousSequence = sequence;
        }
        assertEquals(acks, seen.size(), "acked commands in the delivered log");
        assertEquals(0, errors, "commands rejected");
        System.out.printf("delivered logs: %d lines, identical on %d members, each of the %d acked commands once " +
            "(%d delivered before a lower sequence, %d acked with a later slot than delivered); client resends %d%n",
            reference.size(), MEMBERS, acks, outOfOrder, ackedLater, client.resends());
    }

    private static void printFigures(final String name, final long[] valuesNs)
    {
        if (valuesNs.length == 0)
        {
            return;
        }
        final long[] sorted = valuesNs.clone();
        Arrays.sort(sorted);
        final StringBuilder each = new StringBuilder();
        for (final long value : valuesNs)
        {
            each.append(each.length() > 0 ? ", " : "").append(String.format("%.1f", ms(value)));
        }
        System.out.printf("%s, ms: median %.1f, p90 %.1f, max %.1f; each: [%s]%n", name,
            ms(percentile(sorted, 50)), ms(percentile(sorted, 90)), ms(sorted[sorted.length - 1]), each);
    }

    /**
     * Nearest rank on sorted values.
     */
    private static long percentile(final long[] sorted, final int percent)
    {
        final int rank = (int)Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static double ms(final long ns)
    {
        return ns / 1e6;
    }
}
