package dev.smtpprobe.bench;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** How to start child JVMs (the sink, the cold-start runs) with this JVM's java and class path. */
final class Jvm {

    private Jvm() {
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** This JVM's class path (under Surefire: the test class path, which Surefire puts in java.class.path). */
    static String classPath() {
        return System.getProperty("java.class.path");
    }

    /**
     * This class path without the jars whose file names contain any of {@code excluded}: each cold-start run gets
     * only its own library's jars, as an application using only that library would.
     */
    static String classPathWithout(String... excluded) {
        return Arrays.stream(classPath().split(File.pathSeparator))
                .filter(e -> Arrays.stream(excluded).noneMatch(x -> Path.of(e).getFileName().toString().contains(x)))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** Reads a value in kB from /proc/self/status ({@code VmRSS}, {@code VmHWM}), or -1 where there is none. */
    static long procStatusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").strip());
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }

    /**
     * Loads and runs the measuring code once, before a child's warm-up: the JMX beans' first use loads and compiles
     * hundreds of JDK methods, which must not land in the measured window (there they held back the JIT's queue for
     * the client's own code, and so measured the harness, every competitor alike).
     */
    static void primeMeasurement() {
        allocatedSince(allocatedByThread());
        processCpuNanos();
    }

    /** This process's CPU time, all threads (JIT and GC included). */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() : 0;
    }

    /** Bytes allocated so far by each live thread. */
    static Map<Long, Long> allocatedByThread() {
        Map<Long, Long> m = new HashMap<>();
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t) {
            long[] ids = t.getAllThreadIds();
            long[] bytes = t.getThreadAllocatedBytes(ids);
            for (int i = 0; i < ids.length; i++) {
                m.put(ids[i], bytes[i]);
            }
        }
        return m;
    }

    /** Bytes the live threads allocated since {@code before}. */
    static long allocatedSince(Map<Long, Long> before) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : allocatedByThread().entrySet()) {
            if (e.getValue() > 0) {
                sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
            }
        }
        return sum;
    }
}
