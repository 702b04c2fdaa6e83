package io.synod.codecs;

import java.util.Arrays;

/**
 * Immutable after class initialisation, so safe to share between threads: the shape of one message
 * template as {@link MessageValidator} walks it.
 * <p>
 * Every number comes from the generated decoders' constants, so the table follows the schema. A
 * template is laid out in SBE order:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |  blockLength (uint16)         |  templateId (uint16)          |
 *  +-------------------------------+-------------------------------+
 *  |  schemaId (uint16)            |  version (uint16)             |
 *  +-------------------------------+-------------------------------+
 *  |  fixed block: clusterId int32, memberId int32, ...           ...
 *  +---------------------------------------------------------------+
 *  |  per group: blockLength uint16, numInGroup uint16, then       |
 *  |  numInGroup x (fixed entry block, then the entry's var data)...
 *  +---------------------------------------------------------------+
 *  |  per var data field: length (uint32), then length bytes      ...
 *  +---------------------------------------------------------------+
 * </pre>
 */
final class TemplateLayout
{
    static final int[] NO_INTS = new int[0];
    static final long[] NO_LONGS = new long[0];

    final int templateId;
    final int blockLengthBytes;
    final String name;

    int[] enumOffsetsBytes = NO_INTS;
    boolean[][] enumValidValues = new boolean[0][];

    int[] groupBlockLengthsBytes = NO_INTS;
    int[] groupMaxCounts = NO_INTS;
    int[][] groupVarHeaderLengthsBytes = new int[0][];
    long[][] groupVarMaxLengthsBytes = new long[0][];

    int[] varHeaderLengthsBytes = NO_INTS;
    long[] varMaxLengthsBytes = NO_LONGS;

    private TemplateLayout(final String name, final int templateId, final int blockLengthBytes)
    {
        this.name = name;
        this.templateId = templateId;
        this.blockLengthBytes = blockLengthBytes;
    }

    static TemplateLayout message(final String name, final int templateId, final int blockLengthBytes)
    {
        return new TemplateLayout(name, templateId, blockLengthBytes);
    }

    /**
     * A single-byte enum field in the fixed block; only the listed raw values are accepted, so that
     * the generated {@code get(short)} (which throws on an unknown value) never sees another.
     */
    TemplateLayout enumField(final int offsetBytes, final short... validRawValues)
    {
        final boolean[] valid = new boolean[256];
        for (final short raw : validRawValues)
        {
            valid[raw & 0xFF] = true;
        }

        enumOffsetsBytes = append(enumOffsetsBytes, offsetBytes);
        enumValidValues = Arrays.copyOf(enumValidValues, enumValidValues.length + 1);
        enumValidValues[enumValidValues.length - 1] = valid;

        return this;
    }

    /**
     * A repeating group, in schema order, with the header length and maximum length of each var
     * data field of its entries.
     */
    TemplateLayout group(
        final int blockLengthBytes, final int maxCount, final int[] varHeaderLengthsBytes, final long[] varMaxLengthsBytes)
    {
        groupBlockLengthsBytes = append(groupBlockLengthsBytes, blockLengthBytes);
        groupMaxCounts = append(groupMaxCounts, maxCount);
        groupVarHeaderLengthsBytes = Arrays.copyOf(groupVarHeaderLengthsBytes, groupVarHeaderLengthsBytes.length + 1);
        groupVarHeaderLengthsBytes[groupVarHeaderLengthsBytes.length - 1] = varHeaderLengthsBytes;
        groupVarMaxLengthsBytes = Arrays.copyOf(groupVarMaxLengthsBytes, groupVarMaxLengthsBytes.length + 1);
        groupVarMaxLengthsBytes[groupVarMaxLengthsBytes.length - 1] = varMaxLengthsBytes;

        return this;
    }

    /**
     * A var data field at the end of the message, in schema order.
     */
    TemplateLayout varData(final int headerLengthBytes, final long maxLengthBytes)
    {
        varHeaderLengthsBytes = append(varHeaderLengthsBytes, headerLengthBytes);
        varMaxLengthsBytes = Arrays.copyOf(varMaxLengthsBytes, varMaxLengthsBytes.length + 1);
        varMaxLengthsBytes[varMaxLengthsBytes.length - 1] = maxLengthBytes;

        return this;
    }

    private static int[] append(final int[] array, final int value)
    {
        final int[] result = Arrays.copyOf(array, array.length + 1);
        result[array.length] = value;

        return result;
    }
}
