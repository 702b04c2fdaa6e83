package io.synod.tools.lin;

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
 * One replica run as {@code synod node} in a child JVM, which a nemesis can kill, restart, pause and resume, and
 * whose role and delivered slot are read through its media driver's CnC file. Owned by one thread at a time (the
 * test thread, or the nemesis while it runs; {@link Thread#start()} and {@link Thread#join()} hand it over).
 * <p>
 * Same command line as {@code io.synod.tools.process.NodeProcess}, which is package-private there and has no pid,
 * pause or resume: this is its copy for the linearizability test, with those added. Every incarnation writes its
 * own output file; a restart reuses the data directory, and the node rewrites its delivered log from slot 0.
 */
final class ReplicaProcess implements AutoCloseable
{
    static final long LEADER = 2;

    private static final long OUTPUT_CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long SIGNAL_TIMEOUT_MS = 10_000;

    private final int memberId;
    private final List<String> command = new ArrayList<>();
    private final Path workDir;
    private final String aeronDir;
    private final Path deliveredLog;
    private final List<Path> outputs = new ArrayList<>();
    private final String runningLine;

    private volatile Process process;
    private boolean starting;
    private boolean running;
    private boolean paused;
    private long nextOutputCheckNs;
    private MappedByteBuffer cnc;
    private CountersReader counters;
    private int roleCounterId;
    private int deliveredSlotCounterId;

    ReplicaProcess(
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
        command.add(ProcessHandle.current().info().command().orElse(
            Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of("-ea", "-Xmx256m", "-XX:+UseSerialGC",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"),
            SynodCommand.class.getName(), "node",
            "--id", Integer.toString(memberId),
            "--members", members,
            "--dir", dataDir.toString(),
            "--durability", durability,
            "--aeron-dir", aeronDir,
            "--delivered-log", deliveredLog.toString()));
    }

    int memberId()
    {
        return memberId;
    }

    Path deliveredLog()
    {
        return deliveredLog;
    }

    long pid()
    {
        return process.pid();
    }

    boolean isRunning()
    {
        return running;
    }

    boolean isPaused()
    {
        return paused;
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
        paused = false;
        starting = true;
        nextOutputCheckNs = 0;
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /**
     * SIGKILL, then reaps the child.
     */
    void kill() throws InterruptedException
    {
        running = false;
        starting = false;
        paused = false;
        unmapCounters();
        process.destroyForcibly();
        if (!process.waitFor(SIGNAL_TIMEOUT_MS, TimeUnit.MILLISECONDS))
        {
            throw new IllegalStateException("member " + memberId + " survived SIGKILL, pid " + process.pid());
        }
    }

    /**
     * SIGSTOP: the node freezes mid-instruction, sockets and files open, until {@link #resume()}.
     */
    void pause() throws IOException, InterruptedException
    {
        signal("-STOP");
        paused = true;
    }

    /**
     * SIGCONT after {@link #pause()}.
     */
    void resume() throws IOException, InterruptedException
    {
        signal("-CONT");
        paused = false;
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

    /**
     * Checks, at most every few milliseconds, whether the current incarnation says it runs, and maps its counters
     * once it does: they exist by then.
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
     * SIGKILL without waiting or touching anything else: safe from a shutdown hook on another thread. Kills a
     * stopped (SIGSTOP) child too.
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
     * Kills the child if it still runs, whatever happened (paused or not), and removes its Aeron directory.
     */
    public void close()
    {
        unmapCounters();
        final Process current = process;
        if (current != null && current.isAlive())
        {
            current.destroyForcibly();
            try
            {
                current.waitFor(SIGNAL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        IoUtil.delete(new File(aeronDir), true);
    }

    private void signal(final String signal) throws IOException, InterruptedException
    {
        final Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid()))
            .redirectErrorStream(true).start();
        if (!kill.waitFor(SIGNAL_TIMEOUT_MS, TimeUnit.MILLISECONDS) || kill.exitValue() != 0)
        {
            kill.destroyForcibly();
            throw new IllegalStateException("kill " + signal + " " + process.pid() + " (member " + memberId + ") failed");
        }
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
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (keyBuffer.getInt(NodeCounters.KEY_MEMBER_ID_OFFSET) != memberId)
            {
                return;
            }
            if (typeId == NodeCounters.ROLE_TYPE_ID)
            {
                roleCounterId = counterId;
            }
            else if (typeId == NodeCounters.DELIVERED_SLOT_TYPE_ID)
            {
                deliveredSlotCounterId = counterId;
            }
        });
        if (roleCounterId < 0 || deliveredSlotCounterId < 0)
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
