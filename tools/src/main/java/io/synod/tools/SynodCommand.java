package io.synod.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * The {@code synod} command line; runs on the main thread only.
 * <p>
 * Exit codes: 0 success, 1 corruption found (or a demo whose replicas differ), 2 usage error or input
 * not found, 3 a run that failed: a node or cluster that could not start, a benchmark that
 * acknowledged nothing or missed its offered rate.
 */
@Command(
    name = "synod",
    mixinStandardHelpOptions = true,
    versionProvider = SynodCommand.Version.class,
    description = "Synod: a Multi-Paxos replicated log engine.",
    subcommands = { NodeCommand.class, ClusterCommand.class, StatCommand.class, DemoCommand.class, BenchCommand.class,
        LogCommand.class, KeygenCommand.class, SynodCommand.VersionCommand.class,
        HelpCommand.class })
public final class SynodCommand implements Runnable
{
    public static final int EXIT_OK = 0;
    public static final int EXIT_CORRUPTION = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_FAILED = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    /**
     * @return {@code synod VERSION (commit COMMIT)}, the commit recorded when the jar was built.
     */
    public static String versionLine()
    {
        final Package pkg = SynodCommand.class.getPackage();
        final String version = null != pkg && null != pkg.getImplementationVersion() ?
            pkg.getImplementationVersion() : "0.1.0-SNAPSHOT";
        String commit = "unknown";
        try (InputStream in = SynodCommand.class.getResourceAsStream("commit.txt"))
        {
            if (null != in)
            {
                commit = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
            }
        }
        catch (final IOException ignore)
        {
            // A jar without the resource reports "unknown".
        }
        return "synod " + version + " (commit " + (commit.isEmpty() ? "unknown" : commit) + ")";
    }

    /**
     * {@code --version} of every command.
     */
    public static final class Version implements CommandLine.IVersionProvider
    {
        public String[] getVersion()
        {
            return new String[]{ versionLine() };
        }
    }

    /**
     * {@code synod version}.
     */
    @Command(name = "version", description = "Print the version and the commit this jar was built from.")
    static final class VersionCommand implements Callable<Integer>
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        public Integer call()
        {
            spec.commandLine().getOut().println(versionLine());
            spec.commandLine().getOut().flush();
            return EXIT_OK;
        }
    }

    /**
     * A command line configured with Synod's exit codes; tests call {@code execute} on it directly.
     *
     * @return the command line.
     */
    public static CommandLine commandLine()
    {
        // picocli already exits with 2 (USAGE) on invalid input; a bad setting found while running (a
        // NodeContext or RigOptions check) is a usage error too, printed as its one-line message; any
        // other failure maps to 3 with its message, not to picocli's default of 1 (corruption).
        final CommandLine commandLine = new CommandLine(new SynodCommand());
        // The one line that names the option is what matters; the whole usage text buried it.
        commandLine.setParameterExceptionHandler((ex, args) ->
        {
            final CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("error: " + ex.getMessage());
            cmd.getErr().println("see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
            return EXIT_USAGE;
        });
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) ->
        {
            if (ex instanceof IllegalArgumentException)
            {
                cmd.getErr().println("error: " + ex.getMessage());
                return EXIT_USAGE;
            }
            cmd.getErr().println("error: " + StartFailure.describe(ex));
            return EXIT_FAILED;
        });
        return commandLine;
    }

    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }
}
