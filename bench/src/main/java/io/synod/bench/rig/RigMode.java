package io.synod.bench.rig;

/**
 * Immutable: what the rig measures in one run.
 */
public enum RigMode
{
    /** Closed loop bounded by the in-flight window: commands/s and MB/s. */
    THROUGHPUT,

    /** Open loop at a fixed rate, latency from each command's intended send time. */
    LATENCY,

    /** Open loop at a fixed rate for a long time: interval logs each second, achieved-rate check. */
    SOAK
}
