package io.synod.engine.protocol;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link Outbox} for unit tests: records every call as a readable record, copying every value and
 * range it is shown (arguments are valid only during the call). Single-threaded: owned by the test.
 */
final class RecordingOutbox implements Outbox
{
    /**
     * One slot's value in a message. {@code ballot} is the entry's accepted ballot (Promise,
     * CatchUpResponse) or the proposal's ballot (Accept).
     */
    record Entry(long slot, long ballot, byte[] value)
    {
        @Override
        public boolean equals(final Object o)
        {
            return o instanceof Entry e && e.slot == slot && e.ballot == ballot && Arrays.equals(e.value, value);
        }

        @Override
        public int hashCode()
        {
            return Long.hashCode(slot) * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString()
        {
            return "Entry[slot=" + slot + ", ballot=" + Ballot.toString(ballot) + ", bytes=" + value.length + "]";
        }
    }

    record Range(long from, long to)
    {
    }

    record Chosen(long ballot, long ballotStartSlot, long watermark, List<Range> ranges)
    {
    }

    record Prepare(int to, long ballot, long fromSlot, long toSlot)
    {
    }

    record Promise(
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
        List<Entry> entries)
    {
    }

    record Nack(int to, long ballot, long promisedBallot)
    {
    }

    record PreVote(int to, long ballot)
    {
    }

    record PreVoteReply(int to, long ballot, boolean granted, long promisedBallot)
    {
    }

    record Accept(int to, long ballot, long fromSlot, long toSlot, List<Entry> entries, Chosen chosen)
    {
    }

    record Accepted(int to, long ballot, List<Range> ranges)
    {
    }

    record Heartbeat(int to, Chosen chosen)
    {
    }

    record ChosenState(int to, Chosen chosen)
    {
    }

    record CatchUpRequest(int to, long fromSlot, long toSlot)
    {
    }

    record CatchUpResponse(int to, long fromSlot, long toSlot, int entryCount, List<Entry> entries)
    {
    }

    /**
     * A learner's answer for the commands {@code [sequence, toSequence]} of a client in {@code slot}.
     */
    record ClientAck(long clientId, long sequence, long toSequence, long slot, int outcome)
    {
        ClientAck(final long clientId, final long sequence, final long slot)
        {
            this(clientId, sequence, sequence, slot, SessionTable.APPLIED);
        }
    }

    record SessionAnswer(long clientId, int outcome, long lastSequence, long slot)
    {
    }

    private final List<Object> sent = new ArrayList<>();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);

    List<Object> sent()
    {
        return sent;
    }

    <T> List<T> sent(final Class<T> type)
    {
        final List<T> result = new ArrayList<>();
        for (final Object message : sent)
        {
            if (type.isInstance(message))
            {
                result.add(type.cast(message));
            }
        }
        return result;
    }

    /**
     * @return what was sent since the last call, and forgets it.
     */
    List<Object> drain()
    {
        final List<Object> result = new ArrayList<>(sent);
        sent.clear();
        return result;
    }

    <T> List<T> drain(final Class<T> type)
    {
        final List<T> result = sent(type);
        sent.clear();
        return result;
    }

    void clear()
    {
        sent.clear();
    }

    public void prepare(final int to, final long ballot, final long fromSlot, final long toSlot)
    {
        sent.add(new Prepare(to, ballot, fromSlot, toSlot));
    }

    public void promise(
        final int to,
        final long ballot,
        final long fromSlot,
        final long toSlot,
        final long highestSlot,
        final int partIndex,
        final int partCount,
        final long entriesFromSlot,
        final long entriesToSlot,
        final int entryCount,
        final AcceptorStore source)
    {
        sent.add(new Promise(to, ballot, fromSlot, toSlot, highestSlot, partIndex, partCount,
            entriesFromSlot, entriesToSlot, entryCount, storeEntries(source, entriesFromSlot, entriesToSlot)));
    }

    public void nack(final int to, final long ballot, final long promisedBallot)
    {
        sent.add(new Nack(to, ballot, promisedBallot));
    }

    public void preVote(final int to, final long ballot)
    {
        sent.add(new PreVote(to, ballot));
    }

    public void preVoteReply(final int to, final long ballot, final boolean granted, final long promisedBallot)
    {
        sent.add(new PreVoteReply(to, ballot, granted, promisedBallot));
    }

    public void accept(
        final int to, final long ballot, final long fromSlot, final long toSlot, final ValueSource values,
        final ChosenSlots chosen)
    {
        final List<Entry> entries = new ArrayList<>();
        for (long slot = fromSlot; slot < toSlot; slot++)
        {
            final int length = values.wrapValue(slot, view);
            if (length < 0)
            {
                throw new AssertionError("Accept of slot " + slot + " which the source does not hold");
            }
            entries.add(new Entry(slot, ballot, copy(length)));
        }
        sent.add(new Accept(to, ballot, fromSlot, toSlot, entries, copy(chosen)));
    }

    public void accepted(final int to, final long ballot, final SlotRanges ranges)
    {
        sent.add(new Accepted(to, ballot, copy(ranges)));
    }

    public void heartbeat(final int to, final ChosenSlots chosen)
    {
        sent.add(new Heartbeat(to, copy(chosen)));
    }

    public void chosenState(final int to, final ChosenSlots chosen)
    {
        sent.add(new ChosenState(to, copy(chosen)));
    }

    public void catchUpRequest(final int to, final long fromSlot, final long toSlot)
    {
        sent.add(new CatchUpRequest(to, fromSlot, toSlot));
    }

    public void catchUpResponse(
        final int to, final long fromSlot, final long toSlot, final int entryCount, final AcceptorStore source)
    {
        sent.add(new CatchUpResponse(to, fromSlot, toSlot, entryCount, storeEntries(source, fromSlot, toSlot)));
    }

    public void clientAck(
        final long clientId, final long fromSequence, final long toSequence, final long slot, final int outcome)
    {
        sent.add(new ClientAck(clientId, fromSequence, toSequence, slot, outcome));
    }

    public void sessionEvent(final long clientId, final int outcome, final long lastSequence, final long slot)
    {
        sent.add(new SessionAnswer(clientId, outcome, lastSequence, slot));
    }

    private List<Entry> storeEntries(final AcceptorStore source, final long fromSlot, final long toSlot)
    {
        final List<Entry> entries = new ArrayList<>();
        for (long slot = fromSlot; slot < toSlot; slot++)
        {
            final long ballot = source.acceptedBallot(slot);
            if (ballot != AcceptorStore.NULL_BALLOT)
            {
                entries.add(new Entry(slot, ballot, copy(source.wrapValue(slot, view))));
            }
        }
        return entries;
    }

    private byte[] copy(final int length)
    {
        final byte[] bytes = new byte[length];
        view.getBytes(0, bytes, 0, length);
        return bytes;
    }

    private static List<Range> copy(final SlotRanges ranges)
    {
        final List<Range> result = new ArrayList<>();
        for (int i = 0; i < ranges.count(); i++)
        {
            result.add(new Range(ranges.from(i), ranges.to(i)));
        }
        return result;
    }

    private static Chosen copy(final ChosenSlots chosen)
    {
        return new Chosen(chosen.ballot(), chosen.ballotStartSlot(), chosen.watermark(), copy(chosen.ranges()));
    }
}
