package io.synod.engine.runtime;

import io.synod.client.ClientContext;
import io.synod.client.SynodClient;
import io.synod.engine.log.HookedSegmentFileFactory;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A SYNC cluster in SHARED threading: every force and file creation after launch runs on a member's log
 * syncer thread, never on the thread of its roles, and each agent's duty-cycle counters are registered.
 */
class SyncerAgentTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void forcesRunOnTheSyncerThreadNotOnTheRolesThread()
    {
        final int commands = 500;
        final HookedSegmentFileFactory factory = new HookedSegmentFileFactory();
        final String testThread = Thread.currentThread().getName();
        final List<String> calls;
        try (LocalCluster cluster = new LocalCluster(3, dir,
            member -> new NodeContext().durability("SYNC").threading("SHARED").segmentFileFactory(factory)))
        {
            final int launchCalls = factory.calls.size();
            final List<long[]> acks = new ArrayList<>();
            try (SynodClient client = SynodClient.connect(
                new ClientContext().members(cluster.members).clientId(43).aeronDirectoryName(
                    "/dev/shm/synod-test-client-" + System.nanoTime()), (sequence, slot) -> acks.add(new long[]{ sequence, slot })))
            {
                final UnsafeBuffer payload = new UnsafeBuffer(new byte[100]);
                long sent = 0;
                final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
                while (acks.size() < commands)
                {
                    assertTrue(System.nanoTime() < deadlineNs, "acked " + acks.size() + " of " + commands);
                    if (sent < commands && client.offer(payload, 0, payload.capacity()) > 0)
                    {
                        sent++;
                    }
                    client.poll();
                }
            }
            // Before close, whose last force runs on this thread once the agents stopped.
            calls = List.copyOf(factory.calls.subList(launchCalls, factory.calls.size()));
            assertDutyCycleCounters(cluster.nodes.get(0));
        }

        assertTrue(calls.stream().anyMatch(c -> c.startsWith("force segment") && c.contains("@synod-syncer-")),
            "SYNC replies were forced by the syncers: " + calls);
        for (final String call : calls)
        {
            final String thread = call.substring(call.indexOf('@') + 1);
            assertTrue(thread.startsWith("synod-syncer-"), call + ": not on a syncer thread (test thread " +
                testThread + ")");
        }
    }

    @Test
    void cycleThresholdIsValidatedNamingItsProperty()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new NodeContext().cycleThresholdNs(0).conclude());
        assertTrue(ex.getMessage().contains(NodeContext.CYCLE_THRESHOLD_PROP), ex.getMessage());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(1), new NodeContext().cycleThresholdNs(), "default 1 ms");
    }

    private static void assertDutyCycleCounters(final SynodNode node)
    {
        final CountersReader counters = node.aeron().countersReader();
        final List<String> maxLabels = new ArrayList<>();
        final List<String> overLabels = new ArrayList<>();
        final List<Long> maxValues = new ArrayList<>();
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (typeId == AgentCounters.MAX_CYCLE_NS_TYPE_ID && label.contains("member=" + node.memberId() + ":"))
            {
                maxLabels.add(label);
                maxValues.add(counters.getCounterValue(counterId));
            }
            else if (typeId == AgentCounters.CYCLES_OVER_THRESHOLD_TYPE_ID &&
                label.contains("member=" + node.memberId() + ":"))
            {
                overLabels.add(label);
            }
        });
        for (final String agent : List.of("acceptor", "leader", "learner", "syncer", "shared"))
        {
            assertTrue(maxLabels.stream().anyMatch(l -> l.contains(agent + " max duty cycle ns")),
                agent + " max duty cycle counter: " + maxLabels);
            assertTrue(overLabels.stream().anyMatch(l -> l.contains(agent + " duty cycles over 1000 us")),
                agent + " cycles over threshold counter: " + overLabels);
        }
        assertTrue(maxValues.stream().allMatch(v -> v > 0), "every agent ran and was timed: " + maxValues);
    }
}
