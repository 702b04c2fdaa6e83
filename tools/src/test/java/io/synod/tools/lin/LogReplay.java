package io.synod.tools.lin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns what the clients saw plus a replica's delivered log into a {@link History}: the state machine, a map of
 * registers, is the replay of the log, so each operation's output is computed at the position where the log applied
 * it (its first occurrence; the delivered log holds only those). Single-threaded, used once.
 * <p>
 * In the history an acknowledged operation is ok, invoked at its offer and answered at its acknowledgement, with the
 * output from the replay; an operation never acknowledged (or given up on) is unknown, with no output, whether the
 * log holds it or not; a rejected one is failed. Besides, the replay checks what the log alone must satisfy and
 * reports every breach as an anomaly:
 * <pre>
 *   - every line names an operation some client sent, and each (clientId, sequence) appears once;
 *   - every acknowledged operation is in the log, at or before the slot its acknowledgement named;
 *   - no rejected operation is in the log;
 *   - the log order respects real time: an operation acknowledged before another was offered comes first.
 * </pre>
 * The last one is stronger than linearizability (it fixes the log as the linearization); the checker, run on the
 * history, does not depend on it.
 */
final class LogReplay
{
    private static final int MAX_REPORTED_ANOMALIES = 20;

    private final List<String> anomalies = new ArrayList<>();
    private int anomalyCount;
    private int applied;
    private int appliedUnknown;
    private int unknownNotApplied;
    private int ackedLater;
    private History history;

    /**
     * @param delivered the delivered log, lines {@code "slot clientId sequence"}.
     * @param clients   every operation each client offered.
     */
    LogReplay(final List<String> delivered, final List<List<KvWorkloadClient.ClientOp>> clients)
    {
        final Map<Long, Map<Long, KvWorkloadClient.ClientOp>> byClient = new HashMap<>();
        final List<KvWorkloadClient.ClientOp> all = new ArrayList<>();
        for (final List<KvWorkloadClient.ClientOp> ops : clients)
        {
            for (final KvWorkloadClient.ClientOp op : ops)
            {
                byClient.computeIfAbsent(op.clientId, k -> new HashMap<>()).put(op.sequence, op);
                all.add(op);
            }
        }

        final Map<KvWorkloadClient.ClientOp, Operation.Output> outputs = new HashMap<>();
        final Map<KvWorkloadClient.ClientOp, Long> slotOf = new HashMap<>();
        final List<KvWorkloadClient.ClientOp> logOrder = new ArrayList<>(delivered.size());
        final Map<String, String> registers = new HashMap<>();
        final Map<Long, Long> lastApplied = new java.util.HashMap<>();
        for (int line = 0; line < delivered.size(); line++)
        {
            final String[] fields = delivered.get(line).split(" ");
            if (fields.length != 3)
            {
                anomaly("line " + (line + 1) + " malformed: '" + delivered.get(line) + "'");
                continue;
            }
            final long slot = Long.parseLong(fields[0]);
            final long clientId = Long.parseLong(fields[1]);
            final long sequence = Long.parseLong(fields[2]);
            // Per-client FIFO (issue 10): each client's sequences are applied in order, none skipped.
            final long previous = lastApplied.getOrDefault(clientId, 0L);
            if (sequence != previous + 1)
            {
                anomaly("slot " + slot + ": client " + clientId + " sequence " + sequence + " applied after sequence " +
                    previous + " (per-client FIFO)");
            }
            lastApplied.put(clientId, Math.max(previous, sequence));
            final KvWorkloadClient.ClientOp op = byClient.getOrDefault(clientId, Map.of()).get(sequence);
            if (op == null)
            {
                anomaly("slot " + slot + ": client " + clientId + " sequence " + sequence + " was never offered");
                continue;
            }
            if (slotOf.putIfAbsent(op, slot) != null)
            {
                anomaly("client " + clientId + " sequence " + sequence + " applied twice, in slots " + slotOf.get(op) +
                    " and " + slot);
                continue;
            }
            logOrder.add(op);
            outputs.put(op, apply(registers, op));
            applied++;
            if (op.failed())
            {
                anomaly("client " + clientId + " sequence " + sequence + " rejected (" + op.errorCode +
                    ") but applied in slot " + slot);
            }
            if (op.ackSlot >= 0 && slot > op.ackSlot)
            {
                anomaly("client " + clientId + " sequence " + sequence + " applied in slot " + slot +
                    ", after the slot " + op.ackSlot + " its ack named");
            }
            ackedLater += op.ackSlot > slot ? 1 : 0;
            appliedUnknown += op.ok() ? 0 : 1;
        }

        checkRealTimeOrder(logOrder);

        final List<Operation> operations = new ArrayList<>(all.size());
        for (final KvWorkloadClient.ClientOp op : all)
        {
            final int id = operations.size();
            if (op.failed())
            {
                operations.add(new Operation(id, op.process, op.key, op.input, null, op.invokeNs,
                    Operation.NO_RESPONSE_NS, Operation.Outcome.FAIL));
                continue;
            }
            final Operation.Output output = outputs.get(op);
            if (op.ok() && output == null)
            {
                anomaly("client " + op.clientId + " sequence " + op.sequence + " acked in slot " + op.ackSlot +
                    " but not in the delivered log");
            }
            if (op.ok() && output != null)
            {
                operations.add(new Operation(id, op.process, op.key, op.input, output, op.invokeNs, op.responseNs,
                    Operation.Outcome.OK));
            }
            else
            {
                // Never acknowledged (or acked and lost, reported above): it may or may not have taken effect.
                unknownNotApplied += output == null && !op.ok() ? 1 : 0;
                operations.add(new Operation(id, op.process, op.key, op.input, null, op.invokeNs,
                    Operation.NO_RESPONSE_NS, Operation.Outcome.UNKNOWN));
            }
        }
        history = new History(operations);
    }

    History history()
    {
        return history;
    }

    /** @return at most {@value #MAX_REPORTED_ANOMALIES} descriptions; {@link #anomalyCount()} has them all. */
    List<String> anomalies()
    {
        return anomalies;
    }

    int anomalyCount()
    {
        return anomalyCount;
    }

    /** Lines of the log that named an operation. */
    int applied()
    {
        return applied;
    }

    /** Operations in the log whose client never learned it: given up on, or acked after it gave up. */
    int appliedUnknown()
    {
        return appliedUnknown;
    }

    /** Unknown operations that the log does not hold: they never took effect. */
    int unknownNotApplied()
    {
        return unknownNotApplied;
    }

    /** Acknowledgements that named a later duplicate copy than the slot where the command was applied. */
    int ackedLater()
    {
        return ackedLater;
    }

    private static Operation.Output apply(final Map<String, String> registers, final KvWorkloadClient.ClientOp op)
    {
        final String state = registers.get(op.key);
        switch (op.input.kind())
        {
            case PUT:
                registers.put(op.key, op.input.value());
                return Operation.Output.written();

            case GET:
                return Operation.Output.read(state);

            case CAS:
                final boolean swaps = Objects.equals(state, op.input.expected());
                if (swaps)
                {
                    registers.put(op.key, op.input.value());
                }
                return Operation.Output.cas(swaps);

            default:
                throw new IllegalStateException("unhandled kind " + op.input.kind());
        }
    }

    /**
     * Scans the log backwards keeping the earliest acknowledgement among the operations applied later: an
     * operation offered after that acknowledgement was applied too early.
     */
    private void checkRealTimeOrder(final List<KvWorkloadClient.ClientOp> logOrder)
    {
        long earliestLaterResponseNs = Long.MAX_VALUE;
        KvWorkloadClient.ClientOp earliestLater = null;
        for (int i = logOrder.size() - 1; i >= 0; i--)
        {
            final KvWorkloadClient.ClientOp op = logOrder.get(i);
            if (op.invokeNs > earliestLaterResponseNs)
            {
                anomaly("log position " + i + ": client " + op.clientId + " sequence " + op.sequence +
                    " was offered " + (op.invokeNs - earliestLaterResponseNs) / 1000 + " us after client " +
                    earliestLater.clientId + " sequence " + earliestLater.sequence + " (applied later, in slot " +
                    earliestLater.ackSlot + " or before) was acknowledged");
            }
            if (op.ok() && op.responseNs < earliestLaterResponseNs)
            {
                earliestLaterResponseNs = op.responseNs;
                earliestLater = op;
            }
        }
    }

    private void anomaly(final String description)
    {
        anomalyCount++;
        if (anomalies.size() < MAX_REPORTED_ANOMALIES)
        {
            anomalies.add(description);
        }
    }
}
