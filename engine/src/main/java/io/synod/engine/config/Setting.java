package io.synod.engine.config;

/**
 * One {@code synod.*} setting as an operator sees it: its property name, its default, the values it
 * accepts and what it means. Immutable; the {@code *Configuration} classes hold one per setting, and
 * the settings reference ({@code docs/settings.md}, {@code synod help settings}) is printed from them.
 */
public final class Setting
{
    private final String name;
    private final String defaultValue;
    private final String range;
    private final String meaning;

    public Setting(final String name, final String defaultValue, final String range, final String meaning)
    {
        this.name = name;
        this.defaultValue = defaultValue;
        this.range = range;
        this.meaning = meaning;
    }

    public String name()
    {
        return name;
    }

    public String defaultValue()
    {
        return defaultValue;
    }

    public String range()
    {
        return range;
    }

    public String meaning()
    {
        return meaning;
    }

    public String toString()
    {
        return name + "=" + defaultValue;
    }
}
