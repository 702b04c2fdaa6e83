package io.synod.bench;

import io.synod.engine.protocol.AcceptorStore;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * In-memory {@link AcceptorStore} for benchmarks of the protocol core: a ring of {@code capacitySlots}
 * slots indexed by {@code slot & mask}, each with a preallocated area of {@code maxValueBytes} in one
 * value slab, so an accept copies bytes and allocates nothing. Every write is durable as soon as it is
 * made ({@code durablePosition()} follows the last write, as in PAGE_CACHE mode). A slot more than
 * {@code capacitySlots} below the highest is overwritten, which the store reports as compacted away
 * through {@link #lowestSlot()}. Single-threaded: owned by the acceptor that calls it.
 * <pre>
 *   slab: | slot i & mask = 0 | slot & mask = 1 | ... | capacitySlots - 1 |
 *         |<- maxValueBytes ->|
 * </pre>
 */
public final class SlabAcceptorStore implements AcceptorStore
{
    private final int mask;
    private final int maxValueBytes;
    private final long[] slots;
    private final long[] ballots;
    private final int[] lengths;
    private final UnsafeBuffer slab;
    private long promised = NULL_BALLOT;
    private long position;
    private long highestSlot = -1;

    /**
     * @param capacitySlots slots held, a power of two; at least the leader's window.
     * @param maxValueBytes largest value accepted.
     */
    public SlabAcceptorStore(final int capacitySlots, final int maxValueBytes)
    {
        if (capacitySlots < 1 || Integer.bitCount(capacitySlots) != 1)
        {
            throw new IllegalArgumentException("capacitySlots must be a power of two: " + capacitySlots);
        }
        mask = capacitySlots - 1;
        this.maxValueBytes = maxValueBytes;
        slots = new long[capacitySlots];
        java.util.Arrays.fill(slots, -1);
        ballots = new long[capacitySlots];
        lengths = new int[capacitySlots];
        slab = new UnsafeBuffer(ByteBuffer.allocateDirect(capacitySlots * maxValueBytes));
    }

    public long promisedBallot()
    {
        return promised;
    }

    public long promise(final long ballot)
    {
        if (ballot < promised)
        {
            throw new IllegalStateException("promise went backwards: " + ballot + " < " + promised);
        }
        promised = ballot;
        return ++position;
    }

    public long accept(final long slot, final long ballot, final DirectBuffer buffer, final int offset, final int length)
    {
        if (ballot < promised || length > maxValueBytes || slot < lowestSlot())
        {
            throw new IllegalStateException("bad accept: slot=" + slot + " ballot=" + ballot + " length=" + length);
        }
        final int index = (int)(slot & mask);
        slots[index] = slot;
        ballots[index] = ballot;
        lengths[index] = length;
        slab.putBytes(index * maxValueBytes, buffer, offset, length);
        promised = Math.max(promised, ballot);
        highestSlot = Math.max(highestSlot, slot);
        return ++position;
    }

    public long durablePosition()
    {
        return position;
    }

    public long acceptedBallot(final long slot)
    {
        final int index = (int)(slot & mask);
        return slots[index] == slot ? ballots[index] : NULL_BALLOT;
    }

    public int wrapValue(final long slot, final DirectBuffer view)
    {
        final int index = (int)(slot & mask);
        if (slots[index] != slot)
        {
            return -1;
        }
        view.wrap(slab, index * maxValueBytes, lengths[index]);
        return lengths[index];
    }

    public long lowestSlot()
    {
        return Math.max(0, highestSlot - mask);
    }

    public long highestSlot()
    {
        return highestSlot;
    }
}
