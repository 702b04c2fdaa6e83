package io.synod.client;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.synod.codecs.AckStatus;
import io.synod.codecs.ClientAckEncoder;
import io.synod.codecs.ClientProtocol;
import io.synod.codecs.ErrorCode;
import io.synod.codecs.ErrorEncoder;
import io.synod.codecs.MessageHeaderEncoder;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client against a stand-in member: a subscription on the member's ingress endpoint, so that
 * commands can be sent, and answers handed to the client directly.
 */
@Timeout(30)
class ClientRetryTest
{
    private static final long CLIENT_ID = 42;

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final List<Long> acks = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private MediaDriver driver;
    private Aeron aeron;
    private Subscription memberIngress;
    private SynodClient client;

    @BeforeEach
    void start() throws Exception
    {
        final String dir = "/dev/shm/synod-test-client-retry-" + UUID.randomUUID();
        driver = MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(dir)
            .threadingMode(ThreadingMode.SHARED).dirDeleteOnStart(true).dirDeleteOnShutdown(true)
            .termBufferSparseFile(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
        final int port;
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            port = socket.getLocalPort();
        }
        memberIngress = aeron.addSubscription("aeron:udp?endpoint=127.0.0.1:" + port, ClientProtocol.INGRESS_STREAM_ID);
        client = SynodClient.open(new ClientContext().aeron(aeron).members("0=127.0.0.1:" + port).clientId(CLIENT_ID),
            new EgressListener()
            {
                public void onAck(final long sequence, final long slot)
                {
                    acks.add(sequence);
                }

                public void onError(final long sequence, final String code, final String text)
                {
                    errors.add(sequence + ":" + code);
                }
            });
    }

    @AfterEach
    void stop()
    {
        CloseHelper.quietCloseAll(client, memberIngress, aeron, driver);
    }

    private long offerWhenConnected()
    {
        final long deadlineNs = System.nanoTime() + 10_000_000_000L;
        while (true)
        {
            final long sequence = client.offer(buffer, 0, 8);
            if (sequence > 0)
            {
                return sequence;
            }
            assertTrue(System.nanoTime() < deadlineNs, "the stand-in member's ingress never connected: " + sequence);
            client.poll();
            Thread.onSpinWait();
        }
    }

    private void answerError(final long sequence, final ErrorCode code)
    {
        final ErrorEncoder encoder = new ErrorEncoder().wrapAndApplyHeader(buffer, 0, header)
            .clusterId(0).memberId(0).clientId(CLIENT_ID).sequence(sequence).code(code).text("");
        client.onFragment(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(), null);
    }

    private void answerAck(final long sequence, final long slot)
    {
        final ClientAckEncoder encoder = new ClientAckEncoder().wrapAndApplyHeader(buffer, 0, header)
            .clusterId(0).memberId(0).clientId(CLIENT_ID).sequence(sequence).slot(slot).status(AckStatus.OK);
        client.onFragment(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(), null);
    }

    @Test
    void anAckAfterBackPressureClearsTheRetryMark()
    {
        final long sequence = offerWhenConnected();
        answerError(sequence, ErrorCode.BACK_PRESSURED);
        assertEquals(1, client.retriesPending(), "a back-pressured command waits for a quick retry");
        answerAck(sequence, 0);
        assertEquals(List.of(sequence), acks);
        assertEquals(0, client.retriesPending(),
            "an acknowledged command must not stay marked for retry (else every poll scans the window)");
    }

    @Test
    void aFinalErrorAfterNotLeaderClearsTheRetryMark()
    {
        final long sequence = offerWhenConnected();
        answerError(sequence, ErrorCode.NOT_LEADER);
        answerError(sequence, ErrorCode.PAYLOAD_TOO_LARGE);
        assertEquals(List.of(sequence + ":PAYLOAD_TOO_LARGE"), errors);
        assertEquals(0, client.retriesPending(), "a rejected command must not stay marked for retry");
    }
}
