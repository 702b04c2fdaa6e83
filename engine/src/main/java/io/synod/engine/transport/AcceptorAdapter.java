package io.synod.engine.transport;

import io.synod.codecs.AcceptDecoder;
import io.synod.codecs.CatchUpRequestDecoder;
import io.synod.codecs.HeartbeatDecoder;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.PreVoteDecoder;
import io.synod.codecs.PrepareDecoder;
import io.synod.engine.protocol.Acceptor;
import io.synod.engine.protocol.ProtocolConfig;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Decodes what the acceptor takes (Prepare, PreVote, Accept, Heartbeat, CatchUpRequest) and calls it.
 * Single-threaded: owned by the acceptor agent.
 */
public final class AcceptorAdapter extends InboundAdapter
{
    private final Acceptor acceptor;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final PrepareDecoder prepare = new PrepareDecoder();
    private final PreVoteDecoder preVote = new PreVoteDecoder();
    private final AcceptDecoder accept = new AcceptDecoder();
    private final HeartbeatDecoder heartbeat = new HeartbeatDecoder();
    private final CatchUpRequestDecoder catchUpRequest = new CatchUpRequestDecoder();
    private final UnsafeBuffer value = new UnsafeBuffer(0, 0);
    private long nowNs;

    public AcceptorAdapter(
        final int clusterId, final ProtocolConfig config, final int maxMessageBytes, final AtomicCounter invalid,
        final Acceptor acceptor)
    {
        super(clusterId, config, maxMessageBytes, invalid);
        this.acceptor = acceptor;
    }

    public void nowNs(final long nowNs)
    {
        this.nowNs = nowNs;
    }

    protected boolean handles(final int templateId)
    {
        return templateId == PrepareDecoder.TEMPLATE_ID || templateId == AcceptDecoder.TEMPLATE_ID ||
            templateId == HeartbeatDecoder.TEMPLATE_ID || templateId == CatchUpRequestDecoder.TEMPLATE_ID ||
            templateId == PreVoteDecoder.TEMPLATE_ID;
    }

    protected void dispatch(final int templateId, final int from, final DirectBuffer buffer, final int offset)
    {
        switch (templateId)
        {
            case PrepareDecoder.TEMPLATE_ID:
                prepare.wrapAndApplyHeader(buffer, offset, header);
                acceptor.onPrepare(from, prepare.ballot(), prepare.fromSlot(), prepare.toSlot(), nowNs);
                break;

            case PreVoteDecoder.TEMPLATE_ID:
                preVote.wrapAndApplyHeader(buffer, offset, header);
                acceptor.onPreVote(from, preVote.ballot(), nowNs);
                break;

            case AcceptDecoder.TEMPLATE_ID:
            {
                accept.wrapAndApplyHeader(buffer, offset, header);
                final long ballot = accept.ballot();
                final AcceptDecoder.ChosenRangesDecoder ranges = accept.chosenRanges();
                while (ranges.hasNext())
                {
                    ranges.next();
                }
                final AcceptDecoder.EntriesDecoder entries = accept.entries();
                if (acceptor.onAccept(from, ballot, nowNs))
                {
                    while (entries.hasNext())
                    {
                        entries.next();
                        final long slot = entries.slot();
                        entries.wrapValue(value);
                        acceptor.onAcceptEntry(from, ballot, slot, value, 0, value.capacity());
                    }
                }
                break;
            }

            case HeartbeatDecoder.TEMPLATE_ID:
                heartbeat.wrapAndApplyHeader(buffer, offset, header);
                acceptor.onHeartbeat(from, heartbeat.ballot(), nowNs);
                break;

            case CatchUpRequestDecoder.TEMPLATE_ID:
                catchUpRequest.wrapAndApplyHeader(buffer, offset, header);
                acceptor.onCatchUpRequest(from, catchUpRequest.fromSlot(), catchUpRequest.toSlot());
                break;

            default:
                invalid();
        }
    }
}
