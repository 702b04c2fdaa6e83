package io.synod.engine.transport;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.synod.codecs.AcceptEncoder;
import io.synod.codecs.AcceptedEncoder;
import io.synod.codecs.CatchUpRequestEncoder;
import io.synod.codecs.CatchUpResponseEncoder;
import io.synod.codecs.ChosenStateEncoder;
import io.synod.codecs.ClientAckEncoder;
import io.synod.codecs.AckStatus;
import io.synod.codecs.HeartbeatEncoder;
import io.synod.codecs.MessageHeaderEncoder;
import io.synod.codecs.NackEncoder;
import io.synod.codecs.PreVoteAnswer;
import io.synod.codecs.PreVoteEncoder;
import io.synod.codecs.PreVoteReplyEncoder;
import io.synod.codecs.PrepareEncoder;
import io.synod.codecs.PromiseEncoder;
import io.synod.codecs.SessionEventCode;
import io.synod.codecs.SessionEventEncoder;
import io.synod.engine.protocol.SessionTable;
import io.synod.engine.protocol.AcceptorStore;
import io.synod.engine.protocol.ChosenSlots;
import io.synod.engine.protocol.Outbox;
import io.synod.engine.protocol.SlotRanges;
import io.synod.engine.protocol.ValueSource;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.nio.ByteBuffer;

/**
 * The outbox of one role of a node: encodes each message once, in SBE, into a preallocated buffer,
 * then sends it to every addressee: peers over their Aeron publication, this node's own roles through
 * their ring buffers. Single-threaded: owned by the role's agent.
 * <p>
 * Why not {@code tryClaim} per destination: a broadcast goes to every peer and to local roles, so
 * encoding once and copying beats encoding N times. A send that stays back-pressured after a few
 * tries is dropped and counted: the protocol retransmits, and the window bounds what is in flight.
 */
public final class MessagePublisher implements Outbox
{
    private static final int OFFER_ATTEMPTS = 3;

    private final int clusterId;
    private final int selfId;
    private final int[] memberIds;
    private final ExclusivePublication[] replicaPublications;
    private final ExclusivePublication[] leaderPublications;
    private final ExclusivePublication[] learnerPublications;
    private final LocalRings rings;
    private final AtomicCounter backPressureEvents;
    private FrameAuthenticator authenticator;

    private final UnsafeBuffer buffer;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PrepareEncoder prepare = new PrepareEncoder();
    private final PromiseEncoder promise = new PromiseEncoder();
    private final NackEncoder nack = new NackEncoder();
    private final PreVoteEncoder preVote = new PreVoteEncoder();
    private final PreVoteReplyEncoder preVoteReply = new PreVoteReplyEncoder();
    private final AcceptEncoder accept = new AcceptEncoder();
    private final AcceptedEncoder accepted = new AcceptedEncoder();
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
    private final ChosenStateEncoder chosenState = new ChosenStateEncoder();
    private final ClientAckEncoder clientAck = new ClientAckEncoder();
    private final SessionEventEncoder sessionEvent = new SessionEventEncoder();
    private final CatchUpRequestEncoder catchUpRequest = new CatchUpRequestEncoder();
    private final CatchUpResponseEncoder catchUpResponse = new CatchUpResponseEncoder();
    private long membershipFingerprint;

    /**
     * @param publications per member index, the publication to that member's stream this role sends
     *                     on, or null for this member itself.
     */
    public MessagePublisher(
        final int clusterId,
        final int selfId,
        final int[] memberIds,
        final ExclusivePublication[] replicaPublications,
        final ExclusivePublication[] leaderPublications,
        final ExclusivePublication[] learnerPublications,
        final LocalRings rings,
        final int maxMessageBytes,
        final AtomicCounter backPressureEvents)
    {
        this.clusterId = clusterId;
        this.selfId = selfId;
        this.memberIds = memberIds;
        this.replicaPublications = replicaPublications;
        this.leaderPublications = leaderPublications;
        this.learnerPublications = learnerPublications;
        this.rings = rings;
        this.backPressureEvents = backPressureEvents;
        this.buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(maxMessageBytes + 1024));
    }

    /**
     * The fingerprint of this member's cluster id and member list, carried in Prepare and Heartbeat
     * (see {@link InboundAdapter#membershipFingerprint(long)}). Set before the node starts.
     */
    public MessagePublisher membershipFingerprint(final long membershipFingerprint)
    {
        this.membershipFingerprint = membershipFingerprint;
        return this;
    }

    /**
     * With a cluster key: every message to a peer is signed once, however many peers it goes to;
     * messages to this node's own roles stay unsigned.
     */
    public MessagePublisher authenticator(final FrameAuthenticator authenticator)
    {
        this.authenticator = authenticator;
        return this;
    }

    public void prepare(final int to, final long ballot, final long fromSlot, final long toSlot)
    {
        prepare.wrapAndApplyHeader(buffer, 0, header)
            .clusterId(clusterId).memberId(selfId).ballot(ballot).fromSlot(fromSlot).toSlot(toSlot)
            .membership(membershipFingerprint);
        send(to, length(prepare.encodedLength()), replicaPublications, rings.acceptor(), null);
    }

    public void promise(
        final int to,
        final long ballot,
        final long fromSlot,
        final long toSlot,
        final long highestSlot,
        final int partIndex,
        final int partCount,
        final long entriesFromSlot,
        final long entriesToSlot,
        final int entryCount,
        final AcceptorStore source)
    {
        promise.wrapAndApplyHeader(buffer, 0, header)
            .clusterId(clusterId).memberId(selfId).ballot(ballot).fromSlot(fromSlot).toSlot(toSlot)
            .highestSlot(highestSlot).partIndex(partIndex).partCount(partCount);
        final PromiseEncoder.EntriesEncoder entries = promise.entriesCount(entryCount);
        int written = 0;
        for (long slot = entriesFromSlot; slot < entriesToSlot && written < entryCount; slot++)
        {
            final long entryBallot = source.acceptedBallot(slot);
            if (entryBallot != AcceptorStore.NULL_BALLOT)
            {
                final int length = source.wrapValue(slot, view);
                entries.next().slot(slot).ballot(entryBallot).putValue(view, 0, length);
                written++;
            }
        }
        send(to, length(promise.encodedLength()), leaderPublications, rings.leader(), null);
    }

    public void nack(final int to, final long ballot, final long promisedBallot)
    {
        nack.wrapAndApplyHeader(buffer, 0, header)
            .clusterId(clusterId).memberId(selfId).ballot(ballot).promisedBallot(promisedBallot);
        send(to, length(nack.encodedLength()), leaderPublications, rings.leader(), null);
    }

    public void preVote(final int to, final long ballot)
    {
        preVote.wrapAndApplyHeader(buffer, 0, header).clusterId(clusterId).memberId(selfId).ballot(ballot)
            .membership(membershipFingerprint);
        send(to, length(preVote.encodedLength()), replicaPublications, rings.acceptor(), null);
    }

    public void preVoteReply(final int to, final long ballot, final boolean granted, final long promisedBallot)
    {
        preVoteReply.wrapAndApplyHeader(buffer, 0, header)
            .clusterId(clusterId).memberId(selfId).ballot(ballot).promisedBallot(promisedBallot)
            .answer(granted ? PreVoteAnswer.GRANTED : PreVoteAnswer.REFUSED);
        send(to, length(preVoteReply.encodedLength()), leaderPublications, rings.leader(), null);
    }

    public void accept(
        final int to, final long ballot, final long fromSlot, final long toSlot, final ValueSource values,
        final ChosenSlots chosen)
    {
        accept.wrapAndApplyHeader(buffer, 0, header)
            .clusterId(clusterId).memberId(selfId).ballot(ballot)
            .chosenWatermark(chosen.watermark()).ballotStartSlot(chosen.ballotStartSlot());
        final SlotRanges ranges = chosen.ranges();
        final AcceptEncoder.ChosenRangesEncoder rangesEncoder = accept.chosenRangesCount(ranges.count());
        for (int i = 0; i < ranges.count(); i++)
        {
            rangesEncoder.next().fromSlot(ranges.from(i)).toSlot(ranges.to(i));
        }
        final AcceptEncoder.EntriesEncoder entries = accept.entriesCount((int)(toSlot - fromSlot));
        for (long slot = fromSlot; slot < toSlot; slot++)
        {
            final int length = values.wrapValue(slot, view);
            entries.next().slot(slot).putValue(view, 0, Math.max(length, 0));
        }
        send(to, length(accept.encodedLength()), replicaPublications, rings.acceptor(), rings.learner());
    }

    public void accepted(final int to, final long ballot, final SlotRanges ranges)
    {
        accepted.wrapAndApplyHeader(buffer, 0, header).clusterId(clusterId).memberId(selfId).ballot(ballot);
        final AcceptedEncoder.RangesEncoder rangesEncoder = accepted.rangesCount(ranges.count());
        for (int i = 0; i < ranges.count(); i++)
        {
            rangesEncoder.next().fromSlot(ranges.from(i)).toSlot(ranges.to(i));
        }
        send(to, length(accepted.encodedLength()), leaderPublications, rings.leader(), null);
    }

    public void heartbeat(final int to, final ChosenSlots chosen)
    {
        heartbeat.wrapAndApplyHeader(buffer, 0, header)
            .clusterId(clusterId).memberId(selfId).ballot(chosen.ballot())
            .chosenWatermark(chosen.watermark()).ballotStartSlot(chosen.ballotStartSlot())
            .membership(membershipFingerprint);
        final SlotRanges ranges = chosen.ranges();
        final HeartbeatEncoder.ChosenRangesEncoder rangesEncoder = heartbeat.chosenRangesCount(ranges.count());
        for (int i = 0; i < ranges.count(); i++)
        {
            rangesEncoder.next().fromSlot(ranges.from(i)).toSlot(ranges.to(i));
        }
        send(to, length(heartbeat.encodedLength()), replicaPublications, rings.acceptor(), rings.learner());
    }

    public void chosenState(final int to, final ChosenSlots chosen)
    {
        chosenState.wrapAndApplyHeader(buffer, 0, header)
            .clusterId(clusterId).memberId(selfId).ballot(chosen.ballot())
            .chosenWatermark(chosen.watermark()).ballotStartSlot(chosen.ballotStartSlot());
        final SlotRanges ranges = chosen.ranges();
        final ChosenStateEncoder.ChosenRangesEncoder rangesEncoder = chosenState.chosenRangesCount(ranges.count());
        for (int i = 0; i < ranges.count(); i++)
        {
            rangesEncoder.next().fromSlot(ranges.from(i)).toSlot(ranges.to(i));
        }
        send(to, length(chosenState.encodedLength()), replicaPublications, rings.learner(), null);
    }

    public void catchUpRequest(final int to, final long fromSlot, final long toSlot)
    {
        catchUpRequest.wrapAndApplyHeader(buffer, 0, header)
            .clusterId(clusterId).memberId(selfId).fromSlot(fromSlot).toSlot(toSlot);
        send(to, length(catchUpRequest.encodedLength()), replicaPublications, rings.acceptor(), null);
    }

    public void catchUpResponse(
        final int to, final long fromSlot, final long toSlot, final int entryCount, final AcceptorStore source)
    {
        catchUpResponse.wrapAndApplyHeader(buffer, 0, header)
            .clusterId(clusterId).memberId(selfId).fromSlot(fromSlot).toSlot(toSlot);
        final CatchUpResponseEncoder.EntriesEncoder entries = catchUpResponse.entriesCount(entryCount);
        int written = 0;
        for (long slot = fromSlot; slot < toSlot && written < entryCount; slot++)
        {
            final long entryBallot = source.acceptedBallot(slot);
            if (entryBallot != AcceptorStore.NULL_BALLOT)
            {
                final int length = source.wrapValue(slot, view);
                entries.next().slot(slot).ballot(entryBallot).putValue(view, 0, length);
                written++;
            }
        }
        send(to, length(catchUpResponse.encodedLength()), learnerPublications, rings.learner(), null);
    }

    /**
     * A learner's outcome goes to this node's leader role, through its ring, which answers the client
     * when it leads: client response publications belong to the leader agent alone.
     */
    public void clientAck(
        final long clientId, final long fromSequence, final long toSequence, final long slot, final int outcome)
    {
        clientAck.wrapAndApplyHeader(buffer, 0, header)
            .clusterId(clusterId).memberId(selfId).clientId(clientId).sequence(fromSequence).slot(slot)
            .status(ackStatus(outcome)).toSequence(toSequence);
        write(rings.leader(), length(clientAck.encodedLength()));
    }

    public void sessionEvent(final long clientId, final int outcome, final long lastSequence, final long slot)
    {
        final SessionEventCode code = outcome == SessionTable.OPENED || outcome == SessionTable.ALREADY_OPEN ?
            SessionEventCode.OPEN : outcome == SessionTable.REFUSED ? SessionEventCode.REJECTED : SessionEventCode.CLOSED;
        sessionEvent.wrapAndApplyHeader(buffer, 0, header)
            .clusterId(clusterId).memberId(selfId).clientId(clientId).correlationId(slot).leaderMemberId(-1)
            .code(code).lastSequence(lastSequence).detail("");
        write(rings.leader(), length(sessionEvent.encodedLength()));
    }

    /**
     * The wire status of a learner's outcome ({@link SessionTable#APPLIED} and the others).
     */
    public static AckStatus ackStatus(final int outcome)
    {
        switch (outcome)
        {
            case SessionTable.APPLIED:
                return AckStatus.OK;
            case SessionTable.DUPLICATE:
                return AckStatus.DUPLICATE;
            case SessionTable.GAP:
                return AckStatus.GAP;
            case SessionTable.UNKNOWN_SESSION:
                return AckStatus.UNKNOWN_SESSION;
            default:
                return AckStatus.REJECTED;
        }
    }

    /**
     * Offers a message, retrying briefly on back pressure; counts what it gives up on.
     *
     * @return true if the publication took it.
     */
    public static boolean offer(
        final Publication publication, final DirectBuffer buffer, final int length, final AtomicCounter backPressure)
    {
        return offer(publication, buffer, 0, length, backPressure);
    }

    public static boolean offer(
        final Publication publication, final DirectBuffer buffer, final int offset, final int length,
        final AtomicCounter backPressure)
    {
        for (int attempt = 0; attempt < OFFER_ATTEMPTS; attempt++)
        {
            final long result = publication.offer(buffer, offset, length);
            if (result > 0)
            {
                return true;
            }
            if (result != Publication.BACK_PRESSURED && result != Publication.ADMIN_ACTION)
            {
                return false;
            }
        }
        if (backPressure != null)
        {
            backPressure.incrementRelease();
        }
        return false;
    }

    private static int length(final int bodyLength)
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + bodyLength;
    }

    private void send(
        final int to,
        final int length,
        final ExclusivePublication[] publications,
        final RingBuffer localRing,
        final RingBuffer secondLocalRing)
    {
        int frameLength = -1;
        for (int i = 0; i < memberIds.length; i++)
        {
            final int member = memberIds[i];
            if (to != ALL && to != member)
            {
                continue;
            }
            if (member == selfId)
            {
                write(localRing, length);
                if (secondLocalRing != null)
                {
                    write(secondLocalRing, length);
                }
            }
            else if (publications[i] != null)
            {
                if (frameLength < 0)
                {
                    frameLength = authenticator == null ? length : authenticator.sign(buffer, 0, length);
                }
                offer(publications[i], buffer, frameLength, backPressureEvents);
            }
        }
    }

    private void write(final RingBuffer ring, final int length)
    {
        if (!ring.write(LocalRings.MESSAGE_TYPE_ID, buffer, 0, length) && backPressureEvents != null)
        {
            backPressureEvents.incrementRelease();
        }
    }
}
