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
        final Path intervalLogFile)
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
        return answeredInWindow * 1e9 / measuredNs;
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
