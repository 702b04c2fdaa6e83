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
 * The other threading modes. INVOKER: the application's own thread drives three nodes and a client,
 * and node 0's delivery handler sees every command once, in slot order. DEDICATED: a thread per role
 * and per driver, with a client in the same process that shares node 0's Aeron client and reaches
 * it over IPC.
 */
class ThreadingModesTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void invokerModeDrivenByTheApplicationThread()
    {
        final int commands = 500;
        try (LocalCluster cluster = new LocalCluster(3, dir,
            member -> new NodeContext().threading("INVOKER").durability("PAGE_CACHE")))
        {
            final List<long[]> acks = new ArrayList<>();
            final EgressListener listener = (sequence, slot) -> acks.add(new long[]{ sequence, slot });
            final Runnable driveNodes = () -> cluster.nodes.forEach(SynodNode::doWork);

            final SynodClient client = connectDriving(cluster, new ClientContext()
                .members(cluster.members).clientId(7).aeronDirectoryName("/dev/shm/synod-test-client-" + System.nanoTime()),
                listener, driveNodes);
            try
            {
                final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
                long sent = 0;
                final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
                while (acks.size() < commands || cluster.delivered.get(0).size() < commands)
                {
                    assertTrue(System.nanoTime() < deadlineNs, describe(cluster) + " target " + client.targetMemberId() + " resends " + client.resends() + " acked " + acks.size() + ", delivered " +
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
    void dedicatedModeWithAnInProcessIpcClient()
    {
        final int commands = 500;
        try (LocalCluster cluster = new LocalCluster(3, dir,
            member -> new NodeContext().threading("DEDICATED").idle("backoff").durability("PAGE_CACHE")))
        {
            final List<long[]> acks = new ArrayList<>();
            // The driver and the client conductor of a DEDICATED node run on threads of their own,
            // so an application thread may share the node's Aeron client and reach it over IPC.
            try (SynodClient client = SynodClient.connect(new ClientContext().members(cluster.members).clientId(8)
                .aeron(cluster.nodes.get(0).aeron()).ipcMemberId(0),
                (sequence, slot) -> acks.add(new long[]{ sequence, slot })))
            {
                final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
                long sent = 0;
                final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
                while (acks.size() < commands)
                {
                    assertTrue(System.nanoTime() < deadlineNs, describe(cluster) + " target " +
                        client.targetMemberId() + " acked " + acks.size());
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

    static String describe(final LocalCluster cluster)
    {
        final StringBuilder sb = new StringBuilder();
        for (final SynodNode node : cluster.nodes)
        {
            final NodeCounters c = node.counters();
            sb.append("[member ").append(node.memberId()).append(" role=").append(c.role.get())
                .append(" commands=").append(c.commands.get()).append(" inFlight=").append(c.inFlightSlots.get())
                .append(" chosen=").append(c.chosenWatermark.get()).append(" invalid=").append(c.invalidDropped.get())
                .append(" backPressure=").append(c.backPressure.get()).append(" sessions=").append(c.clientSessions.get())
                .append(" elections=").append(c.elections.get()).append("] ");
        }
        return sb.toString();
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
