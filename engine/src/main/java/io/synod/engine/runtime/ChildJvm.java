package io.synod.engine.runtime;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The one command line for a child JVM that runs Synod code (a node of a benchmark, a crash or
 * fail-stop test's child): this JVM's java, the module flags Agrona and Aeron need (the same as the
 * build's {@code synod.jvm.opens}), and this JVM's class path. Stateless.
 */
public final class ChildJvm
{
    /**
     * What Agrona's Unsafe access and Aeron's mapped buffers need on Java 17.
     */
    public static final List<String> MODULE_FLAGS = List.of(
        "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.base/java.nio=ALL-UNNAMED");

    private ChildJvm()
    {
    }

    /**
     * @param jvmFlags  extra flags such as {@code -Xmx256m}, before the class path.
     * @param mainClass the class to run; the caller appends its arguments.
     * @return a mutable command line.
     */
    public static List<String> command(final List<String> jvmFlags, final String mainClass)
    {
        final List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmFlags);
        command.addAll(MODULE_FLAGS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        return command;
    }

    public static String java()
    {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }
}
