package io.synod.engine.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.synod.engine.protocol.TestValues.command;
import static io.synod.engine.protocol.TestValues.concat;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BatchDescriptorTest
{
    @Test
    void writeThenRead()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final byte[] payload = { 1, 2, 3, 4, 5 };
        final int written = BatchDescriptor.write(buffer, 3, 0x1122334455L, 77, new UnsafeBuffer(payload), 0, 5);
        assertEquals(BatchDescriptor.commandLength(5), written);
        assertEquals(25, written);
        assertEquals(0x1122334455L, BatchDescriptor.clientId(buffer, 3));
        assertEquals(77, BatchDescriptor.sequence(buffer, 3));
        assertEquals(5, BatchDescriptor.payloadLength(buffer, 3));
        final byte[] read = new byte[5];
        buffer.getBytes(3 + BatchDescriptor.HEADER_LENGTH, read);
        assertArrayEquals(payload, read);
        assertEquals(77, buffer.getLong(3 + BatchDescriptor.SEQUENCE_OFFSET, LITTLE_ENDIAN), "little-endian layout");
    }

    @Test
    void validateCountsCommands()
    {
        final byte[] value = concat(command(1, 1, 0), command(1, 2, 7), command(2, 1, 30));
        assertEquals(3, BatchDescriptor.validate(new UnsafeBuffer(value), 0, value.length));
        assertEquals(0, BatchDescriptor.validate(new UnsafeBuffer(value), 0, 0), "empty value is a no-op");
        final byte[] padded = concat(new byte[5], value);
        assertEquals(3, BatchDescriptor.validate(new UnsafeBuffer(padded), 5, value.length));
    }

    @Test
    void validateRejectsTruncatedHeader()
    {
        final byte[] value = concat(command(1, 1, 4), command(1, 2, 4));
        final UnsafeBuffer buffer = new UnsafeBuffer(value);
        final int first = BatchDescriptor.commandLength(4);
        for (int cut = first + 1; cut < first + BatchDescriptor.HEADER_LENGTH; cut++)
        {
            assertEquals(-1, BatchDescriptor.validate(buffer, 0, cut), "cut at " + cut);
        }
        assertEquals(-1, BatchDescriptor.validate(buffer, 0, 1));
    }

    @Test
    void validateRejectsTruncatedPayload()
    {
        final byte[] value = command(1, 1, 10);
        assertEquals(-1, BatchDescriptor.validate(new UnsafeBuffer(value), 0, value.length - 1));
    }

    @Test
    void validateRejectsNegativeAndOversizedLengths()
    {
        final byte[] value = command(1, 1, 10);
        final UnsafeBuffer buffer = new UnsafeBuffer(value);
        buffer.putInt(BatchDescriptor.LENGTH_OFFSET, -1, LITTLE_ENDIAN);
        assertEquals(-1, BatchDescriptor.validate(buffer, 0, value.length));
        buffer.putInt(BatchDescriptor.LENGTH_OFFSET, Integer.MIN_VALUE, LITTLE_ENDIAN);
        assertEquals(-1, BatchDescriptor.validate(buffer, 0, value.length));
        buffer.putInt(BatchDescriptor.LENGTH_OFFSET, Integer.MAX_VALUE, LITTLE_ENDIAN);
        assertEquals(-1, BatchDescriptor.validate(buffer, 0, value.length), "must not overflow past the limit");
        buffer.putInt(BatchDescriptor.LENGTH_OFFSET, 11, LITTLE_ENDIAN);
        assertEquals(-1, BatchDescriptor.validate(buffer, 0, value.length));
    }
}
