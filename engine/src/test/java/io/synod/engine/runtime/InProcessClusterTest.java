package io.synod.engine.runtime;

import io.synod.client.ClientContext;
import io.synod.client.EgressListener;
import io.synod.client.SynodClient;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three nodes in one JVM (SHARED threading: one thread each), a client over UDP loopback: every
 * acknowledged command is delivered once, in the same order, by every replica.
 */
class InProcessClusterTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void threeNodesAgreeOnEveryAcknowledgedCommand()
    {
        final int commands = 2_000;
        try (LocalCluster cluster = new LocalCluster(3, dir, member -> new NodeContext().durability("PAGE_CACHE")))
        {
            final List<long[]> acks = new ArrayList<>();
            final EgressListener listener = (sequence, slot) -> acks.add(new long[]{ sequence, slot });
            try (SynodClient client = SynodClient.connect(
                new ClientContext().members(cluster.members).clientId(42).aeronDirectoryName(
                    "/dev/shm/synod-test-client-" + System.nanoTime()), listener))
            {
                final UnsafeBuffer payload = new UnsafeBuffer(new byte[32]);
                long sent = 0;
                final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
                while (acks.size() < commands)
                {
                    assertTrue(System.nanoTime() < deadlineNs, "acked " + acks.size() + " of " + commands);
                    if (sent < commands)
                    {
                        payload.putLong(0, sent);
                        if (client.offer(payload, 0, 32) > 0)
                        {
                            sent++;
                        }
                    }
                    client.poll();
                }
            }

            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (int i = 0; i < 3; i++)
            {
                while (cluster.delivered.get(i).size() < commands)
                {
                    assertTrue(System.nanoTime() < deadlineNs, "member " + i + " delivered " +
                        cluster.delivered.get(i).size());
                    Thread.onSpinWait();
                }
            }
            for (int i = 1; i < 3; i++)
            {
                final List<long[]> a = new ArrayList<>(cluster.delivered.get(0));
                final List<long[]> b = new ArrayList<>(cluster.delivered.get(i));
                assertEquals(a.size(), b.size());
                for (int k = 0; k < a.size(); k++)
                {
                    assertEquals(a.get(k)[0], b.get(k)[0], "slot at " + k);
                    assertEquals(a.get(k)[2], b.get(k)[2], "sequence at " + k);
                }
            }
            // Each sequence exactly once. Not necessarily in sequence order: a command resent after
            // a redirect can be chosen after a later one.
            final boolean[] seen = new boolean[commands + 1];
            for (final long[] delivery : new ArrayList<>(cluster.delivered.get(0)))
            {
                assertEquals(42, delivery[1]);
                assertTrue(!seen[(int)delivery[2]], "sequence " + delivery[2] + " delivered twice");
                seen[(int)delivery[2]] = true;
            }
            assertEquals(commands, cluster.delivered.get(0).size());
            System.out.println("in-process cluster: " + commands + " commands in slots 0.." +
                cluster.delivered.get(0).get(commands - 1)[0] + ", leader elections " +
                cluster.nodes.stream().mapToLong(n -> n.counters().elections.get()).sum());
        }
    }
}
