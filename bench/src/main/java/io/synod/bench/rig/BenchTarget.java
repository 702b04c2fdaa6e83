package io.synod.bench.rig;

import org.agrona.DirectBuffer;

import java.util.function.LongConsumer;

/**
 * The seam between the benchmark rig and a system under test; single-threaded, owned by the rig's
 * thread: every method is called from that one thread.
 * <p>
 * Life cycle: {@link #start()} once, then any number of {@link #offer}/{@link #poll} duty cycles,
 * then {@link #close()}. {@code offer} and {@code poll} must neither block nor allocate: waiting is
 * the rig's idle strategy's job, and a target that drives an embedded media driver or client conductor
 * on the caller's thread does that work inside {@code poll} (and may inside {@code offer}).
 * <p>
 * Ids: the first command accepted after {@link #start()} gets id 0 and every accepted command the
 * next id (0, 1, 2, …), so the rig can keep its per-command send times in a ring indexed by
 * {@code id & mask} sized to its in-flight bound. Responses may arrive in any order.
 */
public interface BenchTarget extends AutoCloseable
{
    /** {@link #offer} result: the transport is back-pressured; try again on a later duty cycle. */
    long BACK_PRESSURED = -1;

    /** {@link #offer} result: not connected (yet or any more) to the system under test. */
    long NOT_CONNECTED = -2;

    /** {@link #offer} result: the target's own bound on commands in flight is reached. */
    long WINDOW_FULL = -3;

    /** {@link #offer} result: the command is longer than the target accepts. */
    long TOO_LONG = -4;

    /** {@link #offer} result: the target is closed or failed. */
    long CLOSED = -5;

    /**
     * Short stable name used in file names and ratio lines, e.g. {@code aeron-cluster}.
     *
     * @return the target's name.
     */
    String name();

    /**
     * Full description of every setting that affects the figures (cluster size, durability, threading,
     * idle strategy, channels, MTU, term length, batching…), printed with every result.
     *
     * @return one or more lines of {@code key=value} settings.
     */
    String setup();

    /**
     * Start the system under test and connect to it; returns once {@link #offer} can succeed, or throws
     * after a bounded wait.
     */
    void start();

    /**
     * Send one command without blocking or allocating. The bytes are copied before this returns.
     *
     * @param buffer holding the command's payload.
     * @param offset of the payload in {@code buffer}.
     * @param length of the payload in bytes.
     * @return the command's id (>= 0), or a negative code such as {@link #BACK_PRESSURED}.
     */
    long offer(DirectBuffer buffer, int offset, int length);

    /**
     * Do one duty cycle of receive work and report the id of every command whose response arrived.
     *
     * @param onResponse called once per answered command, on the caller's thread, before this returns.
     * @return amount of work done, 0 when idle.
     */
    int poll(LongConsumer onResponse);

    /**
     * Stop everything the target started: threads joined, directories deleted.
     */
    @Override
    void close();

    /**
     * Human-readable name of an {@link #offer} result code.
     *
     * @param code a negative result of {@link #offer}.
     * @return the code's name.
     */
    static String codeName(final long code)
    {
        if (code == BACK_PRESSURED)
        {
            return "BACK_PRESSURED";
        }
        if (code == NOT_CONNECTED)
        {
            return "NOT_CONNECTED";
        }
        if (code == WINDOW_FULL)
        {
            return "WINDOW_FULL";
        }
        if (code == TOO_LONG)
        {
            return "TOO_LONG";
        }
        if (code == CLOSED)
        {
            return "CLOSED";
        }
        return code >= 0 ? "id " + code : "UNKNOWN(" + code + ")";
    }
}
