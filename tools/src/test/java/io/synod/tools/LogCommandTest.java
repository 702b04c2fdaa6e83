package io.synod.tools;

import io.synod.engine.log.DurabilityMode;
import io.synod.engine.log.LogContext;
import io.synod.engine.log.LogDirectory;
import io.synod.engine.log.LogRecordDescriptor;
import io.synod.engine.log.MappedAcceptorStore;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LogCommandTest
{
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        final CommandLine commandLine = SynodCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private void writeLog(final int slots)
    {
        final UnsafeBuffer value = new UnsafeBuffer(new byte[300]);
        try (MappedAcceptorStore store = MappedAcceptorStore.open(new LogContext()
            .directory(dir)
            .segmentLengthBytes(64 * 1024)
            .maxValueLengthBytes(1024)
            .durabilityMode(DurabilityMode.SYNC)))
        {
            store.promise(3L << 16 | 2);
            for (int slot = 0; slot < slots; slot++)
            {
                value.putLong(0, slot);
                store.accept(slot, 3L << 16 | 2, value, 0, 300);
            }
        }
    }

    @Test
    void verifyShouldPassOnGoodLog()
    {
        writeLog(500);
        assertEquals(0, run("log", "verify", dir.toString()), err.toString());
        assertTrue(out.toString().contains("500 accepts (slots 0..499), 1 promises"), out.toString());
        assertTrue(out.toString().contains("OK"), out.toString());
    }

    @Test
    void verifyShouldFailOnCorruptLogNamingFileAndOffset() throws Exception
    {
        writeLog(20);
        final Path segment = LogDirectory.segmentPath(dir, 0);
        final int offset = LogRecordDescriptor.alignedFrameLength(0) + 5 * LogRecordDescriptor.alignedFrameLength(300);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.wrap(new byte[]{ (byte)0xFF }), offset + LogRecordDescriptor.VALUE_OFFSET + 100);
        }
        assertEquals(1, run("log", "verify", dir.toString()));
        assertTrue(err.toString().contains("CRC32C mismatch"), err.toString());
        assertTrue(err.toString().contains(segment.toString()), err.toString());
        assertTrue(err.toString().contains("offset=" + offset), err.toString());
    }

    @Test
    void shouldExitTwoOnMissingDirectoryOrBadUsage()
    {
        assertEquals(2, run("log", "verify", dir.resolve("nope").toString()));
        assertTrue(err.toString().contains("not a log directory"), err.toString());
        assertEquals(2, run("log", "verify"));
        assertEquals(2, run("log", "dump", dir.toString(), "--count", "x"));
        assertEquals(2, run("log"));
    }

    @Test
    void dumpShouldPrintRequestedSlots()
    {
        writeLog(50);
        assertEquals(0, run("log", "dump", dir.toString(), "--from", "10", "--count", "3"), err.toString());
        final String[] lines = out.toString().trim().split("\n");
        // Asked for slots from 10 on, a Promise (which has no slot) is not one of them: it once took the
        // place of the slots asked for.
        assertTrue(lines[0].contains("slot=10 "), out.toString());
        assertTrue(lines[1].contains("slot=11 "), out.toString());
        assertTrue(lines[2].contains("slot=12 "), out.toString());
        assertFalse(out.toString().contains("PROMISE"), out.toString());
        assertFalse(out.toString().contains("slot=9 "), out.toString());
        assertFalse(out.toString().contains("slot=13 "), out.toString());
    }

    @Test
    void dumpWithoutFromPrintsEveryRecordPromisesIncluded()
    {
        writeLog(5);
        assertEquals(0, run("log", "dump", dir.toString()), err.toString());
        final String[] lines = out.toString().trim().split("\n");
        assertTrue(lines[0].contains("PROMISE"), out.toString());
        assertTrue(lines[1].contains("slot=0 "), out.toString());
    }

    @Test
    void verifyOnADataDirectoryNamesTheLogsBelowIt() throws Exception
    {
        final Path cluster = dir;
        dir = cluster.resolve("member-0").resolve("log");
        java.nio.file.Files.createDirectories(dir);
        writeLog(3);
        assertEquals(2, run("log", "verify", cluster.toString()));
        assertTrue(err.toString().contains("its logs are: " + dir), err.toString());
    }
}
