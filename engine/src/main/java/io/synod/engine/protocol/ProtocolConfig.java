package io.synod.engine.protocol;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Settings of the protocol core for one member. Filled before start (by the node's Context or the
 * simulator), then read-only: {@link #conclude()} validates and freezes the derived values.
 */
public final class ProtocolConfig
{
    /**
     * Default of {@link #maxRoundJump(long)}: rounds grow by one per election, and with pre-vote only
     * while a majority hears no leader, so a million rounds is years of elections, while a hostile
     * member needs 2^27 promises in a row to exhaust the 47-bit rounds.
     */
    public static final long DEFAULT_MAX_ROUND_JUMP = 1L << 20;

    private int selfId;
    private int[] memberIds = new int[0];
    private long heartbeatIntervalNs = TimeUnit.MILLISECONDS.toNanos(10);
    private long electionTimeoutNs = TimeUnit.MILLISECONDS.toNanos(60);
    private long retransmitTimeoutNs = TimeUnit.MILLISECONDS.toNanos(20);
    private long catchUpTimeoutNs = TimeUnit.MILLISECONDS.toNanos(20);
    private int windowSlots = 1024;
    private int windowBytes = 8 * 1024 * 1024;
    private int maxValueBytes = 64 * 1024;
    private int maxBatchCommands = 1024;
    private int maxSlotsPerAccept = 32;
    private int maxMessageBytes = 256 * 1024;
    private int learnerWindowSlots = 1024;
    private int maxChosenRanges = 16;
    private int maxPendingReplies = 16 * 1024;
    private int maxClients = 4096;
    private long maxRoundJump = DEFAULT_MAX_ROUND_JUMP;

    private Mutation mutation = Mutation.NONE;

    private int quorum;
    private int selfIndex = -1;

    public ProtocolConfig selfId(final int selfId)
    {
        this.selfId = selfId;
        return this;
    }

    public int selfId()
    {
        return selfId;
    }

    public ProtocolConfig memberIds(final int... memberIds)
    {
        this.memberIds = memberIds.clone();
        return this;
    }

    public int[] memberIds()
    {
        return memberIds;
    }

    public int memberCount()
    {
        return memberIds.length;
    }

    public ProtocolConfig heartbeatIntervalNs(final long heartbeatIntervalNs)
    {
        this.heartbeatIntervalNs = heartbeatIntervalNs;
        return this;
    }

    public long heartbeatIntervalNs()
    {
        return heartbeatIntervalNs;
    }

    /**
     * T: a follower that hears no leader for a time drawn from [T, 2T] starts an election, and an
     * acceptor that heard a live leader within T refuses to promise to another proposer.
     */
    public ProtocolConfig electionTimeoutNs(final long electionTimeoutNs)
    {
        this.electionTimeoutNs = electionTimeoutNs;
        return this;
    }

    public long electionTimeoutNs()
    {
        return electionTimeoutNs;
    }

    public ProtocolConfig retransmitTimeoutNs(final long retransmitTimeoutNs)
    {
        this.retransmitTimeoutNs = retransmitTimeoutNs;
        return this;
    }

    public long retransmitTimeoutNs()
    {
        return retransmitTimeoutNs;
    }

    public ProtocolConfig catchUpTimeoutNs(final long catchUpTimeoutNs)
    {
        this.catchUpTimeoutNs = catchUpTimeoutNs;
        return this;
    }

    public long catchUpTimeoutNs()
    {
        return catchUpTimeoutNs;
    }

    /**
     * Slots a leader may have proposed and not yet seen chosen; a power of two.
     */
    public ProtocolConfig windowSlots(final int windowSlots)
    {
        this.windowSlots = windowSlots;
        return this;
    }

    public int windowSlots()
    {
        return windowSlots;
    }

    /**
     * Value bytes a leader may have proposed and not yet seen chosen.
     */
    public ProtocolConfig windowBytes(final int windowBytes)
    {
        this.windowBytes = windowBytes;
        return this;
    }

    public int windowBytes()
    {
        return windowBytes;
    }

    /**
     * Largest value (one slot's batch of commands) in bytes.
     */
    public ProtocolConfig maxValueBytes(final int maxValueBytes)
    {
        this.maxValueBytes = maxValueBytes;
        return this;
    }

    public int maxValueBytes()
    {
        return maxValueBytes;
    }

    public ProtocolConfig maxBatchCommands(final int maxBatchCommands)
    {
        this.maxBatchCommands = maxBatchCommands;
        return this;
    }

    public int maxBatchCommands()
    {
        return maxBatchCommands;
    }

    public ProtocolConfig maxSlotsPerAccept(final int maxSlotsPerAccept)
    {
        this.maxSlotsPerAccept = maxSlotsPerAccept;
        return this;
    }

    public int maxSlotsPerAccept()
    {
        return maxSlotsPerAccept;
    }

    public ProtocolConfig maxMessageBytes(final int maxMessageBytes)
    {
        this.maxMessageBytes = maxMessageBytes;
        return this;
    }

    public int maxMessageBytes()
    {
        return maxMessageBytes;
    }

    /**
     * Slots a learner holds ahead of the next one it delivers; a power of two.
     */
    public ProtocolConfig learnerWindowSlots(final int learnerWindowSlots)
    {
        this.learnerWindowSlots = learnerWindowSlots;
        return this;
    }

    public int learnerWindowSlots()
    {
        return learnerWindowSlots;
    }

    public ProtocolConfig maxChosenRanges(final int maxChosenRanges)
    {
        this.maxChosenRanges = maxChosenRanges;
        return this;
    }

    public int maxChosenRanges()
    {
        return maxChosenRanges;
    }

    public ProtocolConfig maxPendingReplies(final int maxPendingReplies)
    {
        this.maxPendingReplies = maxPendingReplies;
        return this;
    }

    public int maxPendingReplies()
    {
        return maxPendingReplies;
    }

    public ProtocolConfig maxClients(final int maxClients)
    {
        this.maxClients = maxClients;
        return this;
    }

    public int maxClients()
    {
        return maxClients;
    }

    /**
     * Most rounds a Prepare, Accept, Heartbeat or PreVote may jump past the highest ballot its
     * receiver has seen; a bigger jump is refused and counted, so one message cannot push the ballots
     * near their maximum. A member that was away for more elections than this must be restarted with
     * a higher setting.
     */
    public ProtocolConfig maxRoundJump(final long maxRoundJump)
    {
        this.maxRoundJump = maxRoundJump;
        return this;
    }

    public long maxRoundJump()
    {
        return maxRoundJump;
    }

    /**
     * For the simulator's planted-bug tests only.
     */
    public ProtocolConfig mutation(final Mutation mutation)
    {
        this.mutation = mutation;
        return this;
    }

    public Mutation mutation()
    {
        return mutation;
    }

    public int quorum()
    {
        return quorum;
    }

    public int selfIndex()
    {
        return selfIndex;
    }

    /**
     * @return index of a member in {@link #memberIds()}, or -1 for an unknown member.
     */
    public int indexOf(final int memberId)
    {
        for (int i = 0; i < memberIds.length; i++)
        {
            if (memberIds[i] == memberId)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * Validates every setting and derives the quorum.
     *
     * @throws IllegalArgumentException naming the first bad setting.
     */
    public ProtocolConfig conclude()
    {
        if (memberIds.length < 1 || memberIds.length > 63)
        {
            throw bad("memberIds", "between 1 and 63 members, got " + memberIds.length);
        }
        final int[] sorted = memberIds.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++)
        {
            if (sorted[i] < 0 || sorted[i] > Ballot.MAX_MEMBER_ID)
            {
                throw bad("memberIds", "member id out of [0, " + Ballot.MAX_MEMBER_ID + "]: " + sorted[i]);
            }
            if (i > 0 && sorted[i] == sorted[i - 1])
            {
                throw bad("memberIds", "duplicate member id " + sorted[i]);
            }
        }
        selfIndex = indexOf(selfId);
        if (selfIndex < 0)
        {
            throw bad("selfId", selfId + " is not one of the members " + Arrays.toString(memberIds));
        }
        positive("heartbeatIntervalNs", heartbeatIntervalNs);
        positive("electionTimeoutNs", electionTimeoutNs);
        positive("retransmitTimeoutNs", retransmitTimeoutNs);
        positive("catchUpTimeoutNs", catchUpTimeoutNs);
        if (heartbeatIntervalNs >= electionTimeoutNs)
        {
            throw bad("heartbeatIntervalNs", "must be below electionTimeoutNs=" + electionTimeoutNs);
        }
        powerOfTwo("windowSlots", windowSlots);
        powerOfTwo("learnerWindowSlots", learnerWindowSlots);
        positive("maxBatchCommands", maxBatchCommands);
        positive("maxSlotsPerAccept", maxSlotsPerAccept);
        positive("maxChosenRanges", maxChosenRanges);
        positive("maxPendingReplies", maxPendingReplies);
        positive("maxClients", maxClients);
        positive("maxRoundJump", maxRoundJump);
        if (maxRoundJump > Ballot.MAX_ROUND)
        {
            throw bad("maxRoundJump", "must be at most " + Ballot.MAX_ROUND + ", got " + maxRoundJump);
        }
        if (maxValueBytes < BatchDescriptor.HEADER_LENGTH)
        {
            throw bad("maxValueBytes", "must hold at least one command header, got " + maxValueBytes);
        }
        if (windowBytes < maxValueBytes)
        {
            throw bad("windowBytes", "must hold at least one value of maxValueBytes=" + maxValueBytes);
        }
        final int minMessage = Outbox.MESSAGE_OVERHEAD_BYTES + maxChosenRanges * Outbox.RANGE_LENGTH_BYTES +
            Outbox.entryLengthBytes(maxValueBytes);
        if (maxMessageBytes < minMessage)
        {
            throw bad("maxMessageBytes", "must hold one entry of maxValueBytes and its headers: >= " + minMessage);
        }
        quorum = memberIds.length / 2 + 1;
        if (mutation == Mutation.QUORUM_MINUS_ONE && quorum > 1)
        {
            quorum--;
        }
        return this;
    }

    private static void positive(final String name, final long value)
    {
        if (value <= 0)
        {
            throw bad(name, "must be positive, got " + value);
        }
    }

    private static void powerOfTwo(final String name, final int value)
    {
        if (value < 2 || Integer.bitCount(value) != 1)
        {
            throw bad(name, "must be a power of two >= 2, got " + value);
        }
    }

    private static IllegalArgumentException bad(final String name, final String why)
    {
        return new IllegalArgumentException("invalid protocol setting " + name + ": " + why);
    }
}
