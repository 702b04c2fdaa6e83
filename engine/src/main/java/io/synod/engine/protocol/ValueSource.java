package io.synod.engine.protocol;

import org.agrona.DirectBuffer;

/**
 * Where an outbox reads slot values from while it encodes them: the leader's window or the
 * acceptor's store. Called only on the thread that owns the source.
 */
public interface ValueSource
{
    /**
     * Points {@code view} at the value of a slot without copying.
     *
     * @return the value's length in bytes, or -1 if the source holds nothing for the slot.
     */
    int wrapValue(long slot, DirectBuffer view);
}
