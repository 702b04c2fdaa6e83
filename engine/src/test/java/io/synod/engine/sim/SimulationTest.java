package io.synod.engine.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The swarm campaign: many seeds, each its own mix of faults, across 3- and 5-replica clusters.
 * {@code -Dsynod.sim.seeds=N -Dsynod.sim.seed=S -Dsynod.sim.events=E} runs a longer one.
 */
class SimulationTest
{
    static final int SEEDS = Integer.getInteger("synod.sim.seeds", 1000);
    static final long FIRST_SEED = Long.getLong("synod.sim.seed", 1);
    static final long EVENTS = Long.getLong("synod.sim.events", 20_000);

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void swarmCampaign()
    {
        final Campaign campaign = Campaign.run(FIRST_SEED, SEEDS, EVENTS, PlantedBug.NONE, false);
        System.out.println(campaign.summary());
        assertNull(campaign.firstFailure, campaign.firstFailure);
    }
}
