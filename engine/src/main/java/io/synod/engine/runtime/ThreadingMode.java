package io.synod.engine.runtime;

/**
 * How a node's roles and its embedded media driver get threads.
 */
public enum ThreadingMode
{
    /**
     * A thread per role, the media driver and the Aeron client conductor on threads of their own.
     */
    DEDICATED,

    /**
     * All roles, the embedded driver and the client conductor on one thread: the default, and what
     * a 2-core machine can afford for several nodes.
     */
    SHARED,

    /**
     * No thread at all: the embedding application calls {@link SynodNode#doWork()} itself.
     */
    INVOKER
}
