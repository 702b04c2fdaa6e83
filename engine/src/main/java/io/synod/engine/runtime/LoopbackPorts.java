package io.synod.engine.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Free UDP ports on loopback, for a demo or a test cluster on one host: each is bound at once (so the
 * ports differ) and released together. Another process may still take one before it is used; a node
 * that then fails to bind says so and leaves nothing behind. Stateless.
 */
public final class LoopbackPorts
{
    private LoopbackPorts()
    {
    }

    public static int[] freeUdpPorts(final int count)
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
            throw new UncheckedIOException("no free UDP port on loopback", ex);
        }
        finally
        {
            sockets.forEach(DatagramSocket::close);
        }
        return ports;
    }
}
