package io.synod.engine.runtime;

import io.synod.engine.config.Setting;
import io.synod.engine.log.LogConfiguration;
import io.synod.engine.protocol.ProtocolConfiguration;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static io.synod.engine.config.SettingValues.durationText;
import static io.synod.engine.config.SettingValues.sizeText;

/**
 * Property names, defaults and ranges of a node's own settings (its protocol settings are in
 * {@link ProtocolConfiguration}): the one place each is defined. Constants and pure functions only;
 * safe from any thread.
 */
public final class NodeConfiguration
{
    public static final String CLUSTER_ID_PROP = "synod.cluster.id";
    public static final int CLUSTER_ID_DEFAULT = 0;

    public static final String MEMBER_ID_PROP = ProtocolConfiguration.MEMBER_ID_PROP;
    public static final int MEMBER_ID_DEFAULT = 0;

    public static final String MEMBERS_PROP = ProtocolConfiguration.MEMBERS_PROP;
    public static final String MEMBERS_DEFAULT = "0=127.0.0.1:20100,1=127.0.0.1:20101,2=127.0.0.1:20102";

    public static final String DIR_PROP = "synod.dir";
    public static final String DIR_DEFAULT = System.getProperty("java.io.tmpdir") + File.separator + "synod";

    public static final String AERON_DIR_PROP = "synod.aeron.dir";

    public static final String EMBEDDED_DRIVER_PROP = "synod.driver.embedded";
    public static final boolean EMBEDDED_DRIVER_DEFAULT = true;

    public static final String THREADING_PROP = "synod.threading";
    public static final String THREADING_DEFAULT = ThreadingMode.SHARED.name();

    public static final String IDLE_PROP = "synod.idle";
    public static final String IDLE_DEFAULT = "yielding";
    public static final String IDLE_CHOICES = "yielding, busy-spin (or busy), backoff, sleeping, noop";

    public static final String DURABILITY_PROP = "synod.durability";
    public static final String DURABILITY_DEFAULT = LogConfiguration.DURABILITY_MODE_DEFAULT.name();

    public static final String MTU_PROP = "synod.mtu";
    public static final int MTU_DEFAULT = 8192;
    public static final int MTU_MIN = 1408;
    public static final int MTU_MAX = 65504;

    public static final String TERM_LENGTH_PROP = "synod.term.length";
    public static final int TERM_LENGTH_DEFAULT = 4 * 1024 * 1024;
    public static final int TERM_LENGTH_MIN = 64 * 1024;
    public static final int TERM_LENGTH_MAX = 1024 * 1024 * 1024;

    public static final String RING_BUFFER_LENGTH_PROP = "synod.ring.buffer.length";
    public static final int RING_BUFFER_LENGTH_DEFAULT = 4 * 1024 * 1024;
    public static final int RING_BUFFER_LENGTH_MIN = 64 * 1024;
    public static final int RING_BUFFER_LENGTH_MAX = 1024 * 1024 * 1024;

    public static final String FRAGMENT_LIMIT_PROP = "synod.fragment.limit";
    public static final int FRAGMENT_LIMIT_DEFAULT = 64;

    public static final String SESSION_TIMEOUT_PROP = "synod.session.timeout";
    public static final long SESSION_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(10);
    /**
     * Clients keep their sessions alive every second; below two seconds one late keep-alive expires them.
     */
    public static final long SESSION_TIMEOUT_MIN_NS = TimeUnit.SECONDS.toNanos(2);

    public static final String CYCLE_THRESHOLD_PROP = "synod.cycle.threshold";
    public static final long CYCLE_THRESHOLD_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(1);

    // Security (issue 14).
    public static final String CLUSTER_KEY_FILE_PROP = "synod.cluster.key.file";

    public static final String MEMBER_SOURCE_CHECK_PROP = "synod.member.source.check";
    public static final boolean MEMBER_SOURCE_CHECK_DEFAULT = true;

    public static final String CLIENT_SECRET_FILE_PROP = "synod.client.secret.file";

    public static final List<Setting> SETTINGS = List.of(
        new Setting(CLUSTER_ID_PROP, Integer.toString(CLUSTER_ID_DEFAULT), "[0, 2147483647]",
            "Id of the cluster; every message carries it and members drop messages of other clusters."),
        new Setting(MEMBER_ID_PROP, Integer.toString(MEMBER_ID_DEFAULT), "one of the ids in " + MEMBERS_PROP,
            "Id of this member."),
        new Setting(MEMBERS_PROP, MEMBERS_DEFAULT,
            "1 to " + ProtocolConfiguration.MAX_MEMBERS + " entries id=host:port, ids in [0, " +
            io.synod.engine.protocol.Ballot.MAX_MEMBER_ID + "], no duplicates",
            "The cluster's members and the UDP endpoint each listens on; all members must run the same list."),
        new Setting(DIR_PROP, "${java.io.tmpdir}/synod", "a directory path",
            "Data directory; member N keeps its log, lock file and node file in member-N under it."),
        new Setting(AERON_DIR_PROP, "/dev/shm (else tmpdir)/synod-<cluster>-<member>-<hash of member directory>",
            "a directory path",
            "Aeron directory of the node's media driver (and its counters, read by synod stat)."),
        new Setting(EMBEDDED_DRIVER_PROP, Boolean.toString(EMBEDDED_DRIVER_DEFAULT), "true or false",
            "Whether the node runs its own media driver; false uses a driver already running on " + AERON_DIR_PROP + "."),
        new Setting(THREADING_PROP, THREADING_DEFAULT, "DEDICATED, SHARED, INVOKER",
            "Threads: one per role, all roles on one thread, or none (the application calls doWork())."),
        new Setting(IDLE_PROP, IDLE_DEFAULT, IDLE_CHOICES, "What an agent thread does when it found no work."),
        new Setting(DURABILITY_PROP, DURABILITY_DEFAULT, "SYNC, PAGE_CACHE",
            "SYNC forces the log before replying (survives power loss); PAGE_CACHE survives a process crash."),
        new Setting(MTU_PROP, sizeText(MTU_DEFAULT), "a multiple of 32 in [" + MTU_MIN + ", " + MTU_MAX + "]",
            "MTU of the UDP channels between members."),
        new Setting(TERM_LENGTH_PROP, sizeText(TERM_LENGTH_DEFAULT),
            "a power of two in [" + sizeText(TERM_LENGTH_MIN) + ", " + sizeText(TERM_LENGTH_MAX) + "], >= 8 x " +
            ProtocolConfiguration.MAX_MESSAGE_BYTES_PROP,
            "Term buffer length of every publication."),
        new Setting(RING_BUFFER_LENGTH_PROP, sizeText(RING_BUFFER_LENGTH_DEFAULT),
            "a power of two in [" + sizeText(RING_BUFFER_LENGTH_MIN) + ", " + sizeText(RING_BUFFER_LENGTH_MAX) +
            "], >= 8 x " + ProtocolConfiguration.MAX_MESSAGE_BYTES_PROP,
            "Capacity of each ring buffer between the roles of one node."),
        new Setting(FRAGMENT_LIMIT_PROP, Integer.toString(FRAGMENT_LIMIT_DEFAULT), ProtocolConfiguration.POSITIVE,
            "Most fragments an agent polls from one subscription per duty cycle."),
        new Setting(SESSION_TIMEOUT_PROP, durationText(SESSION_TIMEOUT_DEFAULT_NS),
            "a duration >= " + durationText(SESSION_TIMEOUT_MIN_NS),
            "A client session nobody kept alive for this long is closed."),
        new Setting(CYCLE_THRESHOLD_PROP, durationText(CYCLE_THRESHOLD_DEFAULT_NS), "a positive duration",
            "A duty cycle of an agent longer than this is counted as a stall (per agent, shown by synod stat)."),
        new Setting(CLUSTER_KEY_FILE_PROP, "none (member traffic is not authenticated)",
            "a file made by synod keygen, readable by its owner only",
            "Cluster key; with it every frame between members carries an HMAC-SHA256 trailer and replays are " +
            "refused. All members must use the same key."),
        new Setting(MEMBER_SOURCE_CHECK_PROP, Boolean.toString(MEMBER_SOURCE_CHECK_DEFAULT), "true or false",
            "Whether frames between members must come from the host " + MEMBERS_PROP + " gives the member they name."),
        new Setting(CLIENT_SECRET_FILE_PROP, "none (every client is accepted)",
            "a file made by synod keygen, readable by its owner only",
            "Secret clients prove they know (HMAC-SHA256 challenge and response) before a session is opened."));

    private NodeConfiguration()
    {
    }

    /**
     * The default Aeron directory of a member: unique per data directory, so two clusters on one host
     * (both cluster id 0 by default) never share, and delete, each other's driver and counters.
     */
    public static String defaultAeronDirectoryName(final int clusterId, final int memberId, final Path memberDirectory)
    {
        final String base = new File("/dev/shm").isDirectory() ? "/dev/shm" : System.getProperty("java.io.tmpdir");
        final CRC32 crc = new CRC32();
        crc.update(memberDirectory.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
        return base + File.separator + "synod-" + clusterId + "-" + memberId + "-" +
            String.format("%08x", crc.getValue());
    }
}
