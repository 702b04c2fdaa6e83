package io.synod.engine.runtime;

import io.synod.client.ClientContext;
import io.synod.client.SynodClient;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Session lifetime: a client opens a session at every member, closing it removes it everywhere, and
 * a client that vanishes without closing loses its sessions after the session timeout. A bad request
 * gets an error with a code and text, and the node keeps serving.
 */
class ClientSessionTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void sessionsOpenCloseAndExpire()
    {
        try (LocalCluster cluster = new LocalCluster(3, dir, member -> new NodeContext().durability("PAGE_CACHE")
            .sessionTimeoutNs(TimeUnit.SECONDS.toNanos(2))))
        {
            final LongSupplier sessions = () -> cluster.nodes.stream()
                .mapToLong(node -> node.counters().clientSessions.get()).sum();

            final SynodClient closing = connect(cluster, 1);
            SynodClient vanishing = null;
            try
            {
                awaitValue(sessions, 3, "one session at each member", closing);
                final List<String> errors = new ArrayList<>();
                vanishing = SynodClient.connect(clientContext(cluster, 2).maxPayloadBytes(64 * 1024),
                    new io.synod.client.EgressListener()
                    {
                        public void onAck(final long sequence, final long slot)
                        {
                        }

                        public void onError(final long sequence, final String code, final String text)
                        {
                            errors.add(code + ": " + text);
                        }
                    });
                awaitValue(sessions, 6, "two clients at each member", closing, vanishing);

                // Larger than a slot may hold (16 KiB by default): rejected with a code and text.
                assertTrue(vanishing.offer(new UnsafeBuffer(new byte[20_000]), 0, 20_000) > 0);
                final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (errors.isEmpty())
                {
                    assertTrue(System.nanoTime() < deadlineNs, "no error for an oversized command");
                    vanishing.poll();
                    closing.poll();
                }
                assertTrue(errors.get(0).startsWith("PAYLOAD_TOO_LARGE: "), errors.get(0));

                closing.close();
                awaitValue(sessions, 3, "closed session removed everywhere", vanishing);

                // The other client stops polling: no keep-alive, so its sessions expire. Its own
                // driver is closed only afterwards, so nothing tells the members it went away.
                awaitValue(sessions, 0, "idle sessions expired");
            }
            finally
            {
                // Also on a failed assertion: each client owns an embedded driver and its directory.
                org.agrona.CloseHelper.quietCloseAll(closing, vanishing);
            }
        }
    }

    private static SynodClient connect(final LocalCluster cluster, final long clientId)
    {
        return SynodClient.connect(clientContext(cluster, clientId), (sequence, slot) -> {});
    }

    private static ClientContext clientContext(final LocalCluster cluster, final long clientId)
    {
        return new ClientContext().members(cluster.members).clientId(clientId)
            .aeronDirectoryName("/dev/shm/synod-test-client-" + clientId + "-" + System.nanoTime());
    }

    private static void awaitValue(
        final LongSupplier value, final long expected, final String what, final SynodClient... polled)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (value.getAsLong() != expected)
        {
            assertTrue(System.nanoTime() < deadlineNs, what + ": expected " + expected + ", got " + value.getAsLong());
            for (final SynodClient client : polled)
            {
                client.poll();
            }
            Thread.onSpinWait();
        }
        assertEquals(expected, value.getAsLong());
    }
}
