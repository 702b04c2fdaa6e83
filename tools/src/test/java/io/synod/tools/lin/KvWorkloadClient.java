package io.synod.tools.lin;

import io.synod.client.EgressListener;
import io.synod.client.SynodClient;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One client of the key-value register workload: its own {@link SynodClient} (own embedded media driver and
 * {@code clientId}), one operation in flight at a time, each operation one command in the log. Single-threaded:
 * {@link #run()} owns the client and every {@link ClientOp}; the test reads them after {@link Thread#join()}.
 * <p>
 * The client is a sequencer client, so an acknowledgement carries no output: a GET's value and a CAS's result are
 * computed afterwards by replaying the delivered log ({@link LogReplay}). Here only what was sent, when, and when
 * the acknowledgement came back are recorded.
 * <p>
 * An operation not acknowledged within {@code giveUpNs} is given up on, as a Jepsen client that times out: it
 * becomes unknown (it may be in the log or not) and the logical process that issued it ends, so the next operation
 * belongs to a new process and a process never has two operations open. The {@link SynodClient} keeps resending the
 * given-up command under its sequence, so it may still be chosen; an acknowledgement arriving later is counted and
 * does not make it ok.
 */
final class KvWorkloadClient implements Runnable, EgressListener
{
    /** Payload: op id, kind, key index; the test keeps the rest of the operation by (clientId, sequence). */
    static final int PAYLOAD_BYTES = 16;
    /** Logical processes of one client are numbered {@code clientId * PROCESS_STRIDE + incarnation}. */
    static final int PROCESS_STRIDE = 10_000;

    private static final int GET_PERCENT = 45;
    private static final int PUT_PERCENT = 35;

    /**
     * One operation as the client saw it. Written only by the owning client thread.
     */
    static final class ClientOp
    {
        final long clientId;
        final int process;
        final long sequence;
        final String key;
        final Operation.Input input;
        final long invokeNs;
        long responseNs = Operation.NO_RESPONSE_NS;
        long ackSlot = -1;
        boolean gaveUp;
        boolean lateAck;
        String errorCode;

        ClientOp(final long clientId, final int process, final long sequence, final String key,
            final Operation.Input input, final long invokeNs)
        {
            this.clientId = clientId;
            this.process = process;
            this.sequence = sequence;
            this.key = key;
            this.input = input;
            this.invokeNs = invokeNs;
        }

        /** Acknowledged while the client still waited for it: its output is what the log says. */
        boolean ok()
        {
            return ackSlot >= 0 && !gaveUp;
        }

        boolean failed()
        {
            return errorCode != null;
        }
    }

    private final long clientId;
    private final SynodClient client;
    private final String[] keys;
    private final AtomicReferenceArray<String> lastWritten;
    private final AtomicLong completedOps;
    private final long giveUpNs;
    private final long drainTimeoutNs;
    private final SplittableRandom random;
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD_BYTES]);
    private final IdleStrategy idle = new BackoffIdleStrategy(
        10, 20, TimeUnit.MICROSECONDS.toNanos(10), TimeUnit.MICROSECONDS.toNanos(200));
    private final List<ClientOp> ops = new ArrayList<>();
    private final Long2ObjectHashMap<ClientOp> opBySequence = new Long2ObjectHashMap<>();

    private volatile boolean stopOffering;
    private volatile Throwable failure;
    private ClientOp current;
    private int incarnation;
    private long lateAcks;
    private long offerRejections;

    KvWorkloadClient(
        final long clientId,
        final SynodClient client,
        final String[] keys,
        final AtomicReferenceArray<String> lastWritten,
        final AtomicLong completedOps,
        final long giveUpNs,
        final long drainTimeoutNs,
        final long seed)
    {
        this.clientId = clientId;
        this.client = client;
        this.keys = keys;
        this.lastWritten = lastWritten;
        this.completedOps = completedOps;
        this.giveUpNs = giveUpNs;
        this.drainTimeoutNs = drainTimeoutNs;
        this.random = new SplittableRandom(seed);
    }

    /** Ends the workload: no new operation is offered; the thread drains what is in flight and returns. */
    void stopOffering()
    {
        stopOffering = true;
    }

    Throwable failure()
    {
        return failure;
    }

    List<ClientOp> ops()
    {
        return ops;
    }

    long clientId()
    {
        return clientId;
    }

    long lateAcks()
    {
        return lateAcks;
    }

    long offerRejections()
    {
        return offerRejections;
    }

    long resends()
    {
        return client.resends();
    }

    int inFlight()
    {
        return client.inFlight();
    }

    public void run()
    {
        try
        {
            while (!stopOffering)
            {
                int work = 0;
                if (current == null)
                {
                    work += offerNext();
                }
                work += client.poll();
                if (current != null && System.nanoTime() - current.invokeNs > giveUpNs)
                {
                    current.gaveUp = true;
                    current = null;
                    incarnation++;
                    completedOps.incrementAndGet();
                }
                idle.idle(work);
            }
            // Drain: every command sent, given up on or not, is acknowledged before the logs are compared.
            final long deadlineNs = System.nanoTime() + drainTimeoutNs;
            while (client.inFlight() > 0 && System.nanoTime() < deadlineNs)
            {
                idle.idle(client.poll());
            }
        }
        catch (final Throwable t)
        {
            failure = t;
        }
    }

    public void onAck(final long sequence, final long slot)
    {
        final long nowNs = System.nanoTime();
        final ClientOp op = opBySequence.get(sequence);
        if (op == null || op.ackSlot >= 0)
        {
            throw new IllegalStateException("client " + clientId + ": ack for sequence " + sequence + " in slot " + slot +
                (op == null ? ", never offered" : ", already acked in slot " + op.ackSlot));
        }
        op.ackSlot = slot;
        if (op.gaveUp)
        {
            op.lateAck = true;
            lateAcks++;
            return;
        }
        op.responseNs = nowNs;
        if (op == current)
        {
            current = null;
            completedOps.incrementAndGet();
        }
    }

    public void onError(final long sequence, final String code, final String text)
    {
        final ClientOp op = opBySequence.get(sequence);
        if (op == null)
        {
            throw new IllegalStateException("client " + clientId + ": error " + code + " for sequence " + sequence +
                ", never offered");
        }
        op.errorCode = code + " " + text;
        if (op == current)
        {
            current = null;
            completedOps.incrementAndGet();
        }
    }

    private int offerNext()
    {
        final int keyIndex = random.nextInt(keys.length);
        final int dice = random.nextInt(100);
        final Operation.Input input;
        if (dice < GET_PERCENT)
        {
            input = Operation.Input.get();
        }
        else if (dice < GET_PERCENT + PUT_PERCENT)
        {
            input = Operation.Input.put(nextValue());
        }
        else
        {
            // Expect the value most recently offered on the key, by anyone: it often is the current one.
            input = Operation.Input.cas(lastWritten.get(keyIndex), nextValue());
        }
        payload.putLong(0, ops.size());
        payload.putByte(8, (byte)input.kind().ordinal());
        payload.putByte(9, (byte)keyIndex);

        final long invokeNs = System.nanoTime();
        final long sequence = client.offer(payload, 0, PAYLOAD_BYTES);
        if (sequence < 0)
        {
            if (sequence == SynodClient.CLOSED || sequence == SynodClient.PAYLOAD_TOO_LARGE)
            {
                throw new IllegalStateException("client " + clientId + ": offer returned " + sequence);
            }
            // Not sent (back-pressure, or no connection yet): nothing happened, try again with a new operation.
            offerRejections++;
            return 0;
        }
        final ClientOp op = new ClientOp(clientId, (int)clientId * PROCESS_STRIDE + incarnation, sequence,
            keys[keyIndex], input, invokeNs);
        ops.add(op);
        opBySequence.put(sequence, op);
        current = op;
        if (input.kind() != Operation.Kind.GET)
        {
            lastWritten.set(keyIndex, input.value());
        }
        return 1;
    }

    private String nextValue()
    {
        // Unique per write, so a read names its writer.
        return "c" + clientId + "." + (ops.size() + 1);
    }
}
