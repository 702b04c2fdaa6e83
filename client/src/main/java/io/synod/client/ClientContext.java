package io.synod.client;

import io.aeron.Aeron;
import io.synod.codecs.ClientProtocol;
import org.agrona.SystemUtil;

import java.io.File;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Settings of a client, Aeron style: defaults, {@code synod.client.*} system properties, fluent
 * accessors; {@link #conclude()} fails fast naming the bad setting. Not thread-safe: configured by
 * one thread before the client starts.
 * <p>
 * The cluster id, the member list, the MTU and the term length are read from the same properties
 * a node reads ({@code synod.cluster.id}, {@code synod.members}, {@code synod.mtu},
 * {@code synod.term.length}), so that one set of {@code -D} options configures both; the client
 * names them itself because it does not depend on the node.
 */
public final class ClientContext
{
    public static final String CLUSTER_ID_PROP = "synod.cluster.id";
    public static final String MEMBERS_PROP = "synod.members";
    public static final String MEMBERS_DEFAULT = "0=127.0.0.1:20100,1=127.0.0.1:20101,2=127.0.0.1:20102";
    public static final String MTU_PROP = "synod.mtu";
    public static final String TERM_LENGTH_PROP = "synod.term.length";
    public static final String CLIENT_ID_PROP = "synod.client.id";
    public static final String RESPONSE_ENDPOINT_PROP = "synod.client.response.endpoint";
    public static final String RESPONSE_STREAM_PROP = "synod.client.response.stream";
    public static final String MAX_IN_FLIGHT_PROP = "synod.client.max.in.flight";
    public static final String MAX_PAYLOAD_PROP = "synod.client.max.payload";
    public static final String RESEND_TIMEOUT_PROP = "synod.client.resend.timeout";
    public static final String CONNECT_TIMEOUT_PROP = "synod.client.connect.timeout";
    public static final String AERON_DIR_PROP = "synod.client.aeron.dir";

    static final int MIN_MTU_LENGTH = 1408;
    static final int MAX_MTU_LENGTH = 65504;
    static final int MIN_TERM_LENGTH = 64 * 1024;
    static final int MAX_TERM_LENGTH = 1024 * 1024 * 1024;

    private int clusterId = Integer.getInteger(CLUSTER_ID_PROP, 0);
    private String members = System.getProperty(MEMBERS_PROP, MEMBERS_DEFAULT);
    private long clientId = Long.getLong(CLIENT_ID_PROP, 0);
    private String responseEndpoint = System.getProperty(RESPONSE_ENDPOINT_PROP, "127.0.0.1:0");
    private int responseStreamId = Integer.getInteger(RESPONSE_STREAM_PROP, 1020);
    private int maxInFlight = Integer.getInteger(MAX_IN_FLIGHT_PROP, ClientProtocol.MAX_IN_FLIGHT);
    private int maxPayloadBytes = (int)SystemUtil.getSizeAsLong(MAX_PAYLOAD_PROP, 4096);
    private long resendTimeoutNs = SystemUtil.getDurationInNanos(RESEND_TIMEOUT_PROP, TimeUnit.MILLISECONDS.toNanos(100));
    private long connectTimeoutNs = SystemUtil.getDurationInNanos(CONNECT_TIMEOUT_PROP, TimeUnit.SECONDS.toNanos(10));
    private String aeronDirectoryName = System.getProperty(AERON_DIR_PROP);
    private int mtuLength = (int)SystemUtil.getSizeAsLong(MTU_PROP, 8192);
    private int termLength = (int)SystemUtil.getSizeAsLong(TERM_LENGTH_PROP, 4 * 1024 * 1024);
    private Aeron aeron;
    private int ipcMemberId = -1;
    private ClientCredentials credentials = ClientCredentials.none();

    private List<ClientMember> clusterMembers;

    public ClientContext conclude()
    {
        if (clusterId < 0)
        {
            throw new IllegalArgumentException(CLUSTER_ID_PROP + "=" + clusterId + " must not be negative");
        }
        clusterMembers = ClientMember.parse(MEMBERS_PROP, members);
        if (clientId == 0)
        {
            clientId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        }
        if (clientId < 0)
        {
            throw new IllegalArgumentException(CLIENT_ID_PROP + "=" + clientId + " must be positive");
        }
        if (maxInFlight < 1 || maxInFlight > ClientProtocol.MAX_IN_FLIGHT)
        {
            throw new IllegalArgumentException(MAX_IN_FLIGHT_PROP + "=" + maxInFlight + " must be in [1, " +
                ClientProtocol.MAX_IN_FLIGHT + "]: replicas remember that many sequences per client");
        }
        if (maxPayloadBytes < 0 || maxPayloadBytes > 1024 * 1024)
        {
            throw new IllegalArgumentException(MAX_PAYLOAD_PROP + "=" + maxPayloadBytes + " must be in [0, 1 MiB]");
        }
        if (resendTimeoutNs <= 0)
        {
            throw new IllegalArgumentException(RESEND_TIMEOUT_PROP + "=" + resendTimeoutNs + "ns must be positive");
        }
        if (connectTimeoutNs <= 0)
        {
            throw new IllegalArgumentException(CONNECT_TIMEOUT_PROP + "=" + connectTimeoutNs + "ns must be positive");
        }
        if (responseStreamId == ClientProtocol.INGRESS_STREAM_ID)
        {
            throw new IllegalArgumentException(RESPONSE_STREAM_PROP + "=" + responseStreamId +
                " is the ingress stream: choose another");
        }
        // The same ranges a node accepts: Aeron refuses other values only later, with a less clear error.
        if (mtuLength < MIN_MTU_LENGTH || mtuLength > MAX_MTU_LENGTH || (mtuLength & 31) != 0)
        {
            throw new IllegalArgumentException(MTU_PROP + "=" + mtuLength + " must be a multiple of 32 in [" +
                MIN_MTU_LENGTH + ", " + MAX_MTU_LENGTH + "]");
        }
        if (termLength < MIN_TERM_LENGTH || termLength > MAX_TERM_LENGTH || Integer.bitCount(termLength) != 1)
        {
            throw new IllegalArgumentException(TERM_LENGTH_PROP + "=" + termLength + " must be a power of two in [" +
                MIN_TERM_LENGTH + ", " + MAX_TERM_LENGTH + "]");
        }
        if (maxPayloadBytes + 1024 > termLength / 8)
        {
            throw new IllegalArgumentException(MAX_PAYLOAD_PROP + "=" + maxPayloadBytes + " does not fit one Aeron " +
                "message with " + TERM_LENGTH_PROP + "=" + termLength + ": raise the term length");
        }
        if (ipcMemberId >= 0 && aeron == null)
        {
            throw new IllegalArgumentException("ipcMemberId=" + ipcMemberId + " needs the node's Aeron client: aeron(node.aeron())");
        }
        if (aeronDirectoryName == null && aeron == null)
        {
            final String base = new File("/dev/shm").isDirectory() ? "/dev/shm" : System.getProperty("java.io.tmpdir");
            aeronDirectoryName = base + File.separator + "synod-client-" + clientId;
        }
        return this;
    }

    public int clusterId()
    {
        return clusterId;
    }

    public ClientContext clusterId(final int clusterId)
    {
        this.clusterId = clusterId;
        return this;
    }

    public String members()
    {
        return members;
    }

    public ClientContext members(final String members)
    {
        this.members = members;
        return this;
    }

    public long clientId()
    {
        return clientId;
    }

    public ClientContext clientId(final long clientId)
    {
        this.clientId = clientId;
        return this;
    }

    public String responseEndpoint()
    {
        return responseEndpoint;
    }

    public ClientContext responseEndpoint(final String responseEndpoint)
    {
        this.responseEndpoint = responseEndpoint;
        return this;
    }

    public int responseStreamId()
    {
        return responseStreamId;
    }

    public ClientContext responseStreamId(final int responseStreamId)
    {
        this.responseStreamId = responseStreamId;
        return this;
    }

    public int maxInFlight()
    {
        return maxInFlight;
    }

    public ClientContext maxInFlight(final int maxInFlight)
    {
        this.maxInFlight = maxInFlight;
        return this;
    }

    public int maxPayloadBytes()
    {
        return maxPayloadBytes;
    }

    public ClientContext maxPayloadBytes(final int maxPayloadBytes)
    {
        this.maxPayloadBytes = maxPayloadBytes;
        return this;
    }

    public long resendTimeoutNs()
    {
        return resendTimeoutNs;
    }

    public ClientContext resendTimeoutNs(final long resendTimeoutNs)
    {
        this.resendTimeoutNs = resendTimeoutNs;
        return this;
    }

    public long connectTimeoutNs()
    {
        return connectTimeoutNs;
    }

    public ClientContext connectTimeoutNs(final long connectTimeoutNs)
    {
        this.connectTimeoutNs = connectTimeoutNs;
        return this;
    }

    public String aeronDirectoryName()
    {
        return aeronDirectoryName;
    }

    public ClientContext aeronDirectoryName(final String aeronDirectoryName)
    {
        this.aeronDirectoryName = aeronDirectoryName;
        return this;
    }

    public int mtuLength()
    {
        return mtuLength;
    }

    public ClientContext mtuLength(final int mtuLength)
    {
        this.mtuLength = mtuLength;
        return this;
    }

    public int termLength()
    {
        return termLength;
    }

    public ClientContext termLength(final int termLength)
    {
        this.termLength = termLength;
        return this;
    }

    /**
     * An Aeron client to use instead of launching an embedded driver of the client's own.
     */
    public Aeron aeron()
    {
        return aeron;
    }

    /**
     * What this client presents to the cluster's authenticator (default: none).
     */
    public ClientCredentials credentials()
    {
        return credentials;
    }

    public ClientContext credentials(final ClientCredentials credentials)
    {
        this.credentials = credentials == null ? ClientCredentials.none() : credentials;
        return this;
    }

    public ClientContext aeron(final Aeron aeron)
    {
        this.aeron = aeron;
        return this;
    }

    /**
     * A member in this process, reached over IPC through {@link #aeron()}: its ingress and the
     * responses to this client then never leave the process. Other members are reached over UDP.
     */
    public int ipcMemberId()
    {
        return ipcMemberId;
    }

    public ClientContext ipcMemberId(final int ipcMemberId)
    {
        this.ipcMemberId = ipcMemberId;
        return this;
    }

    public List<ClientMember> clusterMembers()
    {
        return clusterMembers;
    }
}
