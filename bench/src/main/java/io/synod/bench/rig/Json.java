package io.synod.bench.rig;

import java.util.Locale;

/**
 * Stateless: the two JSON value encodings the result summaries need (a string and a number), so the
 * summaries need no JSON library.
 */
public final class Json
{
    private Json()
    {
    }

    /**
     * @param text any string, or null.
     * @return a JSON string literal, or {@code null}.
     */
    public static String quote(final String text)
    {
        if (null == text)
        {
            return "null";
        }
        final StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
                    }
                    else
                    {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }

    /**
     * @param value a figure.
     * @return the number with at most three decimals, or {@code null} for NaN and infinities (JSON has none).
     */
    public static String number(final double value)
    {
        if (Double.isNaN(value) || Double.isInfinite(value))
        {
            return "null";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15)
        {
            return Long.toString((long)value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
