package io.synod.bench;

import io.synod.codecs.MessageValidator;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * {@link MessageValidator#validate} on the messages {@link CodecBenchmark} encodes: an Accept of 8
 * entries of 32 B with 2 chosen ranges, and a ClientCommand of 32 B. One op is one validation; the
 * result is {@code OK} every time (checked at setup). Run with {@code -prof gc}: the goal is 0 B/op.
 * Single-threaded: each JMH thread owns its state.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens", "java.base/java.nio=ALL-UNNAMED" })
public class ValidatorBenchmark
{
    private final MessageValidator validator = new MessageValidator();
    private UnsafeBuffer accept;
    private int acceptLengthBytes;
    private UnsafeBuffer command;
    private int commandLengthBytes;

    @Setup(Level.Trial)
    public void setup()
    {
        final CodecBenchmark codec = new CodecBenchmark();
        codec.setup();
        accept = codec.acceptBuffer();
        acceptLengthBytes = codec.acceptLengthBytes();
        command = codec.commandBuffer();
        commandLengthBytes = codec.commandLengthBytes();
        check(validateAccept(), "Accept");
        check(validateClientCommand(), "ClientCommand");
    }

    @Benchmark
    public int validateAccept()
    {
        return validator.validate(accept, 0, acceptLengthBytes);
    }

    @Benchmark
    public int validateClientCommand()
    {
        return validator.validate(command, 0, commandLengthBytes);
    }

    private static void check(final int reason, final String message)
    {
        if (reason != MessageValidator.OK)
        {
            throw new IllegalStateException(message + " does not validate: " + MessageValidator.reasonName(reason));
        }
    }
}
