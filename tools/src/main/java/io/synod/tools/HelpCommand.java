package io.synod.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/**
 * {@code synod help [COMMAND | settings]}: picocli's usage help for a command, plus the settings
 * reference under the topic {@code settings}. Runs on the main thread.
 */
@Command(name = "help", helpCommand = true,
    description = "Show usage help for a command, or every synod.* setting with 'help settings'.")
public final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable
{
    public static final String SETTINGS_TOPIC = "settings";

    @Parameters(arity = "0..1", paramLabel = "COMMAND|settings", description = "the command, or 'settings'")
    String topic;

    private CommandLine self;
    private PrintWriter out;

    public void init(final CommandLine helpCommandLine, final CommandLine.Help.ColorScheme colorScheme,
        final PrintWriter out, final PrintWriter err)
    {
        this.self = helpCommandLine;
        this.out = out;
    }

    public void run()
    {
        final CommandLine parent = self.getParent();
        if (topic == null)
        {
            parent.usage(out);
        }
        else if (SETTINGS_TOPIC.equals(topic))
        {
            out.print(SettingsReference.markdown());
            out.flush();
        }
        else
        {
            final CommandLine command = parent.getSubcommands().get(topic);
            if (command == null)
            {
                throw new CommandLine.ParameterException(self, "unknown help topic '" + topic +
                    "': name a command or 'settings'");
            }
            command.usage(out);
        }
    }
}
