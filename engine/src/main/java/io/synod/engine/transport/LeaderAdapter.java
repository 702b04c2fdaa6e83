package io.synod.engine.transport;

import io.synod.codecs.AcceptDecoder;
import io.synod.codecs.AcceptedDecoder;
import io.synod.codecs.AckStatus;
import io.synod.codecs.ClientAckDecoder;
import io.synod.codecs.ClientCommandDecoder;
import io.synod.codecs.HeartbeatDecoder;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.NackDecoder;
import io.synod.codecs.PreVoteAnswer;
import io.synod.codecs.PreVoteReplyDecoder;
import io.synod.codecs.PromiseDecoder;
import io.synod.codecs.SessionEventCode;
import io.synod.codecs.SessionEventDecoder;
import io.synod.codecs.SessionOpenDecoder;
import io.synod.engine.protocol.Leader;
import io.synod.engine.protocol.ProtocolConfig;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Decodes what the leader role takes: Promise, PreVoteReply, Nack, Accepted, Heartbeat and Accept from
 * members, SessionOpen
 * and ClientCommand from clients. Single-threaded: owned by the leader agent.
 */
public final class LeaderAdapter extends InboundAdapter
{
    /**
     * Client requests, handled by the leader agent (sessions, redirects, errors).
     */
    public interface ClientHandler
    {
        void onSessionOpen(long clientId, long correlationId, int responseStreamId, long nextSequence,
            DirectBuffer channel, int offset, int length, DirectBuffer credentials, int credentialsOffset,
            int credentialsLength);

        void onClientCommand(long clientId, long sequence, DirectBuffer buffer, int offset, int length);

        void onSessionClose(long clientId);

        /**
         * This node's learner's answer for a client, an encoded ClientAck at {@code offset}.
         */
        void onLearnerAck(long clientId, long toSequence, AckStatus status, DirectBuffer buffer, int offset, int length);

        /**
         * This node's learner applied a session entry of the client: OPEN (with the last sequence
         * applied), REJECTED (the table is full) or CLOSED.
         */
        void onLearnerSessionEvent(long clientId, SessionEventCode code, long lastSequence);
    }

    private final Leader leader;
    private final ClientHandler clientHandler;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final PromiseDecoder promise = new PromiseDecoder();
    private final NackDecoder nack = new NackDecoder();
    private final PreVoteReplyDecoder preVoteReply = new PreVoteReplyDecoder();
    private final AcceptedDecoder accepted = new AcceptedDecoder();
    private final HeartbeatDecoder heartbeat = new HeartbeatDecoder();
    private final AcceptDecoder accept = new AcceptDecoder();
    private final SessionOpenDecoder sessionOpen = new SessionOpenDecoder();
    private final ClientCommandDecoder clientCommand = new ClientCommandDecoder();
    private final SessionEventDecoder sessionEvent = new SessionEventDecoder();
    private final ClientAckDecoder clientAck = new ClientAckDecoder();
    private final UnsafeBuffer value = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer credentials = new UnsafeBuffer(0, 0);
    private long nowNs;

    public LeaderAdapter(
        final int clusterId, final ProtocolConfig config, final int maxMessageBytes, final AtomicCounter invalid,
        final Leader leader, final ClientHandler clientHandler)
    {
        super(clusterId, config, maxMessageBytes, invalid);
        this.leader = leader;
        this.clientHandler = clientHandler;
    }

    public void nowNs(final long nowNs)
    {
        this.nowNs = nowNs;
    }

    protected boolean handles(final int templateId)
    {
        return templateId == PromiseDecoder.TEMPLATE_ID || templateId == NackDecoder.TEMPLATE_ID ||
            templateId == AcceptedDecoder.TEMPLATE_ID || templateId == HeartbeatDecoder.TEMPLATE_ID ||
            templateId == AcceptDecoder.TEMPLATE_ID || templateId == PreVoteReplyDecoder.TEMPLATE_ID ||
            templateId == SessionOpenDecoder.TEMPLATE_ID || templateId == ClientCommandDecoder.TEMPLATE_ID ||
            templateId == SessionEventDecoder.TEMPLATE_ID || templateId == ClientAckDecoder.TEMPLATE_ID;
    }

    protected boolean fromMembersOnly(final int templateId)
    {
        return templateId != SessionOpenDecoder.TEMPLATE_ID && templateId != ClientCommandDecoder.TEMPLATE_ID &&
            templateId != SessionEventDecoder.TEMPLATE_ID && templateId != ClientAckDecoder.TEMPLATE_ID;
    }

    protected void dispatch(final int templateId, final int from, final DirectBuffer buffer, final int offset)
    {
        switch (templateId)
        {
            case PromiseDecoder.TEMPLATE_ID:
            {
                promise.wrapAndApplyHeader(buffer, offset, header);
                leader.onPromise(from, promise.ballot(), promise.fromSlot(), promise.highestSlot(),
                    promise.partIndex(), promise.partCount());
                final PromiseDecoder.EntriesDecoder entries = promise.entries();
                while (entries.hasNext())
                {
                    entries.next();
                    final long slot = entries.slot();
                    final long ballot = entries.ballot();
                    entries.wrapValue(value);
                    leader.onPromiseEntry(slot, ballot, value, 0, value.capacity());
                }
                leader.onPromiseEnd(nowNs);
                break;
            }

            case NackDecoder.TEMPLATE_ID:
                nack.wrapAndApplyHeader(buffer, offset, header);
                leader.onNack(from, nack.ballot(), nack.promisedBallot(), nowNs);
                break;

            case PreVoteReplyDecoder.TEMPLATE_ID:
                preVoteReply.wrapAndApplyHeader(buffer, offset, header);
                leader.onPreVoteReply(from, preVoteReply.ballot(), preVoteReply.answer() == PreVoteAnswer.GRANTED,
                    preVoteReply.promisedBallot(), nowNs);
                break;

            case AcceptedDecoder.TEMPLATE_ID:
            {
                accepted.wrapAndApplyHeader(buffer, offset, header);
                final long ballot = accepted.ballot();
                final AcceptedDecoder.RangesDecoder ranges = accepted.ranges();
                if (ranges.count() == 0)
                {
                    leader.onAccepted(from, ballot, 0, 0, nowNs);
                }
                while (ranges.hasNext())
                {
                    ranges.next();
                    leader.onAccepted(from, ballot, ranges.fromSlot(), ranges.toSlot(), nowNs);
                }
                break;
            }

            case HeartbeatDecoder.TEMPLATE_ID:
                heartbeat.wrapAndApplyHeader(buffer, offset, header);
                leader.onHeartbeat(from, heartbeat.ballot(), heartbeat.chosenWatermark(), nowNs);
                break;

            case AcceptDecoder.TEMPLATE_ID:
                // An Accept proves its leader alive as well as a heartbeat does. Under load the Accepts
                // queue ahead of the heartbeats on this stream, and a follower must not time out on a
                // leader it is busy hearing from.
                accept.wrapAndApplyHeader(buffer, offset, header);
                leader.onHeartbeat(from, accept.ballot(), accept.chosenWatermark(), nowNs);
                break;

            case SessionOpenDecoder.TEMPLATE_ID:
            {
                sessionOpen.wrapAndApplyHeader(buffer, offset, header);
                final long clientId = sessionOpen.clientId();
                final long correlationId = sessionOpen.correlationId();
                final int streamId = sessionOpen.responseStreamId();
                final long nextSequence = sessionOpen.nextSequence();
                sessionOpen.wrapResponseChannel(value);
                sessionOpen.wrapCredentials(credentials);
                clientHandler.onSessionOpen(clientId, correlationId, streamId, nextSequence, value, 0, value.capacity(),
                    credentials, 0, credentials.capacity());
                break;
            }

            case ClientCommandDecoder.TEMPLATE_ID:
            {
                clientCommand.wrapAndApplyHeader(buffer, offset, header);
                final long clientId = clientCommand.clientId();
                final long sequence = clientCommand.sequence();
                clientCommand.wrapPayload(value);
                clientHandler.onClientCommand(clientId, sequence, value, 0, value.capacity());
                break;
            }

            case SessionEventDecoder.TEMPLATE_ID:
                sessionEvent.wrapAndApplyHeader(buffer, offset, header);
                if (fromLocalRing())
                {
                    clientHandler.onLearnerSessionEvent(
                        sessionEvent.clientId(), sessionEvent.code(), sessionEvent.lastSequence());
                }
                else if (sessionEvent.code() == SessionEventCode.CLOSED)
                {
                    clientHandler.onSessionClose(sessionEvent.clientId());
                }
                else
                {
                    invalid();
                }
                break;

            case ClientAckDecoder.TEMPLATE_ID:
                // Only this node's learner answers clients through its leader role; the network may not.
                if (!fromLocalRing())
                {
                    invalid();
                    break;
                }
                clientAck.wrapAndApplyHeader(buffer, offset, header);
                clientHandler.onLearnerAck(clientAck.clientId(), clientAck.toSequence(), clientAck.status(), buffer, offset,
                    MessageHeaderDecoder.ENCODED_LENGTH + ClientAckDecoder.BLOCK_LENGTH);
                break;

            default:
                invalid();
        }
    }
}
