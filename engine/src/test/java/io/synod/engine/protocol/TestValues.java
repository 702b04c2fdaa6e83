package io.synod.engine.protocol;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Values, configs and clocks shared by the protocol unit tests. Stateless.
 */
final class TestValues
{
    static final long H = 100;
    static final long T = 1_000;
    static final long R = 200;
    static final long CATCH_UP = 200;
    static final int MAX_VALUE_BYTES = 256;

    private TestValues()
    {
    }

    /**
     * Three members 1, 2, 3; small windows and messages so tests reach every bound quickly. Times in
     * nanoseconds of the fake clock: heartbeat 100, election timeout 1000, retransmit 200.
     */
    static ProtocolConfig config(final int selfId)
    {
        return new ProtocolConfig()
            .selfId(selfId)
            .memberIds(1, 2, 3)
            .heartbeatIntervalNs(H)
            .electionTimeoutNs(T)
            .retransmitTimeoutNs(R)
            .catchUpTimeoutNs(CATCH_UP)
            .windowSlots(8)
            .windowBytes(8 * MAX_VALUE_BYTES)
            .maxValueBytes(MAX_VALUE_BYTES)
            .maxBatchCommands(16)
            .maxSlotsPerAccept(4)
            .maxChosenRanges(4)
            .maxMessageBytes(1024)
            .learnerWindowSlots(8)
            .maxPendingReplies(64)
            .maxClients(16);
    }

    /**
     * One command whose payload is {@code payloadLength} bytes of {@code (byte)sequence}.
     */
    static byte[] command(final long clientId, final long sequence, final int payloadLength)
    {
        final byte[] payload = new byte[payloadLength];
        java.util.Arrays.fill(payload, (byte)sequence);
        final byte[] bytes = new byte[BatchDescriptor.commandLength(payloadLength)];
        BatchDescriptor.write(new UnsafeBuffer(bytes), 0, clientId, sequence, new UnsafeBuffer(payload), 0, payloadLength);
        return bytes;
    }

    static byte[] command(final long clientId, final long sequence)
    {
        return command(clientId, sequence, 4);
    }

    static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] part : parts)
        {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static UnsafeBuffer buffer(final byte[] bytes)
    {
        return new UnsafeBuffer(bytes);
    }

    /**
     * @return the (clientId, sequence) of every command in a value, as "clientId:sequence".
     */
    static List<String> commandsOf(final byte[] value)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(value);
        if (BatchDescriptor.validate(buffer, 0, value.length) < 0)
        {
            throw new AssertionError("malformed value of " + value.length + " bytes");
        }
        final List<String> result = new ArrayList<>();
        int position = 0;
        while (position < value.length)
        {
            result.add(BatchDescriptor.clientId(buffer, position) + ":" + BatchDescriptor.sequence(buffer, position));
            position += BatchDescriptor.commandLength(BatchDescriptor.payloadLength(buffer, position));
        }
        return result;
    }
}
