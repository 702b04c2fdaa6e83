package io.synod.bench.rig;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Runs two targets with the same workload back to back in one process and prints ratios, because
 * absolute times on a shared 2-core machine drift and only same-run ratios compare. Single-threaded.
 */
public final class RigCompare
{
    private RigCompare()
    {
    }

    /**
     * Run {@code first} then {@code second} with the same options and payload, each started and closed
     * in turn, and print {@code ratio throughput first/second = x.xx} and, for open-loop modes, one
     * {@code ratio pNN first/second = x.xx} line per percentile and max.
     *
     * @param options      shared workload.
     * @param first        numerator target.
     * @param second       denominator target.
     * @param payloadBytes payload size.
     * @param out          where results and ratios are printed.
     * @return the ratio lines, as printed.
     */
    public static List<String> compare(
        final RigOptions options,
        final Supplier<BenchTarget> first,
        final Supplier<BenchTarget> second,
        final int payloadBytes,
        final PrintStream out)
    {
        final BenchRig rig = new BenchRig(options, out);
        final RigResult a = runOne(rig, first, payloadBytes);
        final RigResult b = runOne(rig, second, payloadBytes);
        final List<String> lines = ratioLines(a, b);
        for (final String line : lines)
        {
            out.println(line);
        }
        if (options.plot())
        {
            final Path html = options.outputDir().resolve(
                a.targetName() + "-vs-" + b.targetName() + "-" + options.mode().name().toLowerCase() + "-" +
                payloadBytes + "B.html");
            HtmlPlot.write(html, a.targetName() + " vs " + b.targetName() + ": " + options.describe(payloadBytes),
                List.of(HtmlPlot.of(a), HtmlPlot.of(b)));
            out.println("plot: " + html);
        }
        out.flush();
        return lines;
    }

    /**
     * @param a numerator result.
     * @param b denominator result.
     * @return ratio lines: throughput, then percentiles and max when both have latencies.
     */
    public static List<String> ratioLines(final RigResult a, final RigResult b)
    {
        final String names = a.targetName() + "/" + b.targetName();
        final List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "ratio throughput %s = %.2f",
            names, a.commandsPerSecond() / b.commandsPerSecond()));
        if (a.mode() != RigMode.THROUGHPUT && a.histogram().getTotalCount() > 0 && b.histogram().getTotalCount() > 0)
        {
            for (final double percentile : RigResult.PERCENTILES)
            {
                lines.add(String.format(Locale.ROOT, "ratio %s %s = %.2f", RigResult.percentileLabel(percentile), names,
                    a.percentileUs(percentile) / b.percentileUs(percentile)));
            }
            lines.add(String.format(Locale.ROOT, "ratio max %s = %.2f", names, a.percentileUs(100) / b.percentileUs(100)));
        }
        return lines;
    }

    private static RigResult runOne(final BenchRig rig, final Supplier<BenchTarget> factory, final int payloadBytes)
    {
        try (BenchTarget target = factory.get())
        {
            return rig.run(target, payloadBytes);
        }
    }
}
