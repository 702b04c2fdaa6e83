package io.synod.engine.log;

import io.synod.engine.protocol.AcceptorStore;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

import static io.synod.engine.log.LogRecordDescriptor.*;
import static org.agrona.BitUtil.align;

/**
 * Single-threaded, owned by the acceptor agent (or a test), which alone calls every method: the
 * acceptor's durable state in pre-allocated, memory-mapped segment files. Forces, checkpoints and segment
 * creation belong to its {@link LogSyncer}, which runs either on an agent of its own (after
 * {@link #detachSyncer()}) or on the owner's thread through {@link #doWork(long)} and {@link #force()}.
 * <p>
 * Promise and accept records go into one append-only stream (layout in {@link LogRecordDescriptor}), so
 * one position orders them and one force makes everything appended so far durable. Each write returns the
 * position just past its record; the acceptor replies once {@link #durablePosition()} reaches it.
 * <ul>
 *   <li>{@link DurabilityMode#SYNC}: {@code durablePosition()} advances when the syncer's force returns
 *   (group commit: one force covers everything appended while the previous one ran).</li>
 *   <li>{@link DurabilityMode#PAGE_CACHE}: {@code durablePosition()} follows every write, and the
 *   syncer forces in the background every {@code pageCacheForceIntervalNs}.</li>
 * </ul>
 * The protocol thread never waits for a file: the syncer creates the next segment while the acceptor
 * fills the active one, and {@link #mayAppendWithoutWaiting()} tells the owner to hold back input (back-pressure)
 * in the rare case that the next one is not ready when the active one is half full.
 * The slot index ({@code slot -> record position}) lives on the heap and is rebuilt by the recovery
 * scan: persisting it would need its own force (doubling the fsyncs of group commit) and its own
 * crash consistency, while the scan reads at memory speed and the retained log is bounded by compaction.
 * <p>
 * Any failure to create, map or force a file throws {@link LogFailureException}: the node must stop.
 * <p>
 * After a crash the store presents every write that was durable, and may also present writes that were
 * made but not yet reported durable when they happened to reach the device (always in log order, never
 * torn). That is safe for Paxos: it is the same as an acceptor that persisted and crashed before
 * replying.
 */
public final class MappedAcceptorStore implements AcceptorStore, AutoCloseable
{
    private static final long MISSING = -1;

    private final LogContext ctx;
    private final Path directory;
    private final SegmentFileFactory factory;
    private final DurabilityMode mode;
    private final int segmentLengthBytes;
    private final int segmentShift;
    private final long segmentMask;
    private final int maxValueLengthBytes;
    private final Long2LongHashMap index;
    private final CRC32C crc = new CRC32C();
    private final MetadataFile metadata;

    private SegmentFile[] segments;
    private long[] segmentMaxSlots;
    private int segmentCount;
    private long firstSegmentIndex;

    private SegmentFile active;
    private UnsafeBuffer activeBuffer;
    private long activeIndex;
    private int activeOffset;
    private LogSyncer syncer;
    private boolean syncerDetached;
    private long segmentWaits;

    private long appendPosition;
    private long promisedBallot;
    private long lowestSlot;
    private long highestSlot = -1;
    private long checkpointPosition;
    private boolean closed;
    private LogScanner.Outcome recoveryOutcome;
    private int recoveryZeroedBytes;
    private int recoveryDeletedSegments;

    private MappedAcceptorStore(final LogContext ctx, final MetadataFile metadata)
    {
        this.ctx = ctx;
        this.directory = ctx.directory();
        this.factory = ctx.segmentFileFactory();
        this.mode = ctx.durabilityMode();
        this.segmentLengthBytes = ctx.segmentLengthBytes();
        this.segmentShift = Integer.numberOfTrailingZeros(segmentLengthBytes);
        this.segmentMask = segmentLengthBytes - 1;
        this.maxValueLengthBytes = ctx.maxValueLengthBytes();
        this.index = new Long2LongHashMap(ctx.indexInitialCapacity(), 0.65f, MISSING);
        this.metadata = metadata;
    }

    /**
     * Opens (recovering) or creates the log in {@code ctx.directory()}.
     *
     * @param ctx settings; concluded here if it was not yet.
     * @return the open store, positioned after the last intact record.
     * @throws LogCorruptionException if a record before the tail is damaged (names file and offset).
     * @throws LogFailureException    if a file cannot be created, mapped or forced.
     */
    public static MappedAcceptorStore open(final LogContext ctx)
    {
        if (!ctx.isConcluded())
        {
            ctx.conclude();
        }
        final Path directory = ctx.directory();
        try
        {
            Files.createDirectories(directory);
        }
        catch (final IOException ex)
        {
            throw new LogFailureException("cannot create log directory", directory, ex);
        }
        LogDirectory.deleteTempFiles(directory);

        if (MetadataFile.exists(directory) && LogDirectory.listSegmentIndices(directory).length == 0 &&
            !MetadataFile.hasIntactCopy(ctx.segmentFileFactory(), directory))
        {
            // A crash during the very first open, between creating the metadata file and writing it: no
            // segment exists, and segments are never all deleted (compaction keeps the active one), so
            // nothing was ever acknowledged from this directory. Start afresh.
            deleteFile(MetadataFile.path(directory));
        }
        final MetadataFile metadata;
        if (MetadataFile.exists(directory))
        {
            metadata = MetadataFile.open(ctx.segmentFileFactory(), directory, false);
            checkIdentity(ctx, metadata);
        }
        else
        {
            if (LogDirectory.listSegmentIndices(directory).length > 0)
            {
                throw new LogCorruptionException("segment files without a metadata file",
                    MetadataFile.path(directory), -1);
            }
            metadata = MetadataFile.create(
                ctx.segmentFileFactory(), directory, ctx.clusterId(), ctx.memberId(), ctx.segmentLengthBytes());
            MappedSegmentFile.forceDirectory(directory);
        }

        final MappedAcceptorStore store = new MappedAcceptorStore(ctx, metadata);
        try
        {
            store.recover();
        }
        catch (final RuntimeException ex)
        {
            store.closeFiles();
            throw ex;
        }
        return store;
    }

    private static void checkIdentity(final LogContext ctx, final MetadataFile metadata)
    {
        if (metadata.clusterId() != ctx.clusterId())
        {
            metadata.close();
            throw new LogFailureException("clusterId (" + LogConfiguration.CLUSTER_ID_PROP_NAME + ")=" +
                ctx.clusterId() + " but the log belongs to cluster " + metadata.clusterId(), metadata.path(), null);
        }
        if (metadata.memberId() != ctx.memberId())
        {
            metadata.close();
            throw new LogFailureException("memberId (" + LogConfiguration.MEMBER_ID_PROP_NAME + ")=" +
                ctx.memberId() + " but the log belongs to member " + metadata.memberId(), metadata.path(), null);
        }
        if (metadata.segmentLengthBytes() != ctx.segmentLengthBytes())
        {
            metadata.close();
            throw new LogFailureException("segmentLengthBytes (" + LogConfiguration.SEGMENT_LENGTH_PROP_NAME + ")=" +
                ctx.segmentLengthBytes() + " but the log was written with " + metadata.segmentLengthBytes(),
                metadata.path(), null);
        }
    }

    private void recover()
    {
        lowestSlot = metadata.lowestSlot();
        promisedBallot = metadata.promisedBallot();
        checkpointPosition = metadata.checkpointPosition();

        final long[] indices = LogDirectory.listSegmentIndices(directory);
        segments = new SegmentFile[Math.max(8, indices.length + 2)];
        segmentMaxSlots = new long[segments.length];
        if (0 == indices.length)
        {
            if (checkpointPosition > 0)
            {
                throw new LogCorruptionException("no segment files but checkpoint position is " +
                    checkpointPosition, metadata.path(), MetadataDescriptor.CHECKPOINT_POSITION_OFFSET);
            }
            firstSegmentIndex = 0;
        }
        else
        {
            firstSegmentIndex = indices[0];
            for (final long segmentIndex : indices)
            {
                addSegment(factory.open(
                    LogDirectory.segmentPath(directory, segmentIndex), segmentLengthBytes, false));
            }
        }

        final LogScanner scanner = new LogScanner(segmentLengthBytes, maxValueLengthBytes);
        final SegmentFile[] toScan = Arrays.copyOf(segments, segmentCount);
        final LogScanner.Outcome outcome = scanner.scan(toScan, firstSegmentIndex, checkpointPosition, this::onRecovered);
        if (LogScanner.Outcome.CORRUPT == outcome)
        {
            final long endIndex = scanner.endSegmentIndex();
            throw new LogCorruptionException(scanner.problem(),
                LogDirectory.segmentPath(directory, endIndex), scanner.endSegmentOffset());
        }

        recoveryOutcome = outcome;
        truncateTail(scanner.endSegmentIndex(), scanner.endSegmentOffset());

        appendPosition = scanner.endPosition();
        // What a killed process left in the page cache may not be on the device yet: force it so the
        // new checkpoint only covers bytes on the device.
        forceRange(segmentStartPosition(firstSegmentIndex), appendPosition);
        checkpointPosition = appendPosition;
        metadata.write(promisedBallot, checkpointPosition, lowestSlot);
        syncer = new LogSyncer(ctx, metadata, activeIndex, active, appendPosition, promisedBallot, lowestSlot);
    }

    private void onRecovered(
        final long position,
        final int type,
        final long slot,
        final long ballot,
        final UnsafeBuffer buffer,
        final int valueOffset,
        final int valueLength)
    {
        if (ballot > promisedBallot)
        {
            promisedBallot = ballot;
        }
        if (TYPE_ACCEPT == type)
        {
            final int i = (int)((position >>> segmentShift) - firstSegmentIndex);
            if (slot > segmentMaxSlots[i])
            {
                segmentMaxSlots[i] = slot;
            }
            if (slot >= lowestSlot)
            {
                index.put(slot, position);
                if (slot > highestSlot)
                {
                    highestSlot = slot;
                }
            }
        }
    }

    private void truncateTail(final long endSegmentIndex, final int endOffset)
    {
        boolean directoryChanged = false;
        // Segments after the one where the log ends hold nothing acknowledged (a force covers a range
        // only after every earlier byte), so they go; they are unmapped before deletion.
        while (segmentCount > 0 && firstSegmentIndex + segmentCount - 1 > endSegmentIndex)
        {
            final SegmentFile last = segments[--segmentCount];
            last.close();
            deleteFile(last.path());
            recoveryDeletedSegments++;
            directoryChanged = true;
        }
        if (segmentCount == 0 || firstSegmentIndex + segmentCount - 1 < endSegmentIndex)
        {
            if (0 == segmentCount)
            {
                firstSegmentIndex = endSegmentIndex;
            }
            addSegment(factory.create(LogDirectory.segmentPath(directory, endSegmentIndex), segmentLengthBytes));
        }
        else
        {
            recoveryZeroedBytes = zeroTail(segments[segmentCount - 1], endOffset);
        }
        if (directoryChanged)
        {
            MappedSegmentFile.forceDirectory(directory);
        }
        active = segments[segmentCount - 1];
        activeBuffer = active.buffer();
        activeIndex = endSegmentIndex;
        activeOffset = endOffset;
    }

    /**
     * Zeroes whatever a torn or unpublished write left after the end, so new records land on zeros and a
     * later scan cannot mistake old bytes for records. Zeroes only up to the last non-zero byte, so a
     * clean log costs a read of its free space and no writes.
     */
    private static int zeroTail(final SegmentFile segment, final int endOffset)
    {
        final UnsafeBuffer buffer = segment.buffer();
        final int length = segment.lengthBytes();
        int lastNonZero = -1;
        for (int i = length - 8; i >= endOffset; i -= 8)
        {
            if (0 != buffer.getLong(i))
            {
                lastNonZero = i + 8;
                break;
            }
        }
        if (lastNonZero > endOffset)
        {
            buffer.setMemory(endOffset, lastNonZero - endOffset, (byte)0);
            segment.force(endOffset, lastNonZero - endOffset);
            return lastNonZero - endOffset;
        }
        return 0;
    }

    private void addSegment(final SegmentFile file)
    {
        if (segmentCount == segments.length)
        {
            segments = Arrays.copyOf(segments, segmentCount * 2);
            segmentMaxSlots = Arrays.copyOf(segmentMaxSlots, segmentCount * 2);
        }
        segments[segmentCount] = file;
        segmentMaxSlots[segmentCount] = -1;
        segmentCount++;
    }

    private static void deleteFile(final Path path)
    {
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ex)
        {
            throw new LogFailureException("cannot delete log file", path, ex);
        }
    }

    private long segmentStartPosition(final long segmentIndex)
    {
        return segmentIndex << segmentShift;
    }

    public long promisedBallot()
    {
        return promisedBallot;
    }

    public long promise(final long ballot)
    {
        ensureOpen();
        if (ballot < promisedBallot)
        {
            throw new IllegalStateException("promise ballot " + ballot + " below promised " + promisedBallot);
        }
        if (ballot == promisedBallot)
        {
            // A retransmitted Prepare: the promise is already written at or before the append position.
            return appendPosition;
        }
        promisedBallot = ballot;
        return append(TYPE_PROMISE, NO_SLOT, ballot, null, 0, 0);
    }

    public long accept(final long slot, final long ballot, final DirectBuffer buffer, final int offset, final int length)
    {
        ensureOpen();
        if (ballot < promisedBallot)
        {
            throw new IllegalStateException("accept ballot " + ballot + " below promised " + promisedBallot);
        }
        if (slot < lowestSlot)
        {
            throw new IllegalArgumentException("slot " + slot + " below lowest slot " + lowestSlot);
        }
        if (length < 0 || length > maxValueLengthBytes)
        {
            throw new IllegalArgumentException("value length " + length + " not in [0, " + maxValueLengthBytes + "]");
        }
        promisedBallot = ballot;
        final long endPosition = append(TYPE_ACCEPT, slot, ballot, buffer, offset, length);
        // Records never straddle segments, so the record starts one aligned frame before its end.
        index.put(slot, endPosition - alignedFrameLength(length));
        if (slot > highestSlot)
        {
            highestSlot = slot;
        }
        final int i = (int)(activeIndex - firstSegmentIndex);
        if (slot > segmentMaxSlots[i])
        {
            segmentMaxSlots[i] = slot;
        }
        return endPosition;
    }

    private long append(
        final short type, final long slot, final long ballot, final DirectBuffer src, final int srcOffset, final int length)
    {
        final int frameLength = HEADER_LENGTH + length;
        final int alignedLength = align(frameLength, ALIGNMENT);
        if (alignedLength > segmentLengthBytes - activeOffset)
        {
            roll();
        }
        final UnsafeBuffer buffer = activeBuffer;
        final int offset = activeOffset;
        buffer.putShort(offset + TYPE_OFFSET, type);
        buffer.putShort(offset + VERSION_OFFSET, RECORD_FORMAT_VERSION);
        buffer.putInt(offset + RESERVED_OFFSET, 0);
        buffer.putLong(offset + SLOT_OFFSET, slot);
        buffer.putLong(offset + BALLOT_OFFSET, ballot);
        if (length > 0)
        {
            buffer.putBytes(offset + VALUE_OFFSET, src, srcOffset, length);
        }
        buffer.putInt(offset + CRC_OFFSET, crc(active, offset + CRC_START_OFFSET, offset + frameLength));
        // Publish last with release semantics: a process killed before this store leaves a zero length,
        // which recovery reads as the end of the log; the page cache keeps everything stored before it.
        buffer.putIntRelease(offset + FRAME_LENGTH_OFFSET, frameLength);

        activeOffset = offset + alignedLength;
        appendPosition = segmentStartPosition(activeIndex) + activeOffset;
        syncer.appendPositionRelease(appendPosition, promisedBallot);
        return appendPosition;
    }

    private int crc(final SegmentFile file, final int from, final int to)
    {
        final java.nio.ByteBuffer view = file.byteBuffer();
        view.limit(to).position(from);
        crc.reset();
        crc.update(view);
        return (int)crc.getValue();
    }

    /**
     * Closes the active segment with a padding record and switches to the next, which the syncer
     * prepared ahead. Waits for it only if the owner ignored {@link #mayAppendWithoutWaiting()} (counted in
     * {@link #segmentWaits()}): with the syncer on the owner's thread it is created here; with the
     * syncer on its own agent this spins until that agent has it ready.
     */
    private void roll()
    {
        final int remaining = segmentLengthBytes - activeOffset;
        if (remaining > 0)
        {
            final int offset = activeOffset;
            activeBuffer.putShort(offset + TYPE_OFFSET, TYPE_PADDING);
            activeBuffer.putShort(offset + VERSION_OFFSET, RECORD_FORMAT_VERSION);
            activeBuffer.putInt(offset + RESERVED_OFFSET, 0);
            activeBuffer.putLong(offset + SLOT_OFFSET, NO_SLOT);
            activeBuffer.putLong(offset + BALLOT_OFFSET, NULL_BALLOT);
            activeBuffer.putInt(offset + CRC_OFFSET, crc(active, offset + CRC_START_OFFSET, offset + HEADER_LENGTH));
            activeBuffer.putIntRelease(offset + FRAME_LENGTH_OFFSET, remaining);
        }
        final long nextIndex = activeIndex + 1;
        if (!syncer.isPrepared(nextIndex))
        {
            awaitPrepared(nextIndex);
        }
        final SegmentFile nextFile = syncer.preparedSegment(nextIndex);
        addSegment(nextFile);
        active = nextFile;
        activeBuffer = nextFile.buffer();
        activeIndex = nextIndex;
        activeOffset = 0;
        appendPosition = segmentStartPosition(nextIndex);
    }

    private void awaitPrepared(final long segmentIndex)
    {
        segmentWaits++;
        if (!syncerDetached)
        {
            // The padding above is not yet published, but forcing what is published frees the
            // syncer's ring for the next segment.
            syncer.force();
            syncer.prepareNext();
            return;
        }
        while (!syncer.isPrepared(segmentIndex))
        {
            if (syncer.failedAcquire())
            {
                throw new LogFailureException("the log syncer stopped before segment " + segmentIndex + " was ready",
                    LogDirectory.segmentPath(directory, segmentIndex), null);
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Whether the owner may hand the acceptor a duty cycle of input without risking a wait for a new
     * segment: the next segment is ready, or at least half of the active one is free. When false the
     * owner should leave its input unread for a cycle (back-pressure) and count that.
     *
     * @return true if appending cannot wait for the syncer.
     */
    public boolean mayAppendWithoutWaiting()
    {
        return segmentLengthBytes - activeOffset >= segmentLengthBytes >> 1 || syncer.isPrepared(activeIndex + 1);
    }

    /**
     * Times a roll found the next segment not yet prepared and waited for it (or, with the syncer on the
     * owner's thread, created it there).
     *
     * @return wait count.
     */
    public long segmentWaits()
    {
        return segmentWaits;
    }

    /**
     * Hands the syncer to an agent of its own, which from now on alone calls its methods; the store's
     * {@link #doWork(long)}, {@link #force()} and {@link #deleteBelow(long)} then refuse to run. Call
     * before that agent starts (its thread start publishes the syncer's state). {@link #close()} stays
     * with the owner and must come after the syncer's agent stopped.
     *
     * @return the syncer.
     */
    public LogSyncer detachSyncer()
    {
        ensureOpen();
        syncerDetached = true;
        return syncer;
    }

    private void ensureSyncerHere(final String what)
    {
        if (syncerDetached)
        {
            throw new IllegalStateException(what + " runs on the log syncer's agent, not on the store's owner");
        }
    }

    /**
     * Forces everything appended so far, on the owner's thread (the syncer is not detached). In
     * {@link DurabilityMode#SYNC} this is what advances {@link #durablePosition()}.
     *
     * @return 1 if anything was forced, else 0.
     */
    public int force()
    {
        ensureOpen();
        ensureSyncerHere("force()");
        return syncer.force();
    }

    private void forceRange(final long fromPosition, final long toPosition)
    {
        long from = fromPosition;
        while (from < toPosition)
        {
            final long segmentIndex = from >>> segmentShift;
            final long segmentStart = segmentStartPosition(segmentIndex);
            final long to = Math.min(toPosition, segmentStart + segmentLengthBytes);
            segments[(int)(segmentIndex - firstSegmentIndex)].force((int)(from - segmentStart), (int)(to - from));
            from = to;
        }
    }

    /**
     * The syncer's duty cycle run on the owner's thread (the syncer is not detached), once per duty
     * cycle after handling inbound work: see {@link LogSyncer#doWork(long)}. Forces and segment
     * creation then block the owner; a node detaches the syncer instead.
     *
     * @param nowNs current time.
     * @return work count.
     */
    public int doWork(final long nowNs)
    {
        ensureOpen();
        ensureSyncerHere("doWork()");
        return syncer.doWork(nowNs);
    }

    /**
     * Compaction: forgets every slot below {@code slot} and deletes the segments holding only such slots.
     * The active segment is never deleted. Forces the log and the metadata first, so the promised ballot
     * of any deleted promise record is kept. Runs with the syncer on the owner's thread only (compaction
     * is driven by tools and benchmarks so far, not by a running node).
     *
     * @param slot lowest slot to keep.
     * @return number of segment files deleted.
     */
    public int deleteBelow(final long slot)
    {
        ensureOpen();
        ensureSyncerHere("deleteBelow()");
        if (slot <= lowestSlot)
        {
            return 0;
        }
        lowestSlot = slot;
        syncer.lowestSlotRelease(slot);
        syncer.force();
        syncer.checkpoint();
        // Primitive key iterator (cached by the map): no boxing and no garbage, even for millions of slots.
        final Long2LongHashMap.KeyIterator keys = index.keySet().iterator();
        while (keys.hasNext())
        {
            if (keys.nextValue() < slot)
            {
                keys.remove();
            }
        }

        int deleted = 0;
        while (segmentCount > 1 && segmentMaxSlots[0] < slot)
        {
            final SegmentFile oldest = segments[0];
            oldest.close();
            deleteFile(oldest.path());
            System.arraycopy(segments, 1, segments, 0, segmentCount - 1);
            System.arraycopy(segmentMaxSlots, 1, segmentMaxSlots, 0, segmentCount - 1);
            segments[--segmentCount] = null;
            firstSegmentIndex++;
            deleted++;
        }
        if (deleted > 0)
        {
            MappedSegmentFile.forceDirectory(directory);
        }
        return deleted;
    }

    public long durablePosition()
    {
        return DurabilityMode.SYNC == mode ? syncer.durablePositionAcquire() : appendPosition;
    }

    /**
     * Position just past the last record written (durable or not).
     *
     * @return append position.
     */
    public long appendPosition()
    {
        return appendPosition;
    }

    public long acceptedBallot(final long slot)
    {
        if (slot < lowestSlot)
        {
            return NULL_BALLOT;
        }
        final long position = index.get(slot);
        if (MISSING == position)
        {
            return NULL_BALLOT;
        }
        return bufferAt(position).getLong((int)(position & segmentMask) + BALLOT_OFFSET);
    }

    public int wrapValue(final long slot, final DirectBuffer view)
    {
        if (slot < lowestSlot)
        {
            return -1;
        }
        final long position = index.get(slot);
        if (MISSING == position)
        {
            return -1;
        }
        final UnsafeBuffer buffer = bufferAt(position);
        final int offset = (int)(position & segmentMask);
        final int length = buffer.getInt(offset + FRAME_LENGTH_OFFSET) - HEADER_LENGTH;
        view.wrap(buffer, offset + VALUE_OFFSET, length);
        return length;
    }

    private UnsafeBuffer bufferAt(final long position)
    {
        return segments[(int)((position >>> segmentShift) - firstSegmentIndex)].buffer();
    }

    public long lowestSlot()
    {
        return lowestSlot;
    }

    public long highestSlot()
    {
        return highestSlot;
    }

    /**
     * How the recovery scan at open found the end of the log: {@link LogScanner.Outcome#END} (clean, or an
     * unpublished record) or {@link LogScanner.Outcome#TORN} (a torn write, zeroed).
     *
     * @return recovery outcome.
     */
    public LogScanner.Outcome recoveryOutcome()
    {
        return recoveryOutcome;
    }

    /**
     * Bytes after the end that recovery zeroed (an unpublished or torn write, or garbage after it).
     *
     * @return zeroed bytes.
     */
    public int recoveryZeroedBytes()
    {
        return recoveryZeroedBytes;
    }

    /**
     * Segment files after the end that recovery deleted (pre-allocated or holding only unacknowledged data).
     *
     * @return deleted segment count.
     */
    public int recoveryDeletedSegments()
    {
        return recoveryDeletedSegments;
    }

    public DurabilityMode durabilityMode()
    {
        return mode;
    }

    /**
     * Number of slots held in the index.
     *
     * @return slot count.
     */
    public int slotCount()
    {
        return index.size();
    }

    /**
     * One line for the node to print at start: mode, what it survives, and the settings.
     *
     * @return description.
     */
    public String describe()
    {
        final String guarantee = DurabilityMode.SYNC == mode ?
            "replies wait for a force by the log syncer, one covering everything appended meanwhile " +
            "(group commit); survives power loss" :
            "replies once written to the mapping, forced every " + ctx.pageCacheForceIntervalNs() / 1_000_000 +
            " ms; survives a process crash, not a power loss";
        return "acceptor log durability=" + mode + " (" + guarantee + "), dir=" + directory +
            ", segmentLengthBytes=" + segmentLengthBytes + ", maxValueLengthBytes=" + maxValueLengthBytes +
            ", segments=" + segmentCount + ", slots=" + index.size() + ", promisedBallot=" + promisedBallot +
            ", appendPosition=" + appendPosition + ", recovery=" + recoveryOutcome +
            " (zeroed " + recoveryZeroedBytes + " bytes, deleted " + recoveryDeletedSegments + " segments)";
    }

    public String toString()
    {
        return describe();
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("log is closed: " + directory);
        }
    }

    /**
     * Forces everything, writes a final checkpoint and unmaps all files.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        try
        {
            syncer.forceAndCheckpoint();
        }
        finally
        {
            closeFiles();
        }
    }

    private void closeFiles()
    {
        closed = true;
        for (int i = 0; i < segmentCount; i++)
        {
            segments[i].close();
            segments[i] = null;
        }
        segmentCount = 0;
        if (null != syncer)
        {
            syncer.closePreparedAfter(activeIndex);
        }
        metadata.close();
    }
}
