package io.synod.tools;

import io.synod.client.ClientContext;
import io.synod.client.EgressListener;
import io.synod.client.SynodClient;
import io.synod.engine.runtime.NodeContext;
import io.synod.engine.runtime.SynodNode;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code synod demo}: a sequencer fan-in. Several producers offer commands to an embedded 3-replica
 * cluster; the cluster turns them into one ordered stream that every replica delivers. Prints
 * throughput, latency percentiles and whether every replica delivered the identical sequence.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Sequencer fan-in: producers -> embedded 3-replica cluster -> one ordered stream; " +
        "exits 1 if any replica delivered a different sequence.")
public final class DemoCommand implements java.util.concurrent.Callable<Integer>
{
    private static final int REPLICAS = 3;

    @Option(names = "--producers", defaultValue = "2", description = "producer threads, one client each (default ${DEFAULT-VALUE})")
    int producers;

    @Option(names = "--seconds", defaultValue = "5", description = "how long producers offer (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--payload", defaultValue = "32", description = "payload bytes (default ${DEFAULT-VALUE})")
    int payloadBytes;

    @Option(names = "--in-flight", defaultValue = "64", description = "commands in flight per producer (default ${DEFAULT-VALUE}, max 1024)")
    int inFlight;

    @Option(names = "--durability", defaultValue = "PAGE_CACHE", description = "SYNC or PAGE_CACHE (default ${DEFAULT-VALUE})")
    String durability;

    @Option(names = "--dir", description = "data directory (default: a temporary one, deleted afterwards)")
    Path dir;

    /**
     * What one replica delivered, folded into a count and an order-sensitive hash.
     */
    static final class DeliveredDigest
    {
        volatile long count;
        volatile long hash = 17;

        void add(final long slot, final long clientId, final long sequence)
        {
            long h = hash;
            h = h * 31 + slot;
            h = h * 31 + clientId;
            h = h * 31 + sequence;
            hash = h;
            count = count + 1;
        }
    }

    public Integer call() throws Exception
    {
        final boolean temporary = dir == null;
        final Path dataDir = temporary ? Files.createTempDirectory("synod-demo") : dir;
        final String members = members(freeUdpPorts(REPLICAS));
        final String aeronBase = "/dev/shm/synod-demo-" + ProcessHandle.current().pid();
        final List<SynodNode> nodes = new ArrayList<>();
        final DeliveredDigest[] digests = new DeliveredDigest[REPLICAS];
        final List<Producer> producerList = new ArrayList<>();

        System.out.printf("synod demo: %d producers -> %d replicas in one process, payload %d B, in flight <= %d per " +
            "producer, durability %s, threading SHARED, idle yielding, batching natural (<= 1024 commands / 16 KiB " +
            "per slot, <= 32 slots per Accept), %d s%n",
            producers, REPLICAS, payloadBytes, inFlight, durability, seconds);
        try
        {
            for (int id = 0; id < REPLICAS; id++)
            {
                final DeliveredDigest digest = new DeliveredDigest();
                digests[id] = digest;
                nodes.add(SynodNode.launch(new NodeContext()
                    .memberId(id).members(members).directory(dataDir).durability(durability)
                    .aeronDirectoryName(aeronBase + "-" + id)
                    .deliveryHandler((slot, clientId, sequence, buffer, offset, length) ->
                        digest.add(slot, clientId, sequence)), null));
            }

            final AtomicBoolean running = new AtomicBoolean(true);
            for (int i = 0; i < producers; i++)
            {
                producerList.add(new Producer(i + 1, members, aeronBase + "-client-" + i, running));
            }
            producerList.forEach(Producer::start);
            final long startNs = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            running.set(false);
            for (final Producer producer : producerList)
            {
                producer.join();
            }
            final long elapsedNs = System.nanoTime() - startNs;

            long acked = 0;
            final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            for (final Producer producer : producerList)
            {
                if (producer.failure != null)
                {
                    throw producer.failure;
                }
                acked += producer.acked;
                latency.add(producer.histogram);
            }

            // Every replica must deliver every acknowledged command; wait for the slowest.
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (final DeliveredDigest digest : digests)
            {
                while (digest.count < acked && System.nanoTime() < deadlineNs)
                {
                    Thread.sleep(1);
                }
            }

            final double secondsElapsed = elapsedNs / 1e9;
            System.out.printf("throughput: %,.0f commands/s, %.2f MB/s (%,d commands acknowledged in %.2f s)%n",
                acked / secondsElapsed, acked * (double)payloadBytes / secondsElapsed / 1e6, acked, secondsElapsed);
            System.out.printf("latency offer->ack (us): p50=%.1f p99=%.1f p99.9=%.1f max=%.1f (%,d samples)%n",
                latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(99) / 1e3,
                latency.getValueAtPercentile(99.9) / 1e3, latency.getMaxValue() / 1e3, latency.getTotalCount());

            int differing = -1;
            for (int id = 1; id < REPLICAS; id++)
            {
                if (digests[id].count != digests[0].count || digests[id].hash != digests[0].hash)
                {
                    differing = id;
                }
            }
            if (digests[0].count < acked)
            {
                System.out.println("replicas: replica 0 delivered " + digests[0].count + " of " + acked +
                    " acknowledged commands");
                return 1;
            }
            if (differing >= 0)
            {
                System.out.println("replicas: replica " + differing + " differs (delivered " +
                    digests[differing].count + ", hash " + Long.toHexString(digests[differing].hash) +
                    " vs replica 0: " + digests[0].count + ", " + Long.toHexString(digests[0].hash) + ")");
                return 1;
            }
            System.out.println("replicas: identical (" + REPLICAS + " replicas delivered the same " +
                digests[0].count + " commands in the same order)");
            return 0;
        }
        finally
        {
            for (final Producer producer : producerList)
            {
                producer.interrupt();
                producer.join(5000);
            }
            CloseHelper.quietCloseAll(nodes);
            if (temporary)
            {
                deleteRecursively(dataDir.toFile());
            }
        }
    }

    private final class Producer extends Thread
    {
        final long clientId;
        final String members;
        final String aeronDir;
        final AtomicBoolean running;
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final long[] sentNs = new long[1024];
        volatile long acked;
        volatile Exception failure;

        Producer(final long clientId, final String members, final String aeronDir, final AtomicBoolean running)
        {
            super("synod-demo-producer-" + clientId);
            this.clientId = clientId;
            this.members = members;
            this.aeronDir = aeronDir;
            this.running = running;
        }

        public void run()
        {
            final EgressListener listener = (sequence, slot) ->
            {
                histogram.recordValue(Math.min(System.nanoTime() - sentNs[(int)(sequence & 1023)],
                    histogram.getHighestTrackableValue()));
                acked++;
            };
            try (SynodClient client = SynodClient.connect(new ClientContext()
                .members(members).clientId(clientId).aeronDirectoryName(aeronDir).maxInFlight(inFlight)
                .maxPayloadBytes(Math.max(payloadBytes, 8)), listener))
            {
                final UnsafeBuffer payload = new UnsafeBuffer(new byte[Math.max(payloadBytes, 8)]);
                while (running.get())
                {
                    final long now = System.nanoTime();
                    payload.putLong(0, now);
                    final long sequence = client.offer(payload, 0, payloadBytes);
                    if (sequence > 0)
                    {
                        sentNs[(int)(sequence & 1023)] = now;
                    }
                    if (client.poll() == 0 && sequence <= 0)
                    {
                        Thread.yield();
                    }
                }
                final long drainDeadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (client.inFlight() > 0 && System.nanoTime() < drainDeadlineNs)
                {
                    if (client.poll() == 0)
                    {
                        Thread.yield();
                    }
                }
            }
            catch (final Exception ex)
            {
                failure = ex;
            }
        }
    }

    static String members(final int[] ports)
    {
        final StringBuilder sb = new StringBuilder();
        for (int id = 0; id < ports.length; id++)
        {
            sb.append(id > 0 ? "," : "").append(id).append("=127.0.0.1:").append(ports[id]);
        }
        return sb.toString();
    }

    static int[] freeUdpPorts(final int count)
    {
        final int[] ports = new int[count];
        final List<DatagramSocket> sockets = new ArrayList<>();
        try
        {
            for (int i = 0; i < count; i++)
            {
                final DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        finally
        {
            sockets.forEach(DatagramSocket::close);
        }
        return ports;
    }

    static void deleteRecursively(final File file)
    {
        final File[] children = file.listFiles();
        if (children != null)
        {
            for (final File child : children)
            {
                deleteRecursively(child);
            }
        }
        file.delete();
    }
}
