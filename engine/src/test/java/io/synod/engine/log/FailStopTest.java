package io.synod.engine.log;

import io.synod.engine.runtime.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * No silent failure: when the disk cannot take a new segment (modelled with a file-size limit, which
 * fails writes with EFBIG like a full disk fails them with ENOSPC), the store stops with a
 * {@link LogFailureException} naming the file, and does not carry on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FailStopTest
{
    @TempDir
    Path dir;

    @Test
    void shouldStopWithClearErrorWhenSegmentCannotBeWritten() throws Exception
    {
        final int segmentLength = 2 * 1024 * 1024;
        final String java = ChildJvm.java();
        // RLIMIT_FSIZE caps each file; bash's ulimit -f counts 1 KiB blocks: 1 MiB lets the 4 KiB metadata
        // file in, not a 2 MiB segment.
        final String command = "ulimit -f 1024 && exec '" + java + "' -XX:TieredStopAtLevel=1 -Xmx128m " +
            String.join(" ", ChildJvm.MODULE_FLAGS) +
            " -cp '" + System.getProperty("java.class.path") + "' " + FailStopChild.class.getName() +
            " '" + dir + "' " + segmentLength;
        final Process child = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        final String output;
        try
        {
            output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        finally
        {
            child.destroyForcibly();
        }
        assertEquals(3, child.exitValue(), output);
        assertTrue(output.contains("FAIL-STOP cannot create segment file"), output);
        assertTrue(output.contains(LogDirectory.SEGMENT_PREFIX), output);
    }

    @Test
    void shouldStartAfreshAfterCrashDuringFirstCreation() throws Exception
    {
        // What a crash between creating the metadata file and writing its first copy leaves behind.
        MetadataFile.create(MappedSegmentFile.FACTORY, dir, 0, 0, 64 * 1024).close();
        MappedAcceptorStoreTest.zeroBytes(MetadataFile.path(dir), 0, MetadataDescriptor.FILE_LENGTH);
        try (MappedAcceptorStore store = MappedAcceptorStore.open(new LogContext()
            .directory(dir).segmentLengthBytes(64 * 1024).maxValueLengthBytes(1024)))
        {
            assertEquals(0, store.promisedBallot());
        }
    }
}
