package io.synod.engine.protocol;

import io.synod.engine.config.SettingValues;

import java.util.Arrays;

import static io.synod.engine.protocol.ProtocolConfiguration.*;

/**
 * Settings of the protocol core for one member. Filled before start (by the node's Context or the
 * simulator), then read-only: {@link #conclude()} validates once and derives the quorum. Defaults,
 * property names and ranges come from {@link ProtocolConfiguration}; errors name the property.
 */
public final class ProtocolConfig
{
    /**
     * Default of {@link #maxRoundJump(long)}: rounds grow by one per election, and with pre-vote only
     * while a majority hears no leader, so a million rounds is years of elections, while a hostile
     * member needs 2^27 promises in a row to exhaust the 47-bit rounds.
     */
    public static final long DEFAULT_MAX_ROUND_JUMP = MAX_ROUND_JUMP_DEFAULT;

    private int selfId;
    private int[] memberIds = new int[0];
    private long heartbeatIntervalNs = HEARTBEAT_INTERVAL_DEFAULT_NS;
    private long electionTimeoutNs = ELECTION_TIMEOUT_DEFAULT_NS;
    private long retransmitTimeoutNs = RETRANSMIT_TIMEOUT_DEFAULT_NS;
    private long catchUpTimeoutNs = CATCH_UP_TIMEOUT_DEFAULT_NS;
    private int windowSlots = WINDOW_SLOTS_DEFAULT;
    private int windowBytes = WINDOW_BYTES_DEFAULT;
    private int maxValueBytes = MAX_VALUE_BYTES_DEFAULT;
    private int maxBatchCommands = MAX_BATCH_COMMANDS_DEFAULT;
    private int maxSlotsPerAccept = MAX_SLOTS_PER_ACCEPT_DEFAULT;
    private int maxMessageBytes = MAX_MESSAGE_BYTES_DEFAULT;
    private int learnerWindowSlots = LEARNER_WINDOW_SLOTS_DEFAULT;
    private int maxChosenRanges = MAX_CHOSEN_RANGES_DEFAULT;
    private int maxPendingReplies = MAX_PENDING_REPLIES_DEFAULT;
    private int maxClients = MAX_CLIENTS_DEFAULT;
    private long maxRoundJump = MAX_ROUND_JUMP_DEFAULT;

    private Mutation mutation = Mutation.NONE;

    private int quorum;
    private int selfIndex = -1;
    private boolean concluded;

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
        if (concluded)
        {
            throw new IllegalStateException("ProtocolConfig is already concluded");
        }
        if (memberIds.length < 1 || memberIds.length > MAX_MEMBERS)
        {
            throw bad(MEMBERS_PROP, Arrays.toString(memberIds), "must list 1 to " + MAX_MEMBERS + " members");
        }
        final int[] sorted = memberIds.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++)
        {
            if (sorted[i] < 0 || sorted[i] > Ballot.MAX_MEMBER_ID)
            {
                throw bad(MEMBERS_PROP, Arrays.toString(memberIds),
                    "member id " + sorted[i] + " is outside [0, " + Ballot.MAX_MEMBER_ID + "]");
            }
            if (i > 0 && sorted[i] == sorted[i - 1])
            {
                throw bad(MEMBERS_PROP, Arrays.toString(memberIds), "member id " + sorted[i] + " appears twice");
            }
        }
        selfIndex = indexOf(selfId);
        if (selfIndex < 0)
        {
            throw bad(MEMBER_ID_PROP, selfId, "is not one of the members " + Arrays.toString(memberIds));
        }
        positive(HEARTBEAT_INTERVAL_PROP, heartbeatIntervalNs);
        positive(ELECTION_TIMEOUT_PROP, electionTimeoutNs);
        positive(RETRANSMIT_TIMEOUT_PROP, retransmitTimeoutNs);
        positive(CATCH_UP_TIMEOUT_PROP, catchUpTimeoutNs);
        if (heartbeatIntervalNs >= electionTimeoutNs)
        {
            throw bad(HEARTBEAT_INTERVAL_PROP, SettingValues.durationText(heartbeatIntervalNs),
                "must be below " + ELECTION_TIMEOUT_PROP + "=" + SettingValues.durationText(electionTimeoutNs));
        }
        slots(WINDOW_SLOTS_PROP, windowSlots);
        slots(LEARNER_WINDOW_SLOTS_PROP, learnerWindowSlots);
        positive(MAX_BATCH_COMMANDS_PROP, maxBatchCommands);
        positive(MAX_SLOTS_PER_ACCEPT_PROP, maxSlotsPerAccept);
        positive(MAX_CHOSEN_RANGES_PROP, maxChosenRanges);
        positive(MAX_PENDING_REPLIES_PROP, maxPendingReplies);
        positive(MAX_CLIENTS_PROP, maxClients);
        if (maxRoundJump < 1 || maxRoundJump > Ballot.MAX_ROUND)
        {
            throw bad(MAX_ROUND_JUMP_PROP, maxRoundJump, "must be in [1, " + Ballot.MAX_ROUND + "]");
        }
        if (maxValueBytes < BatchDescriptor.HEADER_LENGTH)
        {
            throw bad(MAX_VALUE_BYTES_PROP, maxValueBytes,
                "must hold at least one command header: >= " + BatchDescriptor.HEADER_LENGTH);
        }
        if (windowBytes < maxValueBytes)
        {
            throw bad(WINDOW_BYTES_PROP, windowBytes,
                "must hold at least one value of " + MAX_VALUE_BYTES_PROP + "=" + maxValueBytes);
        }
        final long minMessage = Outbox.MESSAGE_OVERHEAD_BYTES + (long)maxChosenRanges * Outbox.RANGE_LENGTH_BYTES +
            Outbox.entryLengthBytes(maxValueBytes);
        if (maxMessageBytes < minMessage)
        {
            throw bad(MAX_MESSAGE_BYTES_PROP, maxMessageBytes, "must hold one entry of " + MAX_VALUE_BYTES_PROP + "=" +
                maxValueBytes + " and its headers (" + MAX_CHOSEN_RANGES_PROP + "=" + maxChosenRanges + "): >= " +
                minMessage);
        }
        quorum = memberIds.length / 2 + 1;
        if (mutation == Mutation.QUORUM_MINUS_ONE && quorum > 1)
        {
            quorum--;
        }
        concluded = true;
        return this;
    }

    public boolean isConcluded()
    {
        return concluded;
    }

    private static void positive(final String name, final long value)
    {
        if (value <= 0)
        {
            throw bad(name, value, "must be positive");
        }
    }

    private static void slots(final String name, final int value)
    {
        if (value < 2 || value > WINDOW_SLOTS_MAX || Integer.bitCount(value) != 1)
        {
            throw bad(name, value, "must be " + POWER_OF_TWO_SLOTS);
        }
    }

    private static IllegalArgumentException bad(final String name, final Object value, final String rule)
    {
        return SettingValues.invalid(name, value, rule);
    }
}
