package io.synod.engine.protocol;

/**
 * What a leader announces as chosen: every slot below {@code watermark}, plus {@code ranges} above
 * it; slots at or above {@code ballotStartSlot} that are announced were chosen at {@code ballot}.
 * Chosen is forever, so an announcement stays true whoever sends it and however late it arrives.
 * Single-threaded: owned by the leader; read by its outbox during a send.
 */
public final class ChosenSlots
{
    private long ballot;
    private long ballotStartSlot;
    private long watermark;
    private final SlotRanges ranges;

    public ChosenSlots(final int maxRanges)
    {
        ranges = new SlotRanges(maxRanges);
    }

    public long ballot()
    {
        return ballot;
    }

    public long ballotStartSlot()
    {
        return ballotStartSlot;
    }

    public long watermark()
    {
        return watermark;
    }

    public SlotRanges ranges()
    {
        return ranges;
    }

    void reset(final long ballot, final long ballotStartSlot, final long watermark)
    {
        if (watermark < this.watermark)
        {
            // What is chosen stays chosen: announcing a lower watermark would un-choose slots.
            throw new InvariantViolation("chosen watermark moved backwards from " + this.watermark + " to " +
                watermark);
        }
        this.ballot = ballot;
        this.ballotStartSlot = ballotStartSlot;
        this.watermark = watermark;
        ranges.clear();
    }
}
