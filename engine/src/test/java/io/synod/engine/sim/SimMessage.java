package io.synod.engine.sim;

import io.synod.engine.protocol.Ballot;

import java.util.ArrayList;

/**
 * A message in flight in the simulated network: the same fields the SBE messages carry, as a plain
 * object (the simulator may allocate; the core it drives does not).
 */
final class SimMessage
{
    enum Type
    {
        PREPARE, PROMISE, NACK, PRE_VOTE, PRE_VOTE_REPLY, ACCEPT, ACCEPTED, HEARTBEAT, CHOSEN_STATE, CATCH_UP_REQUEST,
        CATCH_UP_RESPONSE,
        CLIENT_COMMAND, CLIENT_ACK, CLIENT_REDIRECT, SESSION_OPEN, SESSION_EVENT
    }

    static final class Entry
    {
        final long slot;
        final long ballot;
        final byte[] value;

        Entry(final long slot, final long ballot, final byte[] value)
        {
            this.slot = slot;
            this.ballot = ballot;
            this.value = value;
        }
    }

    final Type type;
    int from;
    int to;
    long ballot;
    long fromSlot;
    long toSlot;
    long highestSlot;
    long promisedBallot;
    boolean granted;
    int partIndex;
    int partCount;
    long watermark;
    long ballotStartSlot;
    long[] ranges = new long[0];
    final ArrayList<Entry> entries = new ArrayList<>(0);
    long clientId;
    long sequence;
    long slot;
    long toSequence;
    int result;
    byte[] payload;

    SimMessage(final Type type, final int from, final int to)
    {
        this.type = type;
        this.from = from;
        this.to = to;
    }

    SimMessage copyTo(final int to)
    {
        final SimMessage copy = new SimMessage(type, from, to);
        copy.ballot = ballot;
        copy.fromSlot = fromSlot;
        copy.toSlot = toSlot;
        copy.highestSlot = highestSlot;
        copy.promisedBallot = promisedBallot;
        copy.granted = granted;
        copy.partIndex = partIndex;
        copy.partCount = partCount;
        copy.watermark = watermark;
        copy.ballotStartSlot = ballotStartSlot;
        copy.ranges = ranges;
        copy.entries.addAll(entries);
        copy.clientId = clientId;
        copy.sequence = sequence;
        copy.slot = slot;
        copy.result = result;
        copy.payload = payload;
        return copy;
    }

    public String toString()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(type).append(' ').append(from).append("->").append(to);
        switch (type)
        {
            case PREPARE -> sb.append(" b=").append(Ballot.toString(ballot)).append(" [").append(fromSlot)
                .append(',').append(toSlot).append(')');
            case PROMISE -> sb.append(" b=").append(Ballot.toString(ballot)).append(" high=").append(highestSlot)
                .append(" part=").append(partIndex).append('/').append(partCount).append(entriesText());
            case NACK -> sb.append(" b=").append(Ballot.toString(ballot)).append(" promised=")
                .append(Ballot.toString(promisedBallot));
            case PRE_VOTE -> sb.append(" b=").append(Ballot.toString(ballot));
            case PRE_VOTE_REPLY -> sb.append(" b=").append(Ballot.toString(ballot))
                .append(granted ? " granted" : " refused")
                .append(" promised=").append(Ballot.toString(promisedBallot));
            case ACCEPT -> sb.append(" b=").append(Ballot.toString(ballot)).append(" wm=").append(watermark)
                .append(entriesText());
            case ACCEPTED -> sb.append(" b=").append(Ballot.toString(ballot)).append(rangesText());
            case HEARTBEAT, CHOSEN_STATE -> sb.append(" b=").append(Ballot.toString(ballot)).append(" wm=")
                .append(watermark).append(rangesText());
            case CATCH_UP_REQUEST -> sb.append(" [").append(fromSlot).append(',').append(toSlot).append(')');
            case CATCH_UP_RESPONSE -> sb.append(" [").append(fromSlot).append(',').append(toSlot).append(')')
                .append(entriesText());
            case CLIENT_COMMAND -> sb.append(" client=").append(clientId).append(" seq=").append(sequence);
            case CLIENT_ACK -> sb.append(" client=").append(clientId).append(" seq=").append(sequence)
                .append("..").append(toSequence).append(" slot=").append(slot).append(" outcome=").append(result);
            case SESSION_OPEN -> sb.append(" client=").append(clientId).append(" next=").append(sequence);
            case SESSION_EVENT -> sb.append(" client=").append(clientId).append(" outcome=").append(result)
                .append(" last=").append(sequence);
            case CLIENT_REDIRECT -> sb.append(" client=").append(clientId).append(" leader=").append(result);
            default -> { }
        }
        return sb.toString();
    }

    private String entriesText()
    {
        final StringBuilder sb = new StringBuilder(" entries=");
        for (final Entry entry : entries)
        {
            sb.append(entry.slot).append('@').append(Ballot.toString(entry.ballot)).append(':')
                .append(entry.value.length).append("B ");
        }
        return sb.toString();
    }

    private String rangesText()
    {
        final StringBuilder sb = new StringBuilder(" ranges=");
        for (int i = 0; i < ranges.length; i += 2)
        {
            sb.append('[').append(ranges[i]).append(',').append(ranges[i + 1]).append(')');
        }
        return sb.toString();
    }
}
