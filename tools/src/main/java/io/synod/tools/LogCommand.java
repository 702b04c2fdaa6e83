package io.synod.tools;

import io.synod.engine.log.LogCorruptionException;
import io.synod.engine.log.LogFailureException;
import io.synod.engine.log.LogReader;
import io.synod.engine.log.LogRecordDescriptor;
import io.synod.engine.log.LogScanner;
import io.synod.engine.log.MetadataFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code synod log verify|dump}: inspects an acceptor log directory read only; runs on the main thread.
 */
@Command(
    name = "log",
    mixinStandardHelpOptions = true,
    description = "Inspect an acceptor log directory (read only).",
    subcommands = { LogCommand.Verify.class, LogCommand.Dump.class })
public final class LogCommand implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: verify or dump");
    }

    /**
     * Opens a log for reading, or prints why not and returns null with the exit code in {@code exit[0]}.
     */
    static LogReader openOrReport(final Path dir, final PrintWriter err, final int[] exit)
    {
        if (!LogReader.isLogDirectory(dir))
        {
            err.println("error: " + dir + " is not a log directory (missing directory or " +
                MetadataFile.path(dir).getFileName() + ")" + logsBelow(dir));
            exit[0] = SynodCommand.EXIT_USAGE;
            return null;
        }
        try
        {
            return LogReader.open(dir);
        }
        catch (final LogCorruptionException ex)
        {
            err.println("CORRUPT: " + ex.getMessage());
            exit[0] = SynodCommand.EXIT_CORRUPTION;
        }
        catch (final LogFailureException ex)
        {
            err.println("error: " + ex.getMessage() + (null != ex.getCause() ? ": " + ex.getCause() : ""));
            exit[0] = SynodCommand.EXIT_USAGE;
        }
        return null;
    }

    /**
     * A cluster's or a member's data directory holds logs one or two levels down ({@code
     * DIR/member-N/log}); name them so the user need not know the layout.
     */
    static String logsBelow(final Path dir)
    {
        final java.util.List<String> logs = new java.util.ArrayList<>();
        if (LogReader.isLogDirectory(dir.resolve("log")))
        {
            logs.add(dir.resolve("log").toString());
        }
        if (java.nio.file.Files.isDirectory(dir))
        {
            try (java.util.stream.Stream<Path> children = java.nio.file.Files.list(dir))
            {
                children.sorted()
                    .filter(child -> LogReader.isLogDirectory(child.resolve("log")))
                    .forEach(child -> logs.add(child.resolve("log").toString()));
            }
            catch (final java.io.IOException ignore)
            {
                // Nothing to suggest.
            }
        }
        return logs.isEmpty() ? "" : "; this is a data directory, its logs are: " + String.join(" ", logs);
    }

    /**
     * Prints how the scan ended; returns the exit code.
     */
    static int reportEnd(final LogReader reader, final LogScanner.Outcome outcome, final PrintWriter out,
        final PrintWriter err)
    {
        final LogScanner scanner = reader.scanner();
        switch (outcome)
        {
            case END:
                out.println("end: position " + scanner.endPosition() + " (" + reader.endSegmentPath().getFileName() +
                    " offset " + scanner.endSegmentOffset() + ")");
                return SynodCommand.EXIT_OK;
            case TORN:
                out.println("torn tail: position " + scanner.endPosition() + " (" + reader.endSegmentPath() +
                    " offset " + scanner.endSegmentOffset() + "): " + scanner.problem() +
                    "; unacknowledged, recovery will zero it");
                return SynodCommand.EXIT_OK;
            default:
                err.println("CORRUPT: " + scanner.problem() + " [file=" + reader.endSegmentPath() +
                    ", offset=" + scanner.endSegmentOffset() + ", position=" + scanner.endPosition() + "]");
                return SynodCommand.EXIT_CORRUPTION;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Validate every record's frame and CRC32C. Exit 0 ok, 1 corruption, 2 usage/not found.")
    static final class Verify implements Callable<Integer>
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "log directory")
        Path dir;

        public Integer call()
        {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            final int[] exit = { SynodCommand.EXIT_OK };
            try (LogReader reader = openOrReport(dir, err, exit))
            {
                if (null == reader)
                {
                    return exit[0];
                }
                final long[] stats = { 0, 0, Long.MAX_VALUE, -1 };
                final LogScanner.Outcome outcome = reader.scan(
                    (position, type, slot, ballot, buffer, valueOffset, valueLength) ->
                    {
                        if (LogRecordDescriptor.TYPE_ACCEPT == type)
                        {
                            stats[0]++;
                            stats[2] = Math.min(stats[2], slot);
                            stats[3] = Math.max(stats[3], slot);
                        }
                        else
                        {
                            stats[1]++;
                        }
                    });
                final MetadataFile metadata = reader.metadata();
                out.println("log " + dir + ": cluster " + metadata.clusterId() + ", member " + metadata.memberId() +
                    ", segmentLengthBytes " + metadata.segmentLengthBytes() + ", segments " + reader.segmentCount() +
                    " from " + reader.firstSegmentIndex());
                out.println("metadata: promisedBallot " + metadata.promisedBallot() + ", checkpointPosition " +
                    metadata.checkpointPosition() + ", lowestSlot " + metadata.lowestSlot());
                out.println("records: " + stats[0] + " accepts" +
                    (stats[0] > 0 ? " (slots " + stats[2] + ".." + stats[3] + ")" : "") + ", " + stats[1] + " promises");
                final int code = reportEnd(reader, outcome, out, err);
                out.println(code == SynodCommand.EXIT_OK ? "OK" : "CORRUPT");
                return code;
            }
        }
    }

    @Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Print records in log order (with --from, only the Accepts of slots from SLOT on). " +
            "Exit 0 ok, 1 corruption, 2 usage/not found.")
    static final class Dump implements Callable<Integer>
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "log directory")
        Path dir;

        @Option(names = "--from", paramLabel = "SLOT", description = "print only Accepts of this slot and above " +
            "(default: every record, Promises included)")
        long fromSlot = -1;

        @Option(names = "--count", paramLabel = "N", description = "records to print (default: all)")
        long count = Long.MAX_VALUE;

        public Integer call()
        {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            if (count < 0 || (fromSlot < 0 && spec.commandLine().getParseResult().hasMatchedOption("--from")))
            {
                throw new CommandLine.ParameterException(spec.commandLine(), "--from and --count must be >= 0");
            }
            final int[] exit = { SynodCommand.EXIT_OK };
            try (LogReader reader = openOrReport(dir, err, exit))
            {
                if (null == reader)
                {
                    return exit[0];
                }
                final long[] printed = { 0 };
                final StringBuilder line = new StringBuilder(128);
                final LogScanner.Outcome outcome = reader.scan(
                    (position, type, slot, ballot, buffer, valueOffset, valueLength) ->
                    {
                        // A Promise has no slot: asked for slots from SLOT on, it is not one of them.
                        if (printed[0] >= count ||
                            (fromSlot >= 0 && (LogRecordDescriptor.TYPE_ACCEPT != type || slot < fromSlot)))
                        {
                            return;
                        }
                        printed[0]++;
                        line.setLength(0);
                        line.append(String.format("%14d %-7s", position, LogRecordDescriptor.typeName(type)));
                        if (LogRecordDescriptor.TYPE_ACCEPT == type)
                        {
                            line.append(" slot=").append(slot);
                        }
                        line.append(" ballot=").append(ballot)
                            .append(" (round ").append(ballot >>> 16).append(", member ").append(ballot & 0xFFFF)
                            .append(')');
                        if (LogRecordDescriptor.TYPE_ACCEPT == type)
                        {
                            line.append(" length=").append(valueLength).append(" value=");
                            for (int i = 0; i < Math.min(16, valueLength); i++)
                            {
                                line.append(String.format("%02x", buffer.getByte(valueOffset + i)));
                            }
                            if (valueLength > 16)
                            {
                                line.append("...");
                            }
                        }
                        out.println(line);
                    });
                return reportEnd(reader, outcome, out, err);
            }
        }
    }
}
