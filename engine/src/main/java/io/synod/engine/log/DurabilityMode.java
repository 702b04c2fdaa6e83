package io.synod.engine.log;

/**
 * Immutable, safe from any thread: when an acceptor's write counts as durable, so when the acceptor may
 * reply.
 */
public enum DurabilityMode
{
    /**
     * Group commit: replies wait until a force covers the write; the log syncer's next force covers every
     * write made while the previous one ran, so the group grows with load. Survives power loss.
     */
    SYNC,

    /**
     * Replies once the write is in the memory mapping (the OS page cache); forced in the background at
     * an interval. Survives a process crash ({@code kill -9}), not a power loss.
     */
    PAGE_CACHE
}
