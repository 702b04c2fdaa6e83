package io.synod.engine.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Issue 16: one follower stalls (ticks not, reads not) for three election timeouts while clients keep
 * the leader busy. Over many seeds (3 and 5 replicas, each its own delays, clocks and load, no loss,
 * crash or partition) the leader keeps its place and ballot, no member starts an election, and slots
 * keep being chosen during the stall; every other invariant of the swarm holds as well.
 * {@code -Dsynod.sim.seeds=N -Dsynod.sim.seed=S} runs another range.
 */
class FollowerStallScenarioTest
{
    static final int SEEDS = Integer.getInteger("synod.sim.seeds", 200);
    static final long FIRST_SEED = Long.getLong("synod.sim.seed", 1);

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void leaderStaysWhileAFollowerStalls()
    {
        final Campaign campaign = Campaign.run(FIRST_SEED, SEEDS, 20_000, PlantedBug.NONE, false, true);
        System.out.println("follower stall " + campaign.summary());
        assertNull(campaign.firstFailure, campaign.firstFailure);
        assertEquals(0, campaign.violations);
    }
}
