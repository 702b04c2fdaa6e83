package io.synod.engine.runtime;

import io.aeron.Aeron;
import io.aeron.Counter;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * A node's counters, allocated in its media driver's counters file so that {@code synod stat} (or
 * AeronStat) can read them from another process. Each counter's key holds the cluster id and member
 * id. Created by the node; each counter is written by the one agent that owns the value.
 */
public final class NodeCounters implements AutoCloseable
{
    public static final int ROLE_TYPE_ID = 7001;
    public static final int BALLOT_TYPE_ID = 7002;
    public static final int LEADER_ID_TYPE_ID = 7003;
    public static final int CHOSEN_WATERMARK_TYPE_ID = 7004;
    public static final int DELIVERED_SLOT_TYPE_ID = 7005;
    public static final int IN_FLIGHT_SLOTS_TYPE_ID = 7006;
    public static final int COMMANDS_TYPE_ID = 7007;
    public static final int BYTES_TYPE_ID = 7008;
    public static final int BACK_PRESSURE_TYPE_ID = 7009;
    public static final int ELECTIONS_TYPE_ID = 7010;
    public static final int INVALID_DROPPED_TYPE_ID = 7011;
    public static final int FORCES_TYPE_ID = 7012;
    public static final int FORCE_TIME_NS_TYPE_ID = 7013;
    public static final int PROMISED_BALLOT_TYPE_ID = 7014;
    public static final int COMMANDS_DELIVERED_TYPE_ID = 7015;
    public static final int STALE_REJECTED_TYPE_ID = 7016;
    public static final int CLIENT_SESSIONS_TYPE_ID = 7017;
    // Counts the protocol core keeps, exported so that synod stat shows them; 7030.. keeps this block
    // apart from other additions above.
    public static final int PENDING_OVERFLOWS_TYPE_ID = 7030;
    public static final int STICKY_REFUSALS_TYPE_ID = 7031;
    public static final int ACCEPTOR_INVALID_TYPE_ID = 7032;
    public static final int STEP_DOWNS_TYPE_ID = 7033;
    public static final int LEADER_INVALID_TYPE_ID = 7034;
    public static final int COMMANDS_CHOSEN_TYPE_ID = 7035;
    public static final int LEARNER_INVALID_TYPE_ID = 7036;
    public static final int DUPLICATES_SKIPPED_TYPE_ID = 7037;
    public static final int CATCH_UP_REQUESTS_TYPE_ID = 7038;
    public static final int SESSIONS_REFUSED_TYPE_ID = 7039;
    public static final int MEMBERSHIP_REFUSED_TYPE_ID = 7040;
    // Election and ballot sanity (issues 14, 16).
    public static final int ACCEPTOR_BALLOTS_REFUSED_TYPE_ID = 7050;
    public static final int LEADER_BALLOTS_REFUSED_TYPE_ID = 7051;
    public static final int PRE_VOTES_TYPE_ID = 7052;
    // Per-client FIFO (issue 10): commands the learners did not apply.
    public static final int GAPS_SKIPPED_TYPE_ID = 7055;
    public static final int UNKNOWN_SESSION_SKIPPED_TYPE_ID = 7056;
    // Security counters (issue 14), numbered apart (7060..) so that other additions do not collide.
    public static final int AUTHENTICATION_FAILURES_TYPE_ID = 7060;
    public static final int SOURCE_REJECTED_TYPE_ID = 7061;
    public static final int CLIENTS_REJECTED_TYPE_ID = 7062;
    public static final int MIN_TYPE_ID = ROLE_TYPE_ID;
    public static final int MAX_TYPE_ID = CLIENTS_REJECTED_TYPE_ID;

    public static final int KEY_CLUSTER_ID_OFFSET = 0;
    public static final int KEY_MEMBER_ID_OFFSET = 4;
    public static final int KEY_LENGTH = 8;

    public final Counter role;
    public final Counter ballot;
    public final Counter leaderId;
    public final Counter chosenWatermark;
    public final Counter deliveredSlot;
    public final Counter inFlightSlots;
    public final Counter commands;
    public final Counter bytes;
    public final Counter backPressure;
    public final Counter elections;
    public final Counter invalidDropped;
    public final Counter forces;
    public final Counter forceTimeNs;
    public final Counter promisedBallot;
    public final Counter commandsDelivered;
    public final Counter staleRejected;
    public final Counter clientSessions;
    public final Counter pendingOverflows;
    public final Counter stickyRefusals;
    public final Counter acceptorInvalid;
    public final Counter stepDowns;
    public final Counter leaderInvalid;
    public final Counter commandsChosen;
    public final Counter learnerInvalid;
    public final Counter duplicatesSkipped;
    public final Counter catchUpRequests;
    public final Counter sessionsRefused;
    public final Counter gapsSkipped;
    public final Counter unknownSessionSkipped;
    public final Counter membershipRefused;
    public final Counter acceptorBallotsRefused;
    public final Counter leaderBallotsRefused;
    public final Counter preVotes;
    public final Counter authenticationFailures;
    public final Counter sourceRejected;
    public final Counter clientsRejected;
    private final List<Counter> all = new ArrayList<>();

    public NodeCounters(final Aeron aeron, final int clusterId, final int memberId)
    {
        final UnsafeBuffer key = new UnsafeBuffer(new byte[KEY_LENGTH]);
        key.putInt(KEY_CLUSTER_ID_OFFSET, clusterId);
        key.putInt(KEY_MEMBER_ID_OFFSET, memberId);
        final String prefix = "synod cluster=" + clusterId + " member=" + memberId + ": ";
        role = add(aeron, ROLE_TYPE_ID, key, prefix + "role (0 follower, 1 candidate, 2 leader, 3 pre-candidate)");
        ballot = add(aeron, BALLOT_TYPE_ID, key, prefix + "ballot");
        leaderId = add(aeron, LEADER_ID_TYPE_ID, key, prefix + "leader member id");
        chosenWatermark = add(aeron, CHOSEN_WATERMARK_TYPE_ID, key, prefix + "chosen watermark");
        deliveredSlot = add(aeron, DELIVERED_SLOT_TYPE_ID, key, prefix + "next slot to deliver");
        inFlightSlots = add(aeron, IN_FLIGHT_SLOTS_TYPE_ID, key, prefix + "in-flight slots");
        commands = add(aeron, COMMANDS_TYPE_ID, key, prefix + "commands accepted");
        bytes = add(aeron, BYTES_TYPE_ID, key, prefix + "command bytes accepted");
        backPressure = add(aeron, BACK_PRESSURE_TYPE_ID, key, prefix + "back-pressure events");
        elections = add(aeron, ELECTIONS_TYPE_ID, key, prefix + "elections started");
        invalidDropped = add(aeron, INVALID_DROPPED_TYPE_ID, key, prefix + "invalid messages dropped");
        forces = add(aeron, FORCES_TYPE_ID, key, prefix + "log forces");
        forceTimeNs = add(aeron, FORCE_TIME_NS_TYPE_ID, key, prefix + "log force time ns");
        promisedBallot = add(aeron, PROMISED_BALLOT_TYPE_ID, key, prefix + "promised ballot");
        commandsDelivered = add(aeron, COMMANDS_DELIVERED_TYPE_ID, key, prefix + "commands delivered");
        staleRejected = add(aeron, STALE_REJECTED_TYPE_ID, key, prefix + "stale-ballot messages rejected");
        clientSessions = add(aeron, CLIENT_SESSIONS_TYPE_ID, key, prefix + "client sessions");
        pendingOverflows = add(aeron, PENDING_OVERFLOWS_TYPE_ID, key,
            prefix + "acceptor: requests dropped, pending replies full (synod.max.pending.replies)");
        stickyRefusals = add(aeron, STICKY_REFUSALS_TYPE_ID, key,
            prefix + "acceptor: prepares refused while a live leader is heard");
        acceptorInvalid = add(aeron, ACCEPTOR_INVALID_TYPE_ID, key, prefix + "acceptor: invalid requests dropped");
        stepDowns = add(aeron, STEP_DOWNS_TYPE_ID, key, prefix + "leader: step-downs");
        leaderInvalid = add(aeron, LEADER_INVALID_TYPE_ID, key, prefix + "leader: invalid replies dropped");
        commandsChosen = add(aeron, COMMANDS_CHOSEN_TYPE_ID, key, prefix + "leader: commands chosen");
        learnerInvalid = add(aeron, LEARNER_INVALID_TYPE_ID, key, prefix + "learner: invalid messages dropped");
        duplicatesSkipped = add(aeron, DUPLICATES_SKIPPED_TYPE_ID, key,
            prefix + "learner: duplicate commands skipped");
        catchUpRequests = add(aeron, CATCH_UP_REQUESTS_TYPE_ID, key, prefix + "learner: catch-up requests sent");
        sessionsRefused = add(aeron, SESSIONS_REFUSED_TYPE_ID, key,
            prefix + "learner: sessions refused, session table full (synod.max.clients)");
        gapsSkipped = add(aeron, GAPS_SKIPPED_TYPE_ID, key,
            prefix + "learner: commands not applied, an earlier sequence of the client missing");
        unknownSessionSkipped = add(aeron, UNKNOWN_SESSION_SKIPPED_TYPE_ID, key,
            prefix + "learner: commands not applied, session not open");
        membershipRefused = add(aeron, MEMBERSHIP_REFUSED_TYPE_ID, key,
            prefix + "messages refused from members running another membership (synod.members)");
        acceptorBallotsRefused = add(aeron, ACCEPTOR_BALLOTS_REFUSED_TYPE_ID, key,
            prefix + "ballots refused by the acceptor (not the sender's, or a round jump)");
        leaderBallotsRefused = add(aeron, LEADER_BALLOTS_REFUSED_TYPE_ID, key,
            prefix + "ballots refused by the leader role (not the sender's, or a round jump)");
        preVotes = add(aeron, PRE_VOTES_TYPE_ID, key, prefix + "pre-votes started");
        authenticationFailures = add(aeron, AUTHENTICATION_FAILURES_TYPE_ID, key, prefix + "authentication failures");
        sourceRejected = add(aeron, SOURCE_REJECTED_TYPE_ID, key, prefix + "member frames from a wrong source");
        clientsRejected = add(aeron, CLIENTS_REJECTED_TYPE_ID, key, prefix + "client sessions refused by authenticator");
        leaderId.setRelease(-1);
    }

    private Counter add(final Aeron aeron, final int typeId, final UnsafeBuffer key, final String label)
    {
        final UnsafeBuffer labelBuffer = new UnsafeBuffer(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        final Counter counter = aeron.addCounter(typeId, key, 0, KEY_LENGTH, labelBuffer, 0, labelBuffer.capacity());
        all.add(counter);
        return counter;
    }

    public void close()
    {
        for (final Counter counter : all)
        {
            counter.close();
        }
    }
}
