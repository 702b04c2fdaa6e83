package io.synod.engine.protocol;

import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtocolConfigTest
{
    @Test
    void validConfigDerivesQuorumAndSelfIndex()
    {
        final ProtocolConfig config = TestValues.config(2).conclude();
        assertEquals(2, config.quorum());
        assertEquals(1, config.selfIndex());
        assertEquals(3, new ProtocolConfig().selfId(1).memberIds(1, 2, 3, 4, 5).conclude().quorum());
        assertEquals(3, new ProtocolConfig().selfId(1).memberIds(1, 2, 3, 4).conclude().quorum());
        assertEquals(1, new ProtocolConfig().selfId(9).memberIds(9).conclude().quorum());
        assertEquals(-1, config.indexOf(4));
    }

    @Test
    void defaultsAreValid()
    {
        new ProtocolConfig().selfId(1).memberIds(1, 2, 3).conclude();
    }

    @Test
    void eachBadSettingIsNamed()
    {
        bad("memberIds", c -> c.memberIds(new int[0]));
        bad("memberIds", c -> c.memberIds(new int[64]));
        bad("memberIds", c -> c.memberIds(1, 2, 2));
        bad("memberIds", c -> c.memberIds(1, -2, 3));
        bad("memberIds", c -> c.memberIds(1, 2, Ballot.MAX_MEMBER_ID + 1));
        bad("selfId", c -> c.selfId(4));
        bad("heartbeatIntervalNs", c -> c.heartbeatIntervalNs(0));
        bad("heartbeatIntervalNs", c -> c.heartbeatIntervalNs(TestValues.T));
        bad("electionTimeoutNs", c -> c.electionTimeoutNs(-1));
        bad("retransmitTimeoutNs", c -> c.retransmitTimeoutNs(0));
        bad("catchUpTimeoutNs", c -> c.catchUpTimeoutNs(0));
        bad("windowSlots", c -> c.windowSlots(6));
        bad("windowSlots", c -> c.windowSlots(1));
        bad("windowSlots", c -> c.windowSlots(0));
        bad("learnerWindowSlots", c -> c.learnerWindowSlots(12));
        bad("maxBatchCommands", c -> c.maxBatchCommands(0));
        bad("maxSlotsPerAccept", c -> c.maxSlotsPerAccept(0));
        bad("maxChosenRanges", c -> c.maxChosenRanges(0));
        bad("maxPendingReplies", c -> c.maxPendingReplies(0));
        bad("maxClients", c -> c.maxClients(-3));
        bad("maxRoundJump", c -> c.maxRoundJump(0));
        bad("maxRoundJump", c -> c.maxRoundJump(Ballot.MAX_ROUND + 1));
        bad("maxValueBytes", c -> c.maxValueBytes(BatchDescriptor.HEADER_LENGTH - 1));
        bad("windowBytes", c -> c.windowBytes(TestValues.MAX_VALUE_BYTES - 1));
        bad("maxMessageBytes", c -> c.maxMessageBytes(
            Outbox.MESSAGE_OVERHEAD_BYTES + 4 * Outbox.RANGE_LENGTH_BYTES + Outbox.entryLengthBytes(TestValues.MAX_VALUE_BYTES) - 1));
    }

    @Test
    void smallestMessageThatHoldsOneEntryIsAccepted()
    {
        TestValues.config(1).maxMessageBytes(
            Outbox.MESSAGE_OVERHEAD_BYTES + 4 * Outbox.RANGE_LENGTH_BYTES + Outbox.entryLengthBytes(TestValues.MAX_VALUE_BYTES))
            .conclude();
    }

    private static void bad(final String setting, final Consumer<ProtocolConfig> change)
    {
        final ProtocolConfig config = TestValues.config(1);
        change.accept(config);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, config::conclude, setting);
        assertTrue(e.getMessage().contains("setting " + setting + ":"), "'" + e.getMessage() + "' names " + setting);
    }
}
