package io.synod.tools.lin;

import java.util.ArrayList;
import java.util.List;

/**
 * Records a {@link History} from concurrently running client threads: thread-safe, every method is synchronized
 * (test code; the lock is held for a few field writes and never around the call under test).
 * <p>
 * Usage per call: {@code id = invoke(...)} with a time read just before sending, then exactly one of
 * {@link #ok}, {@link #fail} or {@link #unknown} with a time read just after the answer. Operations still in flight
 * when {@link #history()} is taken count as unknown: they may have taken effect.
 */
public final class HistoryRecorder
{
    private final List<Pending> operations = new ArrayList<>();

    private static final class Pending
    {
        final int clientId;
        final String key;
        final Operation.Input input;
        final long invokeNs;
        Operation.Output output;
        long responseNs = Operation.NO_RESPONSE_NS;
        Operation.Outcome outcome;

        Pending(final int clientId, final String key, final Operation.Input input, final long invokeNs)
        {
            this.clientId = clientId;
            this.key = key;
            this.input = input;
            this.invokeNs = invokeNs;
        }
    }

    /** @return the id to complete the operation with. */
    public synchronized int invoke(final int clientId, final String key, final Operation.Input input,
        final long invokeNs)
    {
        operations.add(new Pending(clientId, key, input, invokeNs));
        return operations.size() - 1;
    }

    /** Convenience for {@link #invoke(int, String, Operation.Input, long)} by kind. */
    public int invoke(final int clientId, final String key, final Operation.Kind kind, final String expected,
        final String value, final long invokeNs)
    {
        return invoke(clientId, key, new Operation.Input(kind, expected, value), invokeNs);
    }

    public synchronized void ok(final int id, final Operation.Output output, final long responseNs)
    {
        final Pending op = open(id);
        op.output = output;
        op.responseNs = responseNs;
        op.outcome = Operation.Outcome.OK;
    }

    /** The operation definitely did not take effect. */
    public synchronized void fail(final int id)
    {
        open(id).outcome = Operation.Outcome.FAIL;
    }

    /** The operation may or may not have taken effect (timeout, lost connection). */
    public synchronized void unknown(final int id)
    {
        open(id).outcome = Operation.Outcome.UNKNOWN;
    }

    /** Snapshot; operations not yet completed are included as unknown. */
    public synchronized History history()
    {
        final List<Operation> result = new ArrayList<>(operations.size());
        for (int id = 0; id < operations.size(); id++)
        {
            final Pending p = operations.get(id);
            final Operation.Outcome outcome = p.outcome == null ? Operation.Outcome.UNKNOWN : p.outcome;
            final boolean ok = outcome == Operation.Outcome.OK;
            result.add(new Operation(id, p.clientId, p.key, p.input, ok ? p.output : null, p.invokeNs,
                ok ? p.responseNs : Operation.NO_RESPONSE_NS, outcome));
        }
        return new History(result);
    }

    private Pending open(final int id)
    {
        if (id < 0 || id >= operations.size())
        {
            throw new IllegalArgumentException("unknown operation id " + id);
        }
        final Pending op = operations.get(id);
        if (op.outcome != null)
        {
            throw new IllegalStateException("operation " + id + " already completed as " + op.outcome);
        }
        return op;
    }
}
