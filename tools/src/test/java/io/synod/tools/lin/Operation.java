package io.synod.tools.lin;

import java.util.Objects;

/**
 * One client operation on a key-value register, as observed by the client: immutable, safe to share.
 * <p>
 * Times are whatever the recorder used (nanos from one monotonic clock, or logical ticks); only their order matters.
 * An {@link Outcome#UNKNOWN} operation may or may not have taken effect, so its response time is
 * {@link #NO_RESPONSE_NS} and its output is {@code null} (unconstrained).
 *
 * @param id         unique within its {@link History}.
 * @param clientId   the client that issued it; one client has at most one operation in flight.
 * @param key        register the operation addresses; histories are checked per key.
 * @param input      what was asked for.
 * @param output     what was answered; {@code null} unless the outcome is {@link Outcome#OK}.
 * @param invokeNs   when the request was issued.
 * @param responseNs when the answer arrived, or {@link #NO_RESPONSE_NS} if none did.
 * @param outcome    ok, failed (definitely no effect) or unknown (maybe took effect).
 */
public record Operation(
    int id, int clientId, String key, Input input, Output output, long invokeNs, long responseNs, Outcome outcome)
{
    /** Response time of an operation that never answered: it may be linearized at any point after its invocation. */
    public static final long NO_RESPONSE_NS = Long.MAX_VALUE;

    public enum Kind
    {
        PUT, GET, CAS
    }

    public enum Outcome
    {
        /** Answered; the output must be explained by the model. */
        OK,
        /** Definitely did not take effect (e.g. rejected before it was proposed): treated as never having happened. */
        FAIL,
        /** Timed out or the connection dropped: may have taken effect at any time after invocation, or never. */
        UNKNOWN
    }

    /**
     * Request of an operation.
     *
     * @param kind     put, get or compare-and-set.
     * @param expected for CAS, the value that must be present ({@code null} = absent); otherwise unused.
     * @param value    for PUT and CAS, the value written; otherwise unused.
     */
    public record Input(Kind kind, String expected, String value)
    {
        public Input
        {
            Objects.requireNonNull(kind, "kind");
            if (kind != Kind.GET && value == null)
            {
                throw new IllegalArgumentException(kind + " must write a non-null value");
            }
        }

        public static Input put(final String value)
        {
            return new Input(Kind.PUT, null, value);
        }

        public static Input get()
        {
            return new Input(Kind.GET, null, null);
        }

        public static Input cas(final String expected, final String value)
        {
            return new Input(Kind.CAS, expected, value);
        }
    }

    /**
     * Answer of an operation.
     *
     * @param value for GET, the value read ({@code null} = absent); otherwise unused.
     * @param ok    for CAS, whether it swapped; {@code true} for PUT and GET.
     */
    public record Output(String value, boolean ok)
    {
        public static Output read(final String value)
        {
            return new Output(value, true);
        }

        public static Output written()
        {
            return new Output(null, true);
        }

        public static Output cas(final boolean swapped)
        {
            return new Output(null, swapped);
        }
    }

    public Operation
    {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(outcome, "outcome");
        if (outcome == Outcome.OK)
        {
            Objects.requireNonNull(output, "an OK operation needs an output");
            if (responseNs == NO_RESPONSE_NS || responseNs < invokeNs)
            {
                throw new IllegalArgumentException(
                    "OK operation " + id + " responds at " + responseNs + " before its invocation at " + invokeNs);
            }
        }
    }

    // Factories for hand-made histories; History.of(...) assigns the ids.

    public static Operation put(final int clientId, final String key, final String value, final long invokeNs,
        final long responseNs)
    {
        return new Operation(-1, clientId, key, Input.put(value), Output.written(), invokeNs, responseNs, Outcome.OK);
    }

    public static Operation get(final int clientId, final String key, final String read, final long invokeNs,
        final long responseNs)
    {
        return new Operation(-1, clientId, key, Input.get(), Output.read(read), invokeNs, responseNs, Outcome.OK);
    }

    public static Operation cas(final int clientId, final String key, final String expected, final String value,
        final boolean swapped, final long invokeNs, final long responseNs)
    {
        return new Operation(
            -1, clientId, key, Input.cas(expected, value), Output.cas(swapped), invokeNs, responseNs, Outcome.OK);
    }

    /** An operation that never answered: no output, no response time. */
    public static Operation unknown(final int clientId, final String key, final Input input, final long invokeNs)
    {
        return new Operation(-1, clientId, key, input, null, invokeNs, NO_RESPONSE_NS, Outcome.UNKNOWN);
    }

    /** An operation that definitely did not take effect. */
    public static Operation failed(final int clientId, final String key, final Input input, final long invokeNs,
        final long responseNs)
    {
        return new Operation(-1, clientId, key, input, null, invokeNs, responseNs, Outcome.FAIL);
    }

    public Operation withId(final int id)
    {
        return new Operation(id, clientId, key, input, output, invokeNs, responseNs, outcome);
    }

    public Operation withOutput(final Output output)
    {
        return new Operation(id, clientId, key, input, output, invokeNs, responseNs, outcome);
    }

    /** Short form for reports, e.g. {@code #7 c2 get(x) -> v3 [100, 140]}. */
    public String describe()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append('#').append(id).append(" c").append(clientId).append(' ');
        switch (input.kind())
        {
            case PUT -> sb.append("put(").append(key).append(", ").append(input.value()).append(')');
            case GET -> sb.append("get(").append(key).append(')');
            case CAS -> sb.append("cas(").append(key).append(", ").append(input.expected()).append(" -> ")
                .append(input.value()).append(')');
        }
        if (outcome == Outcome.OK)
        {
            switch (input.kind())
            {
                case GET -> sb.append(" -> ").append(output.value());
                case CAS -> sb.append(" -> ").append(output.ok() ? "swapped" : "not swapped");
                default ->
                {
                }
            }
        }
        else
        {
            sb.append(' ').append(outcome.name().toLowerCase());
        }
        sb.append(" [").append(invokeNs).append(", ")
            .append(responseNs == NO_RESPONSE_NS ? "inf)" : responseNs + "]");
        return sb.toString();
    }

    @Override
    public String toString()
    {
        return describe();
    }
}
