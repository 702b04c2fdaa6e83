package io.synod.engine.client;

import io.aeron.Aeron;
import io.synod.engine.protocol.SessionTable;
import io.synod.engine.runtime.ClusterMember;
import io.synod.engine.runtime.NodeContext;
import org.agrona.SystemUtil;

import java.io.File;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Settings of a client, Aeron style: defaults, {@code synod.client.*} system properties, fluent
 * accessors; {@link #conclude()} fails fast naming the bad setting.
 */
public final class ClientContext
{
    public static final String CLIENT_ID_PROP = "synod.client.id";
    public static final String RESPONSE_ENDPOINT_PROP = "synod.client.response.endpoint";
    public static final String RESPONSE_STREAM_PROP = "synod.client.response.stream";
    public static final String MAX_IN_FLIGHT_PROP = "synod.client.max.in.flight";
    public static final String MAX_PAYLOAD_PROP = "synod.client.max.payload";
    public static final String RESEND_TIMEOUT_PROP = "synod.client.resend.timeout";
    public static final String CONNECT_TIMEOUT_PROP = "synod.client.connect.timeout";
    public static final String AERON_DIR_PROP = "synod.client.aeron.dir";

    private int clusterId = Integer.getInteger(NodeContext.CLUSTER_ID_PROP, 0);
    private String members = System.getProperty(NodeContext.MEMBERS_PROP, NodeContext.MEMBERS_DEFAULT);
    private long clientId = Long.getLong(CLIENT_ID_PROP, 0);
    private String responseEndpoint = System.getProperty(RESPONSE_ENDPOINT_PROP, "127.0.0.1:0");
    private int responseStreamId = Integer.getInteger(RESPONSE_STREAM_PROP, 1020);
    private int maxInFlight = Integer.getInteger(MAX_IN_FLIGHT_PROP, SessionTable.MAX_IN_FLIGHT);
    private int maxPayloadBytes = (int)SystemUtil.getSizeAsLong(MAX_PAYLOAD_PROP, 4096);
    private long resendTimeoutNs = SystemUtil.getDurationInNanos(RESEND_TIMEOUT_PROP, TimeUnit.MILLISECONDS.toNanos(100));
    private long connectTimeoutNs = SystemUtil.getDurationInNanos(CONNECT_TIMEOUT_PROP, TimeUnit.SECONDS.toNanos(10));
    private String aeronDirectoryName = System.getProperty(AERON_DIR_PROP);
    private int mtuLength = (int)SystemUtil.getSizeAsLong(NodeContext.MTU_PROP, 8192);
    private int termLength = (int)SystemUtil.getSizeAsLong(NodeContext.TERM_LENGTH_PROP, 4 * 1024 * 1024);
    private Aeron aeron;
    private int ipcMemberId = -1;

    private List<ClusterMember> clusterMembers;

    public ClientContext conclude()
    {
        clusterMembers = ClusterMember.parse(NodeContext.MEMBERS_PROP, members);
        if (clientId == 0)
        {
            clientId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        }
        if (clientId < 0)
        {
            throw new IllegalArgumentException(CLIENT_ID_PROP + "=" + clientId + " must be positive");
        }
        if (maxInFlight < 1 || maxInFlight > SessionTable.MAX_IN_FLIGHT)
        {
            throw new IllegalArgumentException(MAX_IN_FLIGHT_PROP + "=" + maxInFlight + " must be in [1, " +
                SessionTable.MAX_IN_FLIGHT + "]: replicas remember that many sequences per client");
        }
        if (maxPayloadBytes < 0 || maxPayloadBytes > 1024 * 1024)
        {
            throw new IllegalArgumentException(MAX_PAYLOAD_PROP + "=" + maxPayloadBytes + " must be in [0, 1 MiB]");
        }
        if (resendTimeoutNs <= 0 || connectTimeoutNs <= 0)
        {
            throw new IllegalArgumentException(RESEND_TIMEOUT_PROP + " and " + CONNECT_TIMEOUT_PROP + " must be positive");
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

    public List<ClusterMember> clusterMembers()
    {
        return clusterMembers;
    }
}
