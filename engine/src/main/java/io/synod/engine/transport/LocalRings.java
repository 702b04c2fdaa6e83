package io.synod.engine.transport;

import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * The inbound ring buffers of one node's roles: each role reads its own, any other role of the node
 * may write to it (many-to-one). They carry the same SBE messages the network does. Created once per
 * node; thread-safe as Agrona's ring buffers are.
 */
public final class LocalRings
{
    public static final int MESSAGE_TYPE_ID = 1;

    private final RingBuffer acceptor;
    private final RingBuffer leader;
    private final RingBuffer learner;

    public LocalRings(final int capacityBytes)
    {
        acceptor = newRing(capacityBytes);
        leader = newRing(capacityBytes);
        learner = newRing(capacityBytes);
    }

    public RingBuffer acceptor()
    {
        return acceptor;
    }

    public RingBuffer leader()
    {
        return leader;
    }

    public RingBuffer learner()
    {
        return learner;
    }

    private static RingBuffer newRing(final int capacityBytes)
    {
        final int length = capacityBytes + org.agrona.concurrent.ringbuffer.RingBufferDescriptor.TRAILER_LENGTH;
        return new ManyToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(length)));
    }
}
