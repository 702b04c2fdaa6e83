package io.synod.engine.log;

import org.agrona.SystemUtil;

import java.util.concurrent.TimeUnit;

/**
 * Property names and defaults of the acceptor log; stateless, safe from any thread. Each setting
 * is read by {@link LogContext} from a {@code synod.log.*} system property when not set in code.
 */
public final class LogConfiguration
{
    public static final String DIRECTORY_PROP_NAME = "synod.log.dir";

    public static final String SEGMENT_LENGTH_PROP_NAME = "synod.log.segment.length";
    public static final int SEGMENT_LENGTH_DEFAULT = 64 * 1024 * 1024;
    /**
     * Smallest segment: below this the per-segment cost (a file, a mapping, a padding record) dominates.
     */
    public static final int SEGMENT_LENGTH_MIN = 64 * 1024;
    /**
     * Largest segment: positions inside a segment are ints, and a mapping is at most 2 GiB - 1.
     */
    public static final int SEGMENT_LENGTH_MAX = 1 << 30;

    public static final String MAX_VALUE_LENGTH_PROP_NAME = "synod.log.max.value.length";
    public static final int MAX_VALUE_LENGTH_DEFAULT = 1024 * 1024;

    public static final String DURABILITY_MODE_PROP_NAME = "synod.log.durability";
    public static final DurabilityMode DURABILITY_MODE_DEFAULT = DurabilityMode.SYNC;

    public static final String PAGE_CACHE_FORCE_INTERVAL_PROP_NAME = "synod.log.page.cache.force.interval";
    public static final long PAGE_CACHE_FORCE_INTERVAL_NS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(100);

    public static final String CHECKPOINT_INTERVAL_PROP_NAME = "synod.log.checkpoint.interval";
    public static final long CHECKPOINT_INTERVAL_NS_DEFAULT = TimeUnit.SECONDS.toNanos(1);

    public static final String INDEX_INITIAL_CAPACITY_PROP_NAME = "synod.log.index.initial.capacity";
    public static final int INDEX_INITIAL_CAPACITY_DEFAULT = 1 << 16;

    public static final String CLUSTER_ID_PROP_NAME = "synod.log.cluster.id";
    public static final int CLUSTER_ID_DEFAULT = 0;

    public static final String MEMBER_ID_PROP_NAME = "synod.log.member.id";
    public static final int MEMBER_ID_DEFAULT = 0;

    private LogConfiguration()
    {
    }

    public static String directory()
    {
        return System.getProperty(DIRECTORY_PROP_NAME);
    }

    public static int segmentLengthBytes()
    {
        return (int)SystemUtil.getSizeAsLong(SEGMENT_LENGTH_PROP_NAME, SEGMENT_LENGTH_DEFAULT);
    }

    public static int maxValueLengthBytes()
    {
        return (int)SystemUtil.getSizeAsLong(MAX_VALUE_LENGTH_PROP_NAME, MAX_VALUE_LENGTH_DEFAULT);
    }

    public static DurabilityMode durabilityMode()
    {
        final String value = System.getProperty(DURABILITY_MODE_PROP_NAME);
        if (null == value)
        {
            return DURABILITY_MODE_DEFAULT;
        }
        try
        {
            return DurabilityMode.valueOf(value.trim().toUpperCase());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(
                DURABILITY_MODE_PROP_NAME + "=" + value + " is not one of SYNC, PAGE_CACHE", ex);
        }
    }

    public static long pageCacheForceIntervalNs()
    {
        return SystemUtil.getDurationInNanos(PAGE_CACHE_FORCE_INTERVAL_PROP_NAME, PAGE_CACHE_FORCE_INTERVAL_NS_DEFAULT);
    }

    public static long checkpointIntervalNs()
    {
        return SystemUtil.getDurationInNanos(CHECKPOINT_INTERVAL_PROP_NAME, CHECKPOINT_INTERVAL_NS_DEFAULT);
    }

    public static int indexInitialCapacity()
    {
        return Integer.getInteger(INDEX_INITIAL_CAPACITY_PROP_NAME, INDEX_INITIAL_CAPACITY_DEFAULT);
    }

    public static int clusterId()
    {
        return Integer.getInteger(CLUSTER_ID_PROP_NAME, CLUSTER_ID_DEFAULT);
    }

    public static int memberId()
    {
        return Integer.getInteger(MEMBER_ID_PROP_NAME, MEMBER_ID_DEFAULT);
    }
}
