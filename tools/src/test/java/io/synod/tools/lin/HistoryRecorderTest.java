package io.synod.tools.lin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.synod.tools.lin.LinearizabilityChecker.Verdict;
import io.synod.tools.lin.Operation.Input;
import io.synod.tools.lin.Operation.Outcome;
import io.synod.tools.lin.Operation.Output;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HistoryRecorderTest
{
    @Test
    void recordsOutcomesAndTreatsInFlightOperationsAsUnknown()
    {
        final HistoryRecorder recorder = new HistoryRecorder();
        final int put = recorder.invoke(1, "x", Input.put("a"), 0);
        final int get = recorder.invoke(2, "x", Operation.Kind.GET, null, null, 1);
        final int failed = recorder.invoke(3, "x", Input.put("b"), 2);
        final int timedOut = recorder.invoke(4, "x", Input.cas("a", "c"), 3);
        final int inFlight = recorder.invoke(5, "x", Input.put("d"), 4);
        recorder.ok(put, Output.written(), 10);
        recorder.ok(get, Output.read("a"), 11);
        recorder.fail(failed);
        recorder.unknown(timedOut);

        final History history = recorder.history();
        assertEquals(5, history.size());
        assertEquals(Outcome.OK, history.operations().get(put).outcome());
        assertEquals(11, history.operations().get(get).responseNs());
        assertEquals(Outcome.FAIL, history.operations().get(failed).outcome());
        assertEquals(Outcome.UNKNOWN, history.operations().get(timedOut).outcome());
        final Operation pending = history.operations().get(inFlight);
        assertEquals(Outcome.UNKNOWN, pending.outcome());
        assertEquals(Operation.NO_RESPONSE_NS, pending.responseNs());
        assertNull(pending.output());
        assertThrows(IllegalStateException.class, () -> recorder.ok(put, Output.written(), 12));
        assertEquals(Verdict.OK, new LinearizabilityChecker().check(history).verdict());
    }

    /**
     * Real threads against a linearizable store ({@link ConcurrentHashMap}), times from the monotonic clock read
     * just before the call and just after it: the recorded history must check OK.
     */
    @Test
    void concurrentClientsAgainstALinearizableStore() throws InterruptedException
    {
        final HistoryRecorder recorder = new HistoryRecorder();
        final ConcurrentHashMap<String, String> store = new ConcurrentHashMap<>();
        final List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < 4; c++)
        {
            final int clientId = c;
            threads.add(new Thread(() ->
            {
                final ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 200; i++)
                {
                    final String key = "k" + random.nextInt(3);
                    final int op = random.nextInt(3);
                    if (op == 0)
                    {
                        final String value = clientId + "-" + i;
                        final int id = recorder.invoke(clientId, key, Input.put(value), System.nanoTime());
                        store.put(key, value);
                        recorder.ok(id, Output.written(), System.nanoTime());
                    }
                    else if (op == 1)
                    {
                        final int id = recorder.invoke(clientId, key, Input.get(), System.nanoTime());
                        final String value = store.get(key);
                        recorder.ok(id, Output.read(value), System.nanoTime());
                    }
                    else
                    {
                        final String expected = store.get(key);
                        final String value = clientId + "-" + i;
                        final int id = recorder.invoke(clientId, key, Input.cas(expected, value), System.nanoTime());
                        final boolean swapped = expected == null ? store.putIfAbsent(key, value) == null :
                            store.replace(key, expected, value);
                        recorder.ok(id, Output.cas(swapped), System.nanoTime());
                    }
                }
            }, "lin-client-" + c));
        }
        threads.forEach(Thread::start);
        for (final Thread t : threads)
        {
            t.join();
        }

        final History history = recorder.history();
        assertEquals(800, history.size());
        final LinearizabilityChecker.Result result = new LinearizabilityChecker().check(history);
        assertEquals(Verdict.OK, result.verdict(), result::details);
    }
}
