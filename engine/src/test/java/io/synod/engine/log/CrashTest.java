package io.synod.engine.log;

import io.synod.engine.runtime.ChildJvm;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Kills a child JVM ({@link CrashChild}) with SIGKILL at seeded random moments while it appends, then
 * recovers each of its stores and checks that every write it reported durable is intact and no torn
 * record is accepted. One child writes several stores, so each kill is one kill point per store.
 * <p>
 * {@code -Dsynod.crash.kills=N} sets the number of kill points (default 200), {@code -Dsynod.crash.seed}
 * the seed.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CrashTest
{
    private static final int STORES = 4;
    private static final int KILL_POINTS = Integer.getInteger("synod.crash.kills", 200);
    private static final long SEED = Long.getLong("synod.crash.seed", 0xC0FFEEL);

    @TempDir
    Path dir;

    @Test
    void shouldKeepEverythingReportedDurableAcrossSigkill() throws Exception
    {
        final Random random = new Random(SEED);
        final Long2LongHashMap[] acked = new Long2LongHashMap[STORES];
        final long[] ackedPromise = new long[STORES];
        for (int s = 0; s < STORES; s++)
        {
            acked[s] = new Long2LongHashMap(0);
        }
        final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        final int kills = (KILL_POINTS + STORES - 1) / STORES;
        long reports = 0;
        int zeroingRecoveries = 0;

        for (int k = 0; k < kills; k++)
        {
            final String context = "seed=" + SEED + " kill=" + k;
            final int killAfterLines = 1 + random.nextInt(400);
            final Process child = startChild(random.nextLong(), k + 1);
            try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII)))
            {
                int lines = 0;
                boolean killed = false;
                String line;
                while (null != (line = reader.readLine()))
                {
                    if (!killed && lines >= killAfterLines)
                    {
                        // SIGKILL on Linux. Through the handle, because Process.destroyForcibly also closes
                        // our end of the pipe, and the lines still in it were reported durable too.
                        child.toHandle().destroyForcibly();
                        killed = true;
                    }
                    if (line.startsWith("A "))
                    {
                        final String[] f = line.split(" ");
                        final int s = Integer.parseInt(f[1]);
                        final long slot = Long.parseLong(f[2]);
                        final long ballot = Long.parseLong(f[3]);
                        acked[s].put(slot, Math.max(acked[s].get(slot), ballot));
                        ackedPromise[s] = Math.max(ackedPromise[s], ballot);
                        lines++;
                        reports++;
                    }
                    else if (line.startsWith("P "))
                    {
                        final String[] f = line.split(" ");
                        final int s = Integer.parseInt(f[1]);
                        ackedPromise[s] = Math.max(ackedPromise[s], Long.parseLong(f[2]));
                        lines++;
                        reports++;
                    }
                }
                if (!killed)
                {
                    fail(context + ": child exited before the kill, exit code " + child.waitFor() + "\n" +
                        new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            finally
            {
                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS), context + ": child did not die");
            }

            for (int s = 0; s < STORES; s++)
            {
                try (MappedAcceptorStore store = MappedAcceptorStore.open(
                    CrashChild.context(dir.resolve(Integer.toString(s)), CrashChild.mode(s))))
                {
                    CrashChild.verify(store, acked[s], ackedPromise[s], view, context + " store=" + s);
                    zeroingRecoveries += store.recoveryZeroedBytes() > 0 ? 1 : 0;
                }
            }
        }
        System.out.println("CrashTest: " + kills * STORES + " kill points (" + kills + " SIGKILLs x " + STORES +
            " stores), " + reports + " durable reports verified, " + zeroingRecoveries +
            " recoveries zeroed a partly written tail, seed=" + SEED);
        assertTrue(reports > kills, "children made progress");
    }

    private Process startChild(final long seed, final long generation) throws Exception
    {
        final List<String> command = ChildJvm.command(
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"), CrashChild.class.getName());
        command.add(dir.toString());
        command.add(Integer.toString(STORES));
        command.add(Long.toString(seed));
        command.add(Long.toString(generation));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
