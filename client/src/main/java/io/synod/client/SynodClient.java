package io.synod.client;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.Header;
import io.synod.codecs.AckStatus;
import io.synod.codecs.ClientAckDecoder;
import io.synod.codecs.ClientProtocol;
import io.synod.codecs.ClientCommandEncoder;
import io.synod.codecs.ErrorCode;
import io.synod.codecs.ErrorDecoder;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.MessageHeaderEncoder;
import io.synod.codecs.MessageValidator;
import io.synod.codecs.RedirectDecoder;
import io.synod.codecs.SessionEventCode;
import io.synod.codecs.SessionEventDecoder;
import io.synod.codecs.SessionEventEncoder;
import io.synod.codecs.SessionOpenEncoder;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The sequencer client: offers commands, hears acknowledgements, follows the leader. Single-threaded:
 * {@link #offer} and {@link #poll()} are called from one thread, which also drives the client's own
 * embedded media driver when it has one.
 * <p>
 * Every command carries {@code (clientId, sequence)}; until it is acknowledged the client keeps it
 * and resends it with the same sequence after a redirect or a timeout, so a leader change never
 * applies it twice. At most {@code maxInFlight} (<= ClientProtocol.MAX_IN_FLIGHT) sequences are open,
 * counted from the oldest unacknowledged one: replicas remember that many sequences per client.
 */
public final class SynodClient implements AutoCloseable
{
    public static final long NOT_CONNECTED = -1;
    public static final long BACK_PRESSURED = -2;
    public static final long CLOSED = -4;
    public static final long PAYLOAD_TOO_LARGE = -5;

    private static final int FRAGMENT_LIMIT = 64;
    private static final long SESSION_OPEN_INTERVAL_NS = 50_000_000L;
    private static final long SESSION_KEEPALIVE_INTERVAL_NS = 1_000_000_000L;
    private static final long REDIRECT_RESEND_INTERVAL_NS = 5_000_000L;
    private static final long RETRY_INTERVAL_NS = 1_000_000L;

    private final ClientContext ctx;
    private final EgressListener listener;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final boolean ownsAeron;
    private final AgentInvoker driverInvoker;
    private final AgentInvoker conductorInvoker;
    private final Subscription responses;
    private final Subscription ipcResponses;
    private final FragmentAssembler assembler;
    private final FragmentAssembler ipcAssembler = new FragmentAssembler(this::onFragment);
    private final ExclusivePublication[] ingress;
    private final List<ClientMember> members;
    private final String responseChannel;

    private final UnsafeBuffer sendBuffer;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ClientCommandEncoder commandEncoder = new ClientCommandEncoder();
    private final SessionOpenEncoder sessionOpenEncoder = new SessionOpenEncoder();
    private final SessionEventEncoder sessionEventEncoder = new SessionEventEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ClientAckDecoder ackDecoder = new ClientAckDecoder();
    private final RedirectDecoder redirectDecoder = new RedirectDecoder();
    private final ErrorDecoder errorDecoder = new ErrorDecoder();
    private final SessionEventDecoder sessionEventDecoder = new SessionEventDecoder();
    private final MessageValidator validator = new MessageValidator();

    private final int mask;
    private final UnsafeBuffer payloads;
    private final int[] payloadLength;
    private final long[] sentNs;
    private final boolean[] inFlight;
    private final boolean[] retrySoon;
    private int retryCount;
    private long lastRetryNs;

    private long nextSequence = 1;
    private long oldestUnacked = 1;
    private int target;
    private boolean closed;
    private boolean sessionOpened;
    private String refusal;
    private final byte[][] credentials;
    private String authenticationRejection;
    private long nowNs;
    private long lastSessionOpenNs = Long.MIN_VALUE / 2;
    private long lastRedirectResendNs = Long.MIN_VALUE / 2;
    private long nextTimeoutCheckNs;
    private boolean redirectResendDue;
    private long acked;
    private long resends;

    private SynodClient(final ClientContext ctx, final EgressListener listener)
    {
        this.ctx = ctx;
        this.listener = listener;
        this.members = ctx.clusterMembers();
        if (ctx.aeron() != null)
        {
            driver = null;
            aeron = ctx.aeron();
            ownsAeron = false;
            driverInvoker = null;
            conductorInvoker = null;
        }
        else
        {
            driver = MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(ctx.aeronDirectoryName())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .termBufferSparseFile(true)
                .publicationTermBufferLength(ctx.termLength())
                .threadingMode(ThreadingMode.INVOKER));
            driverInvoker = driver.sharedAgentInvoker();
            aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(ctx.aeronDirectoryName())
                .useConductorAgentInvoker(true)
                .driverAgentInvoker(driverInvoker));
            ownsAeron = true;
            conductorInvoker = aeron.conductorAgentInvoker();
        }

        responses = aeron.addSubscription("aeron:udp?endpoint=" + ctx.responseEndpoint(), ctx.responseStreamId());
        responseChannel = resolveResponseChannel();
        ipcResponses = ctx.ipcMemberId() >= 0 ? aeron.addSubscription(ClientProtocol.IPC_CHANNEL, ctx.responseStreamId()) : null;
        assembler = new FragmentAssembler(this::onFragment);
        ingress = new ExclusivePublication[members.size()];
        for (int i = 0; i < ingress.length; i++)
        {
            final String channel = members.get(i).id() == ctx.ipcMemberId() ? ClientProtocol.IPC_CHANNEL :
                ClientProtocol.udpChannel(members.get(i).endpoint(), ctx.mtuLength(), ctx.termLength());
            ingress[i] = aeron.addExclusivePublication(channel, ClientProtocol.INGRESS_STREAM_ID);
        }

        final int capacity = Integer.highestOneBit(Math.max(1, ctx.maxInFlight() - 1)) << 1;
        mask = capacity - 1;
        payloads = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity * Math.max(1, ctx.maxPayloadBytes())));
        payloadLength = new int[capacity];
        sentNs = new long[capacity];
        inFlight = new boolean[capacity];
        retrySoon = new boolean[capacity];
        sendBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(ctx.maxPayloadBytes() + 1024));
        credentials = new byte[members.size()][];
        for (int i = 0; i < credentials.length; i++)
        {
            credentials[i] = ctx.credentials().initial(ctx.clusterId(), ctx.clientId());
        }
    }

    /**
     * Starts connecting without waiting: {@link #poll()} opens the session with every member until
     * one answers ({@link #isConnected()}). For an application that drives its nodes itself.
     */
    public static SynodClient open(final ClientContext ctx, final EgressListener listener)
    {
        ctx.conclude();
        return new SynodClient(ctx, listener);
    }

    public boolean isConnected()
    {
        return sessionOpened;
    }

    /**
     * Connects: opens a session with every member and waits, driving the transport, until one answers.
     *
     * @throws IllegalStateException if no member answers within the connect timeout.
     */
    public static SynodClient connect(final ClientContext ctx, final EgressListener listener)
    {
        ctx.conclude();
        final SynodClient client = new SynodClient(ctx, listener);
        try
        {
            client.awaitSession();
        }
        catch (final RuntimeException ex)
        {
            client.close();
            throw ex;
        }
        return client;
    }

    public long clientId()
    {
        return ctx.clientId();
    }

    public long acked()
    {
        return acked;
    }

    public long resends()
    {
        return resends;
    }

    public int inFlight()
    {
        return (int)(nextSequence - oldestUnacked);
    }

    /**
     * The member this client sends to: the leader, as far as it knows.
     */
    public int targetMemberId()
    {
        return members.get(target).id();
    }

    /**
     * Offers a command. Never blocks or allocates.
     *
     * @return its sequence (>= 1), or {@link #BACK_PRESSURED} (too many in flight, or the transport
     * pushes back), {@link #NOT_CONNECTED} (also while the session is being opened or re-opened),
     * {@link #CLOSED} or {@link #PAYLOAD_TOO_LARGE}.
     */
    public long offer(final DirectBuffer buffer, final int offset, final int length)
    {
        if (closed)
        {
            return CLOSED;
        }
        if (length > ctx.maxPayloadBytes() || length < 0)
        {
            return PAYLOAD_TOO_LARGE;
        }
        if (!sessionOpened)
        {
            // Commands before the session's open entry is applied would be answered UNKNOWN_SESSION.
            return NOT_CONNECTED;
        }
        if (nextSequence - oldestUnacked >= ctx.maxInFlight())
        {
            return BACK_PRESSURED;
        }
        final long sequence = nextSequence;
        final int index = (int)(sequence & mask);
        payloads.putBytes(index * ctx.maxPayloadBytes(), buffer, offset, length);
        payloadLength[index] = length;
        final long result = send(sequence, index);
        if (result == Publication.NOT_CONNECTED || result == Publication.CLOSED)
        {
            return NOT_CONNECTED;
        }
        if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION)
        {
            return BACK_PRESSURED;
        }
        inFlight[index] = true;
        nextSequence++;
        return sequence;
    }

    /**
     * Drives the transport, delivers egress to the listener and resends what timed out.
     *
     * @return work done.
     */
    public int poll()
    {
        int work = 0;
        if (driverInvoker != null)
        {
            work += driverInvoker.invoke();
        }
        if (conductorInvoker != null)
        {
            work += conductorInvoker.invoke();
        }
        nowNs = System.nanoTime();
        work += responses.poll(assembler, FRAGMENT_LIMIT);
        if (ipcResponses != null)
        {
            work += ipcResponses.poll(ipcAssembler, FRAGMENT_LIMIT);
        }
        work += openSessions();
        work += resendAfterRedirect();
        work += retryRefused();
        work += resendTimedOut();
        return work;
    }

    public void close()
    {
        if (!closed)
        {
            closed = true;
            for (int i = 0; i < ingress.length; i++)
            {
                sessionEventEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
                    .clusterId(ctx.clusterId()).memberId(-1).clientId(ctx.clientId()).correlationId(0)
                    .leaderMemberId(-1).code(SessionEventCode.CLOSED).detail("");
                ingress[i].offer(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + sessionEventEncoder.encodedLength());
            }
            if (ownsAeron)
            {
                CloseHelper.quietCloseAll(aeron, driver);
            }
            else
            {
                CloseHelper.quietCloseAll(responses, ipcResponses);
                for (final ExclusivePublication publication : ingress)
                {
                    CloseHelper.quietClose(publication);
                }
            }
        }
    }

    private void awaitSession()
    {
        final long deadlineNs = System.nanoTime() + ctx.connectTimeoutNs();
        while (!sessionOpened)
        {
            if (authenticationRejection != null)
            {
                throw new IllegalStateException("AUTHENTICATION_REJECTED: " + authenticationRejection);
            }
            if (refusal != null)
            {
                throw new IllegalStateException(refusal);
            }
            if (poll() == 0)
            {
                Thread.onSpinWait();
            }
            if (System.nanoTime() > deadlineNs)
            {
                // Members drop (and count) messages for another cluster id without answering, so a
                // mismatch looks like silence from here: name it as the first thing to check.
                throw new IllegalStateException("no member of " + ClientMember.format(members) +
                    " answered within " + ctx.connectTimeoutNs() / 1_000_000 + " ms: check that they run and that " +
                    "their cluster id is this client's " + ctx.clusterId() + " (synod.cluster.id, " +
                    "synod node/cluster --cluster-id)");
            }
        }
    }

    private int openSessions()
    {
        // Until a member answers, ask often; afterwards the same message keeps the sessions alive,
        // and re-opens them at members that restarted and forgot them.
        if (nowNs - lastSessionOpenNs < (sessionOpened ? SESSION_KEEPALIVE_INTERVAL_NS : SESSION_OPEN_INTERVAL_NS))
        {
            return 0;
        }
        lastSessionOpenNs = nowNs;
        for (int i = 0; i < ingress.length; i++)
        {
            sendSessionOpen(i);
        }
        return 1;
    }

    private String resolveResponseChannel()
    {
        final long deadlineNs = System.nanoTime() + ctx.connectTimeoutNs();
        while (true)
        {
            if (conductorInvoker != null)
            {
                conductorInvoker.invoke();
            }
            if (driverInvoker != null)
            {
                driverInvoker.invoke();
            }
            final String resolved = responses.tryResolveChannelEndpointPort();
            if (resolved != null)
            {
                return resolved;
            }
            if (System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException("response endpoint " + ctx.responseEndpoint() + " did not resolve");
            }
            Thread.onSpinWait();
        }
    }

    private long send(final long sequence, final int index)
    {
        commandEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .clusterId(ctx.clusterId()).memberId(-1).clientId(ctx.clientId()).sequence(sequence)
            .putPayload(payloads, index * ctx.maxPayloadBytes(), payloadLength[index]);
        sentNs[index] = nowNs == 0 ? System.nanoTime() : nowNs;
        return ingress[target].offer(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + commandEncoder.encodedLength());
    }

    private void sendSessionOpen(final int member)
    {
        sessionOpenEncoder.wrapAndApplyHeader(sendBuffer, 0, headerEncoder)
            .clusterId(ctx.clusterId()).memberId(-1).clientId(ctx.clientId()).correlationId(member)
            .responseStreamId(ctx.responseStreamId()).nextSequence(oldestUnacked)
            .responseChannel(members.get(member).id() == ctx.ipcMemberId() ? ClientProtocol.IPC_CHANNEL : responseChannel)
            .putCredentials(credentials[member], 0, credentials[member].length);
        ingress[member].offer(sendBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + sessionOpenEncoder.encodedLength());
    }

    private int resendTimedOut()
    {
        // Timeouts are coarse: look for them a few times per timeout, not on every poll, which with
        // a large window would cost a scan of every command in flight each time.
        if (nowNs < nextTimeoutCheckNs)
        {
            return 0;
        }
        nextTimeoutCheckNs = nowNs + (ctx.resendTimeoutNs() >> 3);
        int due = 0;
        for (long sequence = oldestUnacked; sequence < nextSequence; sequence++)
        {
            final int index = (int)(sequence & mask);
            if (inFlight[index] && nowNs - sentNs[index] >= ctx.resendTimeoutNs())
            {
                due++;
            }
        }
        if (due == 0)
        {
            return 0;
        }
        // No answer within the timeout: the member we send to may be gone. Move on to the next one
        // (once per timeout, however many commands are due), re-opening the session there in case it
        // restarted and forgot it; a follower answers with a redirect to the leader.
        target = (target + 1) % members.size();
        sendSessionOpen(target);
        for (long sequence = oldestUnacked; sequence < nextSequence; sequence++)
        {
            final int index = (int)(sequence & mask);
            if (inFlight[index] && nowNs - sentNs[index] >= ctx.resendTimeoutNs())
            {
                send(sequence, index);
                resends++;
            }
        }
        return due;
    }

    /**
     * Commands marked to be retried soon after a BACK_PRESSURED or NOT_LEADER answer. For tests.
     */
    int retriesPending()
    {
        return retryCount;
    }

    // Package-private so that a test can hand the client an answer without a node.
    void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (validator.validate(buffer, offset, length) != MessageValidator.OK ||
            MessageValidator.clusterId(buffer, offset) != ctx.clusterId())
        {
            return;
        }
        switch (validator.templateId())
        {
            case ClientAckDecoder.TEMPLATE_ID:
                ackDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                if (ackDecoder.clientId() == ctx.clientId())
                {
                    onAck(ackDecoder.sequence(), ackDecoder.toSequence(), ackDecoder.slot(), ackDecoder.status(),
                        MessageValidator.memberId(buffer, offset));
                }
                break;

            case RedirectDecoder.TEMPLATE_ID:
                redirectDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                onRedirect(redirectDecoder.leaderMemberId());
                break;

            case ErrorDecoder.TEMPLATE_ID:
                errorDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                if (errorDecoder.clientId() == ctx.clientId())
                {
                    onError(errorDecoder.sequence(), errorDecoder.code(), errorDecoder.text());
                }
                break;

            case SessionEventDecoder.TEMPLATE_ID:
                sessionEventDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
                if (sessionEventDecoder.clientId() == ctx.clientId() &&
                    (sessionEventDecoder.code() == SessionEventCode.CHALLENGE ||
                    sessionEventDecoder.code() == SessionEventCode.AUTHENTICATION_REJECTED))
                {
                    onAuthentication(MessageValidator.memberId(buffer, offset), sessionEventDecoder.code(),
                        sessionEventDecoder.detail());
                }
                else if (sessionEventDecoder.clientId() == ctx.clientId())
                {
                    onSessionEvent(sessionEventDecoder.code(), sessionEventDecoder.leaderMemberId(),
                        sessionEventDecoder.lastSequence());
                }
                break;

            default:
                break;
        }
    }

    /**
     * A member's authenticator challenged this client (answer at once) or refused it (connect fails
     * with the reason).
     */
    private void onAuthentication(final int memberId, final SessionEventCode code, final String detail)
    {
        final int member = indexOf(memberId, -1);
        if (member < 0)
        {
            return;
        }
        if (code == SessionEventCode.CHALLENGE)
        {
            credentials[member] = ctx.credentials().onChallenge(ctx.clusterId(), ctx.clientId(),
                detail.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sendSessionOpen(member);
        }
        else if (!sessionOpened)
        {
            authenticationRejection = "member " + memberId + " refused client " + ctx.clientId() + ": " + detail;
        }
    }

    /**
     * Why a member's authenticator refused this client, or null.
     */
    public String authenticationRejection()
    {
        return authenticationRejection;
    }

    /**
     * A learner's outcome for {@code [fromSequence, toSequence]}, found in that order in {@code slot}.
     */
    private void onAck(
        final long fromSequence, final long toSequence, final long slot, final AckStatus status, final int fromMember)
    {
        switch (status)
        {
            case OK:
            case DUPLICATE:
                target = indexOf(fromMember, target);
                // A range never ends below its start: read a malformed one as a single sequence.
                final long lastSequence = Math.max(fromSequence, toSequence);
                for (long sequence = Math.max(fromSequence, oldestUnacked);
                    sequence <= lastSequence && sequence < nextSequence; sequence++)
                {
                    // A duplicate's slot holds a skipped copy; the command was applied once, earlier.
                    acknowledge(sequence, status == AckStatus.OK ? slot : EgressListener.EARLIER_SLOT);
                }
                break;

            case GAP:
                // An earlier sequence is missing where these landed: send everything open again, in order.
                redirectResendDue = true;
                break;

            case UNKNOWN_SESSION:
                // The session is not open at that point of the log (expired, or the copy came before
                // the open): open it again; the answer brings the resend.
                if (sessionOpened)
                {
                    sessionOpened = false;
                    lastSessionOpenNs = Long.MIN_VALUE / 2;
                }
                break;

            default:
                break;
        }
    }

    private void acknowledge(final long sequence, final long slot)
    {
        final int index = (int)(sequence & mask);
        if (!inFlight[index])
        {
            return;
        }
        inFlight[index] = false;
        clearRetry(index);
        acked++;
        while (oldestUnacked < nextSequence && !inFlight[(int)(oldestUnacked & mask)])
        {
            oldestUnacked++;
        }
        listener.onAck(sequence, slot);
    }

    private void onSessionEvent(final SessionEventCode code, final int leaderId, final long lastSequence)
    {
        switch (code)
        {
            case OPEN:
                if (leaderId >= 0)
                {
                    target = indexOf(leaderId, target);
                }
                if (lastSequence >= 0 && oldestUnacked == nextSequence && lastSequence >= nextSequence)
                {
                    // A client restarted with a known id: the cluster applied up to lastSequence for
                    // it, and its open entry resumed that session. Go on after it, never below.
                    nextSequence = lastSequence + 1;
                    oldestUnacked = nextSequence;
                }
                if (!sessionOpened)
                {
                    sessionOpened = true;
                    redirectResendDue = oldestUnacked < nextSequence;
                }
                break;

            case REDIRECT:
                if (leaderId >= 0)
                {
                    final int leaderIndex = indexOf(leaderId, target);
                    if (!sessionOpened && leaderIndex != target)
                    {
                        target = leaderIndex;
                        sendSessionOpen(target);
                    }
                }
                break;

            case CLOSED:
                sessionOpened = false;
                lastSessionOpenNs = Long.MIN_VALUE / 2;
                break;

            default:
                break;
        }
    }

    private void onRedirect(final int leaderMemberId)
    {
        target = leaderMemberId >= 0 ? indexOf(leaderMemberId, target) : (target + 1) % members.size();
        // A redirect means a command was not taken, whether or not the target changed (a session
        // answer may already have pointed the client at the leader): it must be sent again.
        redirectResendDue = true;
    }

    private int retryRefused()
    {
        if (retryCount == 0 || nowNs - lastRetryNs < RETRY_INTERVAL_NS)
        {
            return 0;
        }
        lastRetryNs = nowNs;
        int work = 0;
        for (long sequence = oldestUnacked; sequence < nextSequence && retryCount > 0; sequence++)
        {
            final int index = (int)(sequence & mask);
            if (retrySoon[index])
            {
                retrySoon[index] = false;
                retryCount--;
                if (inFlight[index])
                {
                    send(sequence, index);
                    resends++;
                    work++;
                }
            }
        }
        return work;
    }

    /**
     * Everything unacknowledged went to a member that does not lead: send it on, but at most once per
     * interval. Members that disagree about the leader would otherwise bounce the client, and every
     * bounce would resend the whole window.
     */
    private int resendAfterRedirect()
    {
        if (!redirectResendDue || nowNs - lastRedirectResendNs < REDIRECT_RESEND_INTERVAL_NS)
        {
            return 0;
        }
        redirectResendDue = false;
        lastRedirectResendNs = nowNs;
        int work = 0;
        for (long sequence = oldestUnacked; sequence < nextSequence; sequence++)
        {
            final int index = (int)(sequence & mask);
            if (inFlight[index])
            {
                send(sequence, index);
                resends++;
                work++;
            }
        }
        return work;
    }

    private void onError(final long sequence, final ErrorCode code, final String text)
    {
        if (code == ErrorCode.TOO_MANY_SESSIONS)
        {
            refusal = text;
            listener.onError(sequence, code.name(), text);
            return;
        }
        if (code == ErrorCode.BACK_PRESSURED || code == ErrorCode.NOT_LEADER)
        {
            // Not taken, but worth trying again soon rather than after a whole resend timeout; only
            // this one: resending the whole window would feed the overload that refused it.
            if (sequence >= oldestUnacked && sequence < nextSequence && inFlight[(int)(sequence & mask)] &&
                !retrySoon[(int)(sequence & mask)])
            {
                retrySoon[(int)(sequence & mask)] = true;
                retryCount++;
            }
            return;
        }
        if (sequence >= oldestUnacked && sequence < nextSequence)
        {
            final int index = (int)(sequence & mask);
            if (inFlight[index])
            {
                inFlight[index] = false;
                clearRetry(index);
                while (oldestUnacked < nextSequence && !inFlight[(int)(oldestUnacked & mask)])
                {
                    oldestUnacked++;
                }
                listener.onError(sequence, code.name(), text);
            }
        }
    }

    /**
     * A command that is answered no longer waits for a retry. Left set, the mark would outlive its
     * sequence: {@code retryCount} would never fall back to zero (the scan starts at the oldest
     * unacknowledged sequence and never reaches it again), so every poll would scan the window, and
     * the next sequence to reuse the ring index would be resent at once.
     */
    private void clearRetry(final int index)
    {
        if (retrySoon[index])
        {
            retrySoon[index] = false;
            retryCount--;
        }
    }

    private int indexOf(final int memberId, final int fallback)
    {
        for (int i = 0; i < members.size(); i++)
        {
            if (members.get(i).id() == memberId)
            {
                return i;
            }
        }
        return fallback;
    }
}
