package io.synod.engine.log;

import org.agrona.BitUtil;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Every setting of the acceptor log, Aeron style: a default, a {@code synod.log.*} system property
 * (see {@link LogConfiguration}) and a fluent accessor. Single-threaded: filled in and concluded by the
 * thread that builds the node, then handed to the store and not changed.
 */
public final class LogContext
{
    private Path directory;
    private int segmentLengthBytes = LogConfiguration.segmentLengthBytes();
    private int maxValueLengthBytes = LogConfiguration.maxValueLengthBytes();
    private DurabilityMode durabilityMode = LogConfiguration.durabilityMode();
    private long pageCacheForceIntervalNs = LogConfiguration.pageCacheForceIntervalNs();
    private long checkpointIntervalNs = LogConfiguration.checkpointIntervalNs();
    private int indexInitialCapacity = LogConfiguration.indexInitialCapacity();
    private int clusterId = LogConfiguration.clusterId();
    private int memberId = LogConfiguration.memberId();
    private boolean createDirectory = true;
    private SegmentFileFactory segmentFileFactory = MappedSegmentFile.FACTORY;
    private boolean concluded;

    public LogContext()
    {
        final String dir = LogConfiguration.directory();
        if (null != dir)
        {
            directory = Paths.get(dir);
        }
    }

    /**
     * Validates every setting and cross-setting rule once; fails fast naming the setting.
     *
     * @return this.
     * @throws IllegalArgumentException naming the bad setting.
     */
    public LogContext conclude()
    {
        if (concluded)
        {
            throw new IllegalStateException("LogContext is already concluded");
        }
        if (null == directory)
        {
            throw new IllegalArgumentException("directory (" + LogConfiguration.DIRECTORY_PROP_NAME + ") is not set");
        }
        if (!Files.isDirectory(directory))
        {
            if (!createDirectory || Files.exists(directory))
            {
                throw new IllegalArgumentException(
                    "directory (" + LogConfiguration.DIRECTORY_PROP_NAME + ")=" + directory + " is not a directory");
            }
        }
        if (!BitUtil.isPowerOfTwo(segmentLengthBytes) ||
            segmentLengthBytes < LogConfiguration.SEGMENT_LENGTH_MIN ||
            segmentLengthBytes > LogConfiguration.SEGMENT_LENGTH_MAX)
        {
            throw new IllegalArgumentException("segmentLengthBytes (" + LogConfiguration.SEGMENT_LENGTH_PROP_NAME +
                ")=" + segmentLengthBytes + " must be a power of two in [" + LogConfiguration.SEGMENT_LENGTH_MIN +
                ", " + LogConfiguration.SEGMENT_LENGTH_MAX + "]");
        }
        if (maxValueLengthBytes < 0 ||
            LogRecordDescriptor.alignedFrameLength(maxValueLengthBytes) > segmentLengthBytes)
        {
            throw new IllegalArgumentException("maxValueLengthBytes (" + LogConfiguration.MAX_VALUE_LENGTH_PROP_NAME +
                ")=" + maxValueLengthBytes + " must be >= 0 and fit a segment of " + segmentLengthBytes +
                " bytes with its " + LogRecordDescriptor.HEADER_LENGTH + "-byte header");
        }
        if (null == durabilityMode)
        {
            throw new IllegalArgumentException(
                "durabilityMode (" + LogConfiguration.DURABILITY_MODE_PROP_NAME + ") is not set");
        }
        if (pageCacheForceIntervalNs <= 0)
        {
            throw new IllegalArgumentException("pageCacheForceIntervalNs (" +
                LogConfiguration.PAGE_CACHE_FORCE_INTERVAL_PROP_NAME + ")=" + pageCacheForceIntervalNs + " must be > 0");
        }
        if (checkpointIntervalNs <= 0)
        {
            throw new IllegalArgumentException("checkpointIntervalNs (" +
                LogConfiguration.CHECKPOINT_INTERVAL_PROP_NAME + ")=" + checkpointIntervalNs + " must be > 0");
        }
        if (indexInitialCapacity < 1)
        {
            throw new IllegalArgumentException("indexInitialCapacity (" +
                LogConfiguration.INDEX_INITIAL_CAPACITY_PROP_NAME + ")=" + indexInitialCapacity + " must be >= 1");
        }
        if (null == segmentFileFactory)
        {
            throw new IllegalArgumentException("segmentFileFactory is not set");
        }
        concluded = true;
        return this;
    }

    public boolean isConcluded()
    {
        return concluded;
    }

    public Path directory()
    {
        return directory;
    }

    public LogContext directory(final Path directory)
    {
        this.directory = directory;
        return this;
    }

    public boolean createDirectory()
    {
        return createDirectory;
    }

    /**
     * Whether a missing directory is created (a new member) or is an error (tools, restarts that must
     * find their log).
     */
    public LogContext createDirectory(final boolean createDirectory)
    {
        this.createDirectory = createDirectory;
        return this;
    }

    public int segmentLengthBytes()
    {
        return segmentLengthBytes;
    }

    public LogContext segmentLengthBytes(final int segmentLengthBytes)
    {
        this.segmentLengthBytes = segmentLengthBytes;
        return this;
    }

    public int maxValueLengthBytes()
    {
        return maxValueLengthBytes;
    }

    public LogContext maxValueLengthBytes(final int maxValueLengthBytes)
    {
        this.maxValueLengthBytes = maxValueLengthBytes;
        return this;
    }

    public DurabilityMode durabilityMode()
    {
        return durabilityMode;
    }

    public LogContext durabilityMode(final DurabilityMode durabilityMode)
    {
        this.durabilityMode = durabilityMode;
        return this;
    }

    public long pageCacheForceIntervalNs()
    {
        return pageCacheForceIntervalNs;
    }

    public LogContext pageCacheForceIntervalNs(final long pageCacheForceIntervalNs)
    {
        this.pageCacheForceIntervalNs = pageCacheForceIntervalNs;
        return this;
    }

    public long checkpointIntervalNs()
    {
        return checkpointIntervalNs;
    }

    public LogContext checkpointIntervalNs(final long checkpointIntervalNs)
    {
        this.checkpointIntervalNs = checkpointIntervalNs;
        return this;
    }

    public int indexInitialCapacity()
    {
        return indexInitialCapacity;
    }

    public LogContext indexInitialCapacity(final int indexInitialCapacity)
    {
        this.indexInitialCapacity = indexInitialCapacity;
        return this;
    }

    public int clusterId()
    {
        return clusterId;
    }

    public LogContext clusterId(final int clusterId)
    {
        this.clusterId = clusterId;
        return this;
    }

    public int memberId()
    {
        return memberId;
    }

    public LogContext memberId(final int memberId)
    {
        this.memberId = memberId;
        return this;
    }

    public SegmentFileFactory segmentFileFactory()
    {
        return segmentFileFactory;
    }

    public LogContext segmentFileFactory(final SegmentFileFactory segmentFileFactory)
    {
        this.segmentFileFactory = segmentFileFactory;
        return this;
    }

    public String toString()
    {
        return "LogContext{" +
            "directory=" + directory +
            ", durabilityMode=" + durabilityMode +
            ", segmentLengthBytes=" + segmentLengthBytes +
            ", maxValueLengthBytes=" + maxValueLengthBytes +
            ", pageCacheForceIntervalNs=" + pageCacheForceIntervalNs +
            ", checkpointIntervalNs=" + checkpointIntervalNs +
            ", indexInitialCapacity=" + indexInitialCapacity +
            ", clusterId=" + clusterId +
            ", memberId=" + memberId +
            '}';
    }
}
