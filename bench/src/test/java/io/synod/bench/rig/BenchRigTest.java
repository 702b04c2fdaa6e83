package io.synod.bench.rig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import org.agrona.DirectBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class BenchRigTest
{
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @TempDir
    Path outputDir;

    private RigOptions options(final RigMode mode)
    {
        return new RigOptions()
            .mode(mode)
            .ratePerSecond(10_000)
            .durationNs(TimeUnit.MILLISECONDS.toNanos(1000))
            .warmupNs(TimeUnit.MILLISECONDS.toNanos(200))
            .intervalNs(TimeUnit.MILLISECONDS.toNanos(100))
            .drainTimeoutNs(TimeUnit.SECONDS.toNanos(5))
            .inFlightWindow(1024)
            .outputDir(outputDir);
    }

    /** Freezes once for {@code stallNs}, starting a while after warm-up: answers nothing meanwhile. */
    static final class StallingTarget extends InMemoryEchoTarget
    {
        private final long stallAfterNs;
        private final long stallNs;
        private long startNs;

        StallingTarget(final long stallAfterNs, final long stallNs)
        {
            super(4096);
            this.stallAfterNs = stallAfterNs;
            this.stallNs = stallNs;
        }

        @Override
        public void start()
        {
            startNs = System.nanoTime();
        }

        @Override
        protected boolean answering()
        {
            final long sinceStartNs = System.nanoTime() - startNs;
            return sinceStartNs < stallAfterNs || sinceStartNs >= stallAfterNs + stallNs;
        }
    }

    @Test
    void latencyIsMeasuredFromIntendedSendTimeSoAStallShowsInHighPercentiles()
    {
        final RigOptions options = options(RigMode.LATENCY);
        final long stallNs = TimeUnit.MILLISECONDS.toNanos(300);
        final RigResult result;
        try (StallingTarget target = new StallingTarget(TimeUnit.MILLISECONDS.toNanos(500), stallNs))
        {
            result = new BenchRig(options, out).run(target, 32);
        }

        // Every command intended after warm-up is recorded, including those the full window kept unsent.
        assertEquals(10_000, result.histogram().getTotalCount(), printed.toString());
        assertEquals(0, result.unanswered());
        assertEquals(0, result.unsent());
        // Commands intended during the stall waited for it: with 1 s at 10k/s, a 300 ms stall is 30% of the
        // commands, so p99 must reach a large part of the stall. Measured from the actual send time, the
        // 1024-command window would hide all but the first window's worth of it.
        assertTrue(result.percentileUs(99.0) > 150_000, printed.toString());
        assertTrue(result.percentileUs(100.0) >= 250_000, printed.toString());
        assertTrue(result.percentileUs(50.0) < 150_000, printed.toString());
    }

    @Test
    void latencyWithoutStallsIsSmallAndWarmupIsExcluded()
    {
        final RigOptions options = options(RigMode.LATENCY);
        final RigResult result;
        try (InMemoryEchoTarget target = new InMemoryEchoTarget(4096))
        {
            result = new BenchRig(options, out).run(target, 32);
        }
        assertEquals(10_000, result.histogram().getTotalCount());
        assertEquals(12_000, result.sent());
        assertEquals(12_000, result.answered());
        assertTrue(Files.exists(result.histogramFile()));
        assertTrue(Files.exists(result.intervalLogFile()));
    }

    /** Counts what it is offered, answers as the in-memory echo does. */
    static final class CountingTarget extends InMemoryEchoTarget
    {
        long offered;
        long answered;

        CountingTarget()
        {
            super(1024);
        }

        @Override
        public long offer(final DirectBuffer buffer, final int offset, final int length)
        {
            final long id = super.offer(buffer, offset, length);
            if (id >= 0)
            {
                offered++;
            }
            return id;
        }

        @Override
        public int poll(final LongConsumer onResponse)
        {
            final int count = super.poll(onResponse);
            answered += count;
            return count;
        }
    }

    @Test
    void throughputCountsEveryAnsweredCommandOnceAndRatesOnlyTheMeasuredWindow()
    {
        final RigOptions options = options(RigMode.THROUGHPUT).inFlightWindow(64);
        final RigResult result;
        final CountingTarget target = new CountingTarget();
        result = new BenchRig(options, out).run(target, 288);
        target.close();

        assertEquals(target.offered, result.sent());
        assertEquals(target.answered, result.answered());
        assertEquals(result.sent(), result.answered());
        assertTrue(result.answeredInWindow() > 0);
        assertTrue(result.answeredInWindow() < result.answered(), "warm-up answers are not in the window");
        assertEquals(result.answeredInWindow() / 1.0, result.commandsPerSecond(), 1e-6, "1 s window");
        assertEquals(result.commandsPerSecond() * 288 / 1e6, result.megabytesPerSecond(), 1e-9);
        assertTrue(printed.toString().contains("commands/s"));
        assertTrue(printed.toString().contains("payload=288B"));
    }

    @Test
    void soakWarnsWhenTheAchievedRateFallsShort()
    {
        final RigOptions options = options(RigMode.SOAK).inFlightWindow(1)
            .drainTimeoutNs(TimeUnit.MILLISECONDS.toNanos(200));
        // One command in flight, answered at most once per 200 µs: at most 5k/s against 10k/s offered.
        final InMemoryEchoTarget slow = new InMemoryEchoTarget(4096)
        {
            private long lastAnswerNs;

            @Override
            protected boolean answering()
            {
                final long nowNs = System.nanoTime();
                if (nowNs - lastAnswerNs >= 200_000)
                {
                    lastAnswerNs = nowNs;
                    return true;
                }
                return false;
            }
        };
        final RigResult result = new BenchRig(options, out).run(slow, 32);
        slow.close();
        assertTrue(result.commandsPerSecond() < 9_700, printed.toString());
        assertTrue(printed.toString().contains("WARNING: achieved rate"), printed.toString());
    }

    @Test
    void soakAtASustainableRateDoesNotWarn()
    {
        // A generous threshold: a scheduler stall on a loaded CI machine near the end of the window may push
        // a few answers past it; a target that cannot keep up misses by far more.
        final RigOptions options = options(RigMode.SOAK).ratePerSecond(1000).soakShortfallPercent(20);
        try (InMemoryEchoTarget target = new InMemoryEchoTarget(4096))
        {
            new BenchRig(options, out).run(target, 32);
        }
        assertFalse(printed.toString().contains("WARNING"), printed.toString());
    }

    @Test
    void htmlPlotIsSelfContainedAndHoldsEverySeries() throws Exception
    {
        final RigOptions options = options(RigMode.LATENCY);
        final RigResult stalled;
        try (StallingTarget target = new StallingTarget(TimeUnit.MILLISECONDS.toNanos(400), TimeUnit.MILLISECONDS.toNanos(50)))
        {
            stalled = new BenchRig(options, out).run(target, 32);
        }
        final Path stalledLog = outputDir.resolve("stalled.hlog");
        Files.move(stalled.intervalLogFile(), stalledLog);
        final RigResult smooth;
        try (InMemoryEchoTarget target = new InMemoryEchoTarget(4096))
        {
            smooth = new BenchRig(options, out).run(target, 32);
        }

        final Path html = HtmlPlot.write(outputDir.resolve("plot.html"), "in-memory <test>",
            List.of(HtmlPlot.read("stalled", stalledLog), HtmlPlot.read("smooth", smooth.intervalLogFile())));
        final String text = Files.readString(html);
        assertTrue(text.startsWith("<!DOCTYPE html>"));
        assertTrue(text.contains("<svg"));
        assertTrue(text.contains("data-label=\"stalled\""));
        assertTrue(text.contains("data-label=\"smooth\""));
        assertTrue(text.contains("in-memory &lt;test&gt;"));
        assertTrue(text.contains(">99%<") && text.contains(">99.9%<"), "log-scale percentile axis");
        assertTrue(text.contains("p99 per interval"));
        assertFalse(text.contains("<script"));
        assertFalse(text.contains("https://"));
        assertFalse(text.contains("href="));
        // Three charts (percentiles linear and log, p99 over time), two series each.
        assertEquals(6, text.split("<polyline", -1).length - 1);
    }

    @Test
    void compareRunsBothTargetsAndPrintsRatioLines()
    {
        final RigOptions options = options(RigMode.LATENCY).durationNs(TimeUnit.MILLISECONDS.toNanos(300));
        final List<String> lines = RigCompare.compare(
            options, () -> named("fast"), () -> named("slow"), 32, out);

        assertEquals("ratio throughput fast/slow", lines.get(0).substring(0, lines.get(0).indexOf(" =")));
        assertTrue(lines.get(0).matches("ratio throughput fast/slow = \\d+\\.\\d\\d"), lines.get(0));
        assertTrue(lines.contains(lines.stream().filter(l -> l.startsWith("ratio p99 ")).findFirst().orElseThrow()));
        for (final String label : new String[]{ "p50", "p90", "p99", "p99.9", "p99.99", "max" })
        {
            assertTrue(lines.stream().anyMatch(l -> l.matches("ratio " + label.replace(".", "\\.") +
                " fast/slow = \\d+\\.\\d\\d")), label + " in " + lines);
        }
        assertTrue(printed.toString().contains("ratio p99.9 fast/slow = "));
        assertTrue(Files.exists(outputDir.resolve("fast-vs-slow-latency-32B.html")));
    }

    private static BenchTarget named(final String name)
    {
        return new InMemoryEchoTarget(4096)
        {
            @Override
            public String name()
            {
                return name;
            }
        };
    }

    @Test
    void percentileLabels()
    {
        assertEquals("p50", RigResult.percentileLabel(50.0));
        assertEquals("p99.9", RigResult.percentileLabel(99.9));
        assertEquals("p99.99", RigResult.percentileLabel(99.99));
    }

    @Test
    void acceptsTheIdleSpellingsTheNodeAndTheReadmeUse()
    {
        assertTrue(IdleStrategies.create("busy") instanceof org.agrona.concurrent.BusySpinIdleStrategy);
        assertTrue(IdleStrategies.create("busy-spin") instanceof org.agrona.concurrent.BusySpinIdleStrategy);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> IdleStrategies.create("lazy"));
        assertTrue(ex.getMessage().startsWith("--idle must be"), ex.getMessage());
    }

    @Test
    void aRemoteTargetsSetupDoesNotClaimTheRigsDefaultsAsTheClustersSettings()
    {
        final String line = new RigOptions().target("synod-remote").durabilityMode(
            io.synod.engine.log.DurabilityMode.PAGE_CACHE).conclude().describe(32);
        assertFalse(line.contains("durability="), line);
        assertTrue(line.contains("settings of the remote cluster unknown"), line);
    }

    @Test
    void aStoppedRunReportsWhatItMeasuredMarkedInterrupted()
    {
        final RigOptions options = options(RigMode.LATENCY).ratePerSecond(1000)
            .durationNs(TimeUnit.SECONDS.toNanos(60));
        final BenchRig rig = new BenchRig(options, out);
        final RigResult result;
        try (InMemoryEchoTarget target = new InMemoryEchoTarget(4096)
        {
            private int polls;

            @Override
            public int poll(final java.util.function.LongConsumer onResponse)
            {
                // A SIGTERM arriving mid-run, on another thread in real life.
                if (++polls == 200_000)
                {
                    rig.requestStop();
                }
                return super.poll(onResponse);
            }
        })
        {
            result = rig.run(target, 32);
        }
        assertTrue(result.interrupted());
        assertTrue(result.measuredNs() < TimeUnit.SECONDS.toNanos(60), "ended early: " + result.measuredNs());
        assertTrue(printed.toString().contains("INTERRUPTED"), printed.toString());
        assertNull(result.failure(3.0), "an interrupted run that was answered is not a failed one");
    }
}
