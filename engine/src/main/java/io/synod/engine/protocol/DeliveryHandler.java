package io.synod.engine.protocol;

import org.agrona.DirectBuffer;

/**
 * Receives the delivered log: every command once, strictly in slot order. Called on the learner's
 * thread; the buffer is valid only during the call.
 */
@FunctionalInterface
public interface DeliveryHandler
{
    void onDelivery(long slot, long clientId, long sequence, DirectBuffer buffer, int offset, int length);
}
