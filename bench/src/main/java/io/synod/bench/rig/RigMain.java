package io.synod.bench.rig;

import io.synod.engine.log.DurabilityMode;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Manual runs of the rig until the CLI wraps it:
 * <pre>
 * java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
 *   --add-opens java.base/java.nio=ALL-UNNAMED -cp bench/target/benchmarks.jar io.synod.bench.rig.RigMain \
 *   target=aeron-cluster mode=latency payloads=32,288 rate=10000 durationS=5 warmupS=2 window=1024 \
 *   cluster=3 durability=PAGE_CACHE idle=yielding out=bench-results [compare=quorum-loop] [cluster-key=FILE]
 * </pre>
 * Runs on the main thread.
 */
public final class RigMain
{
    private RigMain()
    {
    }

    /**
     * @param args {@code key=value} options as in the class comment.
     */
    public static void main(final String[] args)
    {
        final RigOptions options = new RigOptions();
        String compareWith = null;
        for (final String arg : args)
        {
            final int eq = arg.indexOf('=');
            if (eq < 1)
            {
                throw new IllegalArgumentException("expected key=value: " + arg);
            }
            final String key = arg.substring(0, eq);
            final String value = arg.substring(eq + 1);
            switch (key)
            {
                case "target": options.target(value); break;
                case "mode": options.mode(RigMode.valueOf(value.toUpperCase())); break;
                case "payloads": options.payloadSizesBytes(parseInts(value)); break;
                case "rate": options.ratePerSecond(Long.parseLong(value)); break;
                case "durationS": options.durationNs(TimeUnit.SECONDS.toNanos(Long.parseLong(value))); break;
                case "warmupS": options.warmupNs(TimeUnit.SECONDS.toNanos(Long.parseLong(value))); break;
                case "window": options.inFlightWindow(Integer.parseInt(value)); break;
                case "cluster": options.clusterSize(Integer.parseInt(value)); break;
                case "clients": options.clients(Integer.parseInt(value)); break;
                case "durability": options.durabilityMode(DurabilityMode.valueOf(value.toUpperCase())); break;
                case "threading": options.threadingMode(value); break;
                case "idle": options.idleStrategy(value); break;
                case "cluster-key": options.clusterKeyFile(value); break;
                case "out": options.outputDir(Paths.get(value)); break;
                case "basePort": options.basePort(Integer.parseInt(value)); break;
                case "compare": compareWith = value; break;
                default: throw new IllegalArgumentException("unknown option " + key);
            }
        }
        options.conclude();

        for (final int payloadBytes : options.payloadSizesBytes())
        {
            if (null != compareWith)
            {
                RigCompare.compare(options, BenchTargets.factory(options.target(), options),
                    BenchTargets.factory(compareWith, options), payloadBytes, System.out);
                continue;
            }
            final BenchRig rig = new BenchRig(options, System.out);
            try (BenchTarget target = BenchTargets.create(options.target(), options))
            {
                final RigResult result = rig.run(target, payloadBytes);
                if (options.plot())
                {
                    final String name = result.targetName() + "-" + options.mode().name().toLowerCase() + "-" +
                        payloadBytes + "B.html";
                    final List<HtmlPlot.Series> series = new ArrayList<>();
                    series.add(HtmlPlot.of(result));
                    System.out.println("plot: " + HtmlPlot.write(
                        options.outputDir().resolve(name), options.describe(payloadBytes), series));
                }
            }
        }
        System.exit(0);
    }

    private static int[] parseInts(final String csv)
    {
        final String[] parts = csv.split(",");
        final int[] values = new int[parts.length];
        for (int i = 0; i < parts.length; i++)
        {
            values[i] = Integer.parseInt(parts[i].trim());
        }
        return values;
    }
}
