package io.synod.engine.transport;

import io.synod.codecs.AcceptDecoder;
import io.synod.codecs.CatchUpResponseDecoder;
import io.synod.codecs.ChosenStateDecoder;
import io.synod.codecs.HeartbeatDecoder;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.engine.protocol.Learner;
import io.synod.engine.protocol.ProtocolConfig;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Decodes what the learner takes (Accept values, chosen state on Accept, Heartbeat and ChosenState,
 * CatchUpResponse) and calls it. Single-threaded: owned by the learner agent.
 */
public final class LearnerAdapter extends InboundAdapter
{
    private final Learner learner;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final AcceptDecoder accept = new AcceptDecoder();
    private final HeartbeatDecoder heartbeat = new HeartbeatDecoder();
    private final ChosenStateDecoder chosenState = new ChosenStateDecoder();
    private final CatchUpResponseDecoder catchUpResponse = new CatchUpResponseDecoder();
    private final UnsafeBuffer value = new UnsafeBuffer(0, 0);

    public LearnerAdapter(
        final int clusterId, final ProtocolConfig config, final int maxMessageBytes, final AtomicCounter invalid,
        final Learner learner)
    {
        super(clusterId, config, maxMessageBytes, invalid);
        this.learner = learner;
    }

    protected boolean handles(final int templateId)
    {
        return templateId == AcceptDecoder.TEMPLATE_ID || templateId == HeartbeatDecoder.TEMPLATE_ID ||
            templateId == ChosenStateDecoder.TEMPLATE_ID || templateId == CatchUpResponseDecoder.TEMPLATE_ID;
    }

    protected void dispatch(final int templateId, final int from, final DirectBuffer buffer, final int offset)
    {
        switch (templateId)
        {
            case AcceptDecoder.TEMPLATE_ID:
            {
                accept.wrapAndApplyHeader(buffer, offset, header);
                final long ballot = accept.ballot();
                learner.onChosenState(ballot, accept.ballotStartSlot(), accept.chosenWatermark());
                final AcceptDecoder.ChosenRangesDecoder ranges = accept.chosenRanges();
                while (ranges.hasNext())
                {
                    ranges.next();
                    learner.onChosenRange(ranges.fromSlot(), ranges.toSlot());
                }
                final AcceptDecoder.EntriesDecoder entries = accept.entries();
                while (entries.hasNext())
                {
                    entries.next();
                    final long slot = entries.slot();
                    entries.wrapValue(value);
                    learner.onAcceptEntry(ballot, slot, value, 0, value.capacity());
                }
                break;
            }

            case HeartbeatDecoder.TEMPLATE_ID:
            {
                heartbeat.wrapAndApplyHeader(buffer, offset, header);
                learner.onChosenState(heartbeat.ballot(), heartbeat.ballotStartSlot(), heartbeat.chosenWatermark());
                final HeartbeatDecoder.ChosenRangesDecoder ranges = heartbeat.chosenRanges();
                while (ranges.hasNext())
                {
                    ranges.next();
                    learner.onChosenRange(ranges.fromSlot(), ranges.toSlot());
                }
                break;
            }

            case ChosenStateDecoder.TEMPLATE_ID:
            {
                chosenState.wrapAndApplyHeader(buffer, offset, header);
                learner.onChosenState(
                    chosenState.ballot(), chosenState.ballotStartSlot(), chosenState.chosenWatermark());
                final ChosenStateDecoder.ChosenRangesDecoder ranges = chosenState.chosenRanges();
                while (ranges.hasNext())
                {
                    ranges.next();
                    learner.onChosenRange(ranges.fromSlot(), ranges.toSlot());
                }
                break;
            }

            case CatchUpResponseDecoder.TEMPLATE_ID:
            {
                catchUpResponse.wrapAndApplyHeader(buffer, offset, header);
                learner.onCatchUpResponse(from, catchUpResponse.fromSlot(), catchUpResponse.toSlot());
                final CatchUpResponseDecoder.EntriesDecoder entries = catchUpResponse.entries();
                while (entries.hasNext())
                {
                    entries.next();
                    final long slot = entries.slot();
                    final long ballot = entries.ballot();
                    entries.wrapValue(value);
                    learner.onCatchUpEntry(slot, ballot, value, 0, value.capacity());
                }
                break;
            }

            default:
                invalid();
        }
    }
}
