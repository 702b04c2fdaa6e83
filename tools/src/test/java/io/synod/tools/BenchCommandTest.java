package io.synod.tools;

import io.synod.bench.rig.InMemoryEchoTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code synod bench} as a script sees it: exit codes, errors naming the option typed, and results
 * in a directory of their own. Runs against the in-memory echo target, which starts no cluster.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BenchCommandTest
{
    @TempDir
    Path out;

    private final StringWriter err = new StringWriter();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private int run(final BenchCommand command, final String... args)
    {
        final CommandLine commandLine = new CommandLine(command);
        commandLine.setErr(new PrintWriter(err, true));
        final PrintStream realOut = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try
        {
            return commandLine.execute(args);
        }
        finally
        {
            System.setOut(realOut);
        }
    }

    private String printed()
    {
        return printed.toString(StandardCharsets.UTF_8);
    }

    private List<Path> runDirectories() throws IOException
    {
        try (Stream<Path> children = Files.list(out))
        {
            return children.sorted().collect(Collectors.toList());
        }
    }

    @Test
    void aThroughputRunWritesItsJsonSummaryIntoATimestampedDirectoryOfItsOwn() throws IOException
    {
        final String[] args = { "throughput", "--target", "in-memory-echo", "--payloads", "32", "--duration", "1",
            "--warmup", "0", "--idle", "busy", "--out", out.toString() };
        assertEquals(SynodCommand.EXIT_OK, run(new BenchCommand(), args), err + printed());
        assertEquals(SynodCommand.EXIT_OK, run(new BenchCommand(), args), err + printed());

        final List<Path> dirs = runDirectories();
        assertEquals(2, dirs.size(), "two runs in the same second must not share a directory: " + dirs);
        for (final Path dir : dirs)
        {
            final String json = Files.readString(dir.resolve("summary.json"));
            assertTrue(json.contains("\"mode\": \"throughput\""), json);
            assertTrue(json.contains("\"commandsPerSecond\": "), json);
            assertTrue(json.contains("\"intervals\": [{"), "throughput per interval is recorded: " + json);
            assertTrue(json.contains("\"failures\": []"), json);
            assertTrue(Files.exists(dir.resolve("in-memory-echo-throughput-32B.html")), "throughput plot");
        }
        assertTrue(printed().contains("results: " + dirs.get(0)) || printed().contains("results: " + dirs.get(1)));
    }

    @Test
    void aRunThatAcknowledgedNothingExitsNonZero() throws IOException
    {
        final BenchCommand command = new BenchCommand();
        command.targets = (name, options) -> new InMemoryEchoTarget(4096)
        {
            @Override
            protected boolean answering()
            {
                return false;
            }
        };
        final int exit = run(command, "throughput", "--target", "in-memory-echo", "--payloads", "32",
            "--duration", "1", "--warmup", "0", "--out", out.toString());

        assertEquals(SynodCommand.EXIT_FAILED, exit, printed());
        assertTrue(printed().contains("FAILED: in-memory-echo acknowledged no command"), printed());
        final String json = Files.readString(runDirectories().get(0).resolve("summary.json"));
        assertTrue(json.contains("acknowledged no command"), json);
    }

    @Test
    void aLatencyRunThatMissedItsOfferedRateExitsNonZero()
    {
        final BenchCommand command = new BenchCommand();
        // One command in flight, answered at most every 2 ms: at most 500/s against 5,000/s offered.
        command.targets = (name, options) -> new InMemoryEchoTarget(4096)
        {
            private long lastAnswerNs;

            @Override
            protected boolean answering()
            {
                final long nowNs = System.nanoTime();
                if (nowNs - lastAnswerNs >= 2_000_000)
                {
                    lastAnswerNs = nowNs;
                    return true;
                }
                return false;
            }
        };
        final int exit = run(command, "latency", "--target", "in-memory-echo", "--payloads", "32", "--rate", "5000",
            "--window", "1", "--duration", "1", "--warmup", "0", "--out", out.toString());

        assertEquals(SynodCommand.EXIT_FAILED, exit, printed());
        assertTrue(printed().contains("below the offered rate of 5000/s"), printed());
    }

    @Test
    void anOversizedPayloadIsRefusedBeforeAnythingStartsNamingTheLimit() throws IOException
    {
        final int exit = run(new BenchCommand(), "throughput", "--payloads", "20000", "--out", out.toString());

        assertEquals(SynodCommand.EXIT_USAGE, exit);
        assertTrue(err.toString().contains("--payloads: 20000 bytes is more than synod"), err.toString());
        assertTrue(err.toString().contains("at most 16364 bytes"), err.toString());
        assertTrue(runDirectories().isEmpty(), "nothing ran");
    }

    @Test
    void badOptionsAreRefusedNamingTheOptionTyped() throws IOException
    {
        assertRefused("--rate", "latency", "--target", "in-memory-echo", "--rate", "0");
        assertRefused("--duration", "latency", "--target", "in-memory-echo", "--duration", "0");
        assertRefused("--window", "throughput", "--target", "in-memory-echo", "--window", "0");
        assertRefused("--compare", "latency", "--target", "in-memory-echo", "--compare", "nonsense");
        assertRefused("--target", "latency", "--target", "nonsense");
        assertRefused("--threading", "latency", "--target", "in-memory-echo", "--threading", "INVOKER");
        assertRefused("--idle", "latency", "--target", "in-memory-echo", "--idle", "lazy");
        assertRefused("MODE", "sideways", "--target", "in-memory-echo");
        assertTrue(runDirectories().isEmpty(), "no run started: " + runDirectories());
    }

    private void assertRefused(final String option, final String... args)
    {
        final String[] withOut = Stream.concat(Stream.of(args), Stream.of("--out", out.toString())).toArray(String[]::new);
        err.getBuffer().setLength(0);
        assertEquals(SynodCommand.EXIT_USAGE, run(new BenchCommand(), withOut), String.join(" ", args));
        assertTrue(err.toString().contains(option), "message names " + option + ": " + err);
        assertFalse(err.toString().contains("Exception"), err.toString());
    }
}
