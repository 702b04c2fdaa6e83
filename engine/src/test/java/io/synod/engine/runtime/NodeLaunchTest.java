package io.synod.engine.runtime;

import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Starting nodes: what a failed start leaves behind (nothing), what a second node on one data directory
 * is told, and two clusters on one host keeping apart.
 */
class NodeLaunchTest
{
    private Path dir;
    private final List<String> aeronDirs = new ArrayList<>();

    @BeforeEach
    void createDir() throws IOException
    {
        dir = Files.createTempDirectory("synod-launch-");
    }

    @AfterEach
    void deleteDirs()
    {
        IoUtil.delete(dir.toFile(), true);
        aeronDirs.forEach(name -> IoUtil.delete(new File(name), true));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void failedLaunchOnAPortInUseLeavesNoDriverDirectoryThreadMappingOrLock() throws Exception
    {
        final Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
        final String aeronDir = aeronDir("failed");
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            final int[] ports = LoopbackPorts.freeUdpPorts(2);
            final NodeContext ctx = new NodeContext()
                .members("0=127.0.0.1:" + taken.getLocalPort() + ",1=127.0.0.1:" + ports[0] + ",2=127.0.0.1:" + ports[1])
                .memberId(0)
                .directory(dir)
                .aeronDirectoryName(aeronDir)
                .threading("DEDICATED")
                .durability("PAGE_CACHE");
            assertThrows(RuntimeException.class, () -> SynodNode.launch(ctx, null), "the port is taken");
        }

        assertFalse(new File(aeronDir).exists(), "driver directory " + aeronDir + " left behind");
        assertFalse(Files.exists(dir.resolve("member-0")), "a first start that failed left its data directory");
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<String> leftThreads;
        do
        {
            leftThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !threadsBefore.contains(thread) && thread.isAlive())
                .map(Thread::getName)
                .filter(name -> !name.startsWith("junit") && !name.startsWith("Common-Cleaner") &&
                    !name.startsWith("Attach Listener"))
                .collect(Collectors.toList());
            Thread.onSpinWait();
        }
        while (!leftThreads.isEmpty() && System.nanoTime() < deadlineNs);
        assertEquals(List.of(), leftThreads, "threads the failed start left running");

        final Path maps = Path.of("/proc/self/maps");
        if (Files.isReadable(maps))
        {
            final List<String> mapped = Files.readAllLines(maps).stream()
                .filter(line -> line.contains(dir.toString()) || line.contains(aeronDir))
                .collect(Collectors.toList());
            assertEquals(List.of(), mapped, "files the failed start left mapped");
        }

        // The lock went with it: the same directory starts now that the port is free.
        final int[] ports = LoopbackPorts.freeUdpPorts(1);
        try (SynodNode node = SynodNode.launch(new NodeContext().members("0=127.0.0.1:" + ports[0]).memberId(0)
            .directory(dir).aeronDirectoryName(aeronDir).durability("PAGE_CACHE"), null))
        {
            assertNull(node.fatalError());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void secondNodeOnTheSameDataDirectoryIsRefusedNamingTheHolder()
    {
        final int[] ports = LoopbackPorts.freeUdpPorts(2);
        try (SynodNode first = SynodNode.launch(single(ports[0], dir).aeronDirectoryName(aeronDir("first")), null))
        {
            final String secondAeronDir = aeronDir("second");
            final IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> SynodNode.launch(single(ports[1], dir).aeronDirectoryName(secondAeronDir), null));
            assertTrue(refused.getMessage().contains("in use by pid " + ProcessHandle.current().pid()),
                refused.getMessage());
            assertFalse(new File(secondAeronDir).exists(), "the refused node started a driver");
            assertTrue(new File(first.context().aeronDirectoryName(), "cnc.dat").isFile(), "first node's driver gone");
            assertNull(first.fatalError());
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void twoClustersOnOneHostKeepTheirOwnAeronDirectoriesAndCounters() throws Exception
    {
        // Both clusters have cluster id 0 and member 0, as two `synod cluster` runs with defaults have.
        final int[] ports = LoopbackPorts.freeUdpPorts(2);
        final SynodNode a = SynodNode.launch(single(ports[0], dir.resolve("cA")), null);
        try
        {
            final String aeronA = a.context().aeronDirectoryName();
            aeronDirs.add(aeronA);
            final String aeronB;
            try (SynodNode b = SynodNode.launch(single(ports[1], dir.resolve("cB")), null))
            {
                aeronB = b.context().aeronDirectoryName();
                aeronDirs.add(aeronB);
                assertNotEquals(aeronA, aeronB, "two clusters share an Aeron directory");
                awaitLeader(a);
                awaitLeader(b);
                // synod stat finds each cluster's counters through the node file in its data directory.
                assertEquals(aeronA, nodeFileAeronDir(dir.resolve("cA")));
                assertEquals(aeronB, nodeFileAeronDir(dir.resolve("cB")));
            }
            assertFalse(new File(aeronB).exists(), "B's driver directory outlived B");
            assertTrue(new File(aeronA, "cnc.dat").isFile(), "stopping B removed A's counters");
            assertEquals(2, a.roleCode(), "A still leads");
            assertNull(a.fatalError());
        }
        finally
        {
            a.close();
        }
    }

    private NodeContext single(final int port, final Path dataDir)
    {
        return new NodeContext().members("0=127.0.0.1:" + port).memberId(0).directory(dataDir).durability("PAGE_CACHE");
    }

    private String aeronDir(final String what)
    {
        final String name = "/dev/shm/synod-test-launch-" + what + "-" + UUID.randomUUID();
        aeronDirs.add(name);
        return name;
    }

    private static String nodeFileAeronDir(final Path dataDir) throws IOException
    {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(dataDir.resolve("member-0").resolve(SynodNode.NODE_FILE_NAME)))
        {
            properties.load(reader);
        }
        return properties.getProperty("aeronDirectory");
    }

    private static void awaitLeader(final SynodNode node)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (node.roleCode() != 2)
        {
            assertTrue(System.nanoTime() < deadlineNs, "member never led alone");
            Thread.onSpinWait();
        }
    }
}
