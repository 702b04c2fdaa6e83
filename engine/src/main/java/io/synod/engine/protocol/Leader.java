package io.synod.engine.protocol;

import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static io.synod.engine.protocol.AcceptorStore.NULL_BALLOT;

/**
 * The leader role (distinguished proposer): elections, phase 1 once per leadership, pipelined
 * out-of-order phase 2, chosen tracking, heartbeats. Single-threaded: owned by the leader agent (or
 * a simulated replica), which alone calls it.
 * <p>
 * Proposals live in a window of {@code windowSlots} slots, ring arrays indexed by {@code slot & mask},
 * each slot with a preallocated value area of {@code maxValueBytes}. Client commands are batched
 * into the open slot until the next {@link #doWork(long)}, which seals it and sends every unsent slot,
 * several per Accept.
 * <p>
 * Phase 1 reads the acceptors' logs one window at a time under the same ballot: when a majority
 * reports entries beyond the window, the leader re-proposes the window, waits until it is chosen and
 * reads the next one, before it takes client commands.
 */
public final class Leader implements ValueSource
{
    public static final int ACCEPTED = 0;
    public static final int NOT_LEADER = 1;
    public static final int BACK_PRESSURED = 2;
    public static final int TOO_LARGE = 3;
    public static final int INVALID = 4;
    public static final int OUT_OF_ORDER = 5;

    private static final byte EMPTY = 0;
    private static final byte RECOVERED = 1;
    private static final byte OPEN = 2;
    private static final byte PROPOSED = 3;
    private static final byte CHOSEN = 4;

    private final ProtocolConfig config;
    private final Outbox outbox;
    private final RandomSource random;
    private final int selfId;
    private final int selfBit;
    private final int quorum;
    private final int prepareChunkSlots;

    private final int mask;
    private final byte[] slotState;
    private final long[] slotBallot;
    private final long[] ackMask;
    private final int[] valueLength;
    private final int[] commandCount;
    private final long[] sentNs;
    private final UnsafeBuffer slab;
    private final UnsafeBuffer valueView = new UnsafeBuffer(0, 0);
    private final ChosenSlots chosen;
    private final Long2LongHashMap admittedUpTo;
    private final UnsafeBuffer openPayload = new UnsafeBuffer(new byte[BatchDescriptor.OPEN_PAYLOAD_LENGTH]);

    private final long[] promiseParts;
    private final long[] promiseHighestSlot;
    private final long[] memberContactNs;

    private LeaderRole role = LeaderRole.FOLLOWER;
    private long ballot = NULL_BALLOT;
    private long highestSeenBallot;
    private long leaderBallot = NULL_BALLOT;
    private long ownPromisedBallot = NULL_BALLOT;
    private long leaderContactNs;
    private long electionDeadlineNs;
    private long knownChosenWatermark;

    private boolean collectingPromises;
    private boolean recovering;
    private long prepareFrom;
    private long prepareTo;
    private long prepareSentNs;
    private long promisedMask;
    private long recoveryHighestSlot;
    private boolean promiseValid;
    private boolean selfAsked;

    private long preVoteBallot = NULL_BALLOT;
    private long preVoteGrantedMask;
    private long preVoteSentNs;

    private long ballotStartSlot;
    private long windowBase;
    private long nextSlot;
    private long sentUpTo;
    private int inFlightBytes;
    private boolean chosenChanged;
    private long lastHeartbeatNs;
    private long leaderSinceNs;
    private long nextRetransmitScanNs;

    private long elections;
    private long preVotes;
    private long stepDowns;
    private long invalidDropped;
    private long ballotsRefused;
    private long commandsChosen;
    private long outOfOrderRefused;
    private long admissionUntracked;

    public Leader(
        final ProtocolConfig config,
        final Outbox outbox,
        final RandomSource random,
        final long recoveredPromisedBallot,
        final long nowNs)
    {
        this.config = config;
        this.outbox = outbox;
        this.random = random;
        this.selfId = config.selfId();
        this.selfBit = config.selfIndex();
        this.quorum = config.quorum();
        final int windowSlots = config.windowSlots();
        final int budget = config.maxMessageBytes() - Outbox.MESSAGE_OVERHEAD_BYTES;
        final long slotsInParts = (long)Long.SIZE * (budget / Outbox.entryLengthBytes(config.maxValueBytes()));
        this.prepareChunkSlots = (int)Math.max(1, Math.min(windowSlots, slotsInParts));

        mask = windowSlots - 1;
        slotState = new byte[windowSlots];
        slotBallot = new long[windowSlots];
        ackMask = new long[windowSlots];
        valueLength = new int[windowSlots];
        commandCount = new int[windowSlots];
        sentNs = new long[windowSlots];
        slab = new UnsafeBuffer(ByteBuffer.allocateDirect(windowSlots * config.maxValueBytes()));
        chosen = new ChosenSlots(config.maxChosenRanges());
        admittedUpTo = new Long2LongHashMap(Math.max(8, config.maxClients() * 2), 0.65f, -1);

        final int members = config.memberCount();
        promiseParts = new long[members];
        promiseHighestSlot = new long[members];
        memberContactNs = new long[members];

        // A restarted member must never reuse a ballot: its own acceptor's promise is the highest
        // ballot it may have used, and the quorum of every phase 1 includes that acceptor.
        highestSeenBallot = recoveredPromisedBallot;
        electionDeadlineNs = nowNs + randomElectionTimeoutNs();
    }

    public LeaderRole role()
    {
        return role;
    }

    public long ballot()
    {
        return ballot;
    }

    /**
     * @return the member this one believes leads (itself included), or -1 when it heard none within
     * the election timeout.
     */
    public int leaderMemberId(final long nowNs)
    {
        if (role == LeaderRole.LEADER)
        {
            return selfId;
        }
        if (leaderBallot != NULL_BALLOT && nowNs - leaderContactNs < config.electionTimeoutNs())
        {
            return Ballot.memberId(leaderBallot);
        }
        return -1;
    }

    public long chosenWatermark()
    {
        return role == LeaderRole.LEADER ? windowBase : knownChosenWatermark;
    }

    public long nextSlot()
    {
        return nextSlot;
    }

    public int inFlightSlots()
    {
        return role == LeaderRole.LEADER ? (int)(nextSlot - windowBase) : 0;
    }

    public int inFlightBytes()
    {
        return inFlightBytes;
    }

    public long elections()
    {
        return elections;
    }

    /**
     * Pre-votes started: each may or may not lead to an election ({@link #elections()}).
     */
    public long preVotes()
    {
        return preVotes;
    }

    public long stepDowns()
    {
        return stepDowns;
    }

    public long invalidDropped()
    {
        return invalidDropped;
    }

    /**
     * Heartbeats and Accepts whose ballot does not carry the sender's member id, is negative or jumps
     * more than {@link ProtocolConfig#maxRoundJump()} rounds past the highest seen, and Nacks or
     * PreVote replies reporting such a jump: dropped, so they move no ballot of this member.
     */
    public long ballotsRefused()
    {
        return ballotsRefused;
    }

    public long commandsChosen()
    {
        return commandsChosen;
    }

    /**
     * Commands refused because their client's previous sequence was not admitted first.
     */
    public long outOfOrderRefused()
    {
        return outOfOrderRefused;
    }

    /**
     * Commands admitted without the order check because the admission table was full (learners
     * still enforce the order; this only costs the client a resend).
     */
    public long admissionUntracked()
    {
        return admissionUntracked;
    }

    /**
     * A client command for the leader to sequence.
     *
     * @return {@link #ACCEPTED}, {@link #NOT_LEADER}, {@link #BACK_PRESSURED} or {@link #TOO_LARGE}.
     */
    public int onClientCommand(
        final long clientId, final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        if (role != LeaderRole.LEADER)
        {
            return NOT_LEADER;
        }
        if (sequence < 1)
        {
            return INVALID;
        }
        final int commandLength = BatchDescriptor.commandLength(length);
        if (length < 0 || commandLength > config.maxValueBytes())
        {
            return TOO_LARGE;
        }
        if (recovering || inFlightBytes + commandLength > config.windowBytes())
        {
            return BACK_PRESSURED;
        }
        if (!isAdmissible(clientId, sequence))
        {
            outOfOrderRefused++;
            return OUT_OF_ORDER;
        }
        if (!append(clientId, sequence, buffer, offset, length))
        {
            return BACK_PRESSURED;
        }
        admitted(clientId, sequence);
        return ACCEPTED;
    }

    /**
     * A session event for the log: {@link BatchDescriptor#SESSION_OPEN} with the sequence the client
     * sends next, {@link BatchDescriptor#SESSION_CLOSE} or {@link BatchDescriptor#SESSION_EXPIRE}.
     * The outcome reaches the client from the learners once the entry is applied.
     *
     * @return {@link #ACCEPTED}, {@link #NOT_LEADER} or {@link #BACK_PRESSURED}.
     */
    public int onSessionEvent(final long clientId, final long type, final long nextSequence)
    {
        if (role != LeaderRole.LEADER)
        {
            return NOT_LEADER;
        }
        final int length = type == BatchDescriptor.SESSION_OPEN ? BatchDescriptor.OPEN_PAYLOAD_LENGTH : 0;
        if (recovering || inFlightBytes + BatchDescriptor.commandLength(length) > config.windowBytes() ||
            (type == BatchDescriptor.SESSION_OPEN && nextSequence < 1))
        {
            return BACK_PRESSURED;
        }
        openPayload.putLong(0, nextSequence, java.nio.ByteOrder.LITTLE_ENDIAN);
        if (!append(clientId, type, openPayload, 0, length))
        {
            return BACK_PRESSURED;
        }
        if (type != BatchDescriptor.SESSION_OPEN)
        {
            admittedUpTo.remove(clientId);
        }
        return ACCEPTED;
    }

    /**
     * This member's learner applied (or skipped as applied) the client's commands up to
     * {@code sequence}: the client sends what follows, so admission must let it through even when
     * this leadership never saw the earlier ones (they were applied from an earlier leadership's log).
     */
    public void onApplied(final long clientId, final long sequence)
    {
        if (role == LeaderRole.LEADER)
        {
            raiseAdmitted(clientId, sequence);
        }
    }

    private void raiseAdmitted(final long clientId, final long sequence)
    {
        final long upTo = admittedUpTo.get(clientId);
        if (upTo < sequence && (upTo >= 0 || admittedUpTo.size() < config.maxClients()))
        {
            admittedUpTo.put(clientId, sequence);
        }
    }

    /**
     * The leader's half of per-client FIFO, one check per command (the batch ingress path calls it
     * for each command too): once this leadership knows where a client stands (this member's
     * learner applied its commands while it leads; a session-open request is no proof, it may be a
     * late copy), sequence n is admitted only after n - 1 was, and anything goes before that (a first sequence seen could be a stale copy, and
     * taking it as the mark could refuse the client's real next one for good). A resend of a lower
     * sequence is admitted again: the earlier copy may sit behind a gap, and the learners skip it if
     * it was applied. Learners decide what is applied; this check only keeps gaps out of the log, so that
     * a client's commands do not pile up unapplied behind a lost one. Pure: the caller records an
     * admitted command once it is in the log.
     */
    public boolean isAdmissible(final long clientId, final long sequence)
    {
        final long upTo = admittedUpTo.get(clientId);
        return upTo < 0 || sequence <= upTo + 1;
    }

    /**
     * Records that a command was put in the log by this leadership; see {@link #isAdmissible}.
     */
    private void admitted(final long clientId, final long sequence)
    {
        final long upTo = admittedUpTo.get(clientId);
        if (upTo >= 0 && sequence == upTo + 1)
        {
            admittedUpTo.put(clientId, sequence);
        }
        else if (upTo < 0 && admittedUpTo.size() >= config.maxClients())
        {
            admissionUntracked++;
        }
    }

    private boolean append(
        final long clientId, final long sequence, final DirectBuffer buffer, final int offset, final int length)
    {
        final int commandLength = BatchDescriptor.commandLength(length);
        int index = (int)((nextSlot - 1) & mask);
        if (nextSlot == windowBase || slotState[index] != OPEN ||
            valueLength[index] + commandLength > config.maxValueBytes() ||
            commandCount[index] == config.maxBatchCommands())
        {
            if (nextSlot - windowBase >= config.windowSlots())
            {
                return false;
            }
            if (nextSlot > windowBase && slotState[index] == OPEN)
            {
                // Seal the full slot now: doWork seals only the last one, and an OPEN slot's acks
                // would never count, so it would never be chosen nor retransmitted.
                slotState[index] = PROPOSED;
            }
            index = (int)(nextSlot & mask);
            resetSlot(index, OPEN);
            nextSlot++;
        }
        final int valueOffset = index * config.maxValueBytes();
        BatchDescriptor.write(slab, valueOffset + valueLength[index], clientId, sequence, buffer, offset, length);
        valueLength[index] += commandLength;
        commandCount[index]++;
        inFlightBytes += commandLength;
        return true;
    }

    /**
     * The fixed part of a Promise (or of one of its parts). Its entries follow through
     * {@link #onPromiseEntry}, then {@link #onPromiseEnd()}.
     */
    public void onPromise(
        final int from,
        final long ballot,
        final long fromSlot,
        final long highestSlot,
        final int partIndex,
        final int partCount)
    {
        seen(ballot);
        final int member = config.indexOf(from);
        promiseValid = false;
        if (member < 0 || ballot != this.ballot || !collectingPromises || fromSlot != prepareFrom ||
            (promisedMask & (1L << member)) != 0)
        {
            return;
        }
        if (partCount < 1 || partCount > Long.SIZE || partIndex < 0 || partIndex >= partCount)
        {
            invalidDropped++;
            return;
        }
        memberContactNs[member] = Math.max(memberContactNs[member], prepareSentNs);
        promiseValid = true;
        promiseParts[member] |= 1L << partIndex;
        promiseHighestSlot[member] = Math.max(promiseHighestSlot[member], highestSlot);
        if (Long.bitCount(promiseParts[member]) == partCount)
        {
            promisedMask |= 1L << member;
        }
    }

    public void onPromiseEntry(
        final long slot, final long entryBallot, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!promiseValid || slot < prepareFrom || slot >= prepareTo || config.mutation() == Mutation.SKIP_RECOVERY)
        {
            return;
        }
        if (length > config.maxValueBytes() || entryBallot >= ballot ||
            BatchDescriptor.validate(buffer, offset, length) < 0)
        {
            invalidDropped++;
            return;
        }
        final int index = (int)(slot & mask);
        // Keep the value with the highest accepted ballot: if any value was chosen for the slot, that
        // one carries it (the heart of Paxos safety).
        if (slotState[index] != RECOVERED || entryBallot > slotBallot[index])
        {
            slotState[index] = RECOVERED;
            slotBallot[index] = entryBallot;
            valueLength[index] = length;
            commandCount[index] = BatchDescriptor.validate(buffer, offset, length);
            slab.putBytes(index * config.maxValueBytes(), buffer, offset, length);
        }
    }

    public void onPromiseEnd(final long nowNs)
    {
        if (!promiseValid)
        {
            return;
        }
        promiseValid = false;
        askSelfOnceMajorityOfPeersPromised();
        if (Long.bitCount(promisedMask) >= quorum &&
            ((promisedMask & (1L << selfBit)) != 0 || config.mutation() == Mutation.REUSE_BALLOT))
        {
            onPhase1Complete(nowNs);
        }
    }

    public void onNack(final int from, final long ballot, final long promisedBallot, final long nowNs)
    {
        if (!isSaneReportedBallot(promisedBallot))
        {
            return;
        }
        seen(promisedBallot);
        if ((role == LeaderRole.CANDIDATE || role == LeaderRole.LEADER) && ballot == this.ballot &&
            promisedBallot > this.ballot)
        {
            stepDown(nowNs);
        }
    }

    /**
     * An acceptor's answer to this member's PreVote at {@code ballot}.
     */
    public void onPreVoteReply(
        final int from, final long ballot, final boolean granted, final long promisedBallot, final long nowNs)
    {
        final int member = config.indexOf(from);
        if (member < 0 || !isSaneReportedBallot(promisedBallot))
        {
            return;
        }
        seen(promisedBallot);
        if (role != LeaderRole.PRE_CANDIDATE || ballot != preVoteBallot || !granted)
        {
            return;
        }
        preVoteGrantedMask |= 1L << member;
        if (Long.bitCount(preVoteGrantedMask) >= quorum)
        {
            startElection(nowNs);
        }
    }

    /**
     * One acknowledged range of an Accepted; an Accepted without ranges answers a heartbeat.
     */
    public void onAccepted(final int from, final long ballot, final long fromSlot, final long toSlot, final long nowNs)
    {
        final int member = config.indexOf(from);
        if (member < 0 || ballot != this.ballot || role != LeaderRole.LEADER)
        {
            return;
        }
        memberContactNs[member] = nowNs;
        final long start = Math.max(fromSlot, windowBase);
        final long end = Math.min(toSlot, sentUpTo);
        final long bit = 1L << member;
        for (long slot = start; slot < end; slot++)
        {
            final int index = (int)(slot & mask);
            if (slotState[index] == PROPOSED)
            {
                ackMask[index] |= bit;
                if (Long.bitCount(ackMask[index]) >= quorum)
                {
                    onChosen(slot, index);
                }
            }
        }
        advanceWindow();
    }

    /**
     * What this member's own acceptor has promised, as the runtime last read it: traffic at a lower
     * ballot is from a leader the acceptor already refuses (it Nacks its Accepts), so it is no proof
     * of a live leader.
     */
    public void onOwnPromise(final long promisedBallot)
    {
        if (promisedBallot > ownPromisedBallot)
        {
            ownPromisedBallot = promisedBallot;
            seen(promisedBallot);
        }
    }

    /**
     * A heartbeat from a leader (possibly this member's own), or the header of its Accept: either
     * shows that leader alive.
     */
    public void onHeartbeat(final int from, final long ballot, final long chosenWatermark, final long nowNs)
    {
        if (config.indexOf(from) < 0)
        {
            invalidDropped++;
            return;
        }
        if (!Ballot.isSane(ballot, from, highestSeenBallot, config.maxRoundJump()))
        {
            ballotsRefused++;
            return;
        }
        seen(ballot);
        if (from == selfId || !isCurrentLeaderBallot(ballot))
        {
            return;
        }
        if (role == LeaderRole.CANDIDATE || role == LeaderRole.LEADER)
        {
            // Only a ballot above its own is a newer leader: a lower one is the leader this candidacy
            // (or leadership) is deposing, still sending until it hears so.
            if (ballot < this.ballot)
            {
                return;
            }
            stepDown(nowNs);
        }
        // A pre-candidate has raised no ballot: the leader it hears is alive, so it follows again.
        role = LeaderRole.FOLLOWER;
        leaderBallot = ballot;
        leaderContactNs = nowNs;
        electionDeadlineNs = nowNs + randomElectionTimeoutNs();
        knownChosenWatermark = Math.max(knownChosenWatermark, chosenWatermark);
    }

    /**
     * Timers, batching and sends: call once per duty cycle after the inbound messages.
     *
     * @return amount of work done.
     */
    public int doWork(final long nowNs)
    {
        int work = 0;
        switch (role)
        {
            case FOLLOWER:
                if (nowNs >= electionDeadlineNs)
                {
                    startPreVote(nowNs);
                    work++;
                }
                break;

            case PRE_CANDIDATE:
                if (nowNs >= electionDeadlineNs)
                {
                    startPreVote(nowNs);
                    work++;
                }
                else
                {
                    work += retransmitPreVote(nowNs);
                }
                break;

            case CANDIDATE:
                if (nowNs >= electionDeadlineNs)
                {
                    // Phase 1 did not complete in time: ask again whether it could win before raising
                    // the ballot once more.
                    startPreVote(nowNs);
                    work++;
                }
                else
                {
                    work += retransmitPrepare(nowNs);
                }
                break;

            case LEADER:
                work += leaderWork(nowNs);
                break;
        }
        return work;
    }

    public int wrapValue(final long slot, final DirectBuffer view)
    {
        if (slot < windowBase || slot >= nextSlot)
        {
            return -1;
        }
        final int index = (int)(slot & mask);
        view.wrap(slab, index * config.maxValueBytes(), valueLength[index]);
        return valueLength[index];
    }

    private int leaderWork(final long nowNs)
    {
        int work = 0;
        if (!hasQuorumContact(nowNs))
        {
            // A leader that cannot reach a majority cannot commit: step down so clients are
            // redirected instead of waiting on it.
            stepDown(nowNs);
            return 1;
        }
        if (collectingPromises)
        {
            return retransmitPrepare(nowNs);
        }
        if (recovering && windowBase == nextSlot)
        {
            beginPrepare(nextSlot, nowNs);
            return 1;
        }

        final int openIndex = (int)((nextSlot - 1) & mask);
        if (nextSlot > windowBase && slotState[openIndex] == OPEN)
        {
            slotState[openIndex] = PROPOSED;
        }
        if (sentUpTo < nextSlot)
        {
            work += sendAccepts(sentUpTo, nextSlot, nowNs);
            sentUpTo = nextSlot;
        }
        if (nowNs >= nextRetransmitScanNs)
        {
            work += retransmitAccepts(nowNs);
            nextRetransmitScanNs = nowNs + (config.retransmitTimeoutNs() >> 1);
        }
        if (nowNs - lastHeartbeatNs >= config.heartbeatIntervalNs())
        {
            refreshChosen();
            outbox.heartbeat(Outbox.ALL, chosen);
            lastHeartbeatNs = nowNs;
            chosenChanged = false;
            work++;
        }
        else if (chosenChanged)
        {
            // Nothing went out this cycle to carry the news: learners should not wait for a heartbeat.
            refreshChosen();
            outbox.chosenState(Outbox.ALL, chosen);
            chosenChanged = false;
            work++;
        }
        return work;
    }

    /**
     * Pre-vote: before it raises any ballot, a member that hears no leader asks the others whether
     * they would promise one. Only a majority of yes (its own included) lets it run phase 1, so a
     * member that stalled, or was cut off, while the rest still hear a healthy leader, cannot depose
     * it: they refuse, and nothing anywhere was persisted or changed.
     */
    private void startPreVote(final long nowNs)
    {
        preVotes++;
        role = LeaderRole.PRE_CANDIDATE;
        collectingPromises = false;
        preVoteBallot = Ballot.above(Math.max(highestSeenBallot, ballot), selfId);
        preVoteGrantedMask = 1L << selfBit;
        electionDeadlineNs = nowNs + randomElectionTimeoutNs();
        if (quorum <= 1 || config.mutation() == Mutation.SKIP_PRE_VOTE)
        {
            startElection(nowNs);
            return;
        }
        sendPreVotes(nowNs);
    }

    private int retransmitPreVote(final long nowNs)
    {
        if (nowNs - preVoteSentNs < config.retransmitTimeoutNs())
        {
            return 0;
        }
        sendPreVotes(nowNs);
        return 1;
    }

    /**
     * To every member that has not granted yet: a refusal turns into a grant once that member, too,
     * has heard no leader for the election timeout.
     */
    private void sendPreVotes(final long nowNs)
    {
        preVoteSentNs = nowNs;
        final int[] members = config.memberIds();
        for (int i = 0; i < members.length; i++)
        {
            if ((preVoteGrantedMask & (1L << i)) == 0)
            {
                outbox.preVote(members[i], preVoteBallot);
            }
        }
    }

    private void startElection(final long nowNs)
    {
        elections++;
        role = LeaderRole.CANDIDATE;
        ballot = Ballot.above(config.mutation() == Mutation.REUSE_BALLOT ? ballot : Math.max(highestSeenBallot, ballot), selfId);
        highestSeenBallot = ballot;
        ballotStartSlot = knownChosenWatermark;
        windowBase = knownChosenWatermark;
        nextSlot = windowBase;
        sentUpTo = windowBase;
        inFlightBytes = 0;
        recovering = false;
        Arrays.fill(slotState, EMPTY);
        // What a previous leadership admitted says nothing about what this one's log holds.
        admittedUpTo.clear();
        electionDeadlineNs = nowNs + randomElectionTimeoutNs();
        beginPrepare(windowBase, nowNs);
    }

    /**
     * Phase 1 asks the peers first and this member's own acceptor last, once a majority of the rest
     * promised. A candidacy the others refuse (they still hear a leader) then persists nothing, so its
     * higher ballot cannot make this member's acceptor reject the healthy leader. The own promise
     * still comes before any Accept at the ballot, which is what keeps a restarted member from ever
     * reusing a ballot it proposed with.
     */
    private void beginPrepare(final long fromSlot, final long nowNs)
    {
        collectingPromises = true;
        prepareFrom = fromSlot;
        prepareTo = fromSlot + prepareChunkSlots;
        promisedMask = 0;
        selfAsked = false;
        recoveryHighestSlot = -1;
        Arrays.fill(promiseParts, 0);
        Arrays.fill(promiseHighestSlot, -1);
        prepareSentNs = nowNs;
        final int[] members = config.memberIds();
        for (int i = 0; i < members.length; i++)
        {
            if (i != selfBit)
            {
                outbox.prepare(members[i], ballot, prepareFrom, prepareTo);
            }
        }
        askSelfOnceMajorityOfPeersPromised();
    }

    private void askSelfOnceMajorityOfPeersPromised()
    {
        if (!selfAsked && Long.bitCount(promisedMask & ~(1L << selfBit)) >= quorum - 1)
        {
            selfAsked = true;
            outbox.prepare(selfId, ballot, prepareFrom, prepareTo);
        }
    }

    private int retransmitPrepare(final long nowNs)
    {
        if (nowNs - prepareSentNs < config.retransmitTimeoutNs())
        {
            return 0;
        }
        prepareSentNs = nowNs;
        final int[] members = config.memberIds();
        for (int i = 0; i < members.length; i++)
        {
            if ((promisedMask & (1L << i)) == 0 && (i != selfBit || selfAsked))
            {
                outbox.prepare(members[i], ballot, prepareFrom, prepareTo);
            }
        }
        return 1;
    }

    private void onPhase1Complete(final long nowNs)
    {
        collectingPromises = false;
        for (int i = 0; i < promiseHighestSlot.length; i++)
        {
            if ((promisedMask & (1L << i)) != 0)
            {
                recoveryHighestSlot = Math.max(recoveryHighestSlot, promiseHighestSlot[i]);
            }
        }
        final long limit = Math.max(prepareFrom, Math.min(prepareTo, recoveryHighestSlot + 1));
        for (long slot = prepareFrom; slot < limit; slot++)
        {
            final int index = (int)(slot & mask);
            if (slotState[index] != RECOVERED)
            {
                // A hole no majority member reports cannot have been chosen: fill it with a no-op.
                valueLength[index] = 0;
                commandCount[index] = 0;
            }
            slotState[index] = PROPOSED;
            ackMask[index] = 0;
            sentNs[index] = 0;
            inFlightBytes += valueLength[index];
        }
        for (long slot = limit; slot < prepareTo; slot++)
        {
            slotState[(int)(slot & mask)] = EMPTY;
        }
        nextSlot = limit;
        recovering = recoveryHighestSlot >= prepareTo;
        if (role == LeaderRole.CANDIDATE)
        {
            role = LeaderRole.LEADER;
            leaderBallot = ballot;
            leaderSinceNs = nowNs;
            Arrays.fill(memberContactNs, nowNs);
            lastHeartbeatNs = nowNs - config.heartbeatIntervalNs();
            chosenChanged = true;
        }
    }

    private int sendAccepts(final long fromSlot, final long toSlot, final long nowNs)
    {
        refreshChosen();
        chosenChanged = false;
        final int budget = config.maxMessageBytes() - Outbox.MESSAGE_OVERHEAD_BYTES -
            config.maxChosenRanges() * Outbox.RANGE_LENGTH_BYTES;
        int messages = 0;
        long start = fromSlot;
        int bytes = 0;
        for (long slot = fromSlot; slot < toSlot; slot++)
        {
            final int index = (int)(slot & mask);
            final int entryBytes = Outbox.entryLengthBytes(valueLength[index]);
            if (slot > start && (slot - start == config.maxSlotsPerAccept() || bytes + entryBytes > budget))
            {
                outbox.accept(Outbox.ALL, ballot, start, slot, this, chosen);
                messages++;
                start = slot;
                bytes = 0;
            }
            bytes += entryBytes;
            sentNs[index] = nowNs;
        }
        if (start < toSlot)
        {
            outbox.accept(Outbox.ALL, ballot, start, toSlot, this, chosen);
            messages++;
        }
        return messages;
    }

    private int retransmitAccepts(final long nowNs)
    {
        int work = 0;
        long runStart = -1;
        for (long slot = windowBase; slot < sentUpTo; slot++)
        {
            final int index = (int)(slot & mask);
            final boolean due = slotState[index] == PROPOSED && nowNs - sentNs[index] >= config.retransmitTimeoutNs();
            if (due && runStart < 0)
            {
                runStart = slot;
            }
            else if (!due && runStart >= 0)
            {
                work += sendAccepts(runStart, slot, nowNs);
                runStart = -1;
            }
        }
        if (runStart >= 0)
        {
            work += sendAccepts(runStart, sentUpTo, nowNs);
        }
        return work;
    }

    private void onChosen(final long slot, final int index)
    {
        slotState[index] = CHOSEN;
        chosenChanged = true;
        commandsChosen += commandCount[index];
        if (commandCount[index] > 0 && config.mutation() == Mutation.ACK_ON_CHOSEN)
        {
            // The planted bug: chosen is not applied (a learner may skip the command as a duplicate
            // or leave it behind a gap), so this acknowledgement can be false.
            final int base = index * config.maxValueBytes();
            final int limit = base + valueLength[index];
            int position = base;
            while (position < limit)
            {
                final long sequence = BatchDescriptor.sequence(slab, position);
                if (!BatchDescriptor.isSessionEvent(sequence))
                {
                    outbox.clientAck(BatchDescriptor.clientId(slab, position), sequence, sequence, slot,
                        SessionTable.APPLIED);
                }
                position += BatchDescriptor.commandLength(BatchDescriptor.payloadLength(slab, position));
            }
        }
    }

    private void advanceWindow()
    {
        while (windowBase < sentUpTo)
        {
            final int index = (int)(windowBase & mask);
            if (slotState[index] != CHOSEN)
            {
                break;
            }
            inFlightBytes -= valueLength[index];
            slotState[index] = EMPTY;
            windowBase++;
        }
        knownChosenWatermark = Math.max(knownChosenWatermark, windowBase);
        checkWindow();
    }

    /**
     * The window's own bookkeeping: bytes in flight never below zero, and never more slots in flight
     * than the window holds (slot state is a ring indexed by slot, so more would alias).
     */
    private void checkWindow()
    {
        if (inFlightBytes < 0 || nextSlot - windowBase > config.windowSlots() || sentUpTo > nextSlot ||
            windowBase > sentUpTo)
        {
            throw new InvariantViolation("leader window: windowBase=" + windowBase + " sentUpTo=" + sentUpTo +
                " nextSlot=" + nextSlot + " inFlightBytes=" + inFlightBytes + " windowSlots=" + config.windowSlots());
        }
    }

    private void refreshChosen()
    {
        chosen.reset(ballot, ballotStartSlot, windowBase);
        final SlotRanges ranges = chosen.ranges();
        for (long slot = windowBase; slot < sentUpTo; slot++)
        {
            if (slotState[(int)(slot & mask)] == CHOSEN && !ranges.addSlot(slot))
            {
                break;
            }
        }
    }

    private boolean hasQuorumContact(final long nowNs)
    {
        if (nowNs - leaderSinceNs < config.electionTimeoutNs())
        {
            return true;
        }
        int reachable = 0;
        for (int i = 0; i < memberContactNs.length; i++)
        {
            if (i == selfBit || nowNs - memberContactNs[i] < config.electionTimeoutNs())
            {
                reachable++;
            }
        }
        return reachable >= quorum;
    }

    private void stepDown(final long nowNs)
    {
        stepDowns++;
        role = LeaderRole.FOLLOWER;
        collectingPromises = false;
        recovering = false;
        knownChosenWatermark = Math.max(knownChosenWatermark, windowBase);
        nextSlot = windowBase;
        sentUpTo = windowBase;
        inFlightBytes = 0;
        Arrays.fill(slotState, EMPTY);
        electionDeadlineNs = nowNs + randomElectionTimeoutNs();
    }

    private void resetSlot(final int index, final byte state)
    {
        slotState[index] = state;
        slotBallot[index] = NULL_BALLOT;
        ackMask[index] = 0;
        valueLength[index] = 0;
        commandCount[index] = 0;
        sentNs[index] = 0;
    }

    /**
     * Traffic at a ballot below the last leader followed, or below the own acceptor's promise, comes
     * from a deposed leader.
     */
    private boolean isCurrentLeaderBallot(final long ballot)
    {
        return ballot >= leaderBallot && ballot >= ownPromisedBallot;
    }

    /**
     * A ballot an acceptor reports (its promise) carries no sender to check, only its size.
     */
    private boolean isSaneReportedBallot(final long ballot)
    {
        if (ballot >= 0 && Ballot.round(ballot) - Ballot.round(highestSeenBallot) <= config.maxRoundJump())
        {
            return true;
        }
        ballotsRefused++;
        return false;
    }

    private void seen(final long ballot)
    {
        if (ballot > highestSeenBallot)
        {
            highestSeenBallot = ballot;
        }
    }

    private long randomElectionTimeoutNs()
    {
        final long timeoutNs = config.electionTimeoutNs();
        return timeoutNs + random.nextLong(timeoutNs + 1);
    }
}
