package io.synod.bench.rig;

import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * The client side of the plain-Aeron targets, run on the rig's thread with its own {@link AeronNode}:
 * sends {@code [id:8][payload]} to a server endpoint and decodes responses that name a contiguous id
 * range {@code [firstId:8][count:8]}. Single-threaded, owned by the rig's thread.
 */
final class LoopbackClient implements AutoCloseable
{
    static final int ID_OFFSET = 0;
    static final int HEADER_LENGTH = 8;
    static final int RESPONSE_LENGTH = 16;
    static final int FRAGMENT_LIMIT = 64;

    private final AeronNode node;
    private final Publication publication;
    private final Subscription subscription;
    private final UnsafeBuffer header = new UnsafeBuffer(new byte[HEADER_LENGTH]);
    private final FragmentHandler responseHandler = this::onResponse;
    private LongConsumer onResponse;
    private long nextId;

    LoopbackClient(final String label, final int serverPort, final int responsePort)
    {
        node = new AeronNode(label);
        subscription = node.aeron().addSubscription(AeronLoopback.channel(responsePort), 1);
        publication = node.aeron().addExclusivePublication(AeronLoopback.channel(serverPort), 1);
    }

    /**
     * Drive the node until {@code ready} holds, the publication is connected and a response image exists.
     *
     * @param ready   extra readiness condition of the server side.
     * @param timeoutNs bound on the wait.
     */
    void awaitConnected(final BooleanSupplier ready, final long timeoutNs)
    {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        while (!(publication.isConnected() && subscription.imageCount() > 0 && ready.getAsBoolean()))
        {
            if (System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException("not connected after " + TimeUnit.NANOSECONDS.toMillis(timeoutNs) +
                    " ms: publication connected=" + publication.isConnected() + ", response images=" +
                    subscription.imageCount() + ", server ready=" + ready.getAsBoolean());
            }
            if (0 == node.invoke())
            {
                Thread.yield();
            }
        }
    }

    long offer(final DirectBuffer buffer, final int offset, final int length)
    {
        final long id = nextId;
        header.putLong(ID_OFFSET, id);
        final long result = publication.offer(header, 0, HEADER_LENGTH, buffer, offset, length, null);
        if (result < 0)
        {
            return AeronLoopback.offerCode(result);
        }
        nextId++;
        return id;
    }

    int poll(final LongConsumer onResponse)
    {
        this.onResponse = onResponse;
        return node.invoke() + subscription.poll(responseHandler, FRAGMENT_LIMIT);
    }

    private void onResponse(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length < RESPONSE_LENGTH)
        {
            return;
        }
        final long firstId = buffer.getLong(offset);
        final long count = buffer.getLong(offset + 8);
        for (long id = firstId, end = firstId + count; id < end; id++)
        {
            onResponse.accept(id);
        }
    }

    String aeronDir()
    {
        return node.aeronDir();
    }

    @Override
    public void close()
    {
        node.close();
    }
}
