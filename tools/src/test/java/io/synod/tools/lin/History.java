package io.synod.tools.lin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A complete client-observed history: immutable, safe to share.
 *
 * @param operations every operation issued, in any order; ids are unique.
 */
public record History(List<Operation> operations)
{
    public History
    {
        operations = List.copyOf(operations);
    }

    /** Hand-made history: ids become the argument positions. */
    public static History of(final Operation... operations)
    {
        return of(Arrays.asList(operations));
    }

    /** Hand-made history: ids become the list positions. */
    public static History of(final List<Operation> operations)
    {
        final List<Operation> numbered = new ArrayList<>(operations.size());
        for (int i = 0; i < operations.size(); i++)
        {
            numbered.add(operations.get(i).withId(i));
        }
        return new History(numbered);
    }

    /** Copy with the operation of the same id replaced, used to plant anomalies. */
    public History replace(final Operation replacement)
    {
        final List<Operation> copy = new ArrayList<>(operations);
        for (int i = 0; i < copy.size(); i++)
        {
            if (copy.get(i).id() == replacement.id())
            {
                copy.set(i, replacement);
                return new History(copy);
            }
        }
        throw new IllegalArgumentException("no operation with id " + replacement.id());
    }

    public int size()
    {
        return operations.size();
    }
}
