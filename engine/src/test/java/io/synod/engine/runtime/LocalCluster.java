package io.synod.engine.runtime;

import io.synod.engine.protocol.DeliveryHandler;
import org.agrona.IoUtil;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * Test helper: N nodes in this JVM on loopback, each with its own data and Aeron directory, and the
 * delivered log of each recorded. Closes and deletes everything.
 */
final class LocalCluster implements AutoCloseable
{
    final String members;
    final Path baseDir;
    final List<SynodNode> nodes = new ArrayList<>();
    final List<List<long[]>> delivered = new ArrayList<>();
    private final String aeronBase;

    LocalCluster(final int size, final Path baseDir, final IntFunction<NodeContext> customize)
    {
        this.baseDir = baseDir;
        this.aeronBase = "/dev/shm/synod-test-" + UUID.randomUUID();
        final int[] ports = freeUdpPorts(size);
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size; i++)
        {
            sb.append(i > 0 ? "," : "").append(i).append("=127.0.0.1:").append(ports[i]);
        }
        members = sb.toString();
        for (int i = 0; i < size; i++)
        {
            delivered.add(Collections.synchronizedList(new ArrayList<>()));
            nodes.add(null);
        }
        for (int i = 0; i < size; i++)
        {
            start(i, customize);
        }
    }

    void start(final int member, final IntFunction<NodeContext> customize)
    {
        final List<long[]> log = delivered.get(member);
        log.clear();
        final DeliveryHandler handler = (slot, clientId, sequence, buffer, offset, length) ->
            log.add(new long[]{ slot, clientId, sequence });
        final NodeContext ctx = customize.apply(member)
            .memberId(member)
            .members(members)
            .directory(baseDir)
            .aeronDirectoryName(aeronBase + "-" + member)
            .deliveryHandler(handler);
        nodes.set(member, SynodNode.launch(ctx, null));
    }

    void stop(final int member)
    {
        final SynodNode node = nodes.get(member);
        if (node != null)
        {
            node.close();
            nodes.set(member, null);
        }
    }

    int leader()
    {
        for (final SynodNode node : nodes)
        {
            if (node != null && node.roleCode() == 2)
            {
                return node.memberId();
            }
        }
        return -1;
    }

    public void close()
    {
        for (int i = 0; i < nodes.size(); i++)
        {
            stop(i);
        }
        for (int i = 0; i < nodes.size(); i++)
        {
            IoUtil.delete(new File(aeronBase + "-" + i), true);
        }
    }

    static int[] freeUdpPorts(final int count)
    {
        return LoopbackPorts.freeUdpPorts(count);
    }

    static void deleteRecursively(final File file)
    {
        IoUtil.delete(file, true);
    }
}
