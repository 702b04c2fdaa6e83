package io.synod.bench.rig;

import java.util.function.Supplier;

/**
 * Stateless: creates targets by name.
 */
public final class BenchTargets
{
    /** Names accepted by {@link #create}. */
    public static final String NAMES =
        "synod, synod-processes, synod-remote, aeron-cluster, pingpong-floor, quorum-loop, in-memory-echo";

    private BenchTargets()
    {
    }

    /**
     * @param name    target name.
     * @param options rig options the target reads its settings from.
     * @return a new, not yet started target.
     */
    public static BenchTarget create(final String name, final RigOptions options)
    {
        switch (name)
        {
            case "synod":
                return new SynodTarget(options, SynodTarget.Placement.IN_PROCESS);
            case "synod-processes":
                return new SynodTarget(options, SynodTarget.Placement.PROCESSES);
            case "synod-remote":
                return new SynodTarget(options, SynodTarget.Placement.REMOTE);
            case "aeron-cluster":
                return new AeronClusterTarget(options);
            case "pingpong-floor":
                return new PingPongFloorTarget(options);
            case "quorum-loop":
                return new QuorumLoopTarget(options);
            case "in-memory-echo":
                return new InMemoryEchoTarget(Integer.highestOneBit(Math.max(1, options.inFlightWindow())) * 2);
            default:
                throw new IllegalArgumentException("unknown target '" + name + "', known: " + NAMES);
        }
    }

    /**
     * Checks, before anything starts, that {@code name} is a known target.
     *
     * @param option the command-line option that named it, for the message.
     * @param name   target name.
     * @throws IllegalArgumentException naming the option and the known targets.
     */
    public static void validate(final String option, final String name)
    {
        if (!java.util.Arrays.asList(NAMES.split(", ")).contains(name))
        {
            throw new IllegalArgumentException(option + " must be one of " + NAMES + ", got '" + name + "'");
        }
    }

    /**
     * @param name target name.
     * @return the largest payload the target carries in one command; the rig refuses larger ones up front.
     */
    public static int payloadLimitBytes(final String name)
    {
        return name.startsWith("synod") ? SynodTarget.payloadLimitBytes() : 64 * 1024;
    }

    /**
     * @param name    target name.
     * @param options rig options.
     * @return a factory for {@link RigCompare}.
     */
    public static Supplier<BenchTarget> factory(final String name, final RigOptions options)
    {
        return () -> create(name, options);
    }
}
