package io.synod.engine.runtime;

import io.synod.codecs.MemberList;

import java.util.ArrayList;
import java.util.List;

/**
 * A member of the cluster as configured: {@code id=host:port}. Immutable.
 */
public final class ClusterMember
{
    private final int id;
    private final String host;
    private final int port;

    public ClusterMember(final int id, final String host, final int port)
    {
        this.id = id;
        this.host = host;
        this.port = port;
    }

    public int id()
    {
        return id;
    }

    public String host()
    {
        return host;
    }

    public int port()
    {
        return port;
    }

    public String endpoint()
    {
        return host + ":" + port;
    }

    public String toString()
    {
        return id + "=" + endpoint();
    }

    /**
     * A fingerprint of the membership a node runs: its cluster id and every member's id and endpoint,
     * in id order (so the order typed does not matter, a different list or endpoint does). Carried in
     * Prepare and Heartbeat; never 0, which means "not set".
     */
    public static long fingerprint(final int clusterId, final List<ClusterMember> members)
    {
        final List<ClusterMember> sorted = new ArrayList<>(members);
        sorted.sort((a, b) -> Integer.compare(a.id, b.id));
        final StringBuilder text = new StringBuilder().append(clusterId);
        for (final ClusterMember member : sorted)
        {
            text.append(',').append(member.id).append('=').append(member.host.toLowerCase()).append(':')
                .append(member.port);
        }
        // FNV-1a, 64 bits: stable across JVMs and releases, unlike String.hashCode's 32 bits.
        long hash = 0xcbf29ce484222325L;
        final byte[] bytes = text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (final byte b : bytes)
        {
            hash ^= b & 0xFF;
            hash *= 0x100000001b3L;
        }
        return hash == 0 ? 1 : hash;
    }

    /**
     * Parses {@code id=host:port,id=host:port,...}.
     *
     * @throws IllegalArgumentException naming the setting and the bad part: an unparsable entry, a
     * duplicate id or a duplicate endpoint.
     */
    public static List<ClusterMember> parse(final String settingName, final String members)
    {
        final List<ClusterMember> result = new ArrayList<>();
        for (final MemberList.Entry entry : MemberList.parse(settingName, members))
        {
            result.add(new ClusterMember(entry.id(), entry.host(), entry.port()));
        }
        return result;
    }

    /**
     * Formats members as {@code id=host:port,...} for a command line or property.
     */
    public static String format(final List<ClusterMember> members)
    {
        final StringBuilder sb = new StringBuilder();
        for (final ClusterMember member : members)
        {
            sb.append(sb.length() > 0 ? "," : "").append(member);
        }
        return sb.toString();
    }
}
