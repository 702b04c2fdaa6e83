package io.synod.engine.transport;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.MessageValidator;
import io.synod.engine.protocol.ProtocolConfig;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.status.AtomicCounter;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Entry of untrusted bytes into a role: from Aeron fragments (reassembled) and from the node's ring
 * buffers alike. Keeps only the templates its role handles (several roles share a stream), validates
 * them before any decode, drops and counts what is malformed, from another cluster or from an
 * unknown member, then hands the message to its subclass. Never throws on bad input. Single-threaded:
 * owned by the role's agent.
 */
public abstract class InboundAdapter implements FragmentHandler, MessageHandler
{
    private static final int TEMPLATE_ID_OFFSET = 2;

    protected final MessageValidator validator;
    protected final ProtocolConfig config;
    private final int clusterId;
    private final AtomicCounter invalidDropped;
    private boolean fromLocalRing;

    protected InboundAdapter(
        final int clusterId, final ProtocolConfig config, final int maxMessageBytes, final AtomicCounter invalidDropped)
    {
        this.clusterId = clusterId;
        this.config = config;
        this.validator = new MessageValidator(maxMessageBytes + 1024);
        this.invalidDropped = invalidDropped;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        fromLocalRing = false;
        onMessage(buffer, offset, length);
    }

    public void onMessage(final int msgTypeId, final org.agrona.MutableDirectBuffer buffer, final int index,
        final int length)
    {
        fromLocalRing = true;
        onMessage(buffer, index, length);
    }

    /**
     * @return true while dispatching a message from another role of this node (its ring), which the
     * network cannot forge.
     */
    protected final boolean fromLocalRing()
    {
        return fromLocalRing;
    }

    private void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            invalid();
            return;
        }
        final int templateId = buffer.getShort(offset + TEMPLATE_ID_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
        if (!handles(templateId))
        {
            return;
        }
        if (validator.validate(buffer, offset, length) != MessageValidator.OK ||
            MessageValidator.clusterId(buffer, offset) != clusterId)
        {
            invalid();
            return;
        }
        final int from = MessageValidator.memberId(buffer, offset);
        if (fromMembersOnly(templateId) && config.indexOf(from) < 0)
        {
            invalid();
            return;
        }
        dispatch(templateId, from, buffer, offset);
    }

    /**
     * @return true if this role takes messages of the template.
     */
    protected abstract boolean handles(int templateId);

    /**
     * @return true if the template may only come from a member of the cluster (not a client).
     */
    protected boolean fromMembersOnly(final int templateId)
    {
        return true;
    }

    /**
     * A valid message for this role, header at {@code offset}.
     */
    protected abstract void dispatch(int templateId, int from, DirectBuffer buffer, int offset);

    protected final void invalid()
    {
        if (invalidDropped != null)
        {
            invalidDropped.incrementRelease();
        }
    }
}
