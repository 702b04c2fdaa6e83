package io.synod.engine.client;

/**
 * What a client hears back, called from {@link SynodClient#poll()} on the polling thread.
 */
public interface EgressListener
{
    /**
     * The command is chosen (durable at a majority) in {@code slot}; it is applied exactly once.
     */
    void onAck(long sequence, long slot);

    /**
     * The cluster rejected the command; it will not be applied.
     *
     * @param code one of {@code io.synod.codecs.ErrorCode}'s names.
     */
    default void onError(final long sequence, final String code, final String text)
    {
    }
}
