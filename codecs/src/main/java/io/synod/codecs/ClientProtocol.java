package io.synod.codecs;

/**
 * The facts a client and a node must agree on besides the message layouts: where ingress is
 * heard and how many sequences of one client may be open at once. Kept here, beside the schema,
 * so that the client module and the engine read them from one place. Stateless.
 */
public final class ClientProtocol
{
    /**
     * The Aeron stream a member hears SessionOpen, ClientCommand and session events on, over UDP
     * or, from the same process, over {@link #IPC_CHANNEL}.
     */
    public static final int INGRESS_STREAM_ID = 1010;

    /**
     * Clients in the same process as a node reach its ingress, and it reaches them, over IPC.
     */
    public static final String IPC_CHANNEL = "aeron:ipc";

    /**
     * The most sequences of one client that may be open (sent and not yet acknowledged) at once,
     * counted from its oldest unacknowledged one. A power of two.
     */
    public static final int MAX_IN_FLIGHT = 1024;

    private ClientProtocol()
    {
    }

    public static String udpChannel(final String endpoint, final int mtuLength, final int termLength)
    {
        return "aeron:udp?endpoint=" + endpoint + "|mtu=" + mtuLength + "|term-length=" + termLength;
    }
}
