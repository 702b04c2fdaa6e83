package io.synod.engine.config;

import java.util.concurrent.TimeUnit;

/**
 * Reads {@code synod.*} system properties and words the errors an operator sees: a malformed value
 * names the property and the text typed ({@code synod.mtu: 'abc' is not a number}), a value out of
 * range names the property and the range. Stateless, safe from any thread.
 */
public final class SettingValues
{
    private SettingValues()
    {
    }

    public static String stringValue(final String name, final String defaultValue)
    {
        final String value = System.getProperty(name);
        return null == value ? defaultValue : value.trim();
    }

    public static boolean booleanValue(final String name, final boolean defaultValue)
    {
        final String value = System.getProperty(name);
        if (null == value)
        {
            return defaultValue;
        }
        switch (value.trim().toLowerCase())
        {
            case "true": return true;
            case "false": return false;
            default: throw new IllegalArgumentException(name + ": '" + value + "' is not true or false");
        }
    }

    public static int intValue(final String name, final int defaultValue)
    {
        final String value = System.getProperty(name);
        if (null == value)
        {
            return defaultValue;
        }
        try
        {
            return Integer.parseInt(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + ": '" + value + "' is not a number", ex);
        }
    }

    public static long longValue(final String name, final long defaultValue)
    {
        final String value = System.getProperty(name);
        if (null == value)
        {
            return defaultValue;
        }
        try
        {
            return Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + ": '" + value + "' is not a number", ex);
        }
    }

    /**
     * A length in bytes, with an optional k, m or g suffix (powers of 1024). Values above
     * {@link Integer#MAX_VALUE} are refused here, so callers may narrow to int.
     */
    public static int sizeValue(final String name, final int defaultValue)
    {
        final String value = System.getProperty(name);
        if (null == value)
        {
            return defaultValue;
        }
        final String text = value.trim().toLowerCase();
        long multiplier = 1;
        String digits = text;
        if (text.endsWith("k") || text.endsWith("m") || text.endsWith("g"))
        {
            final char suffix = text.charAt(text.length() - 1);
            multiplier = suffix == 'k' ? 1024L : suffix == 'm' ? 1024L * 1024 : 1024L * 1024 * 1024;
            digits = text.substring(0, text.length() - 1).trim();
        }
        final long number;
        try
        {
            number = Long.parseLong(digits);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + ": '" + value +
                "' is not a size (a number of bytes with an optional k, m or g suffix)", ex);
        }
        if (number < 0 || number > Integer.MAX_VALUE / multiplier)
        {
            throw new IllegalArgumentException(name + ": '" + value + "' must be in [0, 2g)");
        }
        return (int)(number * multiplier);
    }

    /**
     * A duration in nanoseconds: a number with an optional ns, us, ms or s suffix; a bare number is
     * nanoseconds (as Aeron reads its durations).
     */
    public static long durationNs(final String name, final long defaultValueNs)
    {
        final String value = System.getProperty(name);
        if (null == value)
        {
            return defaultValueNs;
        }
        final String text = value.trim().toLowerCase();
        TimeUnit unit = TimeUnit.NANOSECONDS;
        String digits = text;
        if (text.endsWith("ns"))
        {
            digits = text.substring(0, text.length() - 2);
        }
        else if (text.endsWith("us"))
        {
            unit = TimeUnit.MICROSECONDS;
            digits = text.substring(0, text.length() - 2);
        }
        else if (text.endsWith("ms"))
        {
            unit = TimeUnit.MILLISECONDS;
            digits = text.substring(0, text.length() - 2);
        }
        else if (text.endsWith("s"))
        {
            unit = TimeUnit.SECONDS;
            digits = text.substring(0, text.length() - 1);
        }
        try
        {
            final long number = Long.parseLong(digits.trim());
            if (number < 0)
            {
                throw new IllegalArgumentException(name + ": '" + value + "' must not be negative");
            }
            return unit.toNanos(number);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + ": '" + value +
                "' is not a duration (a number with an optional ns, us, ms or s suffix; a bare number is ns)", ex);
        }
    }

    /**
     * The error for a value outside what a setting accepts.
     *
     * @param name  the property, as the operator types it.
     * @param value the value as it is held (a duration in ns, a size in bytes).
     * @param rule  what is accepted, e.g. "must be a power of two in [2, 1048576]".
     */
    public static IllegalArgumentException invalid(final String name, final Object value, final String rule)
    {
        return new IllegalArgumentException(name + "=" + value + ": " + rule);
    }

    /**
     * Text of a duration for the settings reference and setup lines: the largest whole unit.
     */
    public static String durationText(final long ns)
    {
        if (ns % 1_000_000_000L == 0)
        {
            return ns / 1_000_000_000L + "s";
        }
        if (ns % 1_000_000L == 0)
        {
            return ns / 1_000_000L + "ms";
        }
        if (ns % 1_000L == 0)
        {
            return ns / 1_000L + "us";
        }
        return ns + "ns";
    }

    /**
     * Text of a size for the settings reference and setup lines: the largest whole k, m or g.
     */
    public static String sizeText(final long bytes)
    {
        if (bytes != 0 && bytes % (1024L * 1024 * 1024) == 0)
        {
            return bytes / (1024L * 1024 * 1024) + "g";
        }
        if (bytes != 0 && bytes % (1024L * 1024) == 0)
        {
            return bytes / (1024L * 1024) + "m";
        }
        if (bytes != 0 && bytes % 1024L == 0)
        {
            return bytes / 1024L + "k";
        }
        return Long.toString(bytes);
    }
}
