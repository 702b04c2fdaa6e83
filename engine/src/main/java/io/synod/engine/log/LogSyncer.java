package io.synod.engine.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * Single-threaded, owned by the syncer (an agent of its own in a node, or the store's owner when it calls
 * {@link MappedAcceptorStore#doWork(long)}): everything slow the acceptor log needs, done off the
 * acceptor's thread. It forces what the acceptor appended, writes checkpoints to the metadata file and
 * creates the next segment ahead of need.
 * <p>
 * The acceptor and the syncer share a few positions, each with one writer:
 * <pre>
 *   variable               writer     reader     meaning
 *   appendPosition         acceptor   syncer     every record below it is fully written
 *   promisedBallot         acceptor   syncer     promise at or above every record below appendPosition
 *   lowestSlot             acceptor   syncer     lowest slot kept, for the checkpoint
 *   durablePosition        syncer     acceptor   every byte below it is on the device (SYNC replies wait)
 *   preparedSegmentIndex   syncer     acceptor   segments up to it exist, zeroed and forced, in files[]
 * </pre>
 * Each is written with release and read with acquire, so what the writer did before the store is seen by
 * the reader after the load: the record bytes before an append position, the mapping of a segment
 * before its prepared index, the force before a durable position.
 * <p>
 * Group commit grows with load: a force covers {@code [forced, appended)}, everything the acceptor
 * appended while the previous force ran, however much that was.
 */
public final class LogSyncer
{
    /**
     * Segments the syncer keeps mapped for forcing, from the one holding the forced position up to the
     * prepared one. A power of two; the syncer prepares no segment that would overwrite a slot it may
     * still force.
     */
    static final int SEGMENT_RING_LENGTH = 8;

    private static final int PAGE_LENGTH_BYTES = 4096;
    /**
     * How much of a new segment is pre-faulted: the first appends after a switch.
     */
    private static final int PREFAULT_LENGTH_BYTES = 64 * 1024;

    private static final VarHandle APPEND_POSITION;
    private static final VarHandle PROMISED_BALLOT;
    private static final VarHandle LOWEST_SLOT;
    private static final VarHandle DURABLE_POSITION;
    private static final VarHandle PREPARED_SEGMENT_INDEX;
    private static final VarHandle FAILED;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            APPEND_POSITION = lookup.findVarHandle(LogSyncer.class, "appendPosition", long.class);
            PROMISED_BALLOT = lookup.findVarHandle(LogSyncer.class, "promisedBallot", long.class);
            LOWEST_SLOT = lookup.findVarHandle(LogSyncer.class, "lowestSlot", long.class);
            DURABLE_POSITION = lookup.findVarHandle(LogSyncer.class, "durablePosition", long.class);
            PREPARED_SEGMENT_INDEX = lookup.findVarHandle(LogSyncer.class, "preparedSegmentIndex", long.class);
            FAILED = lookup.findVarHandle(LogSyncer.class, "failed", boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    // Written by the acceptor, read by the syncer.
    private long appendPosition;
    private long promisedBallot;
    private long lowestSlot;

    // Written by the syncer, read by the acceptor.
    private long durablePosition;
    private long preparedSegmentIndex;
    private boolean failed;
    private final SegmentFile[] files = new SegmentFile[SEGMENT_RING_LENGTH];

    // The syncer's own.
    private final LogContext ctx;
    private final DurabilityMode mode;
    private final Path directory;
    private final SegmentFileFactory factory;
    private final MetadataFile metadata;
    private final int segmentLengthBytes;
    private final int segmentShift;
    private long forcedPosition;
    private long forcedPromisedBallot;
    private long checkpointPosition;
    private long lastForceNs;
    private long lastCheckpointNs;
    private boolean timersStarted;
    private long forceCount;
    private long forceTimeNs;
    private long segmentsPrepared;
    private long maxPrepareNs;

    /**
     * Called once by the store after recovery, on the thread that opened it, before the syncer runs
     * anywhere (starting the syncer's thread publishes all of this to it).
     */
    LogSyncer(
        final LogContext ctx,
        final MetadataFile metadata,
        final long activeSegmentIndex,
        final SegmentFile activeSegment,
        final long position,
        final long promisedBallot,
        final long lowestSlot)
    {
        this.ctx = ctx;
        this.mode = ctx.durabilityMode();
        this.directory = ctx.directory();
        this.factory = ctx.segmentFileFactory();
        this.metadata = metadata;
        this.segmentLengthBytes = ctx.segmentLengthBytes();
        this.segmentShift = Integer.numberOfTrailingZeros(segmentLengthBytes);
        this.appendPosition = position;
        this.promisedBallot = promisedBallot;
        this.lowestSlot = lowestSlot;
        this.durablePosition = position;
        this.forcedPosition = position;
        this.forcedPromisedBallot = promisedBallot;
        this.checkpointPosition = metadata.checkpointPosition();
        this.preparedSegmentIndex = activeSegmentIndex;
        files[(int)(activeSegmentIndex & (SEGMENT_RING_LENGTH - 1))] = activeSegment;
    }

    // ---------------------------------------------------------------- acceptor side

    /**
     * Acceptor: publishes that every record below {@code position} is fully written, and the promise
     * covering them. The release orders the record bytes (and the promise) before the position.
     */
    void appendPositionRelease(final long position, final long promisedBallot)
    {
        PROMISED_BALLOT.setRelease(this, promisedBallot);
        APPEND_POSITION.setRelease(this, position);
    }

    /**
     * Acceptor: publishes a new lowest slot after compaction.
     */
    void lowestSlotRelease(final long slot)
    {
        LOWEST_SLOT.setRelease(this, slot);
    }

    /**
     * Acceptor: position below which every write is on the device. The acquire pairs with the
     * syncer's release after its force, so a reply released for a position below it follows that force.
     *
     * @return durable position.
     */
    public long durablePositionAcquire()
    {
        return (long)DURABLE_POSITION.getAcquire(this);
    }

    /**
     * Acceptor: whether the segment of an index is created and ready to switch to.
     */
    boolean isPrepared(final long segmentIndex)
    {
        return (long)PREPARED_SEGMENT_INDEX.getAcquire(this) >= segmentIndex;
    }

    /**
     * Acceptor: the prepared segment of an index; only after {@link #isPrepared(long)} said true. The
     * acquire there orders the syncer's writes of the ring slot (and of the mapping) before this read.
     */
    SegmentFile preparedSegment(final long segmentIndex)
    {
        return files[(int)(segmentIndex & (SEGMENT_RING_LENGTH - 1))];
    }

    /**
     * Acceptor: whether the syncer stopped on a failure, so a wait for it must end.
     */
    boolean failedAcquire()
    {
        return (boolean)FAILED.getAcquire(this);
    }

    // ---------------------------------------------------------------- syncer side

    /**
     * The syncer's duty cycle.
     * <ul>
     *   <li>SYNC: forces {@code [forced, appended)} whenever the acceptor appended (group commit).</li>
     *   <li>PAGE_CACHE: forces every {@code pageCacheForceIntervalNs}.</li>
     *   <li>Both: a checkpoint to the metadata file every {@code checkpointIntervalNs}, and the next
     *   segment created as soon as the acceptor switched to the last one prepared.</li>
     * </ul>
     *
     * @param nowNs current time.
     * @return work count.
     * @throws LogFailureException if a force, a checkpoint or a file creation fails; the syncer then
     *                             counts as failed and the node must stop.
     */
    public int doWork(final long nowNs)
    {
        try
        {
            if (!timersStarted)
            {
                timersStarted = true;
                lastForceNs = nowNs;
                lastCheckpointNs = nowNs;
            }
            int workCount = 0;
            if (DurabilityMode.SYNC == mode)
            {
                workCount += force();
            }
            else if (nowNs - lastForceNs >= ctx.pageCacheForceIntervalNs())
            {
                lastForceNs = nowNs;
                workCount += force();
            }
            if (forcedPosition > checkpointPosition && nowNs - lastCheckpointNs >= ctx.checkpointIntervalNs())
            {
                lastCheckpointNs = nowNs;
                checkpoint();
                workCount++;
            }
            workCount += prepareNext();
            return workCount;
        }
        catch (final RuntimeException ex)
        {
            FAILED.setRelease(this, true);
            throw ex;
        }
    }

    /**
     * Forces everything the acceptor published as appended.
     *
     * @return 1 if anything was forced, else 0.
     */
    public int force()
    {
        final long appended = (long)APPEND_POSITION.getAcquire(this);
        if (appended == forcedPosition)
        {
            return 0;
        }
        // Read after the acquire of appended: a promise at least as high as any record below it.
        final long promised = (long)PROMISED_BALLOT.getAcquire(this);
        final long startNs = System.nanoTime();
        long from = forcedPosition;
        while (from < appended)
        {
            final long segmentIndex = from >>> segmentShift;
            final long segmentStart = segmentIndex << segmentShift;
            final long to = Math.min(appended, segmentStart + segmentLengthBytes);
            files[(int)(segmentIndex & (SEGMENT_RING_LENGTH - 1))].force((int)(from - segmentStart), (int)(to - from));
            from = to;
        }
        forceTimeNs += System.nanoTime() - startNs;
        forceCount++;
        forcedPosition = appended;
        forcedPromisedBallot = promised;
        // Release after the force returned: the acceptor sends no reply for a byte before it is on the device.
        DURABLE_POSITION.setRelease(this, appended);
        return 1;
    }

    /**
     * Forces everything and writes a checkpoint if the forced position moved past the last one; for
     * compaction and close.
     */
    void forceAndCheckpoint()
    {
        force();
        if (forcedPosition > checkpointPosition)
        {
            checkpoint();
        }
    }

    /**
     * Records in the metadata file that everything below the forced position is intact on the device,
     * so recovery treats a damaged record there as corruption rather than a torn tail.
     */
    void checkpoint()
    {
        checkpointPosition = forcedPosition;
        metadata.write(forcedPromisedBallot, checkpointPosition, (long)LOWEST_SLOT.getAcquire(this));
    }

    /**
     * Creates the segment after the acceptor's active one, unless it exists. When the forced position lags
     * so far (PAGE_CACHE forces at an interval) that the new segment would take the ring slot of one the
     * syncer may still force, it forces first.
     *
     * @return 1 if a segment was created, else 0.
     */
    int prepareNext()
    {
        final long activeIndex = (long)APPEND_POSITION.getAcquire(this) >>> segmentShift;
        final long prepared = preparedSegmentIndex;
        if (prepared > activeIndex)
        {
            return 0;
        }
        if (prepared + 1 - (forcedPosition >>> segmentShift) >= SEGMENT_RING_LENGTH)
        {
            force();
            if (prepared + 1 - (forcedPosition >>> segmentShift) >= SEGMENT_RING_LENGTH)
            {
                return 0;
            }
        }
        final long nextIndex = prepared + 1;
        final long startNs = System.nanoTime();
        final SegmentFile file = factory.create(LogDirectory.segmentPath(directory, nextIndex), segmentLengthBytes);
        prefault(file);
        maxPrepareNs = Math.max(maxPrepareNs, System.nanoTime() - startNs);
        segmentsPrepared++;
        files[(int)(nextIndex & (SEGMENT_RING_LENGTH - 1))] = file;
        // Release after the ring slot and the mapping: the acceptor that sees the index sees the file.
        PREPARED_SEGMENT_INDEX.setRelease(this, nextIndex);
        return 1;
    }

    /**
     * Writes a zero into each of the first pages of a new segment, which already holds zeros, so that
     * their write faults (mapping a page writable, the file system's page_mkwrite) are taken here and
     * not by the acceptor's first appends after it switches. The file is not yet published, so nobody
     * else touches it.
     */
    private static void prefault(final SegmentFile file)
    {
        final int length = Math.min(file.lengthBytes(), PREFAULT_LENGTH_BYTES);
        final org.agrona.concurrent.UnsafeBuffer buffer = file.buffer();
        for (int offset = 0; offset < length; offset += PAGE_LENGTH_BYTES)
        {
            buffer.putLong(offset, 0L);
        }
    }

    /**
     * Closes the segments prepared beyond the acceptor's active one; at close, once the syncer stopped.
     */
    void closePreparedAfter(final long activeSegmentIndex)
    {
        for (long i = activeSegmentIndex + 1; i <= preparedSegmentIndex; i++)
        {
            final int slot = (int)(i & (SEGMENT_RING_LENGTH - 1));
            if (null != files[slot])
            {
                files[slot].close();
                files[slot] = null;
            }
        }
        preparedSegmentIndex = activeSegmentIndex;
    }

    /**
     * Syncer: forces done so far.
     */
    public long forceCount()
    {
        return forceCount;
    }

    /**
     * Syncer: total time spent in forces.
     */
    public long forceTimeNs()
    {
        return forceTimeNs;
    }

    /**
     * Syncer: segments created ahead of need.
     */
    public long segmentsPrepared()
    {
        return segmentsPrepared;
    }

    /**
     * Syncer: longest time one segment creation took.
     */
    public long maxPrepareNs()
    {
        return maxPrepareNs;
    }

    /**
     * Syncer: position below which everything is forced.
     */
    public long forcedPosition()
    {
        return forcedPosition;
    }

    DurabilityMode durabilityMode()
    {
        return mode;
    }
}
