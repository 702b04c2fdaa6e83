package io.synod.tools;

import io.aeron.CncFileDescriptor;
import io.synod.engine.runtime.NodeCounters;
import io.synod.engine.runtime.SynodNode;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.status.CountersReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code synod stat}: prints the counters of every node under a data directory, read from their media
 * drivers' counters files from outside the process, like AeronStat.
 */
@Command(name = "stat", mixinStandardHelpOptions = true,
    description = "Print the counters of every node under DIR, and which one leads.")
public final class StatCommand implements Callable<Integer>
{
    private static final String[] ROLES = { "follower", "candidate", "leader", "pre-candidate" };

    @Option(names = "--dir", required = true, description = "data directory the nodes run in")
    Path dir;

    @Option(names = "--watch", description = "repeat every second until interrupted")
    boolean watch;

    public Integer call() throws Exception
    {
        do
        {
            final int found = printOnce();
            if (found == 0)
            {
                System.err.println("error: no running node found under " + dir + " (no member-*/" +
                    SynodNode.NODE_FILE_NAME + " with a live counters file)");
                return SynodCommand.EXIT_USAGE;
            }
            if (watch)
            {
                Thread.sleep(1000);
                System.out.println();
            }
        }
        while (watch);
        return SynodCommand.EXIT_OK;
    }

    private int printOnce() throws IOException
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
        int found = 0;
        for (final Path nodeFile : nodeFiles)
        {
            final Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(nodeFile))
            {
                properties.load(reader);
            }
            final File cncFile = new File(properties.getProperty("aeronDirectory", ""), CncFileDescriptor.CNC_FILE);
            if (!cncFile.isFile())
            {
                System.out.println("member " + properties.getProperty("memberId") + ": not running (no " + cncFile + ")");
                continue;
            }
            found += print(properties, cncFile);
        }
        return found;
    }

    private static int print(final Properties properties, final File cncFile)
    {
        final MappedByteBuffer cnc = IoUtil.mapExistingFile(cncFile, "cnc");
        try
        {
            final DirectBuffer metaData = CncFileDescriptor.createMetaDataBuffer(cnc);
            final CountersReader counters = new CountersReader(
                CncFileDescriptor.createCountersMetaDataBuffer(cnc, metaData),
                CncFileDescriptor.createCountersValuesBuffer(cnc, metaData));
            final StringBuilder lines = new StringBuilder();
            final long[] role = { -1 };
            counters.forEach((counterId, typeId, keyBuffer, label) ->
            {
                if (typeId >= NodeCounters.MIN_TYPE_ID && typeId <= NodeCounters.MAX_TYPE_ID)
                {
                    final long value = counters.getCounterValue(counterId);
                    if (typeId == NodeCounters.ROLE_TYPE_ID)
                    {
                        role[0] = value;
                    }
                    lines.append(String.format("  %,20d  %s%n", value, label));
                }
            });
            if (lines.length() == 0)
            {
                return 0;
            }
            final String roleName = role[0] >= 0 && role[0] < ROLES.length ? ROLES[(int)role[0]] : "?";
            System.out.println("member " + properties.getProperty("memberId") + " (pid " +
                properties.getProperty("pid") + ", " + roleName.toUpperCase() + ")" +
                ("leader".equals(roleName) ? "  <== leader" : ""));
            System.out.print(lines);
            return 1;
        }
        finally
        {
            IoUtil.unmap(cnc);
        }
    }
}
