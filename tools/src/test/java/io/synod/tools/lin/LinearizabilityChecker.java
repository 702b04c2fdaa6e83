package io.synod.tools.lin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Linearizability checker for {@link KvModel} histories, after Porcupine (Wing &amp; Gong search with Lowe's
 * memoization): single-threaded, one instance per calling thread; configure, then {@link #check}.
 * <p>
 * Each key is searched on its own. The history becomes a list of call and return entries ordered by time; the search
 * repeatedly tries to linearize some operation whose call precedes the first remaining return (it could have taken
 * effect before that response), and backtracks when the first remaining entry is a return. A
 * (linearized set, register value) pair already explored is never explored again, which is what makes this fast in
 * practice. Entries with equal times are ordered call before return, so touching intervals count as concurrent:
 * permissive, as clocks of different clients are only comparable up to their resolution.
 * <p>
 * The search is exponential in the worst case, so it is bounded by a step and a time budget per key; exceeding either
 * yields {@link Verdict#UNKNOWN}, never a pass.
 */
public final class LinearizabilityChecker
{
    public static final long DEFAULT_MAX_STEPS_PER_PARTITION = 10_000_000L;
    public static final long DEFAULT_TIMEOUT_PER_PARTITION_NS = 10_000_000_000L;

    /** How often (in steps) the deadline is read; the clock is cheap but not free. */
    private static final int DEADLINE_CHECK_INTERVAL_STEPS = 4096;

    /** Operations listed in an explanation, so a report stays readable for long histories. */
    private static final int MAX_REPORTED_OPERATIONS = 12;

    public enum Verdict
    {
        OK, ILLEGAL, UNKNOWN
    }

    /**
     * Outcome for one key.
     *
     * @param key             the register.
     * @param verdict         OK, ILLEGAL, or UNKNOWN when the budget ran out.
     * @param operationCount  operations searched (after dropping failed ops and unknown reads).
     * @param steps           search steps spent.
     * @param longestPrefix   for ILLEGAL and UNKNOWN, the longest linearization found, in order; empty for OK.
     * @param explanation     one human-readable paragraph.
     */
    public record PartitionResult(
        String key, Verdict verdict, int operationCount, long steps, List<Operation> longestPrefix, String explanation)
    {
    }

    /**
     * Outcome for a whole history: ILLEGAL if any key is illegal, else UNKNOWN if any key ran out of budget, else OK.
     *
     * @param verdict    overall verdict.
     * @param partitions per key, in order of first appearance.
     */
    public record Result(Verdict verdict, List<PartitionResult> partitions)
    {
        public List<String> failedKeys()
        {
            return partitions.stream().filter(p -> p.verdict() == Verdict.ILLEGAL).map(PartitionResult::key).toList();
        }

        /** Explanations of every key that is not OK, or a one-line summary when all are. */
        public String details()
        {
            final StringBuilder sb = new StringBuilder().append(verdict).append(": ").append(partitions.size())
                .append(" key(s) checked");
            for (final PartitionResult p : partitions)
            {
                if (p.verdict() != Verdict.OK)
                {
                    sb.append(System.lineSeparator()).append(p.explanation());
                }
            }
            return sb.toString();
        }

        @Override
        public String toString()
        {
            return details();
        }
    }

    private long maxStepsPerPartition = DEFAULT_MAX_STEPS_PER_PARTITION;
    private long timeoutPerPartitionNs = DEFAULT_TIMEOUT_PER_PARTITION_NS;

    public long maxStepsPerPartition()
    {
        return maxStepsPerPartition;
    }

    public LinearizabilityChecker maxStepsPerPartition(final long maxSteps)
    {
        if (maxSteps <= 0)
        {
            throw new IllegalArgumentException("maxStepsPerPartition must be positive: " + maxSteps);
        }
        this.maxStepsPerPartition = maxSteps;
        return this;
    }

    public long timeoutPerPartitionNs()
    {
        return timeoutPerPartitionNs;
    }

    public LinearizabilityChecker timeoutPerPartitionNs(final long timeoutNs)
    {
        if (timeoutNs <= 0)
        {
            throw new IllegalArgumentException("timeoutPerPartitionNs must be positive: " + timeoutNs);
        }
        this.timeoutPerPartitionNs = timeoutNs;
        return this;
    }

    public Result check(final History history)
    {
        final List<PartitionResult> results = new ArrayList<>();
        boolean illegal = false;
        boolean unknown = false;
        for (final Map.Entry<String, List<Operation>> e : KvModel.partition(history).entrySet())
        {
            final PartitionResult r = checkPartition(e.getKey(), e.getValue());
            illegal |= r.verdict() == Verdict.ILLEGAL;
            unknown |= r.verdict() == Verdict.UNKNOWN;
            results.add(r);
        }
        return new Result(illegal ? Verdict.ILLEGAL : unknown ? Verdict.UNKNOWN : Verdict.OK, List.copyOf(results));
    }

    /** Node of the doubly linked entry list; a call's {@code match} is its return and vice versa. */
    private static final class Entry
    {
        final boolean call;
        final int index;
        final long timeNs;
        Entry match;
        Entry prev;
        Entry next;

        Entry(final boolean call, final int index, final long timeNs)
        {
            this.call = call;
            this.index = index;
            this.timeNs = timeNs;
        }
    }

    /** Memo key; the bitset is a private copy and never mutated after insertion. */
    private record Explored(BitSet linearized, String state)
    {
    }

    PartitionResult checkPartition(final String key, final List<Operation> partition)
    {
        final UnknownWrites unknownWrites = new UnknownWrites(partition);
        final List<Operation> ops = unknownWrites.ops();
        final int n = ops.size();
        final Entry head = buildEntryList(ops);
        final long deadlineNs = System.nanoTime() + timeoutPerPartitionNs;
        int completedCount = 0;
        for (final Operation op : ops)
        {
            completedCount += op.responseNs() != Operation.NO_RESPONSE_NS ? 1 : 0;
        }

        final Set<Explored> explored = new HashSet<>();
        final BitSet linearized = new BitSet(n);
        final Entry[] stackEntry = new Entry[n];
        final String[] stackState = new String[n];
        int depth = 0;
        int completedLinearized = 0;
        int freeLinearized = 0;
        String state = KvModel.INITIAL;

        int bestDepth = 0;
        int[] bestOrder = new int[0];
        String bestState = KvModel.INITIAL;
        List<Operation> bestCandidates = candidates(head, ops);
        Operation bestBlocker = blocker(head, ops);

        long steps = 0;
        Entry entry = head.next;
        // Once every operation with a response is placed, the unknown ones left can all go at the end: their steps
        // are always legal (no output to match), so the search is done.
        while (completedLinearized < completedCount)
        {
            if (++steps > maxStepsPerPartition ||
                (steps % DEADLINE_CHECK_INTERVAL_STEPS == 0 && System.nanoTime() - deadlineNs > 0))
            {
                return new PartitionResult(key, Verdict.UNKNOWN, n, steps, operations(ops, bestOrder),
                    "key " + key + ": UNKNOWN, search budget exhausted after " + (steps - 1) + " steps (limit " +
                    maxStepsPerPartition + " steps / " + timeoutPerPartitionNs / 1_000_000 + " ms) with " + n +
                    " operations; longest linearizable prefix found has " + bestOrder.length + " operations");
            }

            if (entry.call)
            {
                final Operation op = ops.get(entry.index);
                boolean advanced = false;
                if (unknownWrites.worthTrying(entry.index, state, freeLinearized))
                {
                    final KvModel.Step step = KvModel.step(state, op.input(), op.output());
                    final String next = unknownWrites.canonical(entry.index, step.state());
                    if (step.legal())
                    {
                        linearized.set(entry.index);
                        if (explored.add(new Explored((BitSet)linearized.clone(), next)))
                        {
                            stackEntry[depth] = entry;
                            stackState[depth] = state;
                            depth++;
                            state = next;
                            completedLinearized += op.responseNs() != Operation.NO_RESPONSE_NS ? 1 : 0;
                            freeLinearized += unknownWrites.isFree(entry.index) ? 1 : 0;
                            lift(entry);
                            advanced = true;
                            if (depth > bestDepth)
                            {
                                bestDepth = depth;
                                bestOrder = new int[depth];
                                for (int i = 0; i < depth; i++)
                                {
                                    bestOrder[i] = stackEntry[i].index;
                                }
                                bestState = state;
                                bestCandidates = candidates(head, ops);
                                bestBlocker = blocker(head, ops);
                            }
                            entry = head.next;
                        }
                        else
                        {
                            linearized.clear(entry.index);
                        }
                    }
                }
                if (!advanced)
                {
                    entry = entry.next;
                }
            }
            else
            {
                // A response is due before anything else can be linearized: undo the latest choice and try the next.
                if (depth == 0)
                {
                    return new PartitionResult(key, Verdict.ILLEGAL, n, steps, operations(ops, bestOrder),
                        explainIllegal(key, n, ops, bestOrder, bestState, bestCandidates, bestBlocker));
                }
                depth--;
                final Entry top = stackEntry[depth];
                state = stackState[depth];
                stackEntry[depth] = null;
                linearized.clear(top.index);
                completedLinearized -= ops.get(top.index).responseNs() != Operation.NO_RESPONSE_NS ? 1 : 0;
                freeLinearized -= unknownWrites.isFree(top.index) ? 1 : 0;
                unlift(top);
                entry = top.next;
            }
        }

        return new PartitionResult(key, Verdict.OK, n, steps, List.of(),
            "key " + key + ": OK, " + n + " operations in " + steps + " steps");
    }

    /**
     * Reductions for unknown writes, which may take effect at any time after their invocation and so would otherwise
     * multiply the search space by two per unknown write. All keep the search complete:
     * <ul>
     * <li>An unknown write of a value written by no other operation, and observed by a completed operation (a read
     * of it, or a CAS that swapped from it), must take effect before the first such observer responds; that becomes
     * its response time, so it is no longer free to float.</li>
     * <li>An unknown CAS whose expected value does not match is a no-op; placing a no-op anywhere is the same as
     * placing it at the end, so it is only tried when it would swap.</li>
     * <li>An unknown write whose value no operation reads or expects leaves the register holding something nobody
     * can observe, so all such values are mapped to one {@link #canonical} value. Unknown PUTs of this kind
     * ("free") are then interchangeable and are used in invocation order (if a later one is used while an earlier
     * one is not, swapping them gives an equivalent linearization), which turns 2^k subsets into k + 1 prefixes.</li>
     * </ul>
     */
    private static final class UnknownWrites
    {
        private final List<Operation> ops;
        private final int[] freeRank;
        private final boolean[] unobserved;
        private final String canonicalUnobservedValue;

        UnknownWrites(final List<Operation> partition)
        {
            final Set<String> observed = new HashSet<>();
            final Map<String, Integer> writers = new HashMap<>();
            final Map<String, Long> firstObservedNs = new HashMap<>();
            for (final Operation op : partition)
            {
                final Operation.Input input = op.input();
                if (input.kind() != Operation.Kind.GET)
                {
                    writers.merge(input.value(), 1, Integer::sum);
                }
                String seen = null;
                if (input.kind() == Operation.Kind.CAS)
                {
                    observed.add(input.expected());
                    seen = op.output() != null && op.output().ok() ? input.expected() : null;
                }
                else if (input.kind() == Operation.Kind.GET && op.output() != null)
                {
                    observed.add(op.output().value());
                    seen = op.output().value();
                }
                if (seen != null && op.outcome() == Operation.Outcome.OK)
                {
                    firstObservedNs.merge(seen, op.responseNs(), Math::min);
                }
            }

            final List<Operation> bounded = new ArrayList<>(partition.size());
            for (final Operation op : partition)
            {
                final Long boundNs = op.outcome() == Operation.Outcome.UNKNOWN &&
                    writers.get(op.input().value()) == 1 ? firstObservedNs.get(op.input().value()) : null;
                bounded.add(boundNs == null || boundNs < op.invokeNs() ? op : new Operation(op.id(), op.clientId(),
                    op.key(), op.input(), null, op.invokeNs(), boundNs, op.outcome()));
            }
            this.ops = bounded;

            final Integer[] byInvoke = new Integer[ops.size()];
            for (int i = 0; i < byInvoke.length; i++)
            {
                byInvoke[i] = i;
            }
            Arrays.sort(byInvoke, Comparator.comparingLong(i -> ops.get(i).invokeNs()));

            freeRank = new int[ops.size()];
            unobserved = new boolean[ops.size()];
            Arrays.fill(freeRank, -1);
            int rank = 0;
            String canonical = null;
            for (final int i : byInvoke)
            {
                final Operation op = ops.get(i);
                if (op.outcome() == Operation.Outcome.UNKNOWN && !observed.contains(op.input().value()))
                {
                    unobserved[i] = true;
                    canonical = canonical == null ? op.input().value() : canonical;
                    if (op.input().kind() == Operation.Kind.PUT)
                    {
                        freeRank[i] = rank++;
                    }
                }
            }
            canonicalUnobservedValue = canonical;
        }

        /** The partition with observed unknown writes bounded, same order and ids. */
        List<Operation> ops()
        {
            return ops;
        }

        boolean isFree(final int index)
        {
            return freeRank[index] >= 0;
        }

        /** Whether linearizing this operation next can lead anywhere the search has not covered otherwise. */
        boolean worthTrying(final int index, final String state, final int freeLinearized)
        {
            if (freeRank[index] >= 0)
            {
                return freeRank[index] == freeLinearized;
            }
            final Operation op = ops.get(index);
            return op.outcome() != Operation.Outcome.UNKNOWN || op.input().kind() != Operation.Kind.CAS ||
                Objects.equals(state, op.input().expected());
        }

        /** Register value after the operation, with unobservable values merged into one. */
        String canonical(final int index, final String state)
        {
            return unobserved[index] && !Objects.equals(state, KvModel.INITIAL) ? canonicalUnobservedValue : state;
        }
    }

    /** Sentinel head followed by calls and returns ordered by time, calls first on ties. */
    private static Entry buildEntryList(final List<Operation> ops)
    {
        final Entry[] entries = new Entry[ops.size() * 2];
        for (int i = 0; i < ops.size(); i++)
        {
            final Operation op = ops.get(i);
            final Entry call = new Entry(true, i, op.invokeNs());
            final Entry ret = new Entry(false, i, op.responseNs());
            call.match = ret;
            ret.match = call;
            entries[2 * i] = call;
            entries[2 * i + 1] = ret;
        }
        Arrays.sort(entries, Comparator.<Entry>comparingLong(e -> e.timeNs)
            .thenComparing(e -> e.call ? 0 : 1)
            .thenComparingInt(e -> e.index));

        final Entry head = new Entry(true, -1, Long.MIN_VALUE);
        Entry prev = head;
        for (final Entry e : entries)
        {
            prev.next = e;
            e.prev = prev;
            prev = e;
        }
        return head;
    }

    /** Remove a call and its return from the list; a call always has a successor (at least its own return). */
    private static void lift(final Entry call)
    {
        call.prev.next = call.next;
        call.next.prev = call.prev;
        final Entry ret = call.match;
        ret.prev.next = ret.next;
        if (ret.next != null)
        {
            ret.next.prev = ret.prev;
        }
    }

    /** Exact inverse of {@link #lift}, valid because lifts are undone in LIFO order. */
    private static void unlift(final Entry call)
    {
        final Entry ret = call.match;
        ret.prev.next = ret;
        if (ret.next != null)
        {
            ret.next.prev = ret;
        }
        call.prev.next = call;
        call.next.prev = call;
    }

    /** Operations that may be linearized next: calls before the first remaining return. */
    private static List<Operation> candidates(final Entry head, final List<Operation> ops)
    {
        final List<Operation> result = new ArrayList<>();
        for (Entry e = head.next; e != null && e.call; e = e.next)
        {
            result.add(ops.get(e.index));
        }
        return result;
    }

    /** Operation whose response is due first, or null if none remains. */
    private static Operation blocker(final Entry head, final List<Operation> ops)
    {
        Entry e = head.next;
        while (e != null && e.call)
        {
            e = e.next;
        }
        return e == null ? null : ops.get(e.index);
    }

    private static List<Operation> operations(final List<Operation> ops, final int[] order)
    {
        final List<Operation> result = new ArrayList<>(order.length);
        for (final int index : order)
        {
            result.add(ops.get(index));
        }
        return List.copyOf(result);
    }

    private static String explainIllegal(final String key, final int n, final List<Operation> ops, final int[] order,
        final String state, final List<Operation> candidates, final Operation blocker)
    {
        final StringBuilder sb = new StringBuilder()
            .append("key ").append(key).append(": ILLEGAL, not linearizable; longest linearizable prefix has ")
            .append(order.length).append(" of ").append(n).append(" operations");
        if (order.length == 0)
        {
            sb.append(" (no operation can be linearized first from the initial value ").append(KvModel.INITIAL)
                .append(')');
        }
        else
        {
            sb.append(", leaving value ").append(state).append(":");
            final int from = Math.max(0, order.length - MAX_REPORTED_OPERATIONS);
            if (from > 0)
            {
                sb.append(System.lineSeparator()).append("    ... ").append(from).append(" earlier");
            }
            for (int i = from; i < order.length; i++)
            {
                sb.append(System.lineSeparator()).append("    ").append(ops.get(order[i]).describe());
            }
        }
        if (blocker != null)
        {
            sb.append(System.lineSeparator()).append("  then ").append(blocker.describe())
                .append(" must take effect before its response, and no legal order of it and the operations")
                .append(" concurrent with it gets there");
        }
        if (!candidates.isEmpty())
        {
            sb.append("; candidates were:");
            for (int i = 0; i < Math.min(candidates.size(), MAX_REPORTED_OPERATIONS); i++)
            {
                sb.append(System.lineSeparator()).append("    ").append(candidates.get(i).describe());
            }
        }
        return sb.toString();
    }
}
