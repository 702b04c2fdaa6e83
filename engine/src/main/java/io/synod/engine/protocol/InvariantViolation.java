package io.synod.engine.protocol;

/**
 * A safety invariant of the core itself does not hold (in-flight bytes below zero, the chosen watermark
 * moving backwards, the window overrunning its bound): a bug, not bad input. The check is explicit
 * (Java {@code assert} is off in production), cheap, and stops the node: the runtime treats this as
 * fatal, the simulator reports it as a violation with its seed.
 */
public final class InvariantViolation extends IllegalStateException
{
    public InvariantViolation(final String message)
    {
        super("core invariant violated: " + message);
    }
}
