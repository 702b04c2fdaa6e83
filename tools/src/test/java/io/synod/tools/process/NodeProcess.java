package io.synod.tools.process;

import io.aeron.CncFileDescriptor;
import io.synod.engine.runtime.NodeCounters;
import io.synod.tools.SynodCommand;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One replica run as {@code synod node} in a child JVM, and its counters read from outside through its
 * media driver's CnC file, as {@code synod stat} reads them. Owned by the test thread.
 * <p>
 * The child runs from the test class path rather than {@code target/synod.jar}: tests run in the
 * {@code test} phase, before {@code package} shades the jar. Every incarnation writes its own output
 * file; a restart uses the same arguments, so the same data directory and delivered log.
 */
final class NodeProcess implements AutoCloseable
{
    static final long FOLLOWER = 0;
    static final long LEADER = 2;

    private static final long OUTPUT_CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(5);

    private final int memberId;
    private final List<String> command;
    private final Path workDir;
    private final String aeronDir;
    private final Path deliveredLog;
    private final List<Path> outputs = new ArrayList<>();
    private final String runningLine;

    private volatile Process process;
    private boolean starting;
    private boolean running;
    private long nextOutputCheckNs;
    private MappedByteBuffer cnc;
    private CountersReader counters;
    private int roleCounterId;
    private int deliveredSlotCounterId;
    private int chosenWatermarkCounterId;
    private int ballotCounterId;
    private int electionsCounterId;
    private int preVotesCounterId;

    NodeProcess(
        final int memberId,
        final String members,
        final Path dataDir,
        final Path workDir,
        final String aeronDir,
        final String durability)
    {
        this.memberId = memberId;
        this.workDir = workDir;
        this.aeronDir = aeronDir;
        this.deliveredLog = workDir.resolve("delivered-" + memberId + ".log");
        this.runningLine = "synod member " + memberId + " running";

        command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(
            Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("-ea");
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("--add-exports");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/sun.nio.ch=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/java.nio=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SynodCommand.class.getName());
        command.add("node");
        command.add("--id");
        command.add(Integer.toString(memberId));
        command.add("--members");
        command.add(members);
        command.add("--dir");
        command.add(dataDir.toString());
        command.add("--durability");
        command.add(durability);
        command.add("--aeron-dir");
        command.add(aeronDir);
        command.add("--delivered-log");
        command.add(deliveredLog.toString());
    }

    int memberId()
    {
        return memberId;
    }

    Path deliveredLog()
    {
        return deliveredLog;
    }

    /**
     * Starts a new incarnation; {@link #pollRunning(long)} tells when it is up.
     */
    void start() throws IOException
    {
        if (process != null && process.isAlive())
        {
            throw new IllegalStateException("member " + memberId + " is already running, pid " + process.pid());
        }
        final Path output = workDir.resolve("member-" + memberId + "-run-" + outputs.size() + ".out");
        outputs.add(output);
        running = false;
        starting = true;
        nextOutputCheckNs = 0;
        process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    }

    /**
     * SIGKILL (on Linux {@link Process#destroyForcibly()} is {@code kill -9}), then reaps the child.
     */
    void kill() throws InterruptedException
    {
        running = false;
        starting = false;
        unmapCounters();
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("member " + memberId + " survived SIGKILL, pid " + process.pid());
        }
    }

    /**
     * SIGTERM: the node shuts down cleanly and flushes its delivered log. Does not wait.
     */
    void terminate()
    {
        running = false;
        starting = false;
        unmapCounters();
        process.destroy();
    }

    /**
     * @return the exit code, or -1 if the child has not exited within the timeout.
     */
    int awaitExit(final long timeoutMs) throws InterruptedException
    {
        return process.waitFor(timeoutMs, TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    boolean isRunning()
    {
        return running;
    }

    /**
     * Checks, at most every few milliseconds, whether the current incarnation says it runs, and maps its
     * counters once it does: they exist by then.
     *
     * @return whether it runs.
     */
    boolean pollRunning(final long nowNs)
    {
        if (!starting || nowNs < nextOutputCheckNs)
        {
            return running;
        }
        nextOutputCheckNs = nowNs + OUTPUT_CHECK_INTERVAL_NS;
        if (!process.isAlive())
        {
            throw new IllegalStateException("member " + memberId + " exited with " + process.exitValue() +
                " before it ran; output in " + outputs.get(outputs.size() - 1));
        }
        final String text;
        try
        {
            text = Files.readString(outputs.get(outputs.size() - 1), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return false;
        }
        if (text.contains(runningLine))
        {
            mapCounters();
            starting = false;
            running = true;
        }
        return running;
    }

    long role()
    {
        return counter(roleCounterId);
    }

    /**
     * @return the next slot this replica's learner delivers.
     */
    long deliveredSlot()
    {
        return counter(deliveredSlotCounterId);
    }

    long chosenWatermark()
    {
        return counter(chosenWatermarkCounterId);
    }

    /**
     * @return the ballot of this member's leader role (its own, or the last it ran with).
     */
    long ballot()
    {
        return counter(ballotCounterId);
    }

    /**
     * @return elections this incarnation started (phase 1 with a new ballot).
     */
    long elections()
    {
        return counter(electionsCounterId);
    }

    long preVotes()
    {
        return counter(preVotesCounterId);
    }

    void printOutputs(final PrintStream out)
    {
        for (final Path output : outputs)
        {
            out.println("----- " + output.getFileName() + " -----");
            try
            {
                out.println(Files.readString(output, StandardCharsets.UTF_8));
            }
            catch (final IOException ex)
            {
                out.println("(unreadable: " + ex + ")");
            }
        }
    }

    /**
     * SIGKILL without waiting or touching anything else: safe from a shutdown hook on another thread.
     */
    void destroyForcibly()
    {
        final Process current = process;
        if (current != null)
        {
            current.destroyForcibly();
        }
    }

    /**
     * Kills the child if it still runs, whatever happened, and removes its Aeron directory.
     */
    public void close()
    {
        unmapCounters();
        if (process != null && process.isAlive())
        {
            process.destroyForcibly();
            try
            {
                process.waitFor(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        IoUtil.delete(new File(aeronDir), true);
    }

    private long counter(final int counterId)
    {
        if (!running)
        {
            throw new IllegalStateException("member " + memberId + " is not running");
        }
        return counters.getCounterValue(counterId);
    }

    private void mapCounters()
    {
        cnc = IoUtil.mapExistingFile(new File(aeronDir, CncFileDescriptor.CNC_FILE), "cnc");
        final DirectBuffer metaData = CncFileDescriptor.createMetaDataBuffer(cnc);
        counters = new CountersReader(
            CncFileDescriptor.createCountersMetaDataBuffer(cnc, metaData),
            CncFileDescriptor.createCountersValuesBuffer(cnc, metaData));
        roleCounterId = -1;
        deliveredSlotCounterId = -1;
        chosenWatermarkCounterId = -1;
        ballotCounterId = -1;
        electionsCounterId = -1;
        preVotesCounterId = -1;
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (keyBuffer.getInt(NodeCounters.KEY_MEMBER_ID_OFFSET) != memberId)
            {
                return;
            }
            switch (typeId)
            {
                case NodeCounters.ROLE_TYPE_ID -> roleCounterId = counterId;
                case NodeCounters.DELIVERED_SLOT_TYPE_ID -> deliveredSlotCounterId = counterId;
                case NodeCounters.CHOSEN_WATERMARK_TYPE_ID -> chosenWatermarkCounterId = counterId;
                case NodeCounters.BALLOT_TYPE_ID -> ballotCounterId = counterId;
                case NodeCounters.ELECTIONS_TYPE_ID -> electionsCounterId = counterId;
                case NodeCounters.PRE_VOTES_TYPE_ID -> preVotesCounterId = counterId;
                default -> { }
            }
        });
        if (roleCounterId < 0 || deliveredSlotCounterId < 0 || chosenWatermarkCounterId < 0 || ballotCounterId < 0 ||
            electionsCounterId < 0 || preVotesCounterId < 0)
        {
            unmapCounters();
            throw new IllegalStateException("member " + memberId + " runs but its counters are missing in " + aeronDir);
        }
    }

    private void unmapCounters()
    {
        if (cnc != null)
        {
            IoUtil.unmap(cnc);
            cnc = null;
            counters = null;
        }
    }
}
