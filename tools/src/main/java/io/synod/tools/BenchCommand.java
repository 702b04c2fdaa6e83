package io.synod.tools;

import io.synod.bench.rig.BenchRig;
import io.synod.bench.rig.BenchTarget;
import io.synod.bench.rig.BenchTargets;
import io.synod.bench.rig.HtmlPlot;
import io.synod.bench.rig.Json;
import io.synod.bench.rig.RigCompare;
import io.synod.bench.rig.RigMode;
import io.synod.bench.rig.RigOptions;
import io.synod.bench.rig.RigResult;
import io.synod.engine.log.DurabilityMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code synod bench}: the HdrHistogram rig from the command line: throughput, open-loop latency and
 * soak, against Synod or, side by side in the same run, another system. Runs on the main thread; a
 * shutdown hook (SIGINT/SIGTERM) asks the running rig to stop and waits while this thread prints what
 * was measured and removes everything the targets made.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = SynodCommand.Version.class,
    description = {
        "Benchmarks. MODE is throughput, latency, soak, or quick (the default: a short throughput and latency " +
        "run of an embedded 3-replica cluster, printed as a table).",
        "Targets: " + BenchTargets.NAMES,
        "Results (histograms, interval logs, plots, summary.json) go to a new timestamped directory under --out.",
        "Exit codes: 0 measured; 2 bad option; 3 a run acknowledged nothing or an open-loop run missed its rate." })
public final class BenchCommand implements Callable<Integer>
{
    /** How long a shutdown hook waits for the interrupted run to print and clean up. */
    private static final long STOP_WAIT_SECONDS = 20;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", defaultValue = "quick", description = "throughput, latency, soak or quick")
    String mode;

    @Option(names = "--target", defaultValue = "synod", description = "system under test (default ${DEFAULT-VALUE})")
    String target;

    @Option(names = "--compare", description = "run this target too, same workload, and print ratios target/compare")
    String compare;

    @Option(names = "--cluster", defaultValue = "3", description = "cluster size, 3 or 5 (default ${DEFAULT-VALUE})")
    int clusterSize;

    @Option(names = "--clients", defaultValue = "1", description = "clients, driven from one thread (default ${DEFAULT-VALUE}; the floor and quorum-loop targets use one)")
    int clients;

    @Option(names = "--payloads", split = ",", description = "payload sizes in bytes (default 32,288,1344; soak: 32)")
    int[] payloads;

    @Option(names = "--rate", defaultValue = "10000", description = "offered commands/s for latency and soak (default ${DEFAULT-VALUE})")
    long rate;

    @Option(names = "--duration", defaultValue = "10", description = "measured seconds (default ${DEFAULT-VALUE})")
    long durationSeconds;

    @Option(names = "--warmup", defaultValue = "3", description = "warm-up seconds, not recorded (default ${DEFAULT-VALUE})")
    long warmupSeconds;

    @Option(names = "--window", defaultValue = "1024", description = "in-flight bound of the rig (default ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--durability", defaultValue = "PAGE_CACHE", description = "PAGE_CACHE or SYNC (default ${DEFAULT-VALUE})")
    DurabilityMode durability;

    @Option(names = "--threading", defaultValue = "SHARED", description = "SHARED or DEDICATED (default ${DEFAULT-VALUE})")
    String threading;

    @Option(names = "--idle", defaultValue = "yielding", description = "yielding, busy, backoff, sleeping (default ${DEFAULT-VALUE})")
    String idle;

    @Option(names = "--cluster-key", description = "cluster key file (synod keygen): Synod's members authenticate " +
        "their traffic with it (default: synod.cluster.key.file, else unauthenticated)")
    String clusterKey;

    @Option(names = "--processes", description = "run Synod's replicas as separate processes (target synod-processes)")
    boolean processes;

    @Option(names = "--base-port", defaultValue = "0", description = "first UDP port on 127.0.0.1 (default 0: a free range)")
    int basePort;

    @Option(names = "--out", defaultValue = "bench-results", description = "results go to a new timestamped " +
        "directory under this one (default ${DEFAULT-VALUE})")
    Path out;

    /** Creates targets by name; tests replace it to run the real command against a target that misbehaves. */
    java.util.function.BiFunction<String, RigOptions, BenchTarget> targets = BenchTargets::create;

    private final List<RigResult> results = new ArrayList<>();
    private final List<String> ratios = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile BenchRig currentRig;
    private volatile BenchTarget currentTarget;
    private Path runDir;

    public Integer call()
    {
        final String targetName = processes && "synod".equals(target) ? "synod-processes" : target;
        final RigMode rigMode;
        final RigOptions template;
        try
        {
            rigMode = "quick".equals(mode) ? RigMode.THROUGHPUT : parseMode(mode);
            BenchTargets.validate("--target", targetName);
            if (null != compare)
            {
                BenchTargets.validate("--compare", compare);
            }
            template = options(rigMode, targetName);
            for (final int payloadBytes : template.payloadSizesBytes())
            {
                checkPayload(targetName, "--target", payloadBytes);
                if (null != compare)
                {
                    checkPayload(compare, "--compare", payloadBytes);
                }
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage(), ex);
        }

        runDir = newRunDirectory(out, mode);
        final Thread hook = new Thread(this::onShutdown, "synod-bench-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try
        {
            if ("quick".equals(mode))
            {
                quick(targetName);
            }
            else
            {
                for (final int payloadBytes : template.payloadSizesBytes())
                {
                    if (stopping)
                    {
                        break;
                    }
                    run(options(rigMode, targetName), targetName, compare, payloadBytes);
                }
            }
            writeSummary();
            System.out.println("results: " + runDir);
            for (final String failure : failures)
            {
                System.out.println("FAILED: " + failure);
            }
            return failures.isEmpty() || stopping ? SynodCommand.EXIT_OK : SynodCommand.EXIT_FAILED;
        }
        finally
        {
            System.out.flush();
            finished.countDown();
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException ignore)
            {
                // The JVM is already shutting down: the hook is running and waits for the countDown above.
            }
        }
    }

    /**
     * SIGINT/SIGTERM: the rig stops offering, the main thread prints the partial result, closes the
     * target (which deletes its Aeron and data directories) and writes the summary; this hook waits
     * for that, and only if it does not happen in time closes the target itself.
     */
    private void onShutdown()
    {
        stopping = true;
        final BenchRig rig = currentRig;
        if (null != rig)
        {
            rig.requestStop();
        }
        try
        {
            if (!finished.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS))
            {
                final BenchTarget stuck = currentTarget;
                if (null != stuck)
                {
                    System.err.println("synod bench: run did not stop within " + STOP_WAIT_SECONDS +
                        " s; closing " + stuck.name() + " from the shutdown hook");
                    stuck.close();
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static RigMode parseMode(final String mode)
    {
        try
        {
            return RigMode.valueOf(mode.toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("MODE must be throughput, latency, soak or quick, got '" + mode + "'");
        }
    }

    private static void checkPayload(final String targetName, final String option, final int payloadBytes)
    {
        final int limit = BenchTargets.payloadLimitBytes(targetName);
        if (payloadBytes > limit)
        {
            throw new IllegalArgumentException("--payloads: " + payloadBytes + " bytes is more than " + targetName +
                " (" + option + ") carries in one command: at most " + limit + " bytes" +
                (targetName.startsWith("synod") ? " (one slot's value, synod.max.value.bytes, less a 20-byte " +
                "command header)" : ""));
        }
    }

    private void quick(final String targetName)
    {
        final List<String> rows = new ArrayList<>();
        final RigOptions throughput = options(RigMode.THROUGHPUT, targetName)
            .payloadSizesBytes(32).durationNs(TimeUnit.SECONDS.toNanos(3)).warmupNs(TimeUnit.SECONDS.toNanos(2));
        final RigResult t = run(throughput, targetName, compare, 32);
        if (null == t)
        {
            return;
        }
        rows.add(String.format("| throughput 32 B | %,.0f commands/s | %.2f MB/s |", t.commandsPerSecond(),
            t.megabytesPerSecond()));
        final RigOptions latency = options(RigMode.LATENCY, targetName)
            .payloadSizesBytes(32).durationNs(TimeUnit.SECONDS.toNanos(3)).warmupNs(TimeUnit.SECONDS.toNanos(2));
        final RigResult l = run(latency, targetName, compare, 32);
        if (null == l)
        {
            return;
        }
        rows.add(String.format("| latency 32 B at %,d/s | p50 %.1f us, p99 %.1f us, p99.9 %.1f us | max %.1f us |",
            latency.ratePerSecond(), l.percentileUs(50), l.percentileUs(99), l.percentileUs(99.9),
            l.histogram().getMaxValue() / 1e3));
        System.out.println();
        System.out.println("synod bench quick: " + targetName + ", " + clusterSize + " replicas, " + durability +
            ", threading " + threading + ", idle " + idle + ", batching natural, " + clients + " client(s)");
        System.out.println("| run | result | |");
        System.out.println("|---|---|---|");
        rows.forEach(System.out::println);
    }

    /**
     * Runs the target and, when asked, the other system with the same workload in the same run,
     * then prints their ratios.
     *
     * @return the target's result, or null when the run was stopped before it started.
     */
    private RigResult run(final RigOptions options, final String targetName, final String compareName,
        final int payloadBytes)
    {
        final RigResult result = runOne(options, targetName, payloadBytes);
        if (null == result)
        {
            return null;
        }
        final List<HtmlPlot.Series> series = new ArrayList<>();
        series.add(HtmlPlot.of(result));
        if (compareName != null)
        {
            final RigResult other = runOne(options, compareName, payloadBytes);
            if (null != other)
            {
                final List<String> lines = RigCompare.ratioLines(result, other);
                lines.forEach(System.out::println);
                ratios.addAll(lines);
                series.add(HtmlPlot.of(other));
            }
        }
        if (options.plot())
        {
            final Path html = options.outputDir().resolve(targetName + (compareName != null ? "-vs-" + compareName : "") +
                "-" + options.mode().name().toLowerCase() + "-" + payloadBytes + "B.html");
            System.out.println("plot: " + HtmlPlot.write(html, options.describe(payloadBytes), series));
        }
        return result;
    }

    private RigResult runOne(final RigOptions options, final String name, final int payloadBytes)
    {
        if (stopping)
        {
            return null;
        }
        final BenchRig rig = new BenchRig(options, System.out);
        currentRig = rig;
        if (stopping)
        {
            rig.requestStop();
        }
        try (BenchTarget benchTarget = targets.apply(name, options))
        {
            currentTarget = benchTarget;
            final RigResult result = rig.run(benchTarget, payloadBytes);
            results.add(result);
            final String failure = result.failure(options.soakShortfallPercent());
            if (null != failure)
            {
                failures.add(failure + " [" + options.mode().name().toLowerCase() + " " + payloadBytes + "B]");
            }
            return result;
        }
        finally
        {
            currentTarget = null;
        }
    }

    private RigOptions options(final RigMode rigMode, final String targetName)
    {
        final RigOptions options = new RigOptions()
            .mode(rigMode)
            .target(targetName)
            .clusterSize(clusterSize)
            .clients(clients)
            .ratePerSecond(rate)
            .durationNs(TimeUnit.SECONDS.toNanos(durationSeconds))
            .warmupNs(TimeUnit.SECONDS.toNanos(warmupSeconds))
            .inFlightWindow(window)
            .durabilityMode(durability)
            .threadingMode(threading)
            .idleStrategy(idle)
            .basePort(basePort)
            .outputDir(null != runDir ? runDir : out);
        if (durationSeconds < 1)
        {
            throw new IllegalArgumentException("--duration must be at least 1 s, got " + durationSeconds);
        }
        if (warmupSeconds < 0)
        {
            throw new IllegalArgumentException("--warmup must be >= 0 s, got " + warmupSeconds);
        }
        if (clusterKey != null)
        {
            options.clusterKeyFile(clusterKey);
        }
        if (payloads != null && payloads.length > 0)
        {
            options.payloadSizesBytes(payloads);
        }
        else if (rigMode == RigMode.SOAK)
        {
            // A soak's --duration is per payload: three default sizes made a one-hour soak run three hours.
            options.payloadSizesBytes(RigOptions.DEFAULT_PAYLOAD_SIZES_BYTES[0]);
        }
        return options.conclude();
    }

    /**
     * A directory of its own for this invocation, so no run overwrites an earlier run's files.
     */
    static Path newRunDirectory(final Path parent, final String mode)
    {
        final String stamp = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        try
        {
            Files.createDirectories(parent);
            for (int attempt = 1; ; attempt++)
            {
                final Path dir = parent.resolve(stamp + "-" + mode + (attempt > 1 ? "-" + attempt : ""));
                try
                {
                    return Files.createDirectory(dir);
                }
                catch (final java.nio.file.FileAlreadyExistsException ex)
                {
                    // Another run started in the same second: take the next suffix.
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create a results directory under --out " + parent, ex);
        }
    }

    private void writeSummary()
    {
        final StringBuilder json = new StringBuilder(4096);
        json.append("{\n  \"synod\": ").append(Json.quote(SynodCommand.versionLine()))
            .append(",\n  \"mode\": ").append(Json.quote(mode))
            .append(",\n  \"target\": ").append(Json.quote(target))
            .append(",\n  \"compare\": ").append(Json.quote(compare))
            .append(",\n  \"interrupted\": ").append(stopping)
            .append(",\n  \"results\": [");
        for (int i = 0; i < results.size(); i++)
        {
            json.append(i > 0 ? ",\n    " : "\n    ").append(results.get(i).toJson());
        }
        json.append("\n  ],\n  \"ratios\": [");
        for (int i = 0; i < ratios.size(); i++)
        {
            // "ratio p99 synod/aeron-cluster = 1.23" -> {"name": "p99 synod/aeron-cluster", "value": 1.23}
            final String line = ratios.get(i);
            final int eq = line.lastIndexOf(" = ");
            json.append(i > 0 ? ",\n    " : "\n    ").append("{\"name\": ")
                .append(Json.quote(line.substring("ratio ".length(), eq))).append(", \"value\": ")
                .append(ratioValue(line.substring(eq + 3))).append('}');
        }
        json.append("\n  ],\n  \"failures\": [");
        for (int i = 0; i < failures.size(); i++)
        {
            json.append(i > 0 ? ", " : "").append(Json.quote(failures.get(i)));
        }
        json.append("]\n}\n");
        try
        {
            Files.write(runDir.resolve("summary.json"), json.toString().getBytes(StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static String ratioValue(final String text)
    {
        try
        {
            return Json.number(Double.parseDouble(text.trim()));
        }
        catch (final NumberFormatException ex)
        {
            return "null";
        }
    }
}
