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
    private static final int NOT_SIGNED = Integer.MIN_VALUE;

    protected final MessageValidator validator;
    protected final ProtocolConfig config;
    private final int clusterId;
    private final AtomicCounter invalidDropped;
    private FrameAuthenticator authenticator;
    private AtomicCounter authenticationFailures;
    private MemberSourceCheck sourceCheck;
    private AtomicCounter sourceRejected;

    protected InboundAdapter(
        final int clusterId, final ProtocolConfig config, final int maxMessageBytes, final AtomicCounter invalidDropped)
    {
        this.clusterId = clusterId;
        this.config = config;
        this.validator = new MessageValidator(maxMessageBytes + 1024);
        this.invalidDropped = invalidDropped;
    }

    /**
     * With a cluster key: member messages from the network must carry a valid, fresh trailer (see
     * {@link FrameAuthenticator}); those that do not are dropped and counted in {@code failures}.
     */
    public final void authenticator(final FrameAuthenticator authenticator, final AtomicCounter failures)
    {
        this.authenticator = authenticator;
        this.authenticationFailures = failures;
    }

    /**
     * Member messages from the network must come from their member's host; others are dropped and
     * counted in {@code rejected}.
     */
    public final void sourceCheck(final MemberSourceCheck sourceCheck, final AtomicCounter rejected)
    {
        this.sourceCheck = sourceCheck;
        this.sourceRejected = rejected;
    }

    /**
     * From the network: member messages are authenticated and source-checked here, once, before
     * anything else reads them; client messages go on as they are.
     */
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            invalid();
            return;
        }
        final int templateId = buffer.getShort(offset + TEMPLATE_ID_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
        if (!handles(templateId) || !fromMembersOnly(templateId))
        {
            onMessage(buffer, offset, length, NOT_SIGNED, null);
            return;
        }
        int messageLength = length;
        int signedBy = NOT_SIGNED;
        if (authenticator != null)
        {
            if (authenticator.verify(buffer, offset, length) != FrameAuthenticator.OK)
            {
                count(authenticationFailures);
                return;
            }
            messageLength = length - FrameAuthenticator.TRAILER_LENGTH;
            signedBy = authenticator.senderId();
        }
        onMessage(buffer, offset, messageLength, signedBy, sourceCheck != null ? header.context() : null);
    }

    /**
     * From this node's own roles, through its ring buffers: never signed, never from another host.
     */
    public void onMessage(final int msgTypeId, final org.agrona.MutableDirectBuffer buffer, final int index,
        final int length)
    {
        onMessage(buffer, index, length, NOT_SIGNED, null);
    }

    private void onMessage(
        final DirectBuffer buffer, final int offset, final int length, final int signedBy, final Object image)
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
        if (signedBy != NOT_SIGNED && signedBy != from)
        {
            // Signed by one member in the name of another: only a holder of the key can, still refused.
            count(authenticationFailures);
            return;
        }
        if (image != null && !sourceCheck.accepts(image, from))
        {
            count(sourceRejected);
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
        count(invalidDropped);
    }

    private static void count(final AtomicCounter counter)
    {
        if (counter != null)
        {
            counter.incrementRelease();
        }
    }
}
