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
        out.print(result.format());
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
        long sent = 0;
        long backPressured = 0;

        long nowNs = startNs;
        while (nowNs < windowEndNs)
        {
            int work = 0;
            while (inFlight < window)
            {
                final long id = target.offer(payload, 0, payloadBytes);
                if (id < 0)
                {
                    backPressured++;
                    break;
                }
                track(id, nowNs);
                sent++;
                work++;
            }
            work += target.poll(onResponse);
            idle.idle(work);
            nowNs = System.nanoTime();
        }
        final long unanswered = drain(target, idle);

        return new RigResult(target.name(), setup(target, payloadBytes), RigMode.THROUGHPUT, payloadBytes,
            options.durationNs(), sent, answered, answeredInWindow, backPressured, unanswered, 0, 0,
            totalHistogram.copy(), null, null);
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
            final long drainDeadlineNs = windowEndNs + options.drainTimeoutNs();
            long nextIntendedNs = startNs;
            long nextIntervalNs = windowStartNs + options.intervalNs();
            long intervalStartMs = startMs + TimeUnit.NANOSECONDS.toMillis(options.warmupNs());
            long sent = 0;
            long backPressured = 0;

            long nowNs = startNs;
            while (nowNs < drainDeadlineNs && (nextIntendedNs < windowEndNs || inFlight > 0))
            {
                int work = 0;
                while (nextIntendedNs <= nowNs && nextIntendedNs < windowEndNs && inFlight < window)
                {
                    final long id = target.offer(payload, 0, payloadBytes);
                    if (id < 0)
                    {
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
                    writeInterval(logWriter, intervalStartMs, intervalEndMs);
                    intervalStartMs = intervalEndMs;
                    nextIntervalNs += options.intervalNs();
                }
                idle.idle(work);
                nowNs = System.nanoTime();
            }
            if (intervalHistogram.getTotalCount() > 0)
            {
                writeInterval(logWriter, intervalStartMs, System.currentTimeMillis());
            }
            final long unsent = Math.max(0, (windowEndNs - nextIntendedNs + intervalBetweenSendsNs - 1) /
                intervalBetweenSendsNs);
            final long unanswered = inFlight;
            logStream.flush();

            try (PrintStream hgrm = new PrintStream(Files.newOutputStream(histogramFile), false, "US-ASCII"))
            {
                totalHistogram.outputPercentileDistribution(hgrm, 1000.0);
            }

            return new RigResult(target.name(), setup, mode, payloadBytes, options.durationNs(), sent, answered,
                answeredInWindow, backPressured, unanswered, unsent, options.ratePerSecond(), totalHistogram.copy(),
                histogramFile, intervalLogFile);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
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
        final long deadlineNs = System.nanoTime() + options.drainTimeoutNs();
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
