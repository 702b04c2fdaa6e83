package io.synod.engine.protocol;

import org.agrona.DirectBuffer;

/**
 * The acceptor's durable state as the protocol core sees it: one promised ballot for all slots and,
 * per slot, the latest accepted {@code (ballot, value)}.
 * <p>
 * Single-threaded: owned by the acceptor, which alone calls it (the acceptor agent in a node, the
 * simulated replica in the simulator).
 * <p>
 * Writes are appended at increasing positions and become durable later, when whoever owns the
 * store forces it (group commit: one force per duty cycle covers every write of that cycle). Each
 * write returns the position that {@link #durablePosition()} must reach before the write survives a
 * crash. The acceptor never replies for a write before that: <em>persist before reply</em>. In a
 * mode where writes are durable as soon as they are made, {@code durablePosition()} simply follows
 * the last write.
 * <p>
 * After a restart a store presents every write that was reported durable and, possibly, some later
 * writes that happened to reach the device before the crash: always a prefix of the writes in order,
 * never a torn one. That is safe for Paxos (it is an acceptor that persisted and crashed before it
 * replied), and the simulator's disk models exactly that.
 */
public interface AcceptorStore extends ValueSource
{
    /**
     * Ballot value meaning "none": real ballots are {@code round << 16 | memberId} with round >= 1.
     */
    long NULL_BALLOT = 0;

    /**
     * Highest ballot promised, including a promise whose write is not yet durable.
     *
     * @return the promised ballot, or {@link #NULL_BALLOT} on a fresh store.
     */
    long promisedBallot();

    /**
     * Records a promise not to accept ballots below {@code ballot}. Ballots never go backwards: a
     * store must reject (fail-stop) a ballot below the current promise.
     *
     * @param ballot to promise.
     * @return the position {@link #durablePosition()} must reach for the promise to be durable.
     */
    long promise(long ballot);

    /**
     * Records that {@code slot} accepted {@code value} at {@code ballot}; it replaces any earlier
     * entry for the slot. Also raises the promise to {@code ballot} when it is higher.
     *
     * @param slot   log index, >= 0.
     * @param ballot accepted ballot, >= the promised ballot.
     * @param buffer holding the value.
     * @param offset of the value in {@code buffer}.
     * @param length of the value in bytes, >= 0 (0 is a no-op).
     * @return the position {@link #durablePosition()} must reach for the entry to be durable.
     */
    long accept(long slot, long ballot, DirectBuffer buffer, int offset, int length);

    /**
     * Position up to which every write is durable under the store's durability mode.
     *
     * @return the durable position; only ever increases.
     */
    long durablePosition();

    /**
     * Ballot of the latest accepted entry for a slot.
     *
     * @param slot log index.
     * @return the accepted ballot, or {@link #NULL_BALLOT} if the slot holds nothing (or was
     * compacted away).
     */
    long acceptedBallot(long slot);

    /**
     * Points {@code view} at the latest accepted value for a slot, without copying. The view is
     * valid until the next write to the store.
     *
     * @param slot log index.
     * @param view to wrap over the value.
     * @return the value's length in bytes, or -1 if the slot holds nothing.
     */
    int wrapValue(long slot, DirectBuffer view);

    /**
     * Lowest slot the store may still hold (0 unless slots below it were deleted by compaction).
     *
     * @return lowest slot held.
     */
    long lowestSlot();

    /**
     * Highest slot with an accepted entry.
     *
     * @return highest slot, or -1 if the store holds no entry.
     */
    long highestSlot();
}
