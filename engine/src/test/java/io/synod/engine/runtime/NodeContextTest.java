package io.synod.engine.runtime;

import io.synod.engine.protocol.ProtocolConfig;
import io.synod.engine.protocol.ProtocolConfiguration;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeContextTest
{
    private Path dir;

    @BeforeEach
    void createDir() throws IOException
    {
        dir = Files.createTempDirectory("synod-ctx-");
    }

    @AfterEach
    void deleteDir()
    {
        IoUtil.delete(dir.toFile(), true);
    }

    @Test
    void nodeDefaultsAreTheProtocolDefaults()
    {
        final ProtocolConfig node = ctx().conclude().protocolConfig();
        final ProtocolConfig core = new ProtocolConfig();
        assertEquals(core.heartbeatIntervalNs(), node.heartbeatIntervalNs(), "heartbeat");
        assertEquals(core.electionTimeoutNs(), node.electionTimeoutNs(), "election timeout");
        assertEquals(core.retransmitTimeoutNs(), node.retransmitTimeoutNs(), "retransmit timeout");
        assertEquals(core.catchUpTimeoutNs(), node.catchUpTimeoutNs(), "catch-up timeout");
        assertEquals(core.windowSlots(), node.windowSlots(), "window slots");
        assertEquals(core.windowBytes(), node.windowBytes(), "window bytes");
        assertEquals(core.maxValueBytes(), node.maxValueBytes(), "max value bytes");
        assertEquals(core.maxBatchCommands(), node.maxBatchCommands(), "max batch commands");
        assertEquals(core.maxSlotsPerAccept(), node.maxSlotsPerAccept(), "max slots per accept");
        assertEquals(core.maxMessageBytes(), node.maxMessageBytes(), "max message bytes");
        assertEquals(core.learnerWindowSlots(), node.learnerWindowSlots(), "learner window slots");
        assertEquals(core.maxChosenRanges(), node.maxChosenRanges(), "max chosen ranges");
        assertEquals(core.maxPendingReplies(), node.maxPendingReplies(), "max pending replies");
        assertEquals(core.maxClients(), node.maxClients(), "max clients");
    }

    @Test
    void errorsNameThePropertyAndTheRange()
    {
        assertMessage("synod.window.slots=3: must be a power of two in [2, " + ProtocolConfiguration.WINDOW_SLOTS_MAX +
            "]", () -> ctx().windowSlots(3));
        assertMessage("synod.heartbeat.interval=100ms: must be below synod.election.timeout=75ms",
            () -> ctx().heartbeatIntervalNs(100_000_000L));
        assertMessage("synod.mtu=7: must be a multiple of 32 in [1408, 65504]", () -> ctx().mtuLength(7));
        assertMessage("synod.term.length=3: must be a power of two in [64k, 1g]", () -> ctx().termLength(3));
        assertMessage("synod.idle=fast: is not one of " + NodeConfiguration.IDLE_CHOICES, () -> ctx().idle("fast"));
        assertMessage("synod.member.id=7: is not one of synod.members=0=127.0.0.1:1,1=127.0.0.1:2",
            () -> ctx().members("0=127.0.0.1:1,1=127.0.0.1:2").memberId(7));
    }

    @Test
    void malformedPropertyNamesThePropertyAndTheText()
    {
        assertProperty(NodeConfiguration.MTU_PROP, "abc", "synod.mtu: 'abc' is not a size");
        assertProperty(ProtocolConfiguration.WINDOW_SLOTS_PROP, "many", "synod.window.slots: 'many' is not a number");
        assertProperty(ProtocolConfiguration.HEARTBEAT_INTERVAL_PROP, "soon",
            "synod.heartbeat.interval: 'soon' is not a duration");
        assertProperty(NodeConfiguration.EMBEDDED_DRIVER_PROP, "yes", "synod.driver.embedded: 'yes' is not true or false");
    }

    @Test
    void propertiesInUnitsAreRead()
    {
        System.setProperty(NodeConfiguration.TERM_LENGTH_PROP, "8m");
        System.setProperty(ProtocolConfiguration.HEARTBEAT_INTERVAL_PROP, "5ms");
        try
        {
            final NodeContext ctx = ctx();
            assertEquals(8 * 1024 * 1024, ctx.termLength());
            assertEquals(5_000_000L, ctx.heartbeatIntervalNs());
        }
        finally
        {
            System.clearProperty(NodeConfiguration.TERM_LENGTH_PROP);
            System.clearProperty(ProtocolConfiguration.HEARTBEAT_INTERVAL_PROP);
        }
    }

    @Test
    void concludingTwiceIsRefused()
    {
        final NodeContext ctx = ctx().conclude();
        assertThrows(IllegalStateException.class, ctx::conclude, "a second conclude() must not pass silently");
    }

    @Test
    void describeIsBuiltFromTheConcludedSettings()
    {
        final String line = ctx().windowSlots(64).windowBytes(1024 * 1024).conclude().describe();
        assertTrue(line.contains("window=64 slots/1m"), line);
        assertTrue(line.contains("heartbeat=15ms electionTimeout=75ms"), line);
    }

    @Test
    void defaultAeronDirectoryDiffersPerDataDirectory()
    {
        final String a = ctx().directory(dir.resolve("a")).conclude().aeronDirectoryName();
        final String b = ctx().directory(dir.resolve("b")).conclude().aeronDirectoryName();
        final String a2 = ctx().directory(dir.resolve("a")).conclude().aeronDirectoryName();
        assertNotEquals(a, b, "two clusters (both cluster 0, member 0) in different directories share " + a);
        assertEquals(a, a2, "a restart in the same directory finds the same driver directory");
    }

    private NodeContext ctx()
    {
        return new NodeContext().members("0=127.0.0.1:20100,1=127.0.0.1:20101,2=127.0.0.1:20102").memberId(0)
            .directory(dir);
    }

    private static void assertMessage(final String expected, final Supplier<NodeContext> ctx)
    {
        final NodeContext context = ctx.get();
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, context::conclude);
        assertEquals(expected, e.getMessage());
    }

    private void assertProperty(final String name, final String value, final String expectedStart)
    {
        System.setProperty(name, value);
        try
        {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, this::ctx);
            assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
        }
        finally
        {
            System.clearProperty(name);
        }
    }
}
