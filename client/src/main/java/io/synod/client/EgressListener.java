package io.synod.client;

/**
 * What a client hears back, called from {@link SynodClient#poll()} on the polling thread.
 */
public interface EgressListener
{
    /**
     * {@code slot} of an acknowledgement whose command was applied before, at a slot that the answer
     * does not name: the answer came for a resent copy, which learners skipped.
     */
    long EARLIER_SLOT = -1;

    /**
     * The command is applied, exactly once, in this client's sequence order, at {@code slot} on every
     * replica that delivers that slot; or, with {@link #EARLIER_SLOT}, at an earlier slot (the
     * client resent it and heard about the skipped copy). Acknowledgements come from what learners
     * applied, not from a slot being chosen.
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
