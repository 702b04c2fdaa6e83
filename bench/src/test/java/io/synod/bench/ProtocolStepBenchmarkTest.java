package io.synod.bench;

import io.synod.codecs.MessageValidator;
import io.synod.engine.protocol.LeaderRole;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Checks that the benchmarks' states measure what they claim, outside JMH: every protocol step is
 * chosen and acked (also across heartbeats and more than a window's worth of slots), and the
 * encoded messages round-trip and validate.
 */
class ProtocolStepBenchmarkTest
{
    @Test
    void everyStepIsChosenAndTheWindowNeverFills()
    {
        final ProtocolStepBenchmark bench = new ProtocolStepBenchmark();
        bench.setup();
        final int steps = 3 * ProtocolStepBenchmark.WINDOW_SLOTS + 20_000;
        for (int i = 1; i <= steps; i++)
        {
            assertEquals(i, bench.step());
        }
        assertEquals(LeaderRole.LEADER, bench.leader().role());
        assertEquals(steps, bench.leader().chosenWatermark());
        assertEquals(steps, bench.leader().commandsChosen());
        assertEquals(0, bench.acceptor(0).pendingReplies());
        assertEquals(0, bench.acceptor(1).pendingReplies());
        assertEquals(0, bench.acceptor(0).invalidDropped() + bench.acceptor(1).invalidDropped());
    }

    @Test
    void encodedMessagesValidateAndDecode()
    {
        final CodecBenchmark codec = new CodecBenchmark();
        codec.setup();
        final MessageValidator validator = new MessageValidator();
        assertEquals(MessageValidator.OK, validator.validate(codec.acceptBuffer(), 0, codec.acceptLengthBytes()));
        assertEquals(
            MessageValidator.OK, validator.validate(codec.commandBuffer(), 0, codec.commandLengthBytes()));
        assertEquals(codec.acceptLengthBytes(), codec.encodeAccept());
        assertEquals(codec.decodeAccept(), codec.decodeAccept());
    }

    @Test
    void ringHandsOverEveryMessage()
    {
        final RingBenchmark bench = new RingBenchmark();
        final RingBenchmark.ThreadRing state = new RingBenchmark.ThreadRing();
        state.setup();
        for (int i = 0; i < 10_000; i++)
        {
            bench.writeRead(state);
            bench.claimCommitRead(state);
        }
        state.ring.read(state.handler);
        assertEquals(20_000L * (RingBenchmark.MESSAGE_LENGTH_BYTES + RingBenchmark.MESSAGE_LENGTH_BYTES - 1),
            state.handler.sum);
    }
}
