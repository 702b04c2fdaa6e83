package io.synod.engine.runtime;

import io.synod.engine.client.ClientContext;
import io.synod.engine.client.EgressListener;
import io.synod.engine.client.SynodClient;
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
 * The other threading modes. INVOKER: the application's own thread drives three nodes and a client
 * that reaches node 0 over Aeron IPC, and node 0's delivery handler sees every command in slot
 * order. DEDICATED: a thread per role and per driver, with a UDP client.
 */
class ThreadingModesTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void invokerModeWithAnInProcessIpcClient()
    {
        final int commands = 500;
        try (LocalCluster cluster = new LocalCluster(3, dir,
            member -> new NodeContext().threading("INVOKER").durability("PAGE_CACHE")))
        {
            final List<long[]> acks = new ArrayList<>();
            final EgressListener listener = (sequence, slot) -> acks.add(new long[]{ sequence, slot });
            final SynodNode local = cluster.nodes.get(0);
            final Runnable driveNodes = () -> cluster.nodes.forEach(SynodNode::doWork);

            final SynodClient client = connectDriving(cluster, new ClientContext()
                .members(cluster.members).clientId(7).aeron(local.aeron()).ipcMemberId(0), listener, driveNodes);
            try
            {
                final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
                long sent = 0;
                final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
                while (acks.size() < commands || cluster.delivered.get(0).size() < commands)
                {
                    assertTrue(System.nanoTime() < deadlineNs, "acked " + acks.size() + ", delivered " +
                        cluster.delivered.get(0).size());
                    if (sent < commands && client.offer(payload, 0, 16) > 0)
                    {
                        sent++;
                    }
                    client.poll();
                    driveNodes.run();
                }
            }
            finally
            {
                client.close();
            }
            long previousSlot = -1;
            final boolean[] seen = new boolean[commands + 1];
            for (int k = 0; k < commands; k++)
            {
                final long[] delivery = cluster.delivered.get(0).get(k);
                assertTrue(delivery[0] >= previousSlot, "slot order");
                previousSlot = delivery[0];
                assertEquals(7, delivery[1]);
                assertTrue(!seen[(int)delivery[2]], "sequence " + delivery[2] + " delivered twice");
                seen[(int)delivery[2]] = true;
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void dedicatedModeWithAUdpClient()
    {
        final int commands = 500;
        try (LocalCluster cluster = new LocalCluster(3, dir,
            member -> new NodeContext().threading("DEDICATED").idle("backoff").durability("PAGE_CACHE")))
        {
            final List<long[]> acks = new ArrayList<>();
            try (SynodClient client = SynodClient.connect(new ClientContext().members(cluster.members).clientId(8)
                .aeronDirectoryName("/dev/shm/synod-test-client-" + System.nanoTime()),
                (sequence, slot) -> acks.add(new long[]{ sequence, slot })))
            {
                final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
                long sent = 0;
                final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
                while (acks.size() < commands)
                {
                    assertTrue(System.nanoTime() < deadlineNs, "acked " + acks.size());
                    if (sent < commands && client.offer(payload, 0, 16) > 0)
                    {
                        sent++;
                    }
                    client.poll();
                }
            }
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (int i = 0; i < 3; i++)
            {
                while (cluster.delivered.get(i).size() < commands)
                {
                    assertTrue(System.nanoTime() < deadlineNs, "member " + i);
                    Thread.onSpinWait();
                }
            }
        }
    }

    /**
     * In INVOKER mode nothing answers unless the application drives the nodes, so open without
     * blocking and drive everything from this thread until the session is up.
     */
    private static SynodClient connectDriving(
        final LocalCluster cluster, final ClientContext ctx, final EgressListener listener, final Runnable drive)
    {
        final SynodClient client = SynodClient.open(ctx, listener);
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!client.isConnected() || cluster.leader() < 0)
        {
            assertTrue(System.nanoTime() < deadlineNs, "not connected, leader " + cluster.leader());
            client.poll();
            drive.run();
        }
        return client;
    }
}
