package io.synod.engine.log;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * SYNC mode under the in-JVM power-loss model: pages not forced are dropped or torn at 512-byte
 * granularity, and nothing acknowledged (durablePosition reached) may be lost.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PowerLossTest
{
    private static final long SEED = Long.getLong("synod.powerloss.seed", 0x5EED_10551L);
    private static final int ROUNDS = Integer.getInteger("synod.powerloss.rounds", 80);

    @TempDir
    Path dir;

    private final UnsafeBuffer value = new UnsafeBuffer(new byte[CrashChild.MAX_VALUE_LENGTH]);
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);

    @Test
    void shouldLoseNothingAcknowledgedOnPowerLoss() throws Exception
    {
        final Random random = new Random(SEED);
        final Long2LongHashMap ackedBallots = new Long2LongHashMap(0);
        long ackedPromise = 0;
        long round = 1;
        int recoveredTornOrUnforced = 0;
        int tornRecoveries = 0;
        int zeroingRecoveries = 0;

        for (int r = 0; r < ROUNDS; r++)
        {
            final PowerLossSegmentFileFactory factory = new PowerLossSegmentFileFactory();
            final MappedAcceptorStore store = MappedAcceptorStore.open(context(factory));
            try
            {
                CrashChild.verify(store, ackedBallots, ackedPromise, view, "seed=" + SEED + " round=" + r);
                tornRecoveries += store.recoveryOutcome() == LogScanner.Outcome.TORN ? 1 : 0;
                zeroingRecoveries += store.recoveryZeroedBytes() > 0 ? 1 : 0;
                long nowNs = 0;
                final int cycles = 1 + random.nextInt(20);
                for (int c = 0; c < cycles; c++)
                {
                    final long promisedBefore = store.promisedBallot();
                    long maxPosition = 0;
                    final int ops = 1 + random.nextInt(8);
                    final long[] slots = new long[ops];
                    final long[] ballots = new long[ops];
                    for (int i = 0; i < ops; i++)
                    {
                        if (random.nextInt(10) == 0)
                        {
                            round++;
                            maxPosition = Math.max(maxPosition, store.promise(round << 16 | 1));
                            slots[i] = -1;
                            ballots[i] = round << 16 | 1;
                        }
                        else
                        {
                            final long ballot = Math.max(round << 16 | 1, store.promisedBallot());
                            final long slot = random.nextInt(4) == 0 && store.highestSlot() >= 0 ?
                                random.nextInt((int)store.highestSlot() + 1) : store.highestSlot() + 1;
                            maxPosition = Math.max(maxPosition, CrashChild.accept(store, value, slot, ballot));
                            slots[i] = slot;
                            ballots[i] = ballot;
                        }
                    }
                    final boolean lastCycle = c == cycles - 1 && random.nextBoolean();
                    if (lastCycle)
                    {
                        break; // power fails before this cycle's force: nothing of it is acknowledged
                    }
                    nowNs += 1 + random.nextInt(3);
                    store.doWork(nowNs);
                    assertTrue(store.durablePosition() >= maxPosition, "SYNC: doWork forces the cycle");
                    assertTrue(promisedBefore <= store.promisedBallot());
                    for (int i = 0; i < ops; i++)
                    {
                        if (slots[i] < 0)
                        {
                            ackedPromise = Math.max(ackedPromise, ballots[i]);
                        }
                        else
                        {
                            ackedBallots.put(slots[i], Math.max(ackedBallots.get(slots[i]), ballots[i]));
                            ackedPromise = Math.max(ackedPromise, ballots[i]);
                        }
                    }
                }
                if (store.appendPosition() > store.durablePosition())
                {
                    recoveredTornOrUnforced++;
                }
                final Map<Path, byte[]> images = factory.powerLoss(random);
                store.close();
                PowerLossSegmentFileFactory.writeBack(images);
            }
            catch (final Throwable t)
            {
                store.close();
                throw new AssertionError("seed=" + SEED + " round=" + r + ": " + t, t);
            }
        }
        try (MappedAcceptorStore store = MappedAcceptorStore.open(context(MappedSegmentFile.FACTORY)))
        {
            CrashChild.verify(store, ackedBallots, ackedPromise, view, "final");
        }
        System.out.println("PowerLossTest: " + ROUNDS + " power losses, " + recoveredTornOrUnforced +
            " with unforced writes, " + tornRecoveries + " recoveries found a torn record, " + zeroingRecoveries +
            " zeroed a tail, seed=" + SEED);
        assertTrue(recoveredTornOrUnforced > 0, "some power losses hit unforced writes");
        assertTrue(tornRecoveries > 0, "some recoveries met a torn record");
    }

    private LogContext context(final SegmentFileFactory factory)
    {
        return new LogContext()
            .directory(dir)
            .segmentLengthBytes(64 * 1024)
            .maxValueLengthBytes(CrashChild.MAX_VALUE_LENGTH)
            .durabilityMode(DurabilityMode.SYNC)
            .checkpointIntervalNs(5)
            .segmentFileFactory(factory);
    }
}
