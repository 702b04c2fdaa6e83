package io.synod.client;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * A cluster member as a client sees it: an id and the endpoint its ingress listens on. Immutable.
 * The client parses the same {@code id=host:port,...} list a node is started with, without
 * depending on the node.
 */
public final class ClientMember
{
    /**
     * Member ids occupy the low 16 bits of a ballot on the node side.
     */
    public static final int MAX_MEMBER_ID = 0xFFFF;

    private final int id;
    private final String endpoint;

    public ClientMember(final int id, final String endpoint)
    {
        this.id = id;
        this.endpoint = endpoint;
    }

    public int id()
    {
        return id;
    }

    public String endpoint()
    {
        return endpoint;
    }

    public String toString()
    {
        return id + "=" + endpoint;
    }

    /**
     * Parses {@code id=host:port,id=host:port,...}.
     *
     * @param settingName the property the list came from, named in every error.
     * @throws IllegalArgumentException naming the setting and the bad part: an unparsable entry, an
     * id or port out of range, a duplicate id or a duplicate endpoint.
     */
    public static List<ClientMember> parse(final String settingName, final String members)
    {
        if (members == null || members.isBlank())
        {
            throw new IllegalArgumentException(settingName + " is empty: expected id=host:port,...");
        }
        final List<ClientMember> result = new ArrayList<>();
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
            result.add(new ClientMember(id, host + ":" + port));
        }
        return result;
    }

    public static String format(final List<ClientMember> members)
    {
        final StringBuilder sb = new StringBuilder();
        for (final ClientMember member : members)
        {
            sb.append(sb.length() > 0 ? "," : "").append(member);
        }
        return sb.toString();
    }
}
