package io.synod.tools.lin;

import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Replicas in child JVMs on loopback, on free UDP ports, each with its own Aeron directory under {@code /dev/shm}.
 * Owned by one thread at a time, as {@link ReplicaProcess}; {@link #close()} kills every child, whatever state it was
 * left in (paused included), and removes the Aeron directories. A shutdown hook does the killing if the test JVM
 * itself goes down first.
 */
final class ReplicaCluster implements AutoCloseable
{
    /** Between two looks at the children while waiting for one of them: files and counters, not a hot loop. */
    private static final long POLL_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ReplicaProcess[] nodes;
    private final String members;
    private final Thread killOnExit;

    ReplicaCluster(final int size, final Path dir, final String durability) throws IOException
    {
        final int[] ports = freeUdpPorts(size);
        final StringBuilder sb = new StringBuilder();
        for (int id = 0; id < size; id++)
        {
            sb.append(id > 0 ? "," : "").append(id).append("=127.0.0.1:").append(ports[id]);
        }
        members = sb.toString();

        final Path dataDir = Files.createDirectories(dir.resolve("data"));
        final String aeronBase = "/dev/shm/synod-lin-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        nodes = new ReplicaProcess[size];
        for (int id = 0; id < size; id++)
        {
            nodes[id] = new ReplicaProcess(id, members, dataDir, dir, aeronBase + "-member-" + id, durability);
        }
        killOnExit = new Thread(() ->
        {
            for (final ReplicaProcess node : nodes)
            {
                node.destroyForcibly();
            }
        }, "kill-synod-lin-children");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    String members()
    {
        return members;
    }

    int size()
    {
        return nodes.length;
    }

    ReplicaProcess node(final int memberId)
    {
        return nodes[memberId];
    }

    void startAll() throws IOException
    {
        for (final ReplicaProcess node : nodes)
        {
            node.start();
        }
    }

    boolean allRunning()
    {
        final long nowNs = System.nanoTime();
        boolean all = true;
        for (final ReplicaProcess node : nodes)
        {
            all &= node.pollRunning(nowNs);
        }
        return all;
    }

    /**
     * @return the one running, unpaused member whose role counter says leader, or -1 if none or more than one.
     */
    int leader()
    {
        final long nowNs = System.nanoTime();
        int leader = -1;
        for (final ReplicaProcess node : nodes)
        {
            if (node.pollRunning(nowNs) && !node.isPaused() && node.role() == ReplicaProcess.LEADER)
            {
                if (leader >= 0)
                {
                    return -1;
                }
                leader = node.memberId();
            }
        }
        return leader;
    }

    /**
     * @return whether every member runs and has delivered exactly up to {@code slot} (exclusive).
     */
    boolean allDeliveredExactlyTo(final long slot)
    {
        for (final ReplicaProcess node : nodes)
        {
            if (!node.isRunning() || node.deliveredSlot() != slot)
            {
                return false;
            }
        }
        return true;
    }

    List<String> deliveredLog(final int memberId) throws IOException
    {
        return Files.readAllLines(nodes[memberId].deliveredLog(), StandardCharsets.US_ASCII);
    }

    /**
     * Polls {@code done} about every millisecond until it holds.
     *
     * @throws IllegalStateException naming {@code what} if it does not hold within the timeout.
     */
    static void await(final BooleanSupplier done, final long timeoutMs, final Supplier<String> what)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!done.getAsBoolean())
        {
            if (System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException("no " + what.get() + " within " + timeoutMs + " ms");
            }
            LockSupport.parkNanos(POLL_INTERVAL_NS);
        }
    }

    void printOutputs(final PrintStream out)
    {
        for (final ReplicaProcess node : nodes)
        {
            node.printOutputs(out);
        }
    }

    public void close()
    {
        for (final ReplicaProcess node : nodes)
        {
            node.close();
        }
        try
        {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        }
        catch (final IllegalStateException ignore)
        {
            // Already shutting down: the hook kills the children itself.
        }
    }

    /**
     * Ports the kernel hands out for 127.0.0.1, all held at once so they are distinct. Another process may take one
     * between here and the child's bind; unlikely enough for a test.
     */
    private static int[] freeUdpPorts(final int count) throws IOException
    {
        final DatagramSocket[] sockets = new DatagramSocket[count];
        final int[] ports = new int[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                sockets[i] = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ports[i] = sockets[i].getLocalPort();
            }
        }
        finally
        {
            for (final DatagramSocket socket : sockets)
            {
                if (socket != null)
                {
                    socket.close();
                }
            }
        }
        return ports;
    }
}
