package io.synod.bench.rig;

import java.util.Arrays;

/**
 * Throughput (and, for open-loop runs, max latency) per interval of one run's measured window;
 * single-threaded, filled by the rig's thread once per interval (never per command), read after the
 * run. Grows by doubling: a week-long soak at one-second intervals holds 604,800 entries.
 */
public final class RigTimeline
{
    private double[] endSec = new double[64];
    private double[] commandsPerSecond = new double[64];
    private double[] maxUs = new double[64];
    private int size;

    /**
     * @param endSecond       end of the interval, seconds since the measured window started.
     * @param lengthSecond    real length of the interval (the last one may be shorter).
     * @param answered        commands answered during it.
     * @param maxLatencyUs    highest latency recorded in it, or NaN when latencies are not recorded.
     */
    void add(final double endSecond, final double lengthSecond, final long answered, final double maxLatencyUs)
    {
        if (size == endSec.length)
        {
            endSec = Arrays.copyOf(endSec, size * 2);
            commandsPerSecond = Arrays.copyOf(commandsPerSecond, size * 2);
            maxUs = Arrays.copyOf(maxUs, size * 2);
        }
        endSec[size] = endSecond;
        commandsPerSecond[size] = lengthSecond > 0 ? answered / lengthSecond : 0;
        maxUs[size] = maxLatencyUs;
        size++;
    }

    public int size()
    {
        return size;
    }

    public double endSecond(final int index)
    {
        return endSec[index];
    }

    public double commandsPerSecond(final int index)
    {
        return commandsPerSecond[index];
    }

    /**
     * @param index interval.
     * @return max latency in µs of that interval, NaN for throughput runs.
     */
    public double maxUs(final int index)
    {
        return maxUs[index];
    }

    /**
     * @return the highest per-interval rate, 0 when empty.
     */
    public double peakCommandsPerSecond()
    {
        double peak = 0;
        for (int i = 0; i < size; i++)
        {
            peak = Math.max(peak, commandsPerSecond[i]);
        }
        return peak;
    }
}
