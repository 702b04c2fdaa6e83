package io.synod.codecs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The member list nodes and clients are both started with, {@code id=host:port,id=host:port,...}:
 * one parser and one set of errors for both sides (the client must not depend on the node).
 */
public final class MemberList
{
    /**
     * Member ids occupy the low 16 bits of a ballot.
     */
    public static final int MAX_MEMBER_ID = 0xFFFF;

    /**
     * One parsed entry.
     */
    public record Entry(int id, String host, int port)
    {
    }

    private MemberList()
    {
    }

    /**
     * Parses {@code id=host:port,...}.
     *
     * @param settingName the property the list came from, named in every error.
     * @throws IllegalArgumentException naming the setting and the bad part: an unparsable entry, an
     * id or port out of range, a duplicate id or a duplicate endpoint.
     */
    public static List<Entry> parse(final String settingName, final String members)
    {
        if (members == null || members.isBlank())
        {
            throw new IllegalArgumentException(settingName + " is empty: expected id=host:port,...");
        }
        final List<Entry> result = new ArrayList<>();
        final HashSet<Integer> ids = new HashSet<>();
        final HashSet<String> endpoints = new HashSet<>();
        for (final String raw : members.split(","))
        {
            final String entry = raw.trim();
            final int equals = entry.indexOf('=');
            final int colon = entry.lastIndexOf(':');
            if (equals <= 0 || colon <= equals + 1 || colon == entry.length() - 1)
            {
                throw new IllegalArgumentException(settingName + ": '" + entry + "' is not id=host:port");
            }
            final int id;
            final int port;
            try
            {
                id = Integer.parseInt(entry.substring(0, equals).trim());
                port = Integer.parseInt(entry.substring(colon + 1).trim());
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException(settingName + ": '" + entry + "' is not id=host:port", ex);
            }
            final String host = entry.substring(equals + 1, colon).trim();
            if (id < 0 || id > MAX_MEMBER_ID)
            {
                throw new IllegalArgumentException(settingName + ": member id " + id + " must be in [0, " +
                    MAX_MEMBER_ID + "] in '" + entry + "'");
            }
            if (port <= 0 || port > 65535)
            {
                throw new IllegalArgumentException(settingName + ": port " + port + " must be in [1, 65535] in '" +
                    entry + "'");
            }
            if (!ids.add(id))
            {
                throw new IllegalArgumentException(settingName + ": duplicate member id " + id);
            }
            if (!endpoints.add(host + ":" + port))
            {
                throw new IllegalArgumentException(settingName + ": duplicate endpoint " + host + ":" + port);
            }
            result.add(new Entry(id, host, port));
        }
        return result;
    }
}
