package io.synod.client;

import io.synod.codecs.MemberList;

import java.util.ArrayList;
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
    public static final int MAX_MEMBER_ID = MemberList.MAX_MEMBER_ID;

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
        final List<ClientMember> result = new ArrayList<>();
        for (final MemberList.Entry entry : MemberList.parse(settingName, members))
        {
            result.add(new ClientMember(entry.id(), entry.host() + ":" + entry.port()));
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
