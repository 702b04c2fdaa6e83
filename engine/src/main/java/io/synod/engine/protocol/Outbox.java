package io.synod.engine.protocol;

/**
 * Everything the protocol core sends. The message type decides which role of the addressed member
 * receives it: Prepare, PreVote, Accept, Heartbeat and CatchUpRequest go to acceptors (Accept, Heartbeat and
 * ChosenState also to learners, Heartbeat also to the leader role); Promise, PreVoteReply, Nack and
 * Accepted to the leader role; CatchUpResponse to the learner.
 * <p>
 * Called only on the thread of the role that owns this outbox. A send that cannot be made (back
 * pressure, unknown member) is dropped: the protocol treats it as message loss and retransmits.
 * Arguments are valid only during the call.
 */
public interface Outbox
{
    /**
     * Address for every member of the cluster, including the sender's own roles.
     */
    int ALL = -1;

    void prepare(int to, long ballot, long fromSlot, long toSlot);

    /**
     * One part of a promise: the entries {@code source} holds in {@code [entriesFromSlot,
     * entriesToSlot)}, which the caller counted as {@code entryCount} and sized to fit one message.
     */
    void promise(
        int to,
        long ballot,
        long fromSlot,
        long toSlot,
        long highestSlot,
        int partIndex,
        int partCount,
        long entriesFromSlot,
        long entriesToSlot,
        int entryCount,
        AcceptorStore source);

    void nack(int to, long ballot, long promisedBallot);

    /**
     * Asks an acceptor whether it would promise {@code ballot}; it persists nothing.
     */
    void preVote(int to, long ballot);

    void preVoteReply(int to, long ballot, boolean granted, long promisedBallot);

    /**
     * Consecutive slots {@code [fromSlot, toSlot)} proposed at {@code ballot}, values read from
     * {@code values}, with the chosen state piggybacked.
     */
    void accept(int to, long ballot, long fromSlot, long toSlot, ValueSource values, ChosenSlots chosen);

    void accepted(int to, long ballot, SlotRanges ranges);

    void heartbeat(int to, ChosenSlots chosen);

    void chosenState(int to, ChosenSlots chosen);

    void catchUpRequest(int to, long fromSlot, long toSlot);

    /**
     * The entries {@code source} holds in {@code [fromSlot, toSlot)}, counted as {@code entryCount}.
     */
    void catchUpResponse(int to, long fromSlot, long toSlot, int entryCount, AcceptorStore source);

    /**
     * Tells a client what became of its commands {@code [fromSequence, toSequence]}, which a learner
     * found in that order in {@code slot}: {@link SessionTable#APPLIED} (applied there, exactly once,
     * in the client's order), {@link SessionTable#DUPLICATE} (these copies were skipped: each was
     * applied once before it, at an earlier slot or earlier in this one), {@link SessionTable#GAP} (not applied: an earlier sequence is
     * missing, send again from it) or {@link SessionTable#UNKNOWN_SESSION} (not applied: the session
     * is not open at that point of the log). Sent by learners, from the outcome, never from "chosen".
     */
    void clientAck(long clientId, long fromSequence, long toSequence, long slot, int outcome);

    /**
     * Tells a client what became of a session entry in {@code slot}: {@link SessionTable#OPENED},
     * {@link SessionTable#ALREADY_OPEN}, {@link SessionTable#REFUSED} (the table is full),
     * {@link SessionTable#CLOSED} or {@link SessionTable#NOT_OPEN}; {@code lastSequence} is the
     * session's last applied sequence after it (-1 when it is not open).
     */
    void sessionEvent(long clientId, int outcome, long lastSequence, long slot);

    /**
     * Size in bytes a message takes for the given entries, so roles can split parts that fit. The
     * default is an upper bound on the SBE encoding; an outbox may give the exact one.
     */
    static int entryLengthBytes(final int valueLength)
    {
        return ENTRY_OVERHEAD_BYTES + valueLength;
    }

    /**
     * Upper bound of a message's bytes besides its entries: header, fixed block, group headers and
     * the chosen ranges of a piggybacked state.
     */
    int MESSAGE_OVERHEAD_BYTES = 128;

    /**
     * Upper bound of an entry's bytes besides its value: slot, ballot and the var data length.
     */
    int ENTRY_OVERHEAD_BYTES = 24;

    /**
     * Bytes a piggybacked chosen range takes.
     */
    int RANGE_LENGTH_BYTES = 16;
}
