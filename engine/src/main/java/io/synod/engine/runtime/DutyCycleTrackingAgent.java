package io.synod.engine.runtime;

import io.aeron.Counter;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

/**
 * Single-threaded, run by whatever runs the agent it wraps: times each {@code doWork()} of that agent and
 * publishes the longest so far and how many took longer than a threshold. What it measures is the work of
 * one cycle (not the idle time between cycles), so in a composite each member's share of a stall shows.
 */
final class DutyCycleTrackingAgent implements Agent
{
    private final Agent agent;
    private final NanoClock clock;
    private final long thresholdNs;
    private final Counter maxCycleNs;
    private final Counter cyclesOverThreshold;
    private long maxNs;
    private long overCount;

    DutyCycleTrackingAgent(
        final Agent agent,
        final NanoClock clock,
        final long thresholdNs,
        final Counter maxCycleNs,
        final Counter cyclesOverThreshold)
    {
        this.agent = agent;
        this.clock = clock;
        this.thresholdNs = thresholdNs;
        this.maxCycleNs = maxCycleNs;
        this.cyclesOverThreshold = cyclesOverThreshold;
    }

    public void onStart()
    {
        agent.onStart();
    }

    public int doWork() throws Exception
    {
        final long startNs = clock.nanoTime();
        final int work = agent.doWork();
        final long cycleNs = clock.nanoTime() - startNs;
        if (cycleNs > maxNs)
        {
            maxNs = cycleNs;
            maxCycleNs.setRelease(cycleNs);
        }
        if (cycleNs > thresholdNs)
        {
            cyclesOverThreshold.setRelease(++overCount);
        }
        return work;
    }

    public void onClose()
    {
        agent.onClose();
    }

    public String roleName()
    {
        return agent.roleName();
    }
}
