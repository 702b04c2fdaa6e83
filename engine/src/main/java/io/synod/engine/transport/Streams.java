package io.synod.engine.transport;

import io.synod.codecs.ClientProtocol;

/**
 * Aeron stream ids and channels. Every member listens on one UDP endpoint; the stream says which of
 * its roles a message is for. Stateless.
 * <ul>
 *     <li>{@link #REPLICA_STREAM_ID}: Prepare, Accept, Heartbeat, ChosenState, CatchUpRequest. The
 *     acceptor, the learner and the leader role each subscribe and keep what is theirs, so an Accept
 *     crosses the network once for the acceptor and the learner of a member, and tells its leader
 *     role that the leader is alive.</li>
 *     <li>{@link #LEADER_STREAM_ID}: Promise, Nack, Accepted.</li>
 *     <li>{@link #LEARNER_STREAM_ID}: CatchUpResponse.</li>
 *     <li>{@link #INGRESS_STREAM_ID}: SessionOpen and ClientCommand from clients, over UDP or, from
 *     the same process, over {@link #IPC_CHANNEL}.</li>
 * </ul>
 */
public final class Streams
{
    public static final int REPLICA_STREAM_ID = 1001;
    public static final int LEADER_STREAM_ID = 1002;
    public static final int LEARNER_STREAM_ID = 1003;
    public static final int INGRESS_STREAM_ID = ClientProtocol.INGRESS_STREAM_ID;

    /**
     * Clients in the same process as a node reach its ingress, and it reaches them, over IPC.
     */
    public static final String IPC_CHANNEL = ClientProtocol.IPC_CHANNEL;

    private Streams()
    {
    }

    public static String udpChannel(final String endpoint, final int mtuLength, final int termLength)
    {
        return ClientProtocol.udpChannel(endpoint, mtuLength, termLength);
    }
}
