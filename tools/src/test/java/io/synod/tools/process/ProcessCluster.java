package io.synod.tools.process;

import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Replicas in child JVMs on loopback, on free UDP ports, each with its own Aeron directory under
 * {@code /dev/shm}. Owned by the test thread; {@link #close()} kills every child, whatever state the
 * test left them in, and removes the Aeron directories.
 */
final class ProcessCluster implements AutoCloseable
{
    private final NodeProcess[] nodes;
    private final String members;
    private final Thread killOnExit;

    ProcessCluster(final int size, final Path dir, final String durability) throws IOException
    {
        final int[] ports = freeUdpPorts(size);
        final StringBuilder sb = new StringBuilder();
        for (int id = 0; id < size; id++)
        {
            sb.append(id > 0 ? "," : "").append(id).append("=127.0.0.1:").append(ports[id]);
        }
        members = sb.toString();

        final Path dataDir = Files.createDirectories(dir.resolve("data"));
        final String aeronBase = "/dev/shm/synod-proc-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        nodes = new NodeProcess[size];
        for (int id = 0; id < size; id++)
        {
            nodes[id] = new NodeProcess(id, members, dataDir, dir, aeronBase + "-member-" + id, durability);
        }
        // If the test JVM itself is torn down (fork timeout, Ctrl-C), its children must not outlive it.
        killOnExit = new Thread(() ->
        {
            for (final NodeProcess node : nodes)
            {
                node.destroyForcibly();
            }
        }, "kill-synod-children");
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

    NodeProcess node(final int memberId)
    {
        return nodes[memberId];
    }

    void startAll() throws IOException
    {
        for (final NodeProcess node : nodes)
        {
            node.start();
        }
    }

    void pollRunning(final long nowNs)
    {
        for (final NodeProcess node : nodes)
        {
            node.pollRunning(nowNs);
        }
    }

    boolean allRunning()
    {
        for (final NodeProcess node : nodes)
        {
            if (!node.isRunning())
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the one running member whose role counter says leader, or -1 if none or more than one.
     */
    int leader()
    {
        int leader = -1;
        for (final NodeProcess node : nodes)
        {
            if (node.isRunning() && node.role() == NodeProcess.LEADER)
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
        for (final NodeProcess node : nodes)
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

    void printOutputs(final PrintStream out)
    {
        for (final NodeProcess node : nodes)
        {
            node.printOutputs(out);
        }
    }

    public void close()
    {
        for (final NodeProcess node : nodes)
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
     * Ports the kernel hands out for 127.0.0.1, all held at once so they are distinct. Another process
     * may take one between here and the child's bind; unlikely enough for a test.
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
