package io.synod.tools;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stateless: turns a failed start (a port in use, a host that does not resolve, a bad setting) into
 * the one line an operator needs: the cause, and the option that fixes it.
 */
final class StartFailure
{
    private static final Pattern ENDPOINT = Pattern.compile("endpoint=([^\\s,|]+)");

    private StartFailure()
    {
    }

    /**
     * @param failure what the launch threw.
     * @return one line naming the cause, without class names or stack frames where the cause is known.
     */
    static String describe(final Throwable failure)
    {
        final String messages = messages(failure);
        final String endpoint = endpoint(messages);
        if (messages.contains("Address already in use"))
        {
            return "UDP port " + (null != endpoint ? endpoint : "") + " is already in use (another cluster, node or " +
                "program has it)";
        }
        if (messages.contains("UnknownHostException") || messages.contains("unresolved"))
        {
            return "host of " + (null != endpoint ? endpoint : "a member") + " does not resolve";
        }
        Throwable root = failure;
        while (null != root.getCause() && root.getCause() != root)
        {
            root = root.getCause();
        }
        final String text = null != failure.getMessage() ? failure.getMessage() : failure.toString();
        return root == failure || text.contains(String.valueOf(root.getMessage())) ? text : text + ": " + root;
    }

    /**
     * @param failure what the launch threw.
     * @return true for a port in use, so callers can add the option that changes ports.
     */
    static boolean portInUse(final Throwable failure)
    {
        return messages(failure).contains("Address already in use");
    }

    /**
     * @param failure what the launch threw.
     * @return true for a host that does not resolve.
     */
    static boolean unresolvedHost(final Throwable failure)
    {
        final String messages = messages(failure);
        return messages.contains("UnknownHostException") || messages.contains("unresolved");
    }

    private static String messages(final Throwable failure)
    {
        final StringBuilder sb = new StringBuilder();
        for (Throwable t = failure; null != t; t = t.getCause() == t ? null : t.getCause())
        {
            sb.append(t).append('\n');
        }
        return sb.toString();
    }

    private static String endpoint(final String messages)
    {
        final Matcher matcher = ENDPOINT.matcher(messages);
        return matcher.find() ? matcher.group(1) : null;
    }

    /**
     * Holds what is printed to stderr while a launch runs (the node's error handler prints the media
     * driver's stack traces there): on success it is passed on, on failure it is dropped, because the
     * one-line cause replaces them. stderr is process-wide, so lines other threads print during the
     * launch are held too; once released, stderr is the real one again.
     */
    static final class HeldErr implements AutoCloseable
    {
        private final PrintStream real = System.err;
        private final ByteArrayOutputStream held = new ByteArrayOutputStream();
        private boolean released;

        HeldErr()
        {
            System.setErr(new PrintStream(held, true, StandardCharsets.UTF_8));
        }

        /**
         * The launch failed: what was held is dropped.
         */
        void drop()
        {
            System.setErr(real);
            released = true;
        }

        public void close()
        {
            if (!released)
            {
                System.setErr(real);
                real.print(held.toString(StandardCharsets.UTF_8));
                real.flush();
                released = true;
            }
        }
    }
}
