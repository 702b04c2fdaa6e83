package io.synod.tools.lin;

import java.util.List;

/**
 * Reference checker for tiny single-key histories: tries every order that respects real time, without memoization
 * or reductions. Exponential; only for differential tests.
 */
final class ExhaustiveSearch
{
    private ExhaustiveSearch()
    {
    }

    /** @param ops one key's operations as returned by {@link KvModel#partition}. */
    static boolean linearizable(final List<Operation> ops)
    {
        return search(ops, new boolean[ops.size()], KvModel.INITIAL);
    }

    private static boolean search(final List<Operation> ops, final boolean[] done, final String state)
    {
        long firstResponseNs = Operation.NO_RESPONSE_NS;
        boolean completedLeft = false;
        for (int i = 0; i < ops.size(); i++)
        {
            if (!done[i])
            {
                firstResponseNs = Math.min(firstResponseNs, ops.get(i).responseNs());
                completedLeft |= ops.get(i).responseNs() != Operation.NO_RESPONSE_NS;
            }
        }
        if (!completedLeft)
        {
            return true; // unknown operations left may be placed at the end, or never
        }
        for (int i = 0; i < ops.size(); i++)
        {
            final Operation op = ops.get(i);
            // Next may be any operation invoked no later than the earliest pending response.
            if (!done[i] && op.invokeNs() <= firstResponseNs)
            {
                final KvModel.Step step = KvModel.step(state, op.input(), op.output());
                if (step.legal())
                {
                    done[i] = true;
                    final boolean found = search(ops, done, step.state());
                    done[i] = false;
                    if (found)
                    {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
