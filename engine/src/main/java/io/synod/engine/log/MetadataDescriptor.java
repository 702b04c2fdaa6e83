package io.synod.engine.log;

/**
 * Layout of the log's metadata file; stateless constants, safe from any thread.
 * <p>
 * The file is {@link #FILE_LENGTH} bytes and holds two copies of the metadata, A at offset 0 and B at
 * offset {@link #COPY_STRIDE}, each inside its own 512-byte sector so that a power loss keeps or drops
 * a copy whole. A write goes to the copy not holding the newest sequence, then is forced; recovery
 * takes the valid copy with the highest sequence. A torn write therefore always leaves the previous
 * metadata readable.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                        Magic ("SYNL")                         |  0
 *  +---------------------------------------------------------------+
 *  |                        Format Version                         |  4
 *  +---------------------------------------------------------------+
 *  |                     Sequence (per write)                      |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                          Cluster Id                           | 16
 *  +---------------------------------------------------------------+
 *  |                          Member Id                            | 20
 *  +---------------------------------------------------------------+
 *  |                     Segment Length Bytes                      | 24
 *  +---------------------------------------------------------------+
 *  |                         Reserved (0)                          | 28
 *  +---------------------------------------------------------------+
 *  |            Promised Ballot (durable at checkpoint)            | 32
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |      Checkpoint Position (all below it was forced intact)     | 40
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |          Lowest Slot (slots below were compacted away)        | 48
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  CRC32C of bytes [0, 56)                      | 56
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class MetadataDescriptor
{
    public static final int MAGIC = 0x4C4E5953; // "SYNL" little-endian
    public static final int FORMAT_VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 8;
    public static final int CLUSTER_ID_OFFSET = 16;
    public static final int MEMBER_ID_OFFSET = 20;
    public static final int SEGMENT_LENGTH_OFFSET = 24;
    public static final int PROMISED_BALLOT_OFFSET = 32;
    public static final int CHECKPOINT_POSITION_OFFSET = 40;
    public static final int LOWEST_SLOT_OFFSET = 48;
    public static final int CRC_OFFSET = 56;
    public static final int COPY_LENGTH = 60;

    public static final int COPY_STRIDE = LogRecordDescriptor.SECTOR_LENGTH;
    public static final int FILE_LENGTH = 4096;

    public static final String FILE_NAME = "synod-log.meta";

    private MetadataDescriptor()
    {
    }
}
