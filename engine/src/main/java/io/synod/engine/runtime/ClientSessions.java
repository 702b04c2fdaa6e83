package io.synod.engine.runtime;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.synod.codecs.ClientAckEncoder;
import io.synod.codecs.ErrorCode;
import io.synod.codecs.ErrorEncoder;
import io.synod.codecs.MessageHeaderEncoder;
import io.synod.codecs.RedirectEncoder;
import io.synod.codecs.SessionEventCode;
import io.synod.codecs.SessionEventEncoder;
import io.synod.engine.protocol.Leader;
import io.synod.engine.transport.LeaderAdapter;
import io.synod.engine.transport.MessagePublisher;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Client sessions at one member: the response publication of every client that opened a session,
 * and the answers to client requests: acknowledgements, redirects to the leader, errors with a code
 * and text. Single-threaded: owned by the leader agent.
 * <p>
 * Clients open a session with every member, so that after a leader change the new leader can answer
 * at once. A command from a client without a session cannot be answered and is dropped and counted.
 */
final class ClientSessions implements LeaderAdapter.ClientHandler, MessagePublisher.ClientResponder, AutoCloseable
{
    private static final byte[] NO_ENDPOINT = new byte[0];

    private final Aeron aeron;
    private final int clusterId;
    private final int memberId;
    private final int maxClients;
    private final List<ClusterMember> members;
    private final NodeCounters counters;
    private final byte[][] endpoints;
    private final Long2ObjectHashMap<ExclusivePublication> sessions = new Long2ObjectHashMap<>();
    // Clients challenged or refused by the authenticator: answered, never admitted; bounded with the
    // sessions by maxClients and expired like them.
    private final Long2ObjectHashMap<ExclusivePublication> unauthenticated = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<String> principals = new Long2ObjectHashMap<>();
    private volatile java.util.Map<Long, String> principalView = java.util.Map.of();
    private final Authenticator authenticator;
    private final AuthenticationDecision decision = new AuthenticationDecision();
    private final Long2LongHashMap lastActivityNs = new Long2LongHashMap(Long.MIN_VALUE);
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
        this.maxClients = maxClients;
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

    int sessionCount()
    {
        return sessions.size();
    }

    public void onSessionOpen(
        final long clientId, final long correlationId, final int responseStreamId, final DirectBuffer channel,
        final int offset, final int length, final DirectBuffer credentials, final int credentialsOffset,
        final int credentialsLength)
    {
        ExclusivePublication publication = sessions.get(clientId);
        if (publication != null)
        {
            lastActivityNs.put(clientId, nowNs);
            sendSessionEvent(publication, clientId, correlationId, SessionEventCode.OPEN, "");
            return;
        }
        publication = unauthenticated.get(clientId);
        if (publication == null)
        {
            if (sessions.size() + unauthenticated.size() >= maxClients || length <= 0 || length > 1024)
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
            // Not a session until the authenticator accepts: commands from here are dropped.
            unauthenticated.put(clientId, publication);
        }
        lastActivityNs.put(clientId, nowNs);
        authenticate(clientId, credentials, credentialsOffset, credentialsLength);
        switch (decision.outcome())
        {
            case ACCEPT:
                unauthenticated.remove(clientId);
                sessions.put(clientId, publication);
                principals.put(clientId, decision.principal());
                publishPrincipals();
                sendSessionEvent(publication, clientId, correlationId, SessionEventCode.OPEN, "");
                break;

            case CHALLENGE:
                sendSessionEvent(publication, clientId, correlationId, SessionEventCode.CHALLENGE,
                    decision.challengeText());
                break;

            default:
                counters.clientsRejected.incrementRelease();
                sendSessionEvent(publication, clientId, correlationId, SessionEventCode.AUTHENTICATION_REJECTED,
                    decision.reason() != null ? decision.reason() : "the authenticator decided nothing");
        }
    }

    /**
     * The principal the authenticator accepted a client as, or null if it has no session here. Safe
     * from any thread (the learner's delivery handler, say): reads a snapshot the leader agent
     * replaces whenever a session opens or closes.
     */
    String principal(final long clientId)
    {
        return principalView.get(clientId);
    }

    private void authenticate(
        final long clientId, final DirectBuffer credentials, final int credentialsOffset, final int credentialsLength)
    {
        final byte[] bytes = new byte[Math.max(credentialsLength, 0)];
        credentials.getBytes(credentialsOffset, bytes);
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

    private void sendSessionEvent(
        final ExclusivePublication publication, final long clientId, final long correlationId,
        final SessionEventCode code, final String detail)
    {
        sessionEvent.wrapAndApplyHeader(buffer, 0, header)
            .clusterId(clusterId).memberId(memberId).clientId(clientId).correlationId(correlationId)
            .leaderMemberId(leader.leaderMemberId(nowNs)).code(code).detail(detail);
        MessagePublisher.offer(publication, buffer, MessageHeaderEncoder.ENCODED_LENGTH + sessionEvent.encodedLength(),
            counters.backPressure);
    }

    private void forget(final long clientId)
    {
        final ExclusivePublication publication = sessions.remove(clientId);
        final ExclusivePublication pendingPublication = unauthenticated.remove(clientId);
        if (publication != null)
        {
            publication.close();
        }
        if (pendingPublication != null)
        {
            pendingPublication.close();
        }
        if (principals.remove(clientId) != null)
        {
            publishPrincipals();
        }
        authenticator.onSessionClosed(clientId);
    }

    private void publishPrincipals()
    {
        // Session open and close only, never per command: a copy is cheap enough there.
        final java.util.HashMap<Long, String> copy = new java.util.HashMap<>(principals);
        principalView = java.util.Collections.unmodifiableMap(copy);
    }

    public void onClientCommand(
        final long clientId, final long sequence, final DirectBuffer payload, final int offset, final int length)
    {
        final ExclusivePublication publication = sessions.get(clientId);
        if (publication == null)
        {
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
                sendRedirect(publication, clientId, sequence);
                break;

            case Leader.BACK_PRESSURED:
                sendError(publication, clientId, sequence, ErrorCode.BACK_PRESSURED, "back pressured: window full");
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
        lastActivityNs.remove(clientId);
        forget(clientId);
    }

    /**
     * Closes sessions no client kept alive within the session timeout (clients re-open theirs every
     * second), so a vanished client's publication does not stay forever.
     *
     * @return sessions closed.
     */
    int expireIdle(final long nowNs)
    {
        if (nowNs < nextExpiryCheckNs)
        {
            return 0;
        }
        nextExpiryCheckNs = nowNs + Math.min(sessionTimeoutNs, 1_000_000_000L);
        int expired = 0;
        final Long2LongHashMap.EntryIterator iterator = lastActivityNs.entrySet().iterator();
        while (iterator.hasNext())
        {
            iterator.next();
            if (nowNs - iterator.getLongValue() > sessionTimeoutNs)
            {
                forget(iterator.getLongKey());
                iterator.remove();
                expired++;
            }
        }
        return expired;
    }

    public void clientAck(final long clientId, final long sequence, final long slot)
    {
        final ExclusivePublication publication = sessions.get(clientId);
        if (publication != null)
        {
            final int length = MessagePublisher.encodeClientAck(
                buffer, header, ack, clusterId, memberId, clientId, sequence, slot);
            MessagePublisher.offer(publication, buffer, length, counters.backPressure);
        }
    }

    private void sendRedirect(final ExclusivePublication publication, final long clientId, final long sequence)
    {
        final int leaderId = leader.leaderMemberId(nowNs);
        redirect.wrapAndApplyHeader(buffer, 0, header)
            .clusterId(clusterId).memberId(memberId).leaderMemberId(leaderId);
        final byte[] endpoint = endpointOf(leaderId);
        redirect.putEndpoint(endpoint, 0, endpoint.length);
        MessagePublisher.offer(publication, buffer, MessageHeaderEncoder.ENCODED_LENGTH + redirect.encodedLength(),
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
        MessagePublisher.offer(publication, buffer, MessageHeaderEncoder.ENCODED_LENGTH + error.encodedLength(),
            counters.backPressure);
    }

    public void close()
    {
        sessions.values().forEach(ExclusivePublication::close);
        sessions.clear();
        unauthenticated.values().forEach(ExclusivePublication::close);
        unauthenticated.clear();
    }
}
