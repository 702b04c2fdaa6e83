package io.synod.engine.runtime;

import io.aeron.Aeron;
import io.aeron.Counter;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Created by the node on its launching thread; afterwards each counter is written only by the thread that
 * runs the agent it belongs to. Stall visibility: per agent of a node, the longest duty cycle and the
 * cycles longer than {@code synod.cycle.threshold}, in the node's counters file next to
 * {@link NodeCounters} so that {@code synod stat} shows them.
 */
public final class AgentCounters implements AutoCloseable
{
    public static final int MAX_CYCLE_NS_TYPE_ID = 7101;
    public static final int CYCLES_OVER_THRESHOLD_TYPE_ID = 7102;
    public static final int SEGMENT_NOT_READY_TYPE_ID = 7103;
    public static final int MIN_TYPE_ID = MAX_CYCLE_NS_TYPE_ID;
    public static final int MAX_TYPE_ID = SEGMENT_NOT_READY_TYPE_ID;

    /**
     * Acceptor duty cycles that left their input unread because the next log segment was not ready and
     * the active one was half full (back-pressure instead of waiting for a file).
     */
    public final Counter segmentNotReady;

    private final Aeron aeron;
    private final UnsafeBuffer key;
    private final String prefix;
    private final long thresholdNs;
    private final NanoClock clock;
    private final List<Counter> all = new ArrayList<>();

    public AgentCounters(
        final Aeron aeron, final int clusterId, final int memberId, final long thresholdNs, final NanoClock clock)
    {
        this.aeron = aeron;
        this.key = new UnsafeBuffer(new byte[NodeCounters.KEY_LENGTH]);
        key.putInt(NodeCounters.KEY_CLUSTER_ID_OFFSET, clusterId);
        key.putInt(NodeCounters.KEY_MEMBER_ID_OFFSET, memberId);
        this.prefix = "synod cluster=" + clusterId + " member=" + memberId + ": ";
        this.thresholdNs = thresholdNs;
        this.clock = clock;
        segmentNotReady = add(SEGMENT_NOT_READY_TYPE_ID,
            "acceptor cycles held back, next log segment not ready");
    }

    /**
     * Wraps an agent so that its duty cycles are timed into two new counters labelled with its name.
     *
     * @param agent to track.
     * @param name  shown in the labels, e.g. "acceptor".
     * @return the tracking agent, to run in place of {@code agent}.
     */
    public Agent track(final Agent agent, final String name)
    {
        final Counter maxCycleNs = add(MAX_CYCLE_NS_TYPE_ID, name + " max duty cycle ns");
        final Counter overThreshold = add(CYCLES_OVER_THRESHOLD_TYPE_ID,
            name + " duty cycles over " + thresholdNs / 1000 + " us");
        return new DutyCycleTrackingAgent(agent, clock, thresholdNs, maxCycleNs, overThreshold);
    }

    private Counter add(final int typeId, final String label)
    {
        final UnsafeBuffer labelBuffer = new UnsafeBuffer((prefix + label).getBytes(StandardCharsets.US_ASCII));
        final Counter counter = aeron.addCounter(typeId, key, 0, key.capacity(), labelBuffer, 0, labelBuffer.capacity());
        all.add(counter);
        return counter;
    }

    public void close()
    {
        for (final Counter counter : all)
        {
            counter.close();
        }
    }
}
