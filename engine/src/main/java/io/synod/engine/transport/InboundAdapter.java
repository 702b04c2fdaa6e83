package io.synod.engine.transport;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.synod.codecs.HeartbeatDecoder;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.MessageValidator;
import io.synod.codecs.PrepareDecoder;
import io.synod.codecs.PreVoteDecoder;
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
    private long membershipFingerprint;
    private AtomicCounter membershipRefused;
    private long reportedMismatchMask;
    private boolean fromLocalRing;
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
        fromLocalRing = false;
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
        fromLocalRing = true;
        onMessage(buffer, index, length, NOT_SIGNED, null);
    }

    /**
     * @return true while dispatching a message from another role of this node (its ring), which the
     * network cannot forge.
     */
    protected final boolean fromLocalRing()
    {
        return fromLocalRing;
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
        if (signedBy != NOT_SIGNED && signedBy != from)
        {
            // Signed by one member in the name of another: only a holder of the key can, still refused.
            count(authenticationFailures);
            return;
        }
        // Before the member check: a member started with another list may not even know the sender,
        // and that must be reported as what it is, not as an unknown member.
        if (membershipFingerprint != 0 && !sameMembership(templateId, from, buffer, offset))
        {
            return;
        }
        if (fromMembersOnly(templateId) && config.indexOf(from) < 0)
        {
            invalid();
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
     * Refuse Prepare and Heartbeat from a member whose cluster id and member list differ from ours (a
     * member started with another {@code synod.members}): counted, and reported once per sender.
     *
     * @param membershipFingerprint this member's fingerprint; 0 leaves the check off.
     * @param membershipRefused     counts the refused messages; may be null.
     */
    public InboundAdapter membershipFingerprint(final long membershipFingerprint, final AtomicCounter membershipRefused)
    {
        this.membershipFingerprint = membershipFingerprint;
        this.membershipRefused = membershipRefused;
        return this;
    }

    private boolean sameMembership(final int templateId, final int from, final DirectBuffer buffer, final int offset)
    {
        final int fieldOffset;
        if (templateId == PrepareDecoder.TEMPLATE_ID)
        {
            fieldOffset = PrepareDecoder.membershipEncodingOffset();
        }
        else if (templateId == HeartbeatDecoder.TEMPLATE_ID)
        {
            fieldOffset = HeartbeatDecoder.membershipEncodingOffset();
        }
        else if (templateId == PreVoteDecoder.TEMPLATE_ID)
        {
            // A member on another list must not gather pre-votes either: with them it would go on to Prepare.
            fieldOffset = PreVoteDecoder.membershipEncodingOffset();
        }
        else
        {
            return true;
        }
        final long theirs = buffer.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH + fieldOffset, LITTLE_ENDIAN);
        if (theirs == membershipFingerprint)
        {
            return true;
        }
        if (membershipRefused != null)
        {
            membershipRefused.increment();
        }
        final long bit = 1L << (from & 63);
        if ((reportedMismatchMask & bit) == 0)
        {
            reportedMismatchMask |= bit;
            System.err.println("synod: refusing " + MessageValidator.templateName(templateId) + " from member " + from +
                " (" + roleName() + "): it runs another membership (fingerprint " + Long.toHexString(theirs) +
                ", ours " + Long.toHexString(membershipFingerprint) + "); every member must run the same " +
                "synod.cluster.id and synod.members list. Reported once per member; counted in synod stat.");
        }
        return false;
    }

    /**
     * Names the role in reports, e.g. "acceptor".
     */
    protected String roleName()
    {
        return getClass().getSimpleName().replace("Adapter", "").toLowerCase();
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
