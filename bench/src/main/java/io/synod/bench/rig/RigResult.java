package io.synod.bench.rig;

import org.HdrHistogram.Histogram;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Immutable after the rig returns it: the figures of one run and the full setup they were measured
 * with.
 */
public final class RigResult
{
    /** Percentiles printed for every latency result, and compared by {@link RigCompare}. */
    public static final double[] PERCENTILES = { 50.0, 90.0, 99.0, 99.9, 99.99 };

    private final String targetName;
    private final String setup;
    private final RigMode mode;
    private final int payloadBytes;
    private final long measuredNs;
    private final long sent;
    private final long answered;
    private final long answeredInWindow;
    private final long backPressured;
    private final long unanswered;
    private final long unsent;
    private final long offeredRatePerSecond;
    private final Histogram histogram;
    private final Path histogramFile;
    private final Path intervalLogFile;
    private final RigTimeline timeline;
    private final boolean interrupted;

    RigResult(
        final String targetName,
        final String setup,
        final RigMode mode,
        final int payloadBytes,
        final long measuredNs,
        final long sent,
        final long answered,
        final long answeredInWindow,
        final long backPressured,
        final long unanswered,
        final long unsent,
        final long offeredRatePerSecond,
        final Histogram histogram,
        final Path histogramFile,
        final Path intervalLogFile,
        final RigTimeline timeline,
        final boolean interrupted)
    {
        this.targetName = targetName;
        this.setup = setup;
        this.mode = mode;
        this.payloadBytes = payloadBytes;
        this.measuredNs = measuredNs;
        this.sent = sent;
        this.answered = answered;
        this.answeredInWindow = answeredInWindow;
        this.backPressured = backPressured;
        this.unanswered = unanswered;
        this.unsent = unsent;
        this.offeredRatePerSecond = offeredRatePerSecond;
        this.histogram = histogram;
        this.histogramFile = histogramFile;
        this.intervalLogFile = intervalLogFile;
        this.timeline = timeline;
        this.interrupted = interrupted;
    }

    public String targetName()
    {
        return targetName;
    }

    /**
     * @return the rig's settings and the target's own, as printed.
     */
    public String setup()
    {
        return setup;
    }

    public RigMode mode()
    {
        return mode;
    }

    public int payloadBytes()
    {
        return payloadBytes;
    }

    /**
     * @return commands answered inside the measured window (after warm-up) per second of it.
     */
    public double commandsPerSecond()
    {
        return measuredNs > 0 ? answeredInWindow * 1e9 / measuredNs : 0;
    }

    /**
     * @return length of the measured window in ns: the configured duration, or less when the run was stopped.
     */
    public long measuredNs()
    {
        return measuredNs;
    }

    /**
     * @return throughput (and max latency) per interval of the measured window.
     */
    public RigTimeline timeline()
    {
        return timeline;
    }

    /**
     * @return true when the run was stopped (SIGINT/SIGTERM) before its measured window ended.
     */
    public boolean interrupted()
    {
        return interrupted;
    }

    /**
     * Why this run does not count as a measurement, for the exit code: nothing was acknowledged, or an
     * open-loop run fell short of its offered rate by more than {@code shortfallPercent}.
     *
     * @param shortfallPercent allowed shortfall of the achieved rate, in percent.
     * @return the reason, or null when the run measured what it set out to.
     */
    public String failure(final double shortfallPercent)
    {
        if (answered == 0 || (answeredInWindow == 0 && measuredNs > 0))
        {
            return targetName + " acknowledged no command" + (answered > 0 ? " in the measured window" : "") +
                " (sent " + sent + ", answered " + answered + ", unanswered " + unanswered + ")";
        }
        if (!interrupted && rateShortfall(shortfallPercent))
        {
            return String.format(Locale.ROOT, "%s achieved %.0f commands/s, more than %.1f%% below the offered " +
                "rate of %d/s", targetName, commandsPerSecond(), shortfallPercent, offeredRatePerSecond);
        }
        return null;
    }

    /**
     * @return this result as one JSON object: setup, counts, rates, percentiles, files.
     */
    public String toJson()
    {
        final StringBuilder sb = new StringBuilder(1024);
        sb.append("{\"target\": ").append(Json.quote(targetName))
            .append(", \"mode\": ").append(Json.quote(mode.name().toLowerCase(Locale.ROOT)))
            .append(", \"payloadBytes\": ").append(payloadBytes)
            .append(", \"setup\": ").append(Json.quote(setup))
            .append(", \"interrupted\": ").append(interrupted)
            .append(", \"measuredSeconds\": ").append(Json.number(measuredNs / 1e9))
            .append(", \"commandsPerSecond\": ").append(Json.number(commandsPerSecond()))
            .append(", \"megabytesPerSecond\": ").append(Json.number(megabytesPerSecond()))
            .append(", \"peakIntervalCommandsPerSecond\": ").append(Json.number(timeline.peakCommandsPerSecond()))
            .append(", \"sent\": ").append(sent)
            .append(", \"answered\": ").append(answered)
            .append(", \"answeredInWindow\": ").append(answeredInWindow)
            .append(", \"backPressuredOffers\": ").append(backPressured)
            .append(", \"unanswered\": ").append(unanswered)
            .append(", \"unsent\": ").append(unsent);
        if (mode != RigMode.THROUGHPUT)
        {
            sb.append(", \"offeredRatePerSecond\": ").append(offeredRatePerSecond)
                .append(", \"latencyUs\": {\"n\": ").append(histogram.getTotalCount());
            for (final double percentile : PERCENTILES)
            {
                sb.append(", ").append(Json.quote(percentileLabel(percentile))).append(": ")
                    .append(Json.number(percentileUs(percentile)));
            }
            sb.append(", \"max\": ").append(Json.number(percentileUs(100.0))).append('}');
        }
        sb.append(", \"intervals\": [");
        for (int i = 0; i < timeline.size(); i++)
        {
            sb.append(i > 0 ? ", " : "").append("{\"endSecond\": ").append(Json.number(timeline.endSecond(i)))
                .append(", \"commandsPerSecond\": ").append(Json.number(timeline.commandsPerSecond(i)));
            if (!Double.isNaN(timeline.maxUs(i)))
            {
                sb.append(", \"maxUs\": ").append(Json.number(timeline.maxUs(i)));
            }
            sb.append('}');
        }
        sb.append(']');
        if (null != histogramFile)
        {
            sb.append(", \"files\": [").append(Json.quote(histogramFile.getFileName().toString())).append(", ")
                .append(Json.quote(intervalLogFile.getFileName().toString())).append(']');
        }
        return sb.append('}').toString();
    }

    /**
     * @return payload megabytes (10^6 bytes) per second, answered inside the measured window.
     */
    public double megabytesPerSecond()
    {
        return commandsPerSecond() * payloadBytes / 1e6;
    }

    public long sent()
    {
        return sent;
    }

    public long answered()
    {
        return answered;
    }

    public long answeredInWindow()
    {
        return answeredInWindow;
    }

    public long backPressured()
    {
        return backPressured;
    }

    /**
     * @return commands sent but not answered before the drain timeout.
     */
    public long unanswered()
    {
        return unanswered;
    }

    /**
     * @return commands the open loop was due to send but could not before the drain timeout.
     */
    public long unsent()
    {
        return unsent;
    }

    public long offeredRatePerSecond()
    {
        return offeredRatePerSecond;
    }

    /**
     * @return latencies in ns of the commands intended to be sent after warm-up; empty for throughput.
     */
    public Histogram histogram()
    {
        return histogram;
    }

    /**
     * @param percentile such as 99.9.
     * @return that percentile in µs, or the max for 100.
     */
    public double percentileUs(final double percentile)
    {
        if (percentile >= 100.0)
        {
            return histogram.getMaxValue() / 1000.0;
        }
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    public Path histogramFile()
    {
        return histogramFile;
    }

    public Path intervalLogFile()
    {
        return intervalLogFile;
    }

    /**
     * @return true when a soak's achieved rate fell short of the offered rate by more than the threshold.
     * @param shortfallPercent threshold.
     */
    public boolean rateShortfall(final double shortfallPercent)
    {
        return mode != RigMode.THROUGHPUT &&
            commandsPerSecond() < offeredRatePerSecond * (1.0 - shortfallPercent / 100.0);
    }

    /**
     * @param percentile such as 99.9.
     * @return label as used in ratio lines: p50, p99.9, p99.99.
     */
    public static String percentileLabel(final double percentile)
    {
        if (percentile == Math.rint(percentile))
        {
            return "p" + (long)percentile;
        }
        return "p" + BigDecimalFormat.plain(percentile);
    }

    /**
     * @return the printed result: setup, then figures.
     */
    public String format()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("== ").append(targetName).append(' ').append(mode.name().toLowerCase())
            .append(' ').append(payloadBytes).append("B\n");
        sb.append("setup: ").append(setup.replace("\n", "\n       ")).append('\n');
        sb.append(String.format(Locale.ROOT,
            "throughput: %.0f commands/s, %.2f MB/s (answered in window %d over %.3f s; sent %d, answered %d, " +
            "back-pressured offers %d, unanswered %d, unsent %d)%n",
            commandsPerSecond(), megabytesPerSecond(), answeredInWindow, measuredNs / 1e9, sent, answered,
            backPressured, unanswered, unsent));
        if (mode != RigMode.THROUGHPUT)
        {
            sb.append(String.format(Locale.ROOT, "offered rate: %d/s, achieved: %.0f/s%n",
                offeredRatePerSecond, commandsPerSecond()));
            sb.append("latency µs (from intended send time, coordinated omission corrected, n=")
                .append(histogram.getTotalCount()).append("):");
            for (final double percentile : PERCENTILES)
            {
                sb.append(String.format(Locale.ROOT, " %s=%.1f", percentileLabel(percentile), percentileUs(percentile)));
            }
            sb.append(String.format(Locale.ROOT, " max=%.1f%n", percentileUs(100.0)));
        }
        if (null != histogramFile)
        {
            sb.append("files: ").append(histogramFile).append(' ').append(intervalLogFile).append('\n');
        }
        return sb.toString();
    }

    /** Prints 99.9 as "99.9", not "99.90000000001". */
    private static final class BigDecimalFormat
    {
        static String plain(final double value)
        {
            return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        }
    }
}
