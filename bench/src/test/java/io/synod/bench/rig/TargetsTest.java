package io.synod.bench.rig;

import io.synod.engine.config.SettingValues;
import io.synod.engine.protocol.ProtocolConfiguration;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Each real target starts, answers 1,000 commands, and leaves no thread or directory behind. No timing
 * is asserted.
 */
class TargetsTest
{
    private static final int COMMANDS = 1000;

    private final RigOptions options = new RigOptions().conclude();

    @Test
    void synodSetupLineStatesTheSettingsTheNodesRun()
    {
        final String setup = new SynodTarget(options, SynodTarget.Placement.IN_PROCESS).setup();
        final String window = "window " + ProtocolConfiguration.WINDOW_SLOTS_DEFAULT + " slots / " +
            SettingValues.sizeText(ProtocolConfiguration.WINDOW_BYTES_DEFAULT);
        assertTrue(setup.contains(window), "'" + setup + "' states " + window);
        assertTrue(setup.contains("heartbeat " +
            SettingValues.durationText(ProtocolConfiguration.HEARTBEAT_INTERVAL_DEFAULT_NS)), setup);
    }

    @Test
    @Timeout(60)
    void pingPongFloorEchoesAndClosesCleanly()
    {
        final Set<Long> threadsBefore = liveThreadIds();
        final PingPongFloorTarget target = new PingPongFloorTarget(options);
        final List<File> dirs = echoThousand(target);
        assertDirsAndThreadsGone(target, dirs, threadsBefore);
    }

    @Test
    @Timeout(60)
    void quorumLoopEchoesAndClosesCleanly()
    {
        final Set<Long> threadsBefore = liveThreadIds();
        final QuorumLoopTarget target = new QuorumLoopTarget(options);
        final List<File> dirs = echoThousand(target);
        assertDirsAndThreadsGone(target, dirs, threadsBefore);
    }

    @Test
    @Timeout(60)
    void quorumLoopOfFiveEchoes()
    {
        final Set<Long> threadsBefore = liveThreadIds();
        final QuorumLoopTarget target = new QuorumLoopTarget(new RigOptions().clusterSize(5).conclude());
        final List<File> dirs = echoThousand(target);
        assertDirsAndThreadsGone(target, dirs, threadsBefore);
    }

    @Test
    @Timeout(60)
    void synodAnswersAndClosesCleanly()
    {
        final Set<Long> threadsBefore = liveThreadIds();
        final SynodTarget target = new SynodTarget(options, SynodTarget.Placement.IN_PROCESS);
        final List<File> dirs = echoThousand(target);
        assertDirsAndThreadsGone(target, dirs, threadsBefore);
    }

    @Test
    @Timeout(60)
    void synodWithSeveralClientsAnswersEveryCommand()
    {
        final Set<Long> threadsBefore = liveThreadIds();
        final SynodTarget target = new SynodTarget(new RigOptions().clients(3).conclude(), SynodTarget.Placement.IN_PROCESS);
        final List<File> dirs = echoThousand(target);
        assertDirsAndThreadsGone(target, dirs, threadsBefore);
    }

    @Test
    @Timeout(120)
    void aeronClusterEchoesAndClosesCleanly()
    {
        final Set<Long> threadsBefore = liveThreadIds();
        final AeronClusterTarget target = new AeronClusterTarget(options);
        final List<File> dirs = echoThousand(target);
        assertEquals(0, target.errors());
        assertDirsAndThreadsGone(target, dirs, threadsBefore);
    }

    private List<File> echoThousand(final BenchTarget target)
    {
        final boolean[] answered = new boolean[COMMANDS];
        final int[] answeredCount = new int[1];
        final LongConsumer onResponse = id ->
        {
            assertTrue(id >= 0 && id < COMMANDS, "id " + id);
            assertFalse(answered[(int)id], "answered twice: " + id);
            answered[(int)id] = true;
            answeredCount[0]++;
        };
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[32]);
        final List<File> dirs;
        try
        {
            target.start();
            dirs = directories(target);
            for (final File dir : dirs)
            {
                assertTrue(dir.exists(), dir + " exists while running");
            }
            long nextId = 0;
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (answeredCount[0] < COMMANDS)
            {
                if (System.nanoTime() > deadlineNs)
                {
                    fail("answered " + answeredCount[0] + " of " + COMMANDS + ", sent " + nextId);
                }
                if (nextId < COMMANDS && nextId - answeredCount[0] < 128)
                {
                    final long id = target.offer(payload, 0, payload.capacity());
                    if (id >= 0)
                    {
                        assertEquals(nextId, id, "ids are consecutive");
                        nextId++;
                    }
                }
                if (0 == target.poll(onResponse))
                {
                    Thread.yield();
                }
            }
        }
        finally
        {
            target.close();
        }
        return dirs;
    }

    private static List<File> directories(final BenchTarget target)
    {
        if (target instanceof PingPongFloorTarget)
        {
            return ((PingPongFloorTarget)target).directories();
        }
        if (target instanceof QuorumLoopTarget)
        {
            return ((QuorumLoopTarget)target).directories();
        }
        if (target instanceof SynodTarget)
        {
            return ((SynodTarget)target).directories();
        }
        return ((AeronClusterTarget)target).directories();
    }

    private static void assertDirsAndThreadsGone(
        final BenchTarget target, final List<File> dirs, final Set<Long> threadsBefore)
    {
        for (final File dir : dirs)
        {
            assertFalse(dir.exists(), dir + " deleted on close of " + target.name());
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Set<String> leftover;
        while (!(leftover = newThreads(threadsBefore)).isEmpty())
        {
            if (System.nanoTime() > deadlineNs)
            {
                fail(target.name() + " left threads running: " + leftover);
            }
            Thread.yield();
        }
    }

    private static Set<Long> liveThreadIds()
    {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getId).collect(Collectors.toCollection(HashSet::new));
    }

    private static Set<String> newThreads(final Set<Long> before)
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.isAlive() && !before.contains(t.getId()))
            .map(Thread::getName)
            .collect(Collectors.toSet());
    }
}
