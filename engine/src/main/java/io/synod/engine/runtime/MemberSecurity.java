package io.synod.engine.runtime;

import io.synod.engine.transport.FrameAuthenticator;
import io.synod.engine.transport.InboundAdapter;
import io.synod.engine.transport.MemberSourceCheck;
import io.synod.engine.transport.MessagePublisher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * How one node protects its member traffic: gives each publisher and adapter its own
 * {@link FrameAuthenticator} (with a cluster key) and {@link MemberSourceCheck} (unless turned off).
 * Used while the node is built, on the launching thread.
 */
final class MemberSecurity
{
    static final String INCARNATION_FILE_NAME = "incarnation";

    private final NodeContext ctx;
    private final int[] memberIds;
    private final String[] memberHosts;
    private final long incarnation;

    MemberSecurity(final NodeContext ctx)
    {
        this.ctx = ctx;
        final List<ClusterMember> members = ctx.clusterMembers();
        memberIds = new int[members.size()];
        memberHosts = new String[members.size()];
        for (int i = 0; i < memberIds.length; i++)
        {
            memberIds[i] = members.get(i).id();
            memberHosts[i] = members.get(i).host();
        }
        incarnation = ctx.clusterKey() != null ? advanceIncarnation(ctx.memberDirectory()) : 0;
    }

    MessagePublisher sign(final MessagePublisher publisher, final int role)
    {
        if (ctx.clusterKey() != null)
        {
            publisher.authenticator(
                new FrameAuthenticator(ctx.clusterKey(), memberIds, ctx.memberId(), role, incarnation));
        }
        return publisher;
    }

    <A extends InboundAdapter> A verify(final A adapter, final NodeCounters counters)
    {
        if (ctx.clusterKey() != null)
        {
            adapter.authenticator(
                new FrameAuthenticator(ctx.clusterKey(), memberIds, ctx.memberId(), -1, incarnation),
                counters.authenticationFailures);
        }
        if (ctx.sourceCheck())
        {
            adapter.sourceCheck(new MemberSourceCheck(memberIds, memberHosts), counters.sourceRejected);
        }
        return adapter;
    }

    /**
     * The startup line about member traffic.
     */
    String describe()
    {
        final String source = ctx.sourceCheck() ? "source address checked" : "source address NOT checked (" +
            NodeContext.SOURCE_CHECK_PROP + "=false)";
        if (ctx.clusterKey() == null)
        {
            return "member traffic is UNAUTHENTICATED (no " + NodeContext.CLUSTER_KEY_FILE_PROP + "): any host " +
                "that reaches this port can vote and lead; " + source;
        }
        return "member traffic authenticated with HMAC-SHA256 (key " + ctx.clusterKeyFile() + ", incarnation " +
            incarnation + "); " + source;
    }

    /**
     * One above the last run's incarnation, forced to disk before any frame is signed with it, so that a
     * restarted member's frames are newer than any captured from earlier runs even if its clock went back.
     */
    static long advanceIncarnation(final Path memberDirectory)
    {
        final Path file = memberDirectory.resolve(INCARNATION_FILE_NAME);
        try
        {
            long last = 0;
            if (Files.exists(file))
            {
                try
                {
                    last = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
                }
                catch (final NumberFormatException ex)
                {
                    // A torn write of the previous run: the wall clock still orders runs.
                    last = 0;
                }
            }
            final long next = FrameAuthenticator.nextIncarnation(last, System.currentTimeMillis());
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING))
            {
                channel.write(ByteBuffer.wrap((next + "\n").getBytes(StandardCharsets.US_ASCII)));
                channel.force(true);
            }
            return next;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + file, ex);
        }
    }
}
