package io.synod.bench;

import io.synod.codecs.AcceptDecoder;
import io.synod.codecs.AcceptEncoder;
import io.synod.codecs.ClientCommandDecoder;
import io.synod.codecs.ClientCommandEncoder;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.*;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * SBE encode and decode of the two hottest messages: an Accept of {@link #ENTRIES} entries of
 * {@link #VALUE_LENGTH_BYTES} bytes with {@link #CHOSEN_RANGES} piggybacked chosen ranges, and a
 * ClientCommand of {@link #VALUE_LENGTH_BYTES} bytes. One op is one whole message. Run with
 * {@code -prof gc}: the goal is 0 B/op. Single-threaded: each JMH thread owns its state.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens", "java.base/java.nio=ALL-UNNAMED" })
public class CodecBenchmark
{
    static final int CLUSTER_ID = 7;
    static final int MEMBER_ID = 0;
    static final long BALLOT = 3L << 16;
    static final int ENTRIES = 8;
    static final int VALUE_LENGTH_BYTES = 32;
    static final int CHOSEN_RANGES = 2;
    static final long FIRST_SLOT = 1_000_000L;
    static final int BUFFER_LENGTH_BYTES = 4096;

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final AcceptEncoder acceptEncoder = new AcceptEncoder();
    private final AcceptDecoder acceptDecoder = new AcceptDecoder();
    private final ClientCommandEncoder commandEncoder = new ClientCommandEncoder();
    private final ClientCommandDecoder commandDecoder = new ClientCommandDecoder();

    private final UnsafeBuffer value = new UnsafeBuffer(new byte[VALUE_LENGTH_BYTES]);
    private final UnsafeBuffer valueView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer encodeBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(BUFFER_LENGTH_BYTES));
    private final UnsafeBuffer acceptBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(BUFFER_LENGTH_BYTES));
    private final UnsafeBuffer commandBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(BUFFER_LENGTH_BYTES));
    private int acceptLengthBytes;
    private int commandLengthBytes;
    private long sequence;

    @Setup(Level.Trial)
    public void setup()
    {
        for (int i = 0; i < VALUE_LENGTH_BYTES; i++)
        {
            value.putByte(i, (byte)i);
        }
        acceptLengthBytes = encodeAccept(acceptBuffer, FIRST_SLOT);
        commandLengthBytes = encodeCommand(commandBuffer, 1);
    }

    @Benchmark
    public int encodeAccept()
    {
        return encodeAccept(encodeBuffer, FIRST_SLOT);
    }

    @Benchmark
    public long decodeAccept()
    {
        return decodeAccept(acceptBuffer);
    }

    @Benchmark
    public int encodeClientCommand()
    {
        return encodeCommand(encodeBuffer, ++sequence);
    }

    @Benchmark
    public long decodeClientCommand()
    {
        return decodeCommand(commandBuffer);
    }

    /**
     * Encodes as the transport's publisher does: header, fixed block, chosen ranges, entries.
     *
     * @return the message length in bytes, header included.
     */
    int encodeAccept(final UnsafeBuffer buffer, final long firstSlot)
    {
        acceptEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .clusterId(CLUSTER_ID).memberId(MEMBER_ID).ballot(BALLOT)
            .chosenWatermark(firstSlot - 16).ballotStartSlot(firstSlot - 1024);
        final AcceptEncoder.ChosenRangesEncoder ranges = acceptEncoder.chosenRangesCount(CHOSEN_RANGES);
        for (int i = 0; i < CHOSEN_RANGES; i++)
        {
            final long from = firstSlot - 12 + 4L * i;
            ranges.next().fromSlot(from).toSlot(from + 2);
        }
        final AcceptEncoder.EntriesEncoder entries = acceptEncoder.entriesCount(ENTRIES);
        for (int i = 0; i < ENTRIES; i++)
        {
            entries.next().slot(firstSlot + i).putValue(value, 0, VALUE_LENGTH_BYTES);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + acceptEncoder.encodedLength();
    }

    /**
     * Reads every field, range and entry in schema order, as an adapter does; values are viewed in
     * place, not copied.
     *
     * @return a checksum of what was read, so nothing is dead code.
     */
    long decodeAccept(final UnsafeBuffer buffer)
    {
        acceptDecoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
        long sum = acceptDecoder.clusterId() + acceptDecoder.memberId() + acceptDecoder.ballot() +
            acceptDecoder.chosenWatermark() + acceptDecoder.ballotStartSlot();
        final AcceptDecoder.ChosenRangesDecoder ranges = acceptDecoder.chosenRanges();
        for (int i = 0, count = ranges.count(); i < count; i++)
        {
            ranges.next();
            sum += ranges.toSlot() - ranges.fromSlot();
        }
        final AcceptDecoder.EntriesDecoder entries = acceptDecoder.entries();
        for (int i = 0, count = entries.count(); i < count; i++)
        {
            entries.next();
            sum += entries.slot();
            entries.wrapValue(valueView);
            sum += valueView.capacity() + valueView.getByte(valueView.capacity() - 1);
        }
        return sum;
    }

    int encodeCommand(final UnsafeBuffer buffer, final long sequence)
    {
        commandEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .clusterId(CLUSTER_ID).memberId(-1).clientId(42).sequence(sequence)
            .putPayload(value, 0, VALUE_LENGTH_BYTES);
        return MessageHeaderEncoder.ENCODED_LENGTH + commandEncoder.encodedLength();
    }

    long decodeCommand(final UnsafeBuffer buffer)
    {
        commandDecoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
        long sum = commandDecoder.clusterId() + commandDecoder.memberId() + commandDecoder.clientId() +
            commandDecoder.sequence();
        commandDecoder.wrapPayload(valueView);
        return sum + valueView.capacity() + valueView.getByte(0);
    }

    int acceptLengthBytes()
    {
        return acceptLengthBytes;
    }

    int commandLengthBytes()
    {
        return commandLengthBytes;
    }

    UnsafeBuffer acceptBuffer()
    {
        return acceptBuffer;
    }

    UnsafeBuffer commandBuffer()
    {
        return commandBuffer;
    }
}
