package io.synod.tools.lin;

import io.synod.client.ClientContext;
import io.synod.client.SynodClient;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Jepsen-style linearizability test of the replicated log as a key-value store: three replicas in three JVMs on
 * loopback, several clients in this JVM each running one register operation (put, get, compare-and-set on a few
 * keys) at a time, each operation one command in the log, while a nemesis SIGKILLs and restarts the leader, SIGKILLs
 * and restarts a follower, and freezes a member with SIGSTOP for a second.
 * <p>
 * Synod is a sequencer, so operation outputs come from the log: after the run every member stops with SIGTERM, the
 * delivered logs must be identical, and the log is replayed through a map of registers to give each acknowledged
 * get its value and each acknowledged compare-and-set its result, at the position where the command was applied
 * ({@link LogReplay}). The resulting history (invoked at the offer, answered at the acknowledgement; never
 * acknowledged = unknown) must be linearizable by {@link LinearizabilityChecker}: that holds only if the log order
 * respects real time and every acknowledged command is applied exactly once.
 * <p>
 * {@code -Dsynod.lin.runs=N} runs N independent histories (default 1); {@code -Dsynod.lin.duration.ms} sets the
 * workload time per run (default 60 s; it goes on, to at most twice that, until {@code -Dsynod.lin.min.ops}, default
 * 1000, operations are done); {@code -Dsynod.lin.clients} (default 4), {@code -Dsynod.lin.durability} (SYNC or
 * PAGE_CACHE, default SYNC) and {@code -Dsynod.lin.seed} (printed) set the rest.
 */
class ProcessLinearizabilityTest
{
    private static final int RUNS = Integer.getInteger("synod.lin.runs", 1);
    private static final long DURATION_MS = Long.getLong("synod.lin.duration.ms", 60_000);
    private static final long MAX_DURATION_MS = 2 * DURATION_MS;
    private static final long MIN_OPS = Long.getLong("synod.lin.min.ops", 1000);
    private static final int CLIENTS = Integer.getInteger("synod.lin.clients", 4);
    private static final String DURABILITY = System.getProperty("synod.lin.durability", "SYNC");
    private static final long SEED = Long.getLong("synod.lin.seed", System.nanoTime());
    private static final int MEMBERS = 3;
    private static final String[] KEYS = {"k0", "k1", "k2", "k3", "k4"};
    private static final int MAX_IN_FLIGHT = 16;
    /** A client waits this long for an acknowledgement before the operation becomes unknown. */
    private static final long GIVE_UP_MS = 500;
    private static final long FAULT_DOWN_MS = 1_000;
    private static final long FAULT_GAP_MIN_MS = 1_500;
    private static final long FAULT_GAP_MAX_MS = 3_500;
    private static final long WAIT_TIMEOUT_MS = 30_000;
    private static final int SIGTERM_EXIT_CODE = 143;

    @TempDir
    Path dir;

    private ReplicaCluster cluster;
    private final List<SynodClient> clients = new ArrayList<>();
    private final List<String> clientAeronDirs = new ArrayList<>();
    private final List<KvWorkloadClient> workloads = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private Nemesis nemesis;

    static IntStream runs()
    {
        return IntStream.rangeClosed(1, RUNS);
    }

    @AfterEach
    void tearDown() throws InterruptedException
    {
        if (nemesis != null)
        {
            nemesis.stop = true;
        }
        for (final KvWorkloadClient workload : workloads)
        {
            workload.stopOffering();
        }
        for (final Thread thread : threads)
        {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        CloseHelper.quietCloseAll(clients);
        for (final String aeronDir : clientAeronDirs)
        {
            IoUtil.delete(new File(aeronDir), true);
        }
        CloseHelper.quietClose(cluster);
    }

    @ParameterizedTest(name = "run {0}")
    @MethodSource("runs")
    @Timeout(value = 360, unit = TimeUnit.SECONDS)
    void shouldBeLinearizableWhileMembersAreKilledRestartedAndPaused(final int run) throws Exception
    {
        final long seed = SEED + run;
        System.out.printf("ProcessLinearizabilityTest run %d: seed %d (-Dsynod.lin.seed=%d), %d clients, %d keys, " +
            "durability %s%n", run, seed, SEED, CLIENTS, KEYS.length, DURABILITY);
        cluster = new ReplicaCluster(MEMBERS, dir, DURABILITY);
        try
        {
            cluster.startAll();
            ReplicaCluster.await(cluster::allRunning, WAIT_TIMEOUT_MS, () -> "all members running");
            ReplicaCluster.await(() -> cluster.leader() >= 0, WAIT_TIMEOUT_MS, () -> "leader");

            final AtomicLong completedOps = new AtomicLong();
            final AtomicReferenceArray<String> lastWritten = new AtomicReferenceArray<>(KEYS.length);
            for (int c = 1; c <= CLIENTS; c++)
            {
                final String aeronDir = "/dev/shm/synod-lin-test-client-" + ProcessHandle.current().pid() + "-" +
                    System.nanoTime() + "-" + c;
                clientAeronDirs.add(aeronDir);
                final KvWorkloadClient[] holder = new KvWorkloadClient[1];
                final SynodClient client = SynodClient.connect(new ClientContext()
                    .members(cluster.members())
                    .clientId(c)
                    .maxInFlight(MAX_IN_FLIGHT)
                    .maxPayloadBytes(KvWorkloadClient.PAYLOAD_BYTES)
                    .aeronDirectoryName(aeronDir), new ForwardingListener(holder));
                clients.add(client);
                holder[0] = new KvWorkloadClient(c, client, KEYS, lastWritten, completedOps,
                    TimeUnit.MILLISECONDS.toNanos(GIVE_UP_MS), TimeUnit.MILLISECONDS.toNanos(WAIT_TIMEOUT_MS),
                    seed * 31 + c);
                workloads.add(holder[0]);
            }

            final long startNs = System.nanoTime();
            nemesis = new Nemesis(completedOps, startNs, new SplittableRandom(seed));
            for (final KvWorkloadClient workload : workloads)
            {
                threads.add(new Thread(workload, "lin-client-" + workload.clientId()));
            }
            threads.add(new Thread(nemesis, "lin-nemesis"));
            threads.forEach(Thread::start);

            final Thread nemesisThread = threads.get(threads.size() - 1);
            nemesisThread.join(MAX_DURATION_MS + 4 * WAIT_TIMEOUT_MS);
            assertTrue(!nemesisThread.isAlive(), "nemesis still running");
            for (final KvWorkloadClient workload : workloads)
            {
                workload.stopOffering();
            }
            for (final Thread thread : threads)
            {
                thread.join(2 * WAIT_TIMEOUT_MS);
                assertTrue(!thread.isAlive(), thread.getName() + " still running");
            }
            final long workloadNs = System.nanoTime() - startNs;
            if (nemesis.failure != null)
            {
                throw new AssertionError("nemesis failed", nemesis.failure);
            }
            for (final KvWorkloadClient workload : workloads)
            {
                if (workload.failure() != null)
                {
                    throw new AssertionError("client " + workload.clientId() + " failed", workload.failure());
                }
                assertEquals(0, workload.inFlight(), "client " + workload.clientId() + ": commands never acked");
            }

            final List<List<KvWorkloadClient.ClientOp>> ops = new ArrayList<>();
            long maxAckSlot = -1;
            for (final KvWorkloadClient workload : workloads)
            {
                ops.add(workload.ops());
                for (final KvWorkloadClient.ClientOp op : workload.ops())
                {
                    maxAckSlot = Math.max(maxAckSlot, op.ackSlot);
                }
            }
            final long lastAckSlot = maxAckSlot;
            final long[] slot = new long[1];
            ReplicaCluster.await(() ->
            {
                slot[0] = cluster.allRunning() ? cluster.node(0).deliveredSlot() : -1;
                return slot[0] > lastAckSlot && cluster.allDeliveredExactlyTo(slot[0]);
            }, WAIT_TIMEOUT_MS, () -> "every member delivered the same slots, past slot " + lastAckSlot);
            stopAllCleanly();
            final List<String> log = identicalDeliveredLogs();

            final LogReplay replay = new LogReplay(log, ops);
            final History history = replay.history();
            final long checkStartNs = System.nanoTime();
            final LinearizabilityChecker.Result result = new LinearizabilityChecker().check(history);
            final long checkNs = System.nanoTime() - checkStartNs;

            report(run, workloadNs, log.size(), replay, history, result, checkNs);
            if (replay.anomalyCount() > 0)
            {
                fail(replay.anomalyCount() + " anomalies in the delivered log:" + System.lineSeparator() +
                    String.join(System.lineSeparator(), replay.anomalies()));
            }
            assertEquals(LinearizabilityChecker.Verdict.OK, result.verdict(), result::details);
            assertTrue(history.size() >= MIN_OPS, "operations: " + history.size() + " < " + MIN_OPS);
        }
        catch (final Throwable t)
        {
            System.out.println("ProcessLinearizabilityTest run " + run + " failed: " + t + "; seed " + seed +
                ", members " + cluster.members() + "; output of every member follows");
            cluster.printOutputs(System.out);
            throw t;
        }
    }

    private void report(
        final int run,
        final long workloadNs,
        final int logLines,
        final LogReplay replay,
        final History history,
        final LinearizabilityChecker.Result result,
        final long checkNs)
    {
        int ok = 0;
        int unknown = 0;
        int failed = 0;
        final int[] byKind = new int[Operation.Kind.values().length];
        for (final Operation op : history.operations())
        {
            ok += op.outcome() == Operation.Outcome.OK ? 1 : 0;
            unknown += op.outcome() == Operation.Outcome.UNKNOWN ? 1 : 0;
            failed += op.outcome() == Operation.Outcome.FAIL ? 1 : 0;
            byKind[op.input().kind().ordinal()]++;
        }
        long lateAcks = 0;
        long resends = 0;
        long rejections = 0;
        for (final KvWorkloadClient workload : workloads)
        {
            lateAcks += workload.lateAcks();
            resends += workload.resends();
            rejections += workload.offerRejections();
        }
        long steps = 0;
        final StringBuilder perKey = new StringBuilder();
        for (final LinearizabilityChecker.PartitionResult partition : result.partitions())
        {
            steps += partition.steps();
            perKey.append(perKey.length() > 0 ? ", " : "").append(partition.key()).append(": ")
                .append(partition.operationCount()).append(" ops/").append(partition.steps()).append(" steps ")
                .append(partition.verdict());
        }
        System.out.printf("ProcessLinearizabilityTest run %d: %d operations in %.1f s (%d get, %d put, %d cas): " +
            "%d ok, %d unknown (%d of them in the log, %d acked after the client gave up), %d failed; " +
            "offers refused %d, client resends %d%n",
            run, history.size(), workloadNs / 1e9, byKind[Operation.Kind.GET.ordinal()],
            byKind[Operation.Kind.PUT.ordinal()], byKind[Operation.Kind.CAS.ordinal()], ok, unknown,
            replay.appliedUnknown(), lateAcks, failed, rejections, resends);
        System.out.printf("  faults: %d (%s)%n", nemesis.faults(), nemesis.summary());
        System.out.printf("  delivered logs: %d lines, identical on %d members after SIGTERM; %d acks named a later " +
            "duplicate slot; %d anomalies%n", logLines, MEMBERS, replay.ackedLater(), replay.anomalyCount());
        System.out.printf("  checker: %s in %.1f ms, %d steps; per key: %s%n", result.verdict(), checkNs / 1e6, steps,
            perKey);
    }

    private void stopAllCleanly() throws InterruptedException
    {
        for (int id = 0; id < MEMBERS; id++)
        {
            cluster.node(id).terminate();
        }
        for (int id = 0; id < MEMBERS; id++)
        {
            final int exitCode = cluster.node(id).awaitExit(WAIT_TIMEOUT_MS);
            assertTrue(exitCode == 0 || exitCode == SIGTERM_EXIT_CODE,
                "member " + id + " exit code after SIGTERM: " + exitCode + " (-1: still running)");
        }
    }

    private List<String> identicalDeliveredLogs() throws IOException
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
        return reference;
    }

    /**
     * Lets the listener be handed to {@link SynodClient#connect} before the workload that owns the client exists.
     */
    private static final class ForwardingListener implements io.synod.client.EgressListener
    {
        private final KvWorkloadClient[] target;

        ForwardingListener(final KvWorkloadClient[] target)
        {
            this.target = target;
        }

        public void onAck(final long sequence, final long slot)
        {
            target[0].onAck(sequence, slot);
        }

        public void onError(final long sequence, final String code, final String text)
        {
            target[0].onError(sequence, code, text);
        }
    }

    private enum Fault
    {
        KILL_LEADER, KILL_FOLLOWER, PAUSE_LEADER, PAUSE_FOLLOWER
    }

    /**
     * Injects one fault at a time, a gap of a few seconds between them, until the workload's time is up and it has
     * done enough operations, then leaves every member running. Owns the cluster while it runs. Sleeping here paces
     * the faults; it waits for no condition.
     */
    private final class Nemesis implements Runnable
    {
        private final AtomicLong completedOps;
        private final long startNs;
        private final SplittableRandom random;
        private final int[] counts = new int[Fault.values().length];
        private final StringBuilder events = new StringBuilder();
        volatile boolean stop;
        volatile Throwable failure;

        Nemesis(final AtomicLong completedOps, final long startNs, final SplittableRandom random)
        {
            this.completedOps = completedOps;
            this.startNs = startNs;
            this.random = random;
        }

        int faults()
        {
            int total = 0;
            for (final int count : counts)
            {
                total += count;
            }
            return total;
        }

        String summary()
        {
            final StringBuilder sb = new StringBuilder();
            for (final Fault fault : Fault.values())
            {
                sb.append(sb.length() > 0 ? ", " : "").append(fault.name().toLowerCase()).append(' ')
                    .append(counts[fault.ordinal()]);
            }
            return sb.append("; ").append(events).toString();
        }

        public void run()
        {
            try
            {
                int next = 0;
                while (!stop && !done())
                {
                    Thread.sleep(random.nextLong(FAULT_GAP_MIN_MS, FAULT_GAP_MAX_MS + 1));
                    if (done())
                    {
                        break;
                    }
                    inject(Fault.values()[next++ % Fault.values().length]);
                }
            }
            catch (final Throwable t)
            {
                failure = t;
            }
        }

        private boolean done()
        {
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            return elapsedMs >= MAX_DURATION_MS || elapsedMs >= DURATION_MS && completedOps.get() >= MIN_OPS;
        }

        private void inject(final Fault fault) throws Exception
        {
            ReplicaCluster.await(() -> cluster.allRunning() && cluster.leader() >= 0, WAIT_TIMEOUT_MS,
                () -> "leader with every member running, before " + fault);
            final int leader = cluster.leader();
            final int follower = (leader + 1 + random.nextInt(MEMBERS - 1)) % MEMBERS;
            final int target = fault == Fault.KILL_LEADER || fault == Fault.PAUSE_LEADER ? leader : follower;
            final ReplicaProcess node = cluster.node(target);
            final long atMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            counts[fault.ordinal()]++;
            events.append(events.length() > 0 ? " " : "").append(atMs).append("ms:")
                .append(fault.name().toLowerCase()).append('(').append(target).append(')');
            if (fault == Fault.KILL_LEADER || fault == Fault.KILL_FOLLOWER)
            {
                node.kill();
                Thread.sleep(FAULT_DOWN_MS);
                node.start();
                ReplicaCluster.await(() -> node.pollRunning(System.nanoTime()), WAIT_TIMEOUT_MS,
                    () -> "member " + target + " running again");
            }
            else
            {
                node.pause();
                try
                {
                    Thread.sleep(FAULT_DOWN_MS);
                }
                finally
                {
                    node.resume();
                }
            }
        }
    }
}
