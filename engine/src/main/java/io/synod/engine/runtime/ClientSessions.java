package io.synod.engine.runtime;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.synod.codecs.ClientAckEncoder;
import io.synod.codecs.AckStatus;
import io.synod.codecs.ErrorCode;
import io.synod.codecs.ErrorEncoder;
import io.synod.codecs.MessageHeaderEncoder;
import io.synod.codecs.RedirectEncoder;
import io.synod.codecs.SessionEventCode;
import io.synod.codecs.SessionEventEncoder;
import io.synod.engine.protocol.BatchDescriptor;
import io.synod.engine.protocol.Leader;
import io.synod.engine.protocol.LeaderRole;
import io.synod.engine.transport.LeaderAdapter;
import io.synod.engine.transport.MessagePublisher;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Client sessions at one member: the response path of every client that asked for a session, and
 * the answers to clients. Single-threaded: owned by the leader agent.
 * <p>
 * A session is decided in the log, not here: when this member leads, a SessionOpen, a client's
 * close and an idle timeout become session entries the leader proposes ({@link Leader#onSessionEvent});
 * this member's learner applies them and passes the outcome back through the leader ring, and only
 * then does the client hear OPEN (with the last sequence the cluster applied for it),
 * TOO_MANY_SESSIONS or CLOSED. Acknowledgements come the same way, from the learner's outcome, and
 * the member that leads forwards them: every learner decides the same, so whichever forwards tells
 * the truth. Followers answer a SessionOpen with a redirect to the leader.
 * <p>
 * Clients ask every member for a session, so that after a leader change the new leader can answer
 * at once. A command from a client without a response path cannot be answered and is dropped and
 * counted; a command from a client whose session is not open goes to the log like any other, and
 * the learners answer it UNKNOWN_SESSION.
 * <p>
 * Client authentication (issue 14) comes first: a SessionOpen reaches the redirect, the log or the
 * OPEN answer only once this member's {@link Authenticator} accepted the client. A client it
 * challenges or refuses is answered CHALLENGE or AUTHENTICATION_REJECTED and never gets a
 * session-open entry; its commands are dropped and counted. The decision holds at this member until
 * the client's response path is dropped (close, expiry, refusal by the log).
 */
final class ClientSessions implements LeaderAdapter.ClientHandler, AutoCloseable
{
    private static final byte[] NO_ENDPOINT = new byte[0];
    private static final long OPEN_RETRY_NS = 100_000_000L;

    private final Aeron aeron;
    private final int clusterId;
    private final int memberId;
    private final int maxResponsePaths;
    private final List<ClusterMember> members;
    private final NodeCounters counters;
    private final byte[][] endpoints;
    private final Long2ObjectHashMap<ExclusivePublication> responsePaths = new Long2ObjectHashMap<>();
    private final Long2LongHashMap lastActivityNs = new Long2LongHashMap(Long.MIN_VALUE);
    private final Long2LongHashMap openProposedNs = new Long2LongHashMap(Long.MIN_VALUE / 2);
    private final LongHashSet openInLog = new LongHashSet();
    // Clients this member's authenticator accepted, with the principal it accepted them as.
    private final Long2ObjectHashMap<String> principals = new Long2ObjectHashMap<>();
    private volatile java.util.Map<Long, String> principalView = java.util.Map.of();
    private final Authenticator authenticator;
    private final AuthenticationDecision decision = new AuthenticationDecision();
    private final long sessionTimeoutNs;
    private long nextExpiryCheckNs;
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final ClientAckEncoder ack = new ClientAckEncoder();
    private final SessionEventEncoder sessionEvent = new SessionEventEncoder();
    private final RedirectEncoder redirect = new RedirectEncoder();
    private final ErrorEncoder error = new ErrorEncoder();
    private Leader leader;
    private long nowNs;

    ClientSessions(
        final Aeron aeron, final int clusterId, final int memberId, final int maxClients,
        final List<ClusterMember> members, final NodeCounters counters, final long sessionTimeoutNs,
        final Authenticator authenticator)
    {
        this.authenticator = authenticator;
        this.sessionTimeoutNs = sessionTimeoutNs;
        this.aeron = aeron;
        this.clusterId = clusterId;
        this.memberId = memberId;
        // Room for every open session plus as many clients waiting for their open entry to be applied.
        this.maxResponsePaths = maxClients * 2;
        this.members = members;
        this.counters = counters;
        // Redirects answer every command a follower gets: their endpoint bytes are made once, here.
        this.endpoints = new byte[members.size()][];
        for (int i = 0; i < endpoints.length; i++)
        {
            endpoints[i] = members.get(i).endpoint().getBytes(StandardCharsets.US_ASCII);
        }
    }

    void leader(final Leader leader)
    {
        this.leader = leader;
    }

    void nowNs(final long nowNs)
    {
        this.nowNs = nowNs;
    }

    /**
     * Sessions open in the log as far as this member's learner has applied it.
     */
    int sessionCount()
    {
        return openInLog.size();
    }

    int responsePathCount()
    {
        return responsePaths.size();
    }

    private boolean leads()
    {
        return leader.role() == LeaderRole.LEADER;
    }

    public void onSessionOpen(
        final long clientId, final long correlationId, final int responseStreamId, final long nextSequence,
        final DirectBuffer channel, final int offset, final int length, final DirectBuffer credentials,
        final int credentialsOffset, final int credentialsLength)
    {
        ExclusivePublication publication = responsePaths.get(clientId);
        if (publication == null)
        {
            if (responsePaths.size() >= maxResponsePaths || length <= 0 || length > 1024)
            {
                counters.invalidDropped.incrementRelease();
                return;
            }
            final String responseChannel = channel.getStringWithoutLengthAscii(offset, length);
            try
            {
                publication = aeron.addExclusivePublication(responseChannel, responseStreamId);
            }
            catch (final RuntimeException ex)
            {
                // A bad response channel is the client's mistake: it must not take the node down.
                counters.invalidDropped.incrementRelease();
                return;
            }
            responsePaths.put(clientId, publication);
        }
        lastActivityNs.put(clientId, nowNs);
        if (!principals.containsKey(clientId))
        {
            // The authenticator decides before anything else: a client it does not accept is never
            // redirected, answered OPEN or put in the log.
            authenticate(clientId, credentials, credentialsOffset, credentialsLength);
            switch (decision.outcome())
            {
                case ACCEPT:
                    principals.put(clientId, decision.principal());
                    publishPrincipals();
                    break;

                case CHALLENGE:
                    sendSessionEvent(publication, clientId, correlationId, SessionEventCode.CHALLENGE, -1,
                        decision.challengeText());
                    return;

                default:
                    counters.clientsRejected.incrementRelease();
                    sendSessionEvent(publication, clientId, correlationId, SessionEventCode.AUTHENTICATION_REJECTED,
                        -1, decision.reason() != null ? decision.reason() : "the authenticator decided nothing");
                    return;
            }
        }
        if (!leads())
        {
            sendSessionEvent(publication, clientId, correlationId, SessionEventCode.REDIRECT, -1);
            return;
        }
        if (openInLog.contains(clientId))
        {
            // A keepalive, or a client that re-opens after a leader change: nothing to decide. -1:
            // the answer carries no news of the applied sequence.
            sendSessionEvent(publication, clientId, correlationId, SessionEventCode.OPEN, -1);
            return;
        }
        // Clients repeat their open until answered; one entry per retry interval is enough.
        if (nowNs - openProposedNs.get(clientId) >= OPEN_RETRY_NS &&
            leader.onSessionEvent(clientId, BatchDescriptor.SESSION_OPEN, Math.max(1, nextSequence)) == Leader.ACCEPTED)
        {
            openProposedNs.put(clientId, nowNs);
        }
    }

    /**
     * The principal the authenticator accepted a client as, or null if it was not accepted here. Safe
     * from any thread (the learner's delivery handler, say): reads a snapshot the leader agent
     * replaces whenever a client is accepted or forgotten.
     */
    String principal(final long clientId)
    {
        return principalView.get(clientId);
    }

    private void authenticate(
        final long clientId, final DirectBuffer credentials, final int credentialsOffset, final int credentialsLength)
    {
        final byte[] bytes = new byte[Math.max(credentialsLength, 0)];
        if (bytes.length > 0)
        {
            credentials.getBytes(credentialsOffset, bytes);
        }
        decision.reset();
        try
        {
            authenticator.onSessionOpen(clusterId, clientId, bytes, nowNs, decision);
        }
        catch (final RuntimeException ex)
        {
            // An authenticator that fails refuses: it must neither admit the client nor stop the node.
            decision.reset();
            decision.reject("authenticator failed: " + ex.getClass().getSimpleName());
        }
    }

    private void publishPrincipals()
    {
        // Acceptance and forgetting only, never per command: a copy is cheap enough there.
        final java.util.HashMap<Long, String> copy = new java.util.HashMap<>(principals);
        principalView = java.util.Collections.unmodifiableMap(copy);
    }

    public void onClientCommand(
        final long clientId, final long sequence, final DirectBuffer payload, final int offset, final int length)
    {
        final ExclusivePublication publication = responsePaths.get(clientId);
        if (publication == null || !principals.containsKey(clientId))
        {
            // No response path, or a client the authenticator has not accepted: nothing reaches the log.
            counters.invalidDropped.incrementRelease();
            return;
        }
        lastActivityNs.put(clientId, nowNs);
        final int result = leader.onClientCommand(clientId, sequence, payload, offset, length);
        switch (result)
        {
            case Leader.ACCEPTED:
                counters.commands.incrementRelease();
                counters.bytes.getAndAddRelease(length);
                break;

            case Leader.NOT_LEADER:
                sendRedirect(publication);
                break;

            case Leader.BACK_PRESSURED:
                sendError(publication, clientId, sequence, ErrorCode.BACK_PRESSURED, "back pressured: window full");
                break;

            case Leader.OUT_OF_ORDER:
                // Its predecessor did not come first: the client resends from its oldest unacknowledged.
                sendAck(publication, clientId, sequence, -1, AckStatus.GAP);
                break;

            case Leader.TOO_LARGE:
                sendError(publication, clientId, sequence, ErrorCode.PAYLOAD_TOO_LARGE,
                    "payload of " + length + " bytes is too large");
                break;

            default:
                sendError(publication, clientId, sequence, ErrorCode.MALFORMED, "sequence must be >= 1");
        }
    }

    public void onSessionClose(final long clientId)
    {
        if (leads() && openInLog.contains(clientId))
        {
            leader.onSessionEvent(clientId, BatchDescriptor.SESSION_CLOSE, 0);
        }
        else if (!openInLog.contains(clientId))
        {
            dropResponsePath(clientId);
        }
    }

    public void onLearnerAck(
        final long clientId, final long toSequence, final AckStatus status, final DirectBuffer message,
        final int offset, final int length)
    {
        if (status == AckStatus.OK)
        {
            // The last applied, exactly (a duplicate's sequence says only that it is at or below).
            leader.onApplied(clientId, toSequence);
        }
        final ExclusivePublication publication = responsePaths.get(clientId);
        if (publication != null && leads())
        {
            MessagePublisher.offer(publication, message, offset, length, counters.backPressure);
        }
    }

    public void onLearnerSessionEvent(final long clientId, final SessionEventCode code, final long lastSequence)
    {
        final ExclusivePublication publication = responsePaths.get(clientId);
        openProposedNs.remove(clientId);
        if (code == SessionEventCode.OPEN)
        {
            openInLog.add(clientId);
            lastActivityNs.put(clientId, nowNs);
            if (publication != null && leads())
            {
                sendSessionEvent(publication, clientId, 0, SessionEventCode.OPEN, lastSequence);
            }
            return;
        }
        openInLog.remove(clientId);
        if (publication != null && leads())
        {
            if (code == SessionEventCode.REJECTED)
            {
                sendError(publication, clientId, 0, ErrorCode.TOO_MANY_SESSIONS,
                    "TOO_MANY_SESSIONS: every session of the table (synod.max.clients) is open");
            }
            else
            {
                sendSessionEvent(publication, clientId, 0, SessionEventCode.CLOSED, -1);
            }
        }
        dropResponsePath(clientId);
    }

    /**
     * The leader expires sessions no client kept alive within the session timeout (clients re-open
     * theirs every second), through the log; any member closes response paths of clients that have
     * no open session and went quiet, so a vanished client's publication does not stay forever.
     *
     * @return sessions expired or paths closed.
     */
    int expireIdle(final long nowNs)
    {
        if (nowNs < nextExpiryCheckNs)
        {
            return 0;
        }
        nextExpiryCheckNs = nowNs + Math.min(sessionTimeoutNs, 1_000_000_000L);
        final boolean leads = leads();
        int expired = 0;
        final Long2LongHashMap.EntryIterator iterator = lastActivityNs.entrySet().iterator();
        while (iterator.hasNext())
        {
            iterator.next();
            if (nowNs - iterator.getLongValue() <= sessionTimeoutNs)
            {
                continue;
            }
            final long clientId = iterator.getLongKey();
            if (openInLog.contains(clientId))
            {
                // Decided by the leader's clock, and logged: learners never read a clock. Not again
                // for another timeout, whether or not the entry made it.
                if (leads && leader.onSessionEvent(clientId, BatchDescriptor.SESSION_EXPIRE, 0) == Leader.ACCEPTED)
                {
                    iterator.setValue(nowNs);
                    expired++;
                }
            }
            else
            {
                final ExclusivePublication publication = responsePaths.remove(clientId);
                if (publication != null)
                {
                    publication.close();
                }
                openProposedNs.remove(clientId);
                forgetAuthentication(clientId);
                iterator.remove();
                expired++;
            }
        }
        return expired;
    }

    private void dropResponsePath(final long clientId)
    {
        final ExclusivePublication publication = responsePaths.remove(clientId);
        lastActivityNs.remove(clientId);
        if (publication != null)
        {
            publication.close();
        }
        forgetAuthentication(clientId);
    }

    private void forgetAuthentication(final long clientId)
    {
        if (principals.remove(clientId) != null)
        {
            publishPrincipals();
        }
        authenticator.onSessionClosed(clientId);
    }

    private void sendAck(
        final ExclusivePublication publication, final long clientId, final long sequence, final long slot,
        final AckStatus status)
    {
        ack.wrapAndApplyHeader(buffer, 0, header)
            .clusterId(clusterId).memberId(memberId).clientId(clientId).sequence(sequence).slot(slot)
            .status(status).toSequence(sequence);
        MessagePublisher.offer(publication, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + ack.encodedLength(),
            counters.backPressure);
    }

    private void sendSessionEvent(
        final ExclusivePublication publication, final long clientId, final long correlationId,
        final SessionEventCode code, final long lastSequence)
    {
        sendSessionEvent(publication, clientId, correlationId, code, lastSequence, "");
    }

    private void sendSessionEvent(
        final ExclusivePublication publication, final long clientId, final long correlationId,
        final SessionEventCode code, final long lastSequence, final String detail)
    {
        sessionEvent.wrapAndApplyHeader(buffer, 0, header)
            .clusterId(clusterId).memberId(memberId).clientId(clientId).correlationId(correlationId)
            .leaderMemberId(leader.leaderMemberId(nowNs)).code(code).lastSequence(lastSequence).detail(detail);
        MessagePublisher.offer(publication, buffer, 0,
            MessageHeaderEncoder.ENCODED_LENGTH + sessionEvent.encodedLength(), counters.backPressure);
    }

    private void sendRedirect(final ExclusivePublication publication)
    {
        final int leaderId = leader.leaderMemberId(nowNs);
        redirect.wrapAndApplyHeader(buffer, 0, header)
            .clusterId(clusterId).memberId(memberId).leaderMemberId(leaderId);
        final byte[] endpoint = endpointOf(leaderId);
        redirect.putEndpoint(endpoint, 0, endpoint.length);
        MessagePublisher.offer(publication, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + redirect.encodedLength(),
            counters.backPressure);
    }

    private byte[] endpointOf(final int id)
    {
        for (int i = 0; i < members.size(); i++)
        {
            if (members.get(i).id() == id)
            {
                return endpoints[i];
            }
        }
        return NO_ENDPOINT;
    }

    private void sendError(
        final ExclusivePublication publication, final long clientId, final long sequence, final ErrorCode code,
        final String text)
    {
        error.wrapAndApplyHeader(buffer, 0, header)
            .clusterId(clusterId).memberId(memberId).clientId(clientId).sequence(sequence).code(code).text(text);
        MessagePublisher.offer(publication, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + error.encodedLength(),
            counters.backPressure);
    }

    public void close()
    {
        responsePaths.values().forEach(ExclusivePublication::close);
        responsePaths.clear();
        principals.clear();
        principalView = java.util.Map.of();
    }
}
