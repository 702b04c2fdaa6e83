package io.synod.engine.runtime;

import org.agrona.concurrent.ShutdownSignalBarrier;

/**
 * Runs one replica configured only by {@code synod.*} system properties, until SIGINT or SIGTERM:
 * what a benchmark or script starts as a separate process when it has no use for the CLI.
 */
public final class NodeMain
{
    private NodeMain()
    {
    }

    public static void main(final String[] args)
    {
        // The barrier closes last: the JVM's shutdown hook then knows the node is down.
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier())
        {
            try (SynodNode node = SynodNode.launch(new NodeContext()))
            {
                System.out.println("synod member " + node.memberId() + " running");
                barrier.await();
            }
        }
    }
}
