package io.synod.engine.log;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Paths;

/**
 * Child JVM of {@link FailStopTest}, run under a file-size limit ({@code ulimit -f}) so that creating a
 * segment fails as it would on a full disk; single-threaded. Prints the failure and exits with 3 if the
 * store stopped with a {@link LogFailureException}, 0 if it carried on.
 */
public final class FailStopChild
{
    private FailStopChild()
    {
    }

    public static void main(final String[] args)
    {
        try (MappedAcceptorStore store = MappedAcceptorStore.open(new LogContext()
            .directory(Paths.get(args[0]))
            .segmentLengthBytes(Integer.parseInt(args[1]))
            .maxValueLengthBytes(1024)
            .durabilityMode(DurabilityMode.SYNC)))
        {
            final UnsafeBuffer value = new UnsafeBuffer(new byte[1024]);
            for (long slot = 0; slot < 10_000; slot++)
            {
                store.accept(slot, 1L << 16 | 1, value, 0, 1024);
                store.doWork(slot);
            }
        }
        catch (final LogFailureException ex)
        {
            System.out.println("FAIL-STOP " + ex.getMessage() + " cause=" + ex.getCause());
            System.out.flush();
            System.exit(3);
        }
        System.out.println("CARRIED ON");
    }
}
