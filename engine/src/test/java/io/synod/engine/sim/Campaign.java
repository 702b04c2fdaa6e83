package io.synod.engine.sim;

/**
 * Runs simulations over a range of seeds, alternating 3 and 5 replicas, and sums them up.
 */
final class Campaign
{
    long seeds;
    long events;
    long commandsChosen;
    long elections;
    long preVotes;
    long faults;
    long violations;
    long elapsedNs;
    long firstFailingSeed = -1;
    String firstFailure;

    static int replicasFor(final long seed)
    {
        return seed % 2 == 0 ? 5 : 3;
    }

    static Simulation.Result runOne(final long seed, final long events, final PlantedBug bug)
    {
        return runOne(seed, events, bug, bug.stallScenario);
    }

    static Simulation.Result runOne(
        final long seed, final long events, final PlantedBug bug, final boolean stallScenario)
    {
        return new Simulation(seed, replicasFor(seed), events, bug, stallScenario).run();
    }

    /**
     * @param stopAtFirst stop at the first violation (planted bugs), else count them all.
     */
    static Campaign run(final long firstSeed, final int seedCount, final long events, final PlantedBug bug,
        final boolean stopAtFirst)
    {
        return run(firstSeed, seedCount, events, bug, stopAtFirst, bug.stallScenario);
    }

    /**
     * @param stallScenario run the follower-stall scenario on every seed instead of the swarm's faults.
     */
    static Campaign run(final long firstSeed, final int seedCount, final long events, final PlantedBug bug,
        final boolean stopAtFirst, final boolean stallScenario)
    {
        final Campaign campaign = new Campaign();
        final long start = System.nanoTime();
        for (long seed = firstSeed; seed < firstSeed + seedCount; seed++)
        {
            final Simulation.Result result = runOne(seed, events, bug, stallScenario);
            campaign.seeds++;
            campaign.events += result.events;
            campaign.commandsChosen += result.commandsChosen;
            campaign.elections += result.elections;
            campaign.preVotes += result.preVotes;
            campaign.faults += result.faults;
            if (result.violation != null)
            {
                campaign.violations++;
                if (campaign.firstFailure == null)
                {
                    campaign.firstFailingSeed = seed;
                    campaign.firstFailure = describe(result);
                    if (bug == PlantedBug.NONE)
                    {
                        System.out.println(campaign.firstFailure);
                    }
                }
                if (stopAtFirst)
                {
                    break;
                }
            }
        }
        campaign.elapsedNs = System.nanoTime() - start;
        return campaign;
    }

    static String describe(final Simulation.Result result)
    {
        return "VIOLATION seed=" + result.seed + " replicas=" + result.replicas + " after " + result.events +
            " events (" + result.simulatedNs / 1_000_000 + " ms simulated): " + result.violation + System.lineSeparator() +
            "  swarm: " + result.swarm + System.lineSeparator() +
            "  replay: ./mvnw -B -pl engine -am test -Dtest=" +
            (result.stallScenario ? "FollowerStallScenarioTest" : "SimulationTest") +
            " -Dsurefire.failIfNoSpecifiedTests=false -Dsynod.sim.seed=" + result.seed +
            " -Dsynod.sim.seeds=1" + System.lineSeparator() +
            "  last events:" + System.lineSeparator() + result.trace;
    }

    String summary()
    {
        final double seconds = elapsedNs / 1e9;
        return String.format(
            "simulation: seeds=%d events=%d commands_chosen=%d elections=%d (%.2f per seed) pre_votes=%d " +
            "faults_injected=%d violations=%d (%.1f s, %.0f events/s)",
            seeds, events, commandsChosen, elections, (double)elections / Math.max(1, seeds), preVotes, faults,
            violations, seconds, events / seconds);
    }
}
