package io.synod.client;

/**
 * What a client hears back, called from {@link SynodClient#poll()} on the polling thread.
 */
public interface EgressListener
{
    /**
     * The command is chosen (durable at a majority) in {@code slot}. It is applied exactly once, at its
     * first occurrence in the log: after a leader change a resent command can be chosen again in a
     * later slot, and the acknowledgement may name that later copy, which learners skip.
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
