package io.synod.engine.log;

import io.synod.engine.config.Setting;
import io.synod.engine.config.SettingValues;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.synod.engine.config.SettingValues.durationText;
import static io.synod.engine.config.SettingValues.sizeText;

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

    private static final String SET_BY_NODE = " (a node sets this from its own settings)";

    public static final List<Setting> SETTINGS = List.of(
        new Setting(DIRECTORY_PROP_NAME, "(none)", "a directory path",
            "Directory of the acceptor log" + SET_BY_NODE + ": DIR/member-N/log."),
        new Setting(SEGMENT_LENGTH_PROP_NAME, sizeText(SEGMENT_LENGTH_DEFAULT),
            "a power of two in [" + sizeText(SEGMENT_LENGTH_MIN) + ", " + sizeText(SEGMENT_LENGTH_MAX) + "]",
            "Length of each pre-allocated, memory-mapped log segment file."),
        new Setting(MAX_VALUE_LENGTH_PROP_NAME, sizeText(MAX_VALUE_LENGTH_DEFAULT),
            "a size whose record fits one segment",
            "Largest value one log record holds" + SET_BY_NODE + ": synod.max.value.bytes."),
        new Setting(DURABILITY_MODE_PROP_NAME, DURABILITY_MODE_DEFAULT.name(), "SYNC, PAGE_CACHE",
            "Durability of the log alone" + SET_BY_NODE + ": synod.durability."),
        new Setting(PAGE_CACHE_FORCE_INTERVAL_PROP_NAME, durationText(PAGE_CACHE_FORCE_INTERVAL_NS_DEFAULT),
            "a duration > 0", "In PAGE_CACHE mode, how often the log is forced in the background."),
        new Setting(CHECKPOINT_INTERVAL_PROP_NAME, durationText(CHECKPOINT_INTERVAL_NS_DEFAULT), "a duration > 0",
            "How often the recovery checkpoint in the metadata file is advanced."),
        new Setting(INDEX_INITIAL_CAPACITY_PROP_NAME, Integer.toString(INDEX_INITIAL_CAPACITY_DEFAULT),
            "[1, 2147483647]", "Initial capacity of the in-memory slot index (it grows)."),
        new Setting(CLUSTER_ID_PROP_NAME, Integer.toString(CLUSTER_ID_DEFAULT), "[0, 2147483647]",
            "Cluster id stamped in the log's metadata" + SET_BY_NODE + ": synod.cluster.id."),
        new Setting(MEMBER_ID_PROP_NAME, Integer.toString(MEMBER_ID_DEFAULT), "[0, 2147483647]",
            "Member id stamped in the log's metadata" + SET_BY_NODE + ": synod.member.id."));

    private LogConfiguration()
    {
    }

    public static String directory()
    {
        return System.getProperty(DIRECTORY_PROP_NAME);
    }

    public static int segmentLengthBytes()
    {
        return SettingValues.sizeValue(SEGMENT_LENGTH_PROP_NAME, SEGMENT_LENGTH_DEFAULT);
    }

    public static int maxValueLengthBytes()
    {
        return SettingValues.sizeValue(MAX_VALUE_LENGTH_PROP_NAME, MAX_VALUE_LENGTH_DEFAULT);
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
            throw SettingValues.invalid(DURABILITY_MODE_PROP_NAME, value, "is not one of SYNC, PAGE_CACHE");
        }
    }

    public static long pageCacheForceIntervalNs()
    {
        return SettingValues.durationNs(PAGE_CACHE_FORCE_INTERVAL_PROP_NAME, PAGE_CACHE_FORCE_INTERVAL_NS_DEFAULT);
    }

    public static long checkpointIntervalNs()
    {
        return SettingValues.durationNs(CHECKPOINT_INTERVAL_PROP_NAME, CHECKPOINT_INTERVAL_NS_DEFAULT);
    }

    public static int indexInitialCapacity()
    {
        return SettingValues.intValue(INDEX_INITIAL_CAPACITY_PROP_NAME, INDEX_INITIAL_CAPACITY_DEFAULT);
    }

    public static int clusterId()
    {
        return SettingValues.intValue(CLUSTER_ID_PROP_NAME, CLUSTER_ID_DEFAULT);
    }

    public static int memberId()
    {
        return SettingValues.intValue(MEMBER_ID_PROP_NAME, MEMBER_ID_DEFAULT);
    }
}
