package io.synod.bench;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.openjdk.jmh.annotations.*;
import org.openjdk.jmh.infra.Control;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Handoff of a {@link #MESSAGE_LENGTH_BYTES}-byte message between roles through an Agrona
 * {@link ManyToOneRingBuffer}, as the node's agents pass decoded traffic to each other. One op is
 * one message.
 * <ul>
 *   <li>{@code writeRead} and {@code claimCommitRead}: one thread writes then reads back, so the
 *   ring is always nearly empty: the cost of the two sides without contention. The read takes all
 *   there is: where the ring wraps, a read stops at the padding record and the next one takes
 *   two messages, as a role's duty cycle would.</li>
 *   <li>{@code handoff}: a producer thread and a consumer thread ({@code @Group}); the group score
 *   is per message of each side. On a 2-core shared machine this one measures the machine too.</li>
 * </ul>
 * Run with {@code -prof gc}: the goal is 0 B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens", "java.base/java.nio=ALL-UNNAMED" })
public class RingBenchmark
{
    static final int MESSAGE_LENGTH_BYTES = 100;
    static final int MESSAGE_TYPE_ID = 1;
    static final int CAPACITY_BYTES = 64 * 1024;

    /**
     * A ring, its source message and a handler; one per thread or one per producer/consumer group.
     */
    public abstract static class RingState
    {
        final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(
            new UnsafeBuffer(ByteBuffer.allocateDirect(CAPACITY_BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
        final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(MESSAGE_LENGTH_BYTES));
        final Handler handler = new Handler();

        @Setup(Level.Trial)
        public void setup()
        {
            for (int i = 0; i < MESSAGE_LENGTH_BYTES; i++)
            {
                message.putByte(i, (byte)i);
            }
        }
    }

    @State(Scope.Thread)
    public static class ThreadRing extends RingState
    {
    }

    @State(Scope.Group)
    public static class GroupRing extends RingState
    {
    }

    /**
     * Reads what a consumer role would: the length and one byte of the payload.
     */
    static final class Handler implements MessageHandler
    {
        long sum;

        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            sum += length + buffer.getByte(index + length - 1);
        }
    }

    @Benchmark
    public long writeRead(final ThreadRing state)
    {
        if (!state.ring.write(MESSAGE_TYPE_ID, state.message, 0, MESSAGE_LENGTH_BYTES))
        {
            throw new IllegalStateException("ring full with one thread");
        }
        state.ring.read(state.handler);
        return state.handler.sum;
    }

    @Benchmark
    public long claimCommitRead(final ThreadRing state)
    {
        final RingBuffer ring = state.ring;
        final int index = ring.tryClaim(MESSAGE_TYPE_ID, MESSAGE_LENGTH_BYTES);
        if (index <= 0)
        {
            throw new IllegalStateException("ring full with one thread");
        }
        ring.buffer().putBytes(index, state.message, 0, MESSAGE_LENGTH_BYTES);
        ring.commit(index);
        ring.read(state.handler);
        return state.handler.sum;
    }

    /**
     * Retries a full ring (back-pressure), giving up only when JMH ends the iteration so a consumer
     * that stopped first cannot hang it.
     */
    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public boolean produce(final GroupRing state, final Control control)
    {
        final DirectBuffer message = state.message;
        while (!state.ring.write(MESSAGE_TYPE_ID, message, 0, MESSAGE_LENGTH_BYTES))
        {
            if (control.stopMeasurement)
            {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public int consume(final GroupRing state, final Control control)
    {
        int read;
        while ((read = state.ring.read(state.handler, 1)) == 0)
        {
            if (control.stopMeasurement)
            {
                return 0;
            }
            Thread.onSpinWait();
        }
        return read;
    }
}
