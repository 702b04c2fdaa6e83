package io.synod.bench.rig;

import io.synod.engine.log.DurabilityMode;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Plain options for one rig run or comparison; mutable, confined to the thread that fills it (the CLI
 * or a test) until it is handed to {@link BenchRig}. Every setting has a default and a same-named
 * fluent accessor; {@link #conclude()} validates once.
 */
public final class RigOptions
{
    /** Default payload sizes: a small command, a typical order, a near-MTU-sized batch element. */
    public static final int[] DEFAULT_PAYLOAD_SIZES_BYTES = { 32, 288, 1344 };

    /** Threading modes the rig can run a target in; INVOKER needs an application calling doWork(). */
    public static final java.util.List<String> THREADING_MODES = java.util.List.of("SHARED", "DEDICATED");

    private RigMode mode = RigMode.LATENCY;
    private String target = "aeron-cluster";
    private int clusterSize = 3;
    private int clients = 1;
    private int[] payloadSizesBytes = DEFAULT_PAYLOAD_SIZES_BYTES.clone();
    private long ratePerSecond = 10_000;
    private long durationNs = TimeUnit.SECONDS.toNanos(10);
    private long warmupNs = TimeUnit.SECONDS.toNanos(2);
    private long intervalNs = TimeUnit.SECONDS.toNanos(1);
    private long drainTimeoutNs = TimeUnit.SECONDS.toNanos(5);
    private int inFlightWindow = 1024;
    private Path outputDir = Paths.get("bench-results");
    private DurabilityMode durabilityMode = DurabilityMode.PAGE_CACHE;
    private String threadingMode = "SHARED";
    private String idleStrategy = "yielding";
    private String batching = "natural";
    private double soakShortfallPercent = 3.0;
    private int basePort = 0;
    private boolean plot = true;
    private String clusterKeyFile = System.getProperty("synod.cluster.key.file");

    /**
     * Validate cross-field rules; fails fast with a message naming the setting.
     *
     * @return this for a fluent API.
     */
    public RigOptions conclude()
    {
        // Messages name the command-line option a user typed (synod bench), not the field.
        require(clusterSize == 3 || clusterSize == 5, "--cluster must be 3 or 5, got " + clusterSize);
        require(clients >= 1 && clients <= 64, "--clients must be in [1, 64], got " + clients);
        require(payloadSizesBytes.length > 0, "--payloads must name at least one size");
        for (final int size : payloadSizesBytes)
        {
            require(size > 0 && size <= 64 * 1024, "--payloads sizes must be in [1, 65536] bytes, got " + size);
        }
        require(ratePerSecond > 0 && ratePerSecond <= 10_000_000,
            "--rate must be in [1, 10000000] commands/s, got " + ratePerSecond);
        require(durationNs > 0, "--duration must be at least 1 s, got " + TimeUnit.NANOSECONDS.toSeconds(durationNs));
        require(warmupNs >= 0, "--warmup must be >= 0 s, got " + TimeUnit.NANOSECONDS.toSeconds(warmupNs));
        require(intervalNs >= TimeUnit.MILLISECONDS.toNanos(10), "interval must be >= 10 ms");
        require(drainTimeoutNs > 0, "drain timeout must be > 0");
        require(inFlightWindow > 0 && inFlightWindow <= 1 << 20,
            "--window must be in [1, 1048576] commands in flight, got " + inFlightWindow);
        require(soakShortfallPercent >= 0, "soak shortfall percent must be >= 0");
        require(basePort == 0 || (basePort >= 1024 && basePort <= 65000),
            "--base-port must be 0 (pick a free range) or in [1024, 65000], got " + basePort);
        require(threadingMode != null && THREADING_MODES.contains(threadingMode.toUpperCase(java.util.Locale.ROOT)),
            "--threading must be SHARED or DEDICATED, got '" + threadingMode + "' (INVOKER needs an application " +
            "that drives the node itself; the rig does not)");
        IdleStrategies.create(idleStrategy);
        return this;
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * Settings of the run that are not the target's, one line.
     *
     * @param payloadBytes the payload size of this run.
     * @return {@code key=value} pairs.
     */
    public String describe(final int payloadBytes)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("mode=").append(mode.name().toLowerCase())
            .append(" payload=").append(payloadBytes).append("B")
            .append(" batching=").append(batching);
        if (remoteTarget())
        {
            // The rig did not start that cluster and cannot know its settings: printing the rig's own
            // defaults here once made a SYNC cluster's figures read as PAGE_CACHE ones.
            sb.append(" remote cluster: settings of the remote cluster unknown (see each node's start line)")
                .append(" rig-idle=").append(idleStrategy);
        }
        else
        {
            sb.append(" cluster=").append(clusterSize)
                .append(" durability=").append(durabilityMode)
                .append(" threading=").append(threadingMode)
                .append(" idle=").append(idleStrategy);
        }
        sb.append(" clients=").append(clients).append(" window=").append(inFlightWindow);
        if (mode != RigMode.THROUGHPUT)
        {
            sb.append(" rate=").append(ratePerSecond).append("/s");
        }
        sb.append(" duration=").append(TimeUnit.NANOSECONDS.toMillis(durationNs)).append("ms")
            .append(" warmup=").append(TimeUnit.NANOSECONDS.toMillis(warmupNs)).append("ms");
        return sb.toString();
    }

    private boolean remoteTarget()
    {
        return "synod-remote".equals(target);
    }

    public RigMode mode()
    {
        return mode;
    }

    public RigOptions mode(final RigMode mode)
    {
        this.mode = mode;
        return this;
    }

    /**
     * Name of the target to create, see {@link BenchTargets}.
     *
     * @return target name.
     */
    public String target()
    {
        return target;
    }

    public RigOptions target(final String target)
    {
        this.target = target;
        return this;
    }

    public int clusterSize()
    {
        return clusterSize;
    }

    public RigOptions clusterSize(final int clusterSize)
    {
        this.clusterSize = clusterSize;
        return this;
    }

    public int clients()
    {
        return clients;
    }

    public RigOptions clients(final int clients)
    {
        this.clients = clients;
        return this;
    }

    public int[] payloadSizesBytes()
    {
        return payloadSizesBytes.clone();
    }

    public RigOptions payloadSizesBytes(final int... payloadSizesBytes)
    {
        this.payloadSizesBytes = payloadSizesBytes.clone();
        return this;
    }

    public long ratePerSecond()
    {
        return ratePerSecond;
    }

    public RigOptions ratePerSecond(final long ratePerSecond)
    {
        this.ratePerSecond = ratePerSecond;
        return this;
    }

    public long durationNs()
    {
        return durationNs;
    }

    public RigOptions durationNs(final long durationNs)
    {
        this.durationNs = durationNs;
        return this;
    }

    public long warmupNs()
    {
        return warmupNs;
    }

    public RigOptions warmupNs(final long warmupNs)
    {
        this.warmupNs = warmupNs;
        return this;
    }

    /**
     * Length of one interval of the interval log (latency and soak modes).
     *
     * @return interval length in ns, default 1 s.
     */
    public long intervalNs()
    {
        return intervalNs;
    }

    public RigOptions intervalNs(final long intervalNs)
    {
        this.intervalNs = intervalNs;
        return this;
    }

    /**
     * How long after the run the rig keeps sending the backlog and waiting for responses.
     *
     * @return drain timeout in ns.
     */
    public long drainTimeoutNs()
    {
        return drainTimeoutNs;
    }

    public RigOptions drainTimeoutNs(final long drainTimeoutNs)
    {
        this.drainTimeoutNs = drainTimeoutNs;
        return this;
    }

    public int inFlightWindow()
    {
        return inFlightWindow;
    }

    public RigOptions inFlightWindow(final int inFlightWindow)
    {
        this.inFlightWindow = inFlightWindow;
        return this;
    }

    public Path outputDir()
    {
        return outputDir;
    }

    public RigOptions outputDir(final Path outputDir)
    {
        this.outputDir = outputDir;
        return this;
    }

    public DurabilityMode durabilityMode()
    {
        return durabilityMode;
    }

    public RigOptions durabilityMode(final DurabilityMode durabilityMode)
    {
        this.durabilityMode = durabilityMode;
        return this;
    }

    /**
     * Threading mode of the system under test as its own name, e.g. {@code SHARED}; printed, and used by
     * targets that have such a choice.
     *
     * @return threading mode name.
     */
    public String threadingMode()
    {
        return threadingMode;
    }

    public RigOptions threadingMode(final String threadingMode)
    {
        this.threadingMode = threadingMode;
        return this;
    }

    /**
     * Idle strategy of the rig and of the target's agents: busy-spin, yielding, backoff, sleeping.
     *
     * @return idle strategy name.
     */
    public String idleStrategy()
    {
        return idleStrategy;
    }

    public RigOptions idleStrategy(final String idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }

    /**
     * Cluster key file for Synod's members ({@code synod keygen}), or null to run them unauthenticated;
     * defaults to {@code synod.cluster.key.file}.
     */
    public String clusterKeyFile()
    {
        return clusterKeyFile;
    }

    public RigOptions clusterKeyFile(final String clusterKeyFile)
    {
        this.clusterKeyFile = clusterKeyFile;
        return this;
    }

    public String batching()
    {
        return batching;
    }

    public RigOptions batching(final String batching)
    {
        this.batching = batching;
        return this;
    }

    /**
     * A soak prints a WARNING when the achieved rate is below the offered rate by more than this.
     *
     * @return shortfall threshold in percent.
     */
    public double soakShortfallPercent()
    {
        return soakShortfallPercent;
    }

    public RigOptions soakShortfallPercent(final double soakShortfallPercent)
    {
        this.soakShortfallPercent = soakShortfallPercent;
        return this;
    }

    /**
     * First UDP port targets use on 127.0.0.1; 0 picks a random base per target instance.
     *
     * @return base port or 0.
     */
    public int basePort()
    {
        return basePort;
    }

    public RigOptions basePort(final int basePort)
    {
        this.basePort = basePort;
        return this;
    }

    public boolean plot()
    {
        return plot;
    }

    public RigOptions plot(final boolean plot)
    {
        this.plot = plot;
        return this;
    }

    @Override
    public String toString()
    {
        return "RigOptions{target=" + target + ", payloads=" + Arrays.toString(payloadSizesBytes) + ", " +
            describe(payloadSizesBytes[0]) + ", outputDir=" + outputDir + "}";
    }
}
