package io.synod.tools.lin;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replay gives outputs from the log order and reports what a correct log cannot hold; together with the checker
 * it rejects a log that reorders acknowledged operations.
 */
class LogReplayTest
{
    private static KvWorkloadClient.ClientOp acked(
        final long clientId, final long sequence, final Operation.Input input, final long invokeNs,
        final long responseNs, final long ackSlot)
    {
        final KvWorkloadClient.ClientOp op = new KvWorkloadClient.ClientOp(clientId, (int)clientId, sequence, "x",
            input, invokeNs);
        op.responseNs = responseNs;
        op.ackSlot = ackSlot;
        return op;
    }

    @Test
    void shouldComputeOutputsFromTheLogAndAcceptALinearizableHistory()
    {
        final KvWorkloadClient.ClientOp put = acked(1, 1, Operation.Input.put("a"), 0, 10, 0);
        final KvWorkloadClient.ClientOp get = acked(2, 1, Operation.Input.get(), 20, 30, 1);
        final KvWorkloadClient.ClientOp cas = acked(2, 2, Operation.Input.cas("a", "b"), 40, 50, 2);
        final KvWorkloadClient.ClientOp lost = new KvWorkloadClient.ClientOp(1, 5, 2, "x", Operation.Input.put("z"), 45);
        lost.gaveUp = true;

        final LogReplay replay = new LogReplay(List.of("0 1 1", "1 2 1", "2 2 2"), List.of(List.of(put, lost),
            List.of(get, cas)));

        assertEquals(0, replay.anomalyCount(), () -> String.join("\n", replay.anomalies()));
        assertEquals(1, replay.unknownNotApplied());
        final History history = replay.history();
        assertEquals("a", history.operations().get(2).output().value());
        assertTrue(history.operations().get(3).output().ok());
        assertNull(history.operations().get(1).output());
        assertEquals(LinearizabilityChecker.Verdict.OK, new LinearizabilityChecker().check(history).verdict());
    }

    @Test
    void shouldRejectALogThatAppliesALaterOperationFirst()
    {
        // put(a) is acknowledged before the get is offered, but the log applies the get first: it reads nothing.
        final KvWorkloadClient.ClientOp put = acked(1, 1, Operation.Input.put("a"), 0, 10, 1);
        final KvWorkloadClient.ClientOp get = acked(2, 1, Operation.Input.get(), 20, 30, 1);

        final LogReplay replay = new LogReplay(List.of("0 2 1", "1 1 1"), List.of(List.of(put), List.of(get)));

        assertEquals(1, replay.anomalyCount(), () -> String.join("\n", replay.anomalies()));
        assertNull(replay.history().operations().get(1).output().value());
        assertEquals(LinearizabilityChecker.Verdict.ILLEGAL, new LinearizabilityChecker().check(replay.history())
            .verdict());
    }

    @Test
    void shouldReportLostDuplicatedUnknownAndLateCommands()
    {
        final KvWorkloadClient.ClientOp lost = acked(1, 1, Operation.Input.put("a"), 0, 10, 0);
        final KvWorkloadClient.ClientOp twice = acked(1, 2, Operation.Input.put("b"), 20, 30, 1);
        final KvWorkloadClient.ClientOp late = acked(1, 3, Operation.Input.put("c"), 40, 50, 2);

        final LogReplay replay = new LogReplay(List.of("1 1 2", "2 1 2", "3 9 1", "5 1 3"),
            List.of(List.of(lost, twice, late)));

        // applied twice, never offered, applied after its acked slot, acked but missing; and per-client
        // FIFO broken twice: 2 applied with 1 missing, and 2 applied again after itself.
        assertEquals(6, replay.anomalyCount(), () -> String.join("\n", replay.anomalies()));
    }
}
