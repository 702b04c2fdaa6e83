package io.synod.tools;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsReferenceTest
{
    /**
     * Set to rewrite docs/settings.md from the code instead of failing on a difference.
     */
    private static final String UPDATE_PROP = "synod.docs.update";

    @Test
    void committedReferenceIsCurrent() throws IOException
    {
        final Path file = Path.of(System.getProperty("user.dir")).getParent().resolve("docs").resolve("settings.md");
        final String generated = SettingsReference.markdown();
        if (Boolean.getBoolean(UPDATE_PROP))
        {
            Files.createDirectories(file.getParent());
            Files.writeString(file, generated, StandardCharsets.UTF_8);
        }
        final String committed = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        assertEquals(generated, committed, file + " is stale: regenerate it with ./mvnw -B -o -q -pl tools -am test " +
            "-Dtest=SettingsReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -D" + UPDATE_PROP + "=true");
    }

    @Test
    void everySettingIsListedOnce()
    {
        final String text = SettingsReference.markdown();
        for (final String name : new String[]{ "synod.window.slots", "synod.heartbeat.interval", "synod.mtu",
            "synod.dir", "synod.log.segment.length", "synod.max.pending.replies" })
        {
            final int first = text.indexOf("| `" + name + "` |");
            assertTrue(first >= 0, name + " missing");
            assertEquals(-1, text.indexOf("| `" + name + "` |", first + 1), name + " listed twice");
        }
    }

    @Test
    void helpSettingsPrintsTheReference()
    {
        final StringWriter out = new StringWriter();
        final CommandLine commandLine = SynodCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        assertEquals(SynodCommand.EXIT_OK, commandLine.execute("help", "settings"));
        assertEquals(SettingsReference.markdown(), out.toString());

        final StringWriter usage = new StringWriter();
        final CommandLine again = SynodCommand.commandLine();
        again.setOut(new PrintWriter(usage, true));
        assertEquals(SynodCommand.EXIT_OK, again.execute("help", "stat"));
        assertTrue(usage.toString().contains("--dir"), usage.toString());
    }
}
