package io.synod.tools;

import io.aeron.CncFileDescriptor;
import io.synod.engine.runtime.NodeCounters;
import io.synod.engine.runtime.SynodNode;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.status.CountersReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code synod stat}: the counters of every node under a data directory, read from their media
 * drivers' counters files from outside the process, like AeronStat, as a table with one column per
 * member. Runs on the main thread.
 * <p>
 * Every counter a node registers (type id {@value #MIN_USER_TYPE_ID} and above, below are Aeron's own)
 * is shown by its label, so counters added later need no change here. A member whose process is gone
 * (the pid in its {@code node.properties} and in its CnC file no longer runs) or whose media driver
 * stopped heart-beating (its to-driver buffer's consumer heartbeat older than {@link #STALE_HEARTBEAT_MS})
 * is shown as DEAD: its counters file outlives it, so its last values would otherwise read as current.
 */
@Command(name = "stat", mixinStandardHelpOptions = true, versionProvider = SynodCommand.Version.class,
    description = "Print the counters of every node under DIR, one column per member, which one leads and " +
        "which are dead; --watch refreshes every second with rates per second.")
public final class StatCommand implements Callable<Integer>
{
    /** Aeron reserves counter type ids below this for its own counters. */
    static final int MIN_USER_TYPE_ID = 1000;

    /** Aeron's default driver timeout: a driver silent for longer is not running. */
    static final long STALE_HEARTBEAT_MS = 10_000;

    private static final String[] ROLES = { "FOLLOWER", "CANDIDATE", "LEADER", "PRE-CANDIDATE" };
    private static final Pattern LABEL_PREFIX = Pattern.compile("^synod cluster=\\d+ member=\\d+: ");

    /** Counters that hold a state or a level, not a running total: no rate beside them. */
    private static final Pattern NOT_A_TOTAL = Pattern.compile(
        "role|ballot|member id|in-flight|sessions|max|current|state|timestamp", Pattern.CASE_INSENSITIVE);

    @Option(names = "--dir", required = true, description = "data directory the nodes run in")
    Path dir;

    @Option(names = "--watch", description = "refresh every second (clear screen, timestamp, rates per second) " +
        "until interrupted")
    boolean watch;

    /**
     * One member's state as read at one moment.
     */
    static final class Member
    {
        final String memberId;
        final String pid;
        String state = "?";
        long heartbeatAgeMs = -1;
        final Map<String, Long> counters = new LinkedHashMap<>();

        Member(final String memberId, final String pid)
        {
            this.memberId = memberId;
            this.pid = pid;
        }
    }

    public Integer call() throws Exception
    {
        Map<String, Map<String, Long>> previous = new HashMap<>();
        long previousNs = 0;
        do
        {
            final long nowNs = System.nanoTime();
            final List<Member> members = read(dir);
            if (members.isEmpty())
            {
                System.err.println("error: no node found under " + dir + " (no member-*/" + SynodNode.NODE_FILE_NAME +
                    "); start one with 'synod cluster --dir " + dir + "' or 'synod node ... --dir " + dir + "'");
                return SynodCommand.EXIT_USAGE;
            }
            final PrintStream out = System.out;
            if (watch)
            {
                out.print("\033[H\033[2J");
                out.println("synod stat " + dir + " at " + Instant.now() + " (every 1 s; rates per second since " +
                    "the previous refresh; Ctrl-C stops)");
            }
            final double elapsedSec = previousNs == 0 ? 0 : (nowNs - previousNs) / 1e9;
            out.print(table(members, watch ? previous : null, elapsedSec));
            out.flush();
            if (members.stream().noneMatch(m -> !m.state.startsWith("DEAD")) && !watch)
            {
                return SynodCommand.EXIT_FAILED;
            }
            if (watch)
            {
                previous = new HashMap<>();
                for (final Member member : members)
                {
                    previous.put(member.memberId, member.counters);
                }
                previousNs = nowNs;
                Thread.sleep(1000);
            }
        }
        while (watch);
        return SynodCommand.EXIT_OK;
    }

    /**
     * @param dir a cluster's or node's data directory.
     * @return every member found under it, dead or alive, in member order.
     */
    static List<Member> read(final Path dir) throws IOException
    {
        final List<Path> nodeFiles = new ArrayList<>();
        if (Files.isDirectory(dir))
        {
            try (Stream<Path> children = Files.list(dir))
            {
                children.sorted().forEach(child ->
                {
                    final Path file = child.resolve(SynodNode.NODE_FILE_NAME);
                    if (Files.isRegularFile(file))
                    {
                        nodeFiles.add(file);
                    }
                });
            }
        }
        final List<Member> members = new ArrayList<>();
        for (final Path nodeFile : nodeFiles)
        {
            final Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(nodeFile))
            {
                properties.load(reader);
            }
            final Member member = new Member(properties.getProperty("memberId", "?"), properties.getProperty("pid", "?"));
            members.add(member);
            final File cncFile = new File(properties.getProperty("aeronDirectory", ""), CncFileDescriptor.CNC_FILE);
            if (!cncFile.isFile())
            {
                member.state = "DEAD (no " + cncFile + ")";
                continue;
            }
            readCounters(member, cncFile, properties.getProperty("clusterId"));
        }
        return members;
    }

    private static void readCounters(final Member member, final File cncFile, final String clusterId)
    {
        final MappedByteBuffer cnc = IoUtil.mapExistingFile(cncFile, "cnc");
        try
        {
            final DirectBuffer metaData = CncFileDescriptor.createMetaDataBuffer(cnc);
            final long heartbeatMs = new ManyToOneRingBuffer(CncFileDescriptor.createToDriverBuffer(cnc, metaData))
                .consumerHeartbeatTime();
            member.heartbeatAgeMs = System.currentTimeMillis() - heartbeatMs;
            final long driverPid = CncFileDescriptor.pid(metaData);
            final String dead = deadReason(member.pid, driverPid, member.heartbeatAgeMs);

            final CountersReader counters = new CountersReader(
                CncFileDescriptor.createCountersMetaDataBuffer(cnc, metaData),
                CncFileDescriptor.createCountersValuesBuffer(cnc, metaData));
            final String ownPrefix = "synod cluster=" + clusterId + " member=" + member.memberId + ": ";
            final long[] role = { -1 };
            counters.forEach((counterId, typeId, keyBuffer, label) ->
            {
                // Another node's counters in a shared external driver are not this member's.
                if (typeId < MIN_USER_TYPE_ID || (label.startsWith("synod cluster=") && !label.startsWith(ownPrefix)))
                {
                    return;
                }
                final long value = counters.getCounterValue(counterId);
                if (typeId == NodeCounters.ROLE_TYPE_ID)
                {
                    role[0] = value;
                }
                member.counters.put(LABEL_PREFIX.matcher(label).replaceFirst(""), value);
            });
            if (null != dead)
            {
                member.state = "DEAD (" + dead + ")";
            }
            else
            {
                member.state = role[0] >= 0 && role[0] < ROLES.length ? ROLES[(int)role[0]] : "RUNNING";
            }
        }
        finally
        {
            IoUtil.unmap(cnc);
        }
    }

    /**
     * @return why the member is dead, or null when its process runs and its driver heart-beats.
     */
    static String deadReason(final String nodePid, final long driverPid, final long heartbeatAgeMs)
    {
        final long pid = parsePid(nodePid);
        if (pid > 0 && !alive(pid))
        {
            return "pid " + pid + " not running";
        }
        if (driverPid > 0 && driverPid != pid && !alive(driverPid))
        {
            return "media driver pid " + driverPid + " not running";
        }
        if (heartbeatAgeMs > STALE_HEARTBEAT_MS)
        {
            return "no driver heartbeat for " + TimeUnit.MILLISECONDS.toSeconds(heartbeatAgeMs) + " s";
        }
        return null;
    }

    private static boolean alive(final long pid)
    {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static long parsePid(final String pid)
    {
        try
        {
            return Long.parseLong(pid);
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    /**
     * @param members    as read.
     * @param previous   counters of the previous refresh per member id, or null for no rates.
     * @param elapsedSec seconds since the previous refresh.
     * @return the table: a header row per member, then one row per counter label.
     */
    static String table(final List<Member> members, final Map<String, Map<String, Long>> previous,
        final double elapsedSec)
    {
        final List<String> labels = new ArrayList<>();
        for (final Member member : members)
        {
            for (final String label : member.counters.keySet())
            {
                if (!labels.contains(label))
                {
                    labels.add(label);
                }
            }
        }
        final int columnWidth = 24;
        int labelWidth = "member".length();
        for (final String label : labels)
        {
            labelWidth = Math.max(labelWidth, label.length());
        }
        final StringBuilder sb = new StringBuilder();
        row(sb, labelWidth, columnWidth, "member", members, m -> m.memberId);
        row(sb, labelWidth, columnWidth, "state", members, m -> m.state.startsWith("DEAD") ? "DEAD" : m.state);
        row(sb, labelWidth, columnWidth, "pid", members, m -> m.pid);
        row(sb, labelWidth, columnWidth, "driver heartbeat age ms", members,
            m -> m.heartbeatAgeMs < 0 ? "-" : Long.toString(m.heartbeatAgeMs));
        for (final String label : labels)
        {
            final boolean rate = null != previous && elapsedSec > 0 && !NOT_A_TOTAL.matcher(label).find();
            row(sb, labelWidth, columnWidth, label, members, m ->
            {
                final Long value = m.counters.get(label);
                if (null == value)
                {
                    return "-";
                }
                String cell = String.format(Locale.ROOT, "%,d", value);
                final Map<String, Long> before = null != previous ? previous.get(m.memberId) : null;
                if (rate && null != before && null != before.get(label) && !m.state.startsWith("DEAD"))
                {
                    cell += String.format(Locale.ROOT, " (%,.0f/s)", (value - before.get(label)) / elapsedSec);
                }
                return cell;
            });
        }
        for (final Member member : members)
        {
            if (member.state.startsWith("DEAD"))
            {
                sb.append("member ").append(member.memberId).append(": ").append(member.state)
                    .append("; its counters are its last values").append('\n');
            }
            else if ("LEADER".equals(member.state))
            {
                sb.append("leader: member ").append(member.memberId).append('\n');
            }
        }
        return sb.toString();
    }

    private static void row(final StringBuilder sb, final int labelWidth, final int columnWidth, final String label,
        final List<Member> members, final java.util.function.Function<Member, String> cell)
    {
        sb.append(String.format(Locale.ROOT, "%-" + labelWidth + "s", label));
        for (final Member member : members)
        {
            sb.append(String.format(Locale.ROOT, " %" + columnWidth + "s", cell.apply(member)));
        }
        sb.append('\n');
    }
}
