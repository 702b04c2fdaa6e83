package io.synod.engine.protocol;

/**
 * Source of random numbers handed to the core, so the simulator can draw them from its seed.
 * Called only by the thread that owns the role it was given to.
 */
@FunctionalInterface
public interface RandomSource
{
    /**
     * @param bound exclusive upper bound, > 0.
     * @return a uniformly distributed value in [0, bound).
     */
    long nextLong(long bound);
}
