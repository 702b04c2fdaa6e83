package io.synod.tools;

import io.synod.engine.runtime.NodeContext;
import io.synod.engine.runtime.SynodNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StatCommandTest
{
    @TempDir
    Path dir;

    @Test
    void aMemberWhoseProcessIsGoneIsShownDeadBesideTheLiveLeader() throws Exception
    {
        final String aeronDir = "/dev/shm/synod-test-stat-" + UUID.randomUUID();
        final int port = io.synod.engine.runtime.LoopbackPorts.freeUdpPorts(1)[0];
        try (SynodNode node = SynodNode.launch(new NodeContext().memberId(0).members("0=127.0.0.1:" + port)
            .directory(dir).aeronDirectoryName(aeronDir).durability("PAGE_CACHE").idle("backoff"), null))
        {
            // A member killed with -9 leaves its node.properties and counters file behind: here, a
            // member-1 whose pid belonged to a process that has exited, over the live node's counters.
            final Process exited = new ProcessBuilder("true").start();
            assertTrue(exited.waitFor(30, TimeUnit.SECONDS));
            final Properties properties = new Properties();
            properties.setProperty("clusterId", "0");
            properties.setProperty("memberId", "1");
            properties.setProperty("aeronDirectory", aeronDir);
            properties.setProperty("pid", Long.toString(exited.pid()));
            Files.createDirectories(dir.resolve("member-1"));
            try (Writer writer = Files.newBufferedWriter(dir.resolve("member-1").resolve(SynodNode.NODE_FILE_NAME)))
            {
                properties.store(writer, null);
            }

            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<StatCommand.Member> members = StatCommand.read(dir);
            while (!"LEADER".equals(members.get(0).state) && System.nanoTime() < deadlineNs)
            {
                Thread.onSpinWait();
                members = StatCommand.read(dir);
            }
            assertEquals("LEADER", members.get(0).state, "a single-member cluster elects itself");
            assertEquals("DEAD (pid " + exited.pid() + " not running)", members.get(1).state);

            final String table = StatCommand.table(members, null, 0);
            assertTrue(table.contains("leader: member 0"), table);
            assertTrue(table.contains("member 1: DEAD (pid " + exited.pid() + " not running)"), table);
            assertTrue(table.contains("commands accepted"), "counters by their label: " + table);
            assertFalse(table.contains("synod cluster=0 member=0:"), "label prefix stripped: " + table);
        }
        finally
        {
            deleteRecursively(new File(aeronDir));
        }
    }

    @Test
    void watchShowsRatesBesideTotalsButNotBesideStates()
    {
        final StatCommand.Member before = new StatCommand.Member("0", "1");
        before.state = "LEADER";
        before.counters.put("commands accepted", 1_000L);
        before.counters.put("role (0 follower, 1 candidate, 2 leader)", 2L);
        final StatCommand.Member after = new StatCommand.Member("0", "1");
        after.state = "LEADER";
        after.counters.put("commands accepted", 3_000L);
        after.counters.put("role (0 follower, 1 candidate, 2 leader)", 2L);

        final String table = StatCommand.table(List.of(after), java.util.Map.of("0", before.counters), 2.0);
        assertTrue(table.contains("3,000 (1,000/s)"), table);
        assertFalse(table.contains("2 (0/s)"), table);
    }

    @Test
    void deadReasonTrustsALiveProcessWithAFreshHeartbeatOnly()
    {
        final String self = Long.toString(ProcessHandle.current().pid());
        assertNull(StatCommand.deadReason(self, ProcessHandle.current().pid(), 5));
        assertEquals("no driver heartbeat for 30 s", StatCommand.deadReason(self, ProcessHandle.current().pid(), 30_000));
    }

    private static void deleteRecursively(final File file)
    {
        org.agrona.IoUtil.delete(file, true);
    }
}
