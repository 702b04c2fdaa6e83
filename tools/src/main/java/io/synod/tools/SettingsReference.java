package io.synod.tools;

import io.synod.engine.config.Setting;
import io.synod.engine.log.LogConfiguration;
import io.synod.engine.protocol.ProtocolConfiguration;
import io.synod.engine.runtime.NodeConfiguration;

import java.util.List;

/**
 * The settings reference: every {@code synod.*} property with its default, accepted values and
 * meaning, printed from the Configuration classes so that it cannot drift from the code. It is
 * {@code docs/settings.md} (kept current by {@code SettingsReferenceTest}) and {@code synod help settings}.
 * Stateless.
 */
public final class SettingsReference
{
    private SettingsReference()
    {
    }

    public static String markdown()
    {
        final StringBuilder out = new StringBuilder();
        out.append("# Synod settings\n\n")
            .append("Every `synod.*` setting, generated from the code (`NodeConfiguration`, `ProtocolConfiguration`,\n")
            .append("`LogConfiguration`); `SettingsReferenceTest` fails when this file is stale. Also printed by\n")
            .append("`synod help settings`.\n\n")
            .append("Set one as a system property (`-Dsynod.window.slots=256`) or with the same-named setter on the\n")
            .append("Context. Sizes take an optional `k`, `m` or `g` suffix (powers of 1024); durations take `ns`, `us`,\n")
            .append("`ms` or `s` (a bare number is nanoseconds).\n");
        section(out, "Node", NodeConfiguration.SETTINGS);
        section(out, "Protocol", ProtocolConfiguration.SETTINGS);
        section(out, "Acceptor log", LogConfiguration.SETTINGS);
        return out.toString();
    }

    private static void section(final StringBuilder out, final String title, final List<Setting> settings)
    {
        out.append("\n## ").append(title).append("\n\n")
            .append("| property | default | accepted | meaning |\n")
            .append("|---|---|---|---|\n");
        for (final Setting setting : settings)
        {
            out.append("| `").append(setting.name()).append("` | ").append(cell(setting.defaultValue())).append(" | ")
                .append(cell(setting.range())).append(" | ").append(cell(setting.meaning())).append(" |\n");
        }
    }

    private static String cell(final String text)
    {
        return text.replace("|", "\\|");
    }
}
