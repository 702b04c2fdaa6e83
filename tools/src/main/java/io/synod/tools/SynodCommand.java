package io.synod.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code synod} command line; runs on the main thread only. Later issues add the {@code node},
 * {@code cluster}, {@code stat}, {@code bench} and {@code demo} subcommands next to {@code log}.
 * <p>
 * Exit codes: 0 success, 1 corruption found, 2 usage error or input not found.
 */
@Command(
    name = "synod",
    mixinStandardHelpOptions = true,
    version = "synod 0.1.0",
    description = "Synod: a Multi-Paxos replicated log engine.",
    subcommands = { NodeCommand.class, ClusterCommand.class, StatCommand.class, DemoCommand.class, BenchCommand.class,
        LogCommand.class, KeygenCommand.class,
        CommandLine.HelpCommand.class })
public final class SynodCommand implements Runnable
{
    public static final int EXIT_OK = 0;
    public static final int EXIT_CORRUPTION = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    /**
     * A command line configured with Synod's exit codes; tests call {@code execute} on it directly.
     *
     * @return the command line.
     */
    public static CommandLine commandLine()
    {
        // picocli already exits with 2 (USAGE) on invalid input; an unexpected failure is not corruption,
        // so it maps to 2 as well, with its message, rather than picocli's default of 1.
        final CommandLine commandLine = new CommandLine(new SynodCommand());
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) ->
        {
            cmd.getErr().println("error: " + ex);
            return EXIT_USAGE;
        });
        return commandLine;
    }

    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }
}
