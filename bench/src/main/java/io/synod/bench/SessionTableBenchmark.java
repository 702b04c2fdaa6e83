package io.synod.bench;

import io.synod.engine.protocol.SessionTable;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * {@link SessionTable#apply} in steady state: {@code clients} known clients, each applying its next
 * sequence in turn (the learner's path for every delivered command). One op is one apply. Run with
 * {@code -prof gc}: the goal is 0 B/op. Single-threaded: each JMH thread owns its table.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens", "java.base/java.nio=ALL-UNNAMED" })
public class SessionTableBenchmark
{
    @Param({ "1", "1024" })
    public int clients;

    private SessionTable table;
    private long[] sequences;
    private int next;

    @Setup(Level.Trial)
    public void setup()
    {
        table = new SessionTable(4096);
        sequences = new long[clients];
        for (int i = 0; i < clients; i++)
        {
            table.open(i + 1, 1);
            table.apply(i + 1, ++sequences[i]);
        }
    }

    @Benchmark
    public int apply()
    {
        final int client = next;
        next = client + 1 == clients ? 0 : client + 1;
        return table.apply(client + 1, ++sequences[client]);
    }
}
