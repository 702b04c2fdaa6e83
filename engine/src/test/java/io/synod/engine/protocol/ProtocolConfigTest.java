package io.synod.engine.protocol;

import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static io.synod.engine.protocol.ProtocolConfiguration.*;
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
        bad(MEMBERS_PROP, c -> c.memberIds(new int[0]));
        bad(MEMBERS_PROP, c -> c.memberIds(new int[64]));
        bad(MEMBERS_PROP, c -> c.memberIds(1, 2, 2));
        bad(MEMBERS_PROP, c -> c.memberIds(1, -2, 3));
        bad(MEMBERS_PROP, c -> c.memberIds(1, 2, Ballot.MAX_MEMBER_ID + 1));
        bad(MEMBER_ID_PROP, c -> c.selfId(4));
        bad(HEARTBEAT_INTERVAL_PROP, c -> c.heartbeatIntervalNs(0));
        bad(HEARTBEAT_INTERVAL_PROP, c -> c.heartbeatIntervalNs(TestValues.T));
        bad(ELECTION_TIMEOUT_PROP, c -> c.electionTimeoutNs(-1));
        bad(RETRANSMIT_TIMEOUT_PROP, c -> c.retransmitTimeoutNs(0));
        bad(CATCH_UP_TIMEOUT_PROP, c -> c.catchUpTimeoutNs(0));
        bad(WINDOW_SLOTS_PROP, c -> c.windowSlots(6));
        bad(WINDOW_SLOTS_PROP, c -> c.windowSlots(1));
        bad(WINDOW_SLOTS_PROP, c -> c.windowSlots(0));
        bad(LEARNER_WINDOW_SLOTS_PROP, c -> c.learnerWindowSlots(12));
        bad(MAX_BATCH_COMMANDS_PROP, c -> c.maxBatchCommands(0));
        bad(MAX_SLOTS_PER_ACCEPT_PROP, c -> c.maxSlotsPerAccept(0));
        bad(MAX_CHOSEN_RANGES_PROP, c -> c.maxChosenRanges(0));
        bad(MAX_PENDING_REPLIES_PROP, c -> c.maxPendingReplies(0));
        bad(MAX_CLIENTS_PROP, c -> c.maxClients(-3));
        bad(MAX_ROUND_JUMP_PROP, c -> c.maxRoundJump(0));
        bad(MAX_ROUND_JUMP_PROP, c -> c.maxRoundJump(Ballot.MAX_ROUND + 1));
        bad(MAX_VALUE_BYTES_PROP, c -> c.maxValueBytes(BatchDescriptor.HEADER_LENGTH - 1));
        bad(WINDOW_BYTES_PROP, c -> c.windowBytes(TestValues.MAX_VALUE_BYTES - 1));
        bad(MAX_MESSAGE_BYTES_PROP, c -> c.maxMessageBytes(
            Outbox.MESSAGE_OVERHEAD_BYTES + 4 * Outbox.RANGE_LENGTH_BYTES + Outbox.entryLengthBytes(TestValues.MAX_VALUE_BYTES) - 1));
    }

    @Test
    void windowBoundsAreNamedWithTheirRange()
    {
        final ProtocolConfig config = TestValues.config(1).windowSlots(WINDOW_SLOTS_MAX * 2);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, config::conclude);
        assertEquals("synod.window.slots=" + WINDOW_SLOTS_MAX * 2 + ": must be a power of two in [2, " +
            WINDOW_SLOTS_MAX + "]", e.getMessage());
    }

    @Test
    void concludingTwiceIsRefused()
    {
        final ProtocolConfig config = TestValues.config(1).conclude();
        assertThrows(IllegalStateException.class, config::conclude, "a second conclude() must not pass silently");
    }

    @Test
    void defaultWindowBytesHoldAFullWindowOfFullValues()
    {
        final ProtocolConfig config = new ProtocolConfig();
        assertEquals((long)config.windowSlots() * config.maxValueBytes(), config.windowBytes());
        assertEquals(5 * config.heartbeatIntervalNs(), config.electionTimeoutNs());
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
        // The operator types the property, so the error starts with it (not a field name such as windowSlots).
        assertTrue(e.getMessage().startsWith(setting + "="), "'" + e.getMessage() + "' names " + setting);
    }
}
