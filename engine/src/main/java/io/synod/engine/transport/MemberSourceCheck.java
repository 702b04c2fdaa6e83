package io.synod.engine.transport;

import io.aeron.Image;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Accepts replica traffic only from the host a member is configured at: the source address of the
 * Aeron image a frame arrived on ({@link Image#sourceIdentity()}) must be the address of the member
 * the frame claims to come from. Only the address is compared: a member sends from ephemeral ports,
 * not from the port it listens on. A member configured at a wildcard address (0.0.0.0, ::) cannot be
 * checked and is accepted from anywhere. Single-threaded: one instance per owning agent.
 * <p>
 * The answer is cached per image in a small bounded table, so the steady state compares references
 * only; a miss (a new connection) parses the source identity once.
 */
public final class MemberSourceCheck
{
    private static final int CACHE_SIZE = 16;

    private final int[] memberIds;
    private final InetAddress[] memberAddresses;
    private final Object[] cachedImages = new Object[CACHE_SIZE];
    private final InetAddress[] cachedSources = new InetAddress[CACHE_SIZE];
    private int nextCacheSlot;

    /**
     * @param memberIds   ids of every member.
     * @param memberHosts host of each member, in the same order, as configured.
     * @throws IllegalArgumentException if a host cannot be resolved.
     */
    public MemberSourceCheck(final int[] memberIds, final String[] memberHosts)
    {
        this.memberIds = memberIds.clone();
        this.memberAddresses = new InetAddress[memberHosts.length];
        for (int i = 0; i < memberHosts.length; i++)
        {
            final InetAddress address = resolve(memberHosts[i]);
            if (address == null)
            {
                throw new IllegalArgumentException("member " + memberIds[i] + " host " + memberHosts[i] +
                    " cannot be resolved");
            }
            memberAddresses[i] = address.isAnyLocalAddress() ? null : address;
        }
    }

    /**
     * @param image   the Aeron image the frame arrived on ({@code Header.context()}).
     * @param claimed the member id written in the frame.
     * @return true if the frame may come from that member.
     */
    public boolean accepts(final Object image, final int claimed)
    {
        final int index = indexOf(claimed);
        if (index < 0)
        {
            return false;
        }
        final InetAddress expected = memberAddresses[index];
        return expected == null || expected.equals(sourceOf(image));
    }

    /**
     * The same decision for a source identity string, without the cache.
     */
    boolean acceptsIdentity(final String sourceIdentity, final int claimed)
    {
        final int index = indexOf(claimed);
        if (index < 0)
        {
            return false;
        }
        final InetAddress expected = memberAddresses[index];
        return expected == null || expected.equals(parseSourceIdentity(sourceIdentity));
    }

    private int indexOf(final int claimed)
    {
        int index = -1;
        for (int i = 0; i < memberIds.length; i++)
        {
            if (memberIds[i] == claimed)
            {
                index = i;
                break;
            }
        }
        return index;
    }

    private InetAddress sourceOf(final Object image)
    {
        if (image == null)
        {
            return null;
        }
        for (int i = 0; i < CACHE_SIZE; i++)
        {
            if (cachedImages[i] == image)
            {
                return cachedSources[i];
            }
        }
        final InetAddress source = image instanceof Image ? parseSourceIdentity(((Image)image).sourceIdentity()) : null;
        cachedImages[nextCacheSlot] = image;
        cachedSources[nextCacheSlot] = source;
        nextCacheSlot = (nextCacheSlot + 1) % CACHE_SIZE;
        return source;
    }

    /**
     * @param sourceIdentity {@code address:port} or {@code [ipv6]:port} as the media driver writes it.
     * @return the address, or null if it is not one (an IPC image, say).
     */
    static InetAddress parseSourceIdentity(final String sourceIdentity)
    {
        if (sourceIdentity == null)
        {
            return null;
        }
        final int colon = sourceIdentity.lastIndexOf(':');
        if (colon <= 0)
        {
            return null;
        }
        String host = sourceIdentity.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        // Only literal addresses: a source identity never needs a name lookup.
        if (host.isEmpty() || !(host.indexOf(':') >= 0 || Character.isDigit(host.charAt(0))))
        {
            return null;
        }
        return resolve(host);
    }

    private static InetAddress resolve(final String host)
    {
        try
        {
            return InetAddress.getByName(host);
        }
        catch (final UnknownHostException | RuntimeException ex)
        {
            return null;
        }
    }
}
