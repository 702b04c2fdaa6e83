package io.synod.tools.lin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sequential specification of a key-value store as independent registers, one per key, each initially absent
 * ({@code null}): stateless, safe to share.
 * <p>
 * Because keys are independent, a history is linearizable iff each per-key sub-history is (linearizability is
 * local), so the checker searches each {@link #partition} separately against a single register.
 */
public final class KvModel
{
    /** Initial value of every register. */
    public static final String INITIAL = null;

    /**
     * Result of applying one operation.
     *
     * @param legal whether the recorded output is what the register would answer.
     * @param state register value afterwards; meaningful only when legal.
     */
    public record Step(boolean legal, String state)
    {
    }

    private static final Step ILLEGAL = new Step(false, null);

    private KvModel()
    {
    }

    /**
     * Apply {@code input} to a register holding {@code state}.
     *
     * @param output what the client saw, or {@code null} when unknown: then any answer is acceptable and only the
     *               effect matters.
     */
    public static Step step(final String state, final Operation.Input input, final Operation.Output output)
    {
        switch (input.kind())
        {
            case PUT:
                return new Step(true, input.value());

            case GET:
                return output == null || Objects.equals(state, output.value()) ? new Step(true, state) : ILLEGAL;

            case CAS:
            {
                final boolean swaps = Objects.equals(state, input.expected());
                if (output != null && output.ok() != swaps)
                {
                    return ILLEGAL;
                }
                return new Step(true, swaps ? input.value() : state);
            }

            default:
                throw new IllegalStateException("unhandled kind " + input.kind());
        }
    }

    /**
     * Split a history into per-key sub-histories ready for search: failed operations are dropped (they had no
     * effect), unknown reads are dropped (no effect and no observed output), unknown writes are kept with an infinite
     * response time and no output.
     *
     * @return sub-histories by key, keys in order of first appearance.
     */
    public static Map<String, List<Operation>> partition(final History history)
    {
        final Map<String, List<Operation>> byKey = new LinkedHashMap<>();
        for (final Operation op : history.operations())
        {
            switch (op.outcome())
            {
                case FAIL:
                    continue;
                case UNKNOWN:
                    if (op.input().kind() == Operation.Kind.GET)
                    {
                        continue;
                    }
                    byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(
                        op.responseNs() == Operation.NO_RESPONSE_NS && op.output() == null ? op :
                            new Operation(op.id(), op.clientId(), op.key(), op.input(), null, op.invokeNs(),
                            Operation.NO_RESPONSE_NS, Operation.Outcome.UNKNOWN));
                    break;
                case OK:
                    byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
                    break;
                default:
                    throw new IllegalStateException("unhandled outcome " + op.outcome());
            }
        }
        return byKey;
    }
}
