package io.synod.tools.lin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates linearizable histories by construction: single-threaded, deterministic per seed.
 * <p>
 * Clients run against one real sequential store on a logical clock. Each operation goes through three events,
 * interleaved at random across clients: invoke, take effect on the store (its linearization point, which computes the
 * output), respond. Some operations fail before taking effect, some go unknown before or after taking effect. Values
 * written are unique, so a read can be corrupted into a value that was never written.
 */
final class RandomHistories
{
    /**
     * Shape of a generated history.
     *
     * @param clients     concurrent clients; each has at most one operation in flight.
     * @param keys        distinct registers.
     * @param operations  operations invoked in total.
     * @param unknownRate chance that an operation ends unknown (half before, half after taking effect).
     * @param failRate    chance that an operation fails before taking effect.
     * @param casRate     chance that an operation is a compare-and-set (the rest split between put and get).
     */
    record Shape(int clients, int keys, int operations, double unknownRate, double failRate, double casRate)
    {
    }

    private enum Phase
    {
        IDLE, INVOKED, APPLIED
    }

    private static final class Client
    {
        Phase phase = Phase.IDLE;
        int id;
        String key;
        Operation.Input input;
        Operation.Output output;
    }

    private RandomHistories()
    {
    }

    static History generate(final long seed, final Shape shape)
    {
        final Random random = new Random(seed);
        final HistoryRecorder recorder = new HistoryRecorder();
        final Map<String, String> store = new HashMap<>();
        final Client[] clients = new Client[shape.clients()];
        for (int i = 0; i < clients.length; i++)
        {
            clients[i] = new Client();
        }

        int invoked = 0;
        int busy = 0;
        int nextValue = 0;
        long nowNs = 0;
        while (invoked < shape.operations() || busy > 0)
        {
            nowNs += 1 + random.nextInt(3);
            final int clientId = random.nextInt(clients.length);
            final Client c = clients[clientId];
            switch (c.phase)
            {
                case IDLE ->
                {
                    if (invoked == shape.operations())
                    {
                        continue;
                    }
                    c.key = "k" + random.nextInt(shape.keys());
                    final double roll = random.nextDouble();
                    if (roll < shape.casRate())
                    {
                        // Expect the current value half the time so that some swaps succeed.
                        final String expected = random.nextBoolean() ? store.get(c.key) : "v" + random.nextInt(
                            Math.max(1, nextValue));
                        c.input = Operation.Input.cas(expected, "v" + nextValue++);
                    }
                    else if (roll < shape.casRate() + (1 - shape.casRate()) / 2)
                    {
                        c.input = Operation.Input.put("v" + nextValue++);
                    }
                    else
                    {
                        c.input = Operation.Input.get();
                    }
                    c.id = recorder.invoke(clientId, c.key, c.input, nowNs);
                    c.phase = Phase.INVOKED;
                    invoked++;
                    busy++;
                }
                case INVOKED ->
                {
                    final double roll = random.nextDouble();
                    if (roll < shape.failRate())
                    {
                        recorder.fail(c.id);
                        c.phase = Phase.IDLE;
                        busy--;
                    }
                    else if (roll < shape.failRate() + shape.unknownRate() / 2)
                    {
                        recorder.unknown(c.id);
                        c.phase = Phase.IDLE;
                        busy--;
                    }
                    else
                    {
                        c.output = apply(store, c.key, c.input);
                        c.phase = Phase.APPLIED;
                    }
                }
                case APPLIED ->
                {
                    if (random.nextDouble() < shape.unknownRate() / 2)
                    {
                        recorder.unknown(c.id);
                    }
                    else
                    {
                        recorder.ok(c.id, c.output, nowNs);
                    }
                    c.phase = Phase.IDLE;
                    busy--;
                }
                default -> throw new IllegalStateException(c.phase.name());
            }
        }
        return recorder.history();
    }

    private static Operation.Output apply(final Map<String, String> store, final String key,
        final Operation.Input input)
    {
        switch (input.kind())
        {
            case PUT:
                store.put(key, input.value());
                return Operation.Output.written();
            case GET:
                return Operation.Output.read(store.get(key));
            case CAS:
                if (java.util.Objects.equals(store.get(key), input.expected()))
                {
                    store.put(key, input.value());
                    return Operation.Output.cas(true);
                }
                return Operation.Output.cas(false);
            default:
                throw new IllegalStateException(input.kind().name());
        }
    }

    /** Completed reads, candidates for corruption. */
    static List<Operation> okReads(final History history)
    {
        final List<Operation> reads = new ArrayList<>();
        for (final Operation op : history.operations())
        {
            if (op.outcome() == Operation.Outcome.OK && op.input().kind() == Operation.Kind.GET)
            {
                reads.add(op);
            }
        }
        return reads;
    }
}
