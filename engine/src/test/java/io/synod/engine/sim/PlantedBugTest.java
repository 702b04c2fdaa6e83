package io.synod.engine.sim;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves the checkers can fail: each deliberately broken variant must be caught within a bounded
 * number of seeds, or this test fails.
 */
class PlantedBugTest
{
    static final int MAX_SEEDS = 1000;

    @ParameterizedTest
    @EnumSource(value = PlantedBug.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void plantedBugIsCaught(final PlantedBug bug)
    {
        final Campaign campaign = Campaign.run(1, MAX_SEEDS, 20_000, bug, true);
        assertNotNull(campaign.firstFailure, bug + " was not caught in " + MAX_SEEDS + " seeds");
        final String firstLine = campaign.firstFailure.lines().findFirst().orElse("");
        System.out.println("planted bug " + bug + " caught after " + campaign.seeds + " seed(s): " + firstLine);

        // The failing seed replays identically.
        final Simulation.Result replay = Campaign.runOne(campaign.firstFailingSeed, 20_000, bug);
        assertTrue(campaign.firstFailure.contains(replay.violation), "replay of seed " + campaign.firstFailingSeed +
            " differs: " + replay.violation);
    }
}
