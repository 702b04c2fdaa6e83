package io.synod.bench.rig;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.agrona.BitUtil;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * The HdrHistogram load generator; single-threaded, owned by the thread that calls {@link #run}, which
 * also drives the target's {@code offer}/{@code poll}.
 * <p>
 * Every command's send time is kept in a ring indexed by {@code id & mask}, sized to the in-flight
 * window (ids are consecutive, so a live id never shares a slot). In the open-loop modes the time kept
 * is the <em>intended</em> send time {@code start + i * (1 s / rate)}, not the time the offer
 * succeeded: a stall that keeps the rig from sending (window full, back-pressure, a frozen target)
 * shows as latency of every command that should have gone out during it, so coordinated omission cannot
 * hide it. Commands intended before the end of warm-up are not recorded.
 */
public final class BenchRig
{
    /** Highest latency the histograms track: one minute in ns. */
    public static final long HIGHEST_TRACKABLE_NS = TimeUnit.MINUTES.toNanos(1);

    /** Significant digits of the histograms. */
    public static final int SIGNIFICANT_DIGITS = 3;

    /** How long a stopped run still waits for answers already in flight. */
    private static final long STOP_DRAIN_NS = TimeUnit.SECONDS.toNanos(1);

    /** A progress indicator on stderr only when a person watches a terminal. */
    private static final boolean PROGRESS = System.console() != null;

    private final RigOptions options;
    private final PrintStream out;
    private final long[] ringIds;
    private final long[] ringSendNs;
    private final int ringMask;
    private final Histogram totalHistogram = new Histogram(HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    private final Histogram intervalHistogram = new Histogram(HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    private final LongConsumer onResponse = this::onResponse;

    private long inFlight;
    private long answered;
    private long answeredInWindow;
    private long unknownResponses;
    private long recordFromIntendedNs;
    private long windowStartNs;
    private long windowEndNs;
    private boolean recordLatency;
    private RigTimeline timeline = new RigTimeline();
    private long intervalAnsweredBase;
    private boolean progressShown;
    private volatile boolean stopRequested;

    /**
     * @param options concluded options; read on every run.
     * @param out     where results are printed.
     */
    public BenchRig(final RigOptions options, final PrintStream out)
    {
        this.options = options.conclude();
        this.out = out;
        final int ringLength = BitUtil.findNextPositivePowerOfTwo(options.inFlightWindow());
        ringIds = new long[ringLength];
        ringSendNs = new long[ringLength];
        ringMask = ringLength - 1;
    }

    /**
     * Ends the current run early, from any thread (a shutdown hook on SIGINT/SIGTERM): the rig stops
     * offering at its next duty cycle, waits at most a second for answers, and returns what it
     * measured up to then, marked as interrupted. Later runs of this rig end at once.
     */
    public void requestStop()
    {
        stopRequested = true;
    }

    /**
     * @return true once {@link #requestStop()} was called.
     */
    public boolean stopRequested()
    {
        return stopRequested;
    }

    /**
     * Start the target, run the configured mode at one payload size, print and return the result. The
     * caller closes the target.
     *
     * @param target       not yet started.
     * @param payloadBytes command payload size.
     * @return the result, already printed.
     */
    public RigResult run(final BenchTarget target, final int payloadBytes)
    {
        target.start();
        if (options.mode() == RigMode.SOAK)
        {
            // A soak runs for hours: say what runs before the first interval line, not only at the end.
            out.println("== " + target.name() + " soak " + payloadBytes + "B: started, one line per " +
                TimeUnit.NANOSECONDS.toMillis(options.intervalNs()) + " ms after " +
                TimeUnit.NANOSECONDS.toSeconds(options.warmupNs()) + " s of warm-up");
            out.println("setup: " + setup(target, payloadBytes).replace("\n", "\n       "));
            out.flush();
        }
        final RigResult result;
        switch (options.mode())
        {
            case THROUGHPUT:
                result = runThroughput(target, payloadBytes);
                break;
            case LATENCY:
            case SOAK:
                result = runOpenLoop(target, payloadBytes);
                break;
            default:
                throw new IllegalStateException("unknown mode " + options.mode());
        }
        endProgress();
        out.print(result.format());
        if (result.interrupted())
        {
            out.println("INTERRUPTED: the run was stopped after " + String.format(java.util.Locale.ROOT, "%.1f",
                result.measuredNs() / 1e9) + " s of its measured window; figures above cover that part only");
        }
        if (options.mode() == RigMode.SOAK && result.rateShortfall(options.soakShortfallPercent()))
        {
            out.printf(java.util.Locale.ROOT,
                "WARNING: achieved rate %.0f/s is more than %.1f%% below the offered rate %d/s: " +
                "the target did not keep up, latencies are of an overloaded system%n",
                result.commandsPerSecond(), options.soakShortfallPercent(), result.offeredRatePerSecond());
        }
        if (unknownResponses > 0)
        {
            out.println("WARNING: " + unknownResponses + " responses with unknown or repeated ids");
        }
        out.flush();
        return result;
    }

    private void reset()
    {
        Arrays.fill(ringIds, -1);
        inFlight = 0;
        answered = 0;
        answeredInWindow = 0;
        unknownResponses = 0;
        totalHistogram.reset();
        intervalHistogram.reset();
        timeline = new RigTimeline();
        intervalAnsweredBase = 0;
    }

    private RigResult runThroughput(final BenchTarget target, final int payloadBytes)
    {
        reset();
        recordLatency = false;
        final UnsafeBuffer payload = payload(payloadBytes);
        final IdleStrategy idle = IdleStrategies.create(options.idleStrategy());
        final int window = options.inFlightWindow();
        final long startNs = System.nanoTime();
        windowStartNs = startNs + options.warmupNs();
        windowEndNs = windowStartNs + options.durationNs();
        long nextIntervalNs = windowStartNs + options.intervalNs();
        long sent = 0;
        long backPressured = 0;

        long nowNs = startNs;
        while (nowNs < windowEndNs && !stopRequested)
        {
            int work = 0;
            while (inFlight < window)
            {
                final long id = target.offer(payload, 0, payloadBytes);
                if (id < 0)
                {
                    refuseTooLong(id, target, payloadBytes);
                    backPressured++;
                    break;
                }
                track(id, nowNs);
                sent++;
                work++;
            }
            work += target.poll(onResponse);
            if (nowNs >= nextIntervalNs && nextIntervalNs <= windowEndNs)
            {
                closeInterval(nextIntervalNs - options.intervalNs(), nextIntervalNs, Double.NaN);
                nextIntervalNs += options.intervalNs();
            }
            idle.idle(work);
            nowNs = System.nanoTime();
        }
        final long endNs = stopEnd(nowNs);
        closeLastInterval(nextIntervalNs - options.intervalNs(), endNs, Double.NaN);
        final long unanswered = drain(target, idle);

        return new RigResult(target.name(), setup(target, payloadBytes), RigMode.THROUGHPUT, payloadBytes,
            Math.max(0, endNs - windowStartNs), sent, answered, answeredInWindow, backPressured, unanswered, 0, 0,
            totalHistogram.copy(), null, null, timeline, endNs < windowEndNs);
    }

    private RigResult runOpenLoop(final BenchTarget target, final int payloadBytes)
    {
        reset();
        recordLatency = true;
        final RigMode mode = options.mode();
        final String runName = runName(target, payloadBytes);
        final Path histogramFile = options.outputDir().resolve(runName + ".hgrm");
        final Path intervalLogFile = options.outputDir().resolve(runName + ".hlog");
        final UnsafeBuffer payload = payload(payloadBytes);
        final IdleStrategy idle = IdleStrategies.create(options.idleStrategy());
        final int window = options.inFlightWindow();
        final long intervalBetweenSendsNs = Math.max(1, 1_000_000_000L / options.ratePerSecond());
        final String setup = setup(target, payloadBytes);

        createDirectories(options.outputDir());
        try (PrintStream logStream = new PrintStream(Files.newOutputStream(intervalLogFile), false, "US-ASCII"))
        {
            final HistogramLogWriter logWriter = new HistogramLogWriter(logStream);
            final long startNs = System.nanoTime();
            final long startMs = System.currentTimeMillis();
            logWriter.outputComment("synod rig: " + target.name() + " " + setup.replace('\n', ' '));
            logWriter.outputLogFormatVersion();
            logWriter.setBaseTime(startMs);
            logWriter.outputBaseTime(startMs);
            logWriter.outputStartTime(startMs);
            logWriter.outputLegend();

            recordFromIntendedNs = startNs + options.warmupNs();
            windowStartNs = recordFromIntendedNs;
            windowEndNs = windowStartNs + options.durationNs();
            long drainDeadlineNs = windowEndNs + options.drainTimeoutNs();
            long nextIntendedNs = startNs;
            long nextIntervalNs = windowStartNs + options.intervalNs();
            long intervalStartMs = startMs + TimeUnit.NANOSECONDS.toMillis(options.warmupNs());
            long sent = 0;
            long backPressured = 0;
            long sendEndNs = windowEndNs;

            long nowNs = startNs;
            while (nowNs < drainDeadlineNs && (nextIntendedNs < sendEndNs || inFlight > 0))
            {
                if (stopRequested && sendEndNs == windowEndNs)
                {
                    // Stop offering now; what was intended up to here is what this run measured.
                    sendEndNs = Math.min(windowEndNs, Math.max(nowNs, windowStartNs));
                    drainDeadlineNs = Math.min(drainDeadlineNs, nowNs + STOP_DRAIN_NS);
                }
                int work = 0;
                while (nextIntendedNs <= nowNs && nextIntendedNs < sendEndNs && inFlight < window)
                {
                    final long id = target.offer(payload, 0, payloadBytes);
                    if (id < 0)
                    {
                        refuseTooLong(id, target, payloadBytes);
                        backPressured++;
                        break;
                    }
                    track(id, nextIntendedNs);
                    nextIntendedNs += intervalBetweenSendsNs;
                    sent++;
                    work++;
                }
                work += target.poll(onResponse);

                if (nowNs >= nextIntervalNs && nextIntervalNs <= windowEndNs)
                {
                    final long intervalEndMs = intervalStartMs + TimeUnit.NANOSECONDS.toMillis(options.intervalNs());
                    closeInterval(nextIntervalNs - options.intervalNs(), nextIntervalNs,
                        intervalHistogram.getMaxValue() / 1000.0);
                    writeInterval(logWriter, intervalStartMs, intervalEndMs);
                    intervalStartMs = intervalEndMs;
                    nextIntervalNs += options.intervalNs();
                }
                idle.idle(work);
                nowNs = System.nanoTime();
            }
            final long endNs = stopEnd(sendEndNs);
            closeLastInterval(nextIntervalNs - options.intervalNs(), endNs, intervalHistogram.getMaxValue() / 1000.0);
            if (intervalHistogram.getTotalCount() > 0)
            {
                writeInterval(logWriter, intervalStartMs, System.currentTimeMillis());
            }
            final long unsent = Math.max(0, (sendEndNs - nextIntendedNs + intervalBetweenSendsNs - 1) /
                intervalBetweenSendsNs);
            final long unanswered = inFlight;
            logStream.flush();

            try (PrintStream hgrm = new PrintStream(Files.newOutputStream(histogramFile), false, "US-ASCII"))
            {
                totalHistogram.outputPercentileDistribution(hgrm, 1000.0);
            }

            return new RigResult(target.name(), setup, mode, payloadBytes, Math.max(0, endNs - windowStartNs), sent,
                answered, answeredInWindow, backPressured, unanswered, unsent, options.ratePerSecond(),
                totalHistogram.copy(), histogramFile, intervalLogFile, timeline, endNs < windowEndNs);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * End of the measured window: its planned end, or where a stop request cut it.
     */
    private long stopEnd(final long nowNs)
    {
        return stopRequested ? Math.max(windowStartNs, Math.min(nowNs, windowEndNs)) : windowEndNs;
    }

    /**
     * One full interval of the measured window: its throughput (and max latency) into the timeline,
     * and for a soak one printed line.
     */
    private void closeInterval(final long intervalStartNs, final long intervalEndNs, final double maxLatencyUs)
    {
        final long count = answeredInWindow - intervalAnsweredBase;
        intervalAnsweredBase = answeredInWindow;
        final double endSec = (intervalEndNs - windowStartNs) / 1e9;
        final double lengthSec = (intervalEndNs - intervalStartNs) / 1e9;
        timeline.add(endSec, lengthSec, count, maxLatencyUs);
        final double totalSec = options.durationNs() / 1e9;
        if (options.mode() == RigMode.SOAK)
        {
            if (intervalHistogram.getTotalCount() == 0)
            {
                out.printf(java.util.Locale.ROOT, "%8.0f/%.0f s  %,10.0f commands/s  no latency recorded%n",
                    endSec, totalSec, count / lengthSec);
            }
            else
            {
                out.printf(java.util.Locale.ROOT,
                    "%8.0f/%.0f s  %,10.0f commands/s  p50 %9.1f  p99 %9.1f  max %9.1f us%n",
                    endSec, totalSec, count / lengthSec, intervalHistogram.getValueAtPercentile(50) / 1000.0,
                    intervalHistogram.getValueAtPercentile(99) / 1000.0, intervalHistogram.getMaxValue() / 1000.0);
            }
            out.flush();
        }
        else if (PROGRESS)
        {
            System.err.printf(java.util.Locale.ROOT, "\r  %s %.0f/%.0f s ", options.mode().name().toLowerCase(),
                endSec, totalSec);
            System.err.flush();
            progressShown = true;
        }
    }

    /**
     * The interval still open when the loop ended: closed whole when the window reached its end, else
     * (a stopped run) kept only when at least half an interval long, so a few milliseconds' tail
     * cannot draw a false drop.
     */
    private void closeLastInterval(final long intervalStartNs, final long endNs, final double maxLatencyUs)
    {
        final long intervalEndNs = intervalStartNs + options.intervalNs();
        if (intervalEndNs <= windowEndNs && endNs >= intervalEndNs)
        {
            closeInterval(intervalStartNs, intervalEndNs, maxLatencyUs);
        }
        else if (endNs - intervalStartNs >= options.intervalNs() / 2)
        {
            closeInterval(intervalStartNs, endNs, maxLatencyUs);
        }
    }

    private void endProgress()
    {
        if (progressShown)
        {
            System.err.print("\r                                        \r");
            System.err.flush();
            progressShown = false;
        }
    }

    private static void refuseTooLong(final long code, final BenchTarget target, final int payloadBytes)
    {
        if (code == BenchTarget.TOO_LONG)
        {
            throw new IllegalArgumentException("--payloads: " + payloadBytes + " bytes is more than target " +
                target.name() + " carries in one command");
        }
    }

    private void writeInterval(final HistogramLogWriter logWriter, final long startMs, final long endMs)
    {
        intervalHistogram.setStartTimeStamp(startMs);
        intervalHistogram.setEndTimeStamp(endMs);
        logWriter.outputIntervalHistogram(intervalHistogram);
        intervalHistogram.reset();
    }

    private long drain(final BenchTarget target, final IdleStrategy idle)
    {
        final long deadlineNs = System.nanoTime() + (stopRequested ? STOP_DRAIN_NS : options.drainTimeoutNs());
        while (inFlight > 0 && System.nanoTime() < deadlineNs)
        {
            idle.idle(target.poll(onResponse));
        }
        return inFlight;
    }

    private void track(final long id, final long sendNs)
    {
        final int index = (int)(id & ringMask);
        if (ringIds[index] != -1)
        {
            throw new IllegalStateException(
                "id " + id + " collides with in-flight id " + ringIds[index] + ": target ids must be consecutive");
        }
        ringIds[index] = id;
        ringSendNs[index] = sendNs;
        inFlight++;
    }

    private void onResponse(final long id)
    {
        final int index = (int)(id & ringMask);
        if (id < 0 || ringIds[index] != id)
        {
            unknownResponses++;
            return;
        }
        ringIds[index] = -1;
        inFlight--;
        answered++;

        final long nowNs = System.nanoTime();
        if (nowNs >= windowStartNs && nowNs < windowEndNs)
        {
            answeredInWindow++;
        }
        final long sendNs = ringSendNs[index];
        if (recordLatency && sendNs >= recordFromIntendedNs)
        {
            final long latencyNs = Math.min(Math.max(0, nowNs - sendNs), HIGHEST_TRACKABLE_NS);
            totalHistogram.recordValue(latencyNs);
            intervalHistogram.recordValue(latencyNs);
        }
    }

    private String setup(final BenchTarget target, final int payloadBytes)
    {
        return "target=" + target.name() + " " + options.describe(payloadBytes) + "\n" + target.setup();
    }

    private String runName(final BenchTarget target, final int payloadBytes)
    {
        return target.name() + "-" + options.mode().name().toLowerCase() + "-" + payloadBytes + "B";
    }

    private static UnsafeBuffer payload(final int payloadBytes)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(payloadBytes));
        for (int i = 0; i < payloadBytes; i++)
        {
            buffer.putByte(i, (byte)('a' + (i % 26)));
        }
        return buffer;
    }

    static void createDirectories(final Path dir)
    {
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
