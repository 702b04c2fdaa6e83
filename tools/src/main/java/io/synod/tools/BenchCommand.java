package io.synod.tools;

import io.synod.bench.rig.BenchRig;
import io.synod.bench.rig.BenchTarget;
import io.synod.bench.rig.BenchTargets;
import io.synod.bench.rig.HtmlPlot;
import io.synod.bench.rig.RigCompare;
import io.synod.bench.rig.RigMode;
import io.synod.bench.rig.RigOptions;
import io.synod.bench.rig.RigResult;
import io.synod.engine.log.DurabilityMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code synod bench}: the HdrHistogram rig from the command line: throughput, open-loop latency and
 * soak, against Synod or, side by side in the same run, another system.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {
        "Benchmarks. MODE is throughput, latency, soak, or quick (the default: a short throughput and latency " +
        "run of an embedded 3-replica cluster, printed as a table).",
        "Targets: " + BenchTargets.NAMES })
public final class BenchCommand implements Callable<Integer>
{
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

    @Option(names = "--payloads", split = ",", description = "payload sizes in bytes (default 32,288,1344)")
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

    @Option(names = "--threading", defaultValue = "SHARED", description = "SHARED, DEDICATED (default ${DEFAULT-VALUE})")
    String threading;

    @Option(names = "--idle", defaultValue = "yielding", description = "yielding, busy, backoff, sleeping (default ${DEFAULT-VALUE})")
    String idle;

    @Option(names = "--cluster-key", description = "cluster key file (synod keygen): Synod's members authenticate " +
        "their traffic with it (default: synod.cluster.key.file, else unauthenticated)")
    String clusterKey;

    @Option(names = "--processes", description = "run Synod's replicas as separate processes (target synod-processes)")
    boolean processes;

    @Option(names = "--out", defaultValue = "bench-results", description = "directory for .hgrm, .hlog and plots (default ${DEFAULT-VALUE})")
    Path out;

    public Integer call()
    {
        final String targetName = processes && "synod".equals(target) ? "synod-processes" : target;
        if ("quick".equals(mode))
        {
            return quick(targetName);
        }
        final RigMode rigMode;
        try
        {
            rigMode = RigMode.valueOf(mode.toUpperCase());
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("error: MODE must be throughput, latency, soak or quick, got " + mode);
            return SynodCommand.EXIT_USAGE;
        }
        final RigOptions options = options(rigMode, targetName);
        for (final int payloadBytes : options.payloadSizesBytes())
        {
            run(options, targetName, compare, payloadBytes);
        }
        return SynodCommand.EXIT_OK;
    }

    private int quick(final String targetName)
    {
        final List<String> rows = new ArrayList<>();
        final RigOptions throughput = options(RigMode.THROUGHPUT, targetName)
            .payloadSizesBytes(32).durationNs(TimeUnit.SECONDS.toNanos(3)).warmupNs(TimeUnit.SECONDS.toNanos(2));
        final RigResult t = run(throughput, targetName, compare, 32);
        rows.add(String.format("| throughput 32 B | %,.0f commands/s | %.2f MB/s |", t.commandsPerSecond(),
            t.megabytesPerSecond()));
        final RigOptions latency = options(RigMode.LATENCY, targetName)
            .payloadSizesBytes(32).durationNs(TimeUnit.SECONDS.toNanos(3)).warmupNs(TimeUnit.SECONDS.toNanos(2));
        final RigResult l = run(latency, targetName, compare, 32);
        rows.add(String.format("| latency 32 B at %,d/s | p50 %.1f us, p99 %.1f us, p99.9 %.1f us | max %.1f us |",
            latency.ratePerSecond(), l.percentileUs(50), l.percentileUs(99), l.percentileUs(99.9),
            l.histogram().getMaxValue() / 1e3));
        System.out.println();
        System.out.println("synod bench quick: " + targetName + ", " + clusterSize + " replicas, " + durability +
            ", threading " + threading + ", idle " + idle + ", batching natural, 1 client");
        System.out.println("| run | result | |");
        System.out.println("|---|---|---|");
        rows.forEach(System.out::println);
        return SynodCommand.EXIT_OK;
    }

    /**
     * Runs the target and, when asked, the other system with the same workload in the same run,
     * then prints their ratios.
     */
    private RigResult run(final RigOptions options, final String targetName, final String compareName,
        final int payloadBytes)
    {
        final RigResult result = runOne(options, targetName, payloadBytes);
        final List<HtmlPlot.Series> series = new ArrayList<>();
        if (result.intervalLogFile() != null)
        {
            series.add(HtmlPlot.read(result.targetName(), result.intervalLogFile()));
        }
        if (compareName != null)
        {
            final RigResult other = runOne(options, compareName, payloadBytes);
            RigCompare.ratioLines(result, other).forEach(System.out::println);
            if (other.intervalLogFile() != null)
            {
                series.add(HtmlPlot.read(other.targetName(), other.intervalLogFile()));
            }
        }
        if (options.plot() && !series.isEmpty())
        {
            final Path html = options.outputDir().resolve(targetName + (compareName != null ? "-vs-" + compareName : "") +
                "-" + options.mode().name().toLowerCase() + "-" + payloadBytes + "B.html");
            System.out.println("plot: " + HtmlPlot.write(html, options.describe(payloadBytes), series));
        }
        return result;
    }

    private static RigResult runOne(final RigOptions options, final String name, final int payloadBytes)
    {
        final BenchRig rig = new BenchRig(options, System.out);
        try (BenchTarget benchTarget = BenchTargets.create(name, options))
        {
            return rig.run(benchTarget, payloadBytes);
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
            .outputDir(out);
        if (clusterKey != null)
        {
            options.clusterKeyFile(clusterKey);
        }
        if (payloads != null && payloads.length > 0)
        {
            options.payloadSizesBytes(payloads);
        }
        return options.conclude();
    }
}
