package dev.smtpprobe.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A small aggregator of a JFR recording (JDK 17's {@code jdk.jfr.consumer} API; {@code jfr view} exists only from
 * JDK 21): {@code JfrTop FILE.jfr [N]}. Prints the top N allocation sites (sampled bytes of
 * {@code jdk.ObjectAllocationSample}) and the top N CPU methods ({@code jdk.ExecutionSample} counts), each keyed
 * two ways: by the top frame, and by the first smtp-probe frame on the stack (the library code responsible, with
 * the JDK or Netty frames above it folded in). The benchmark's own frames ({@code dev.smtpprobe.bench}) are not
 * smtp-probe frames.
 */
public final class JfrTop {

    private JfrTop() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Map<String, Long> allocTop = new HashMap<>();
        Map<String, Long> allocOwn = new HashMap<>();
        Map<String, Long> cpuTop = new HashMap<>();
        Map<String, Long> cpuOwn = new HashMap<>();
        long allocTotal = 0;
        long cpuTotal = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String type = e.getEventType().getName();
            RecordedStackTrace st = e.getStackTrace();
            if (st == null) {
                continue;
            }
            if (type.equals("jdk.ObjectAllocationSample")) {
                long w = e.getLong("weight");
                String cls = e.getClass("objectClass").getName();
                allocTotal += w;
                allocTop.merge(cls + " @ " + frame(top(st.getFrames())), w, Long::sum);
                allocOwn.merge(cls + " @ " + frame(own(st.getFrames())), w, Long::sum);
            } else if (type.equals("jdk.ExecutionSample")) {
                cpuTotal++;
                cpuTop.merge(frame(top(st.getFrames())), 1L, Long::sum);
                cpuOwn.merge(frame(own(st.getFrames())), 1L, Long::sum);
            }
        }
        print("Allocation (sampled bytes), by the first smtp-probe frame", allocOwn, allocTotal, n);
        print("Allocation (sampled bytes), by the allocating frame", allocTop, allocTotal, n);
        print("CPU (execution samples), by the first smtp-probe frame", cpuOwn, cpuTotal, n);
        print("CPU (execution samples), by the top frame", cpuTop, cpuTotal, n);
    }

    private static RecordedFrame top(List<RecordedFrame> frames) {
        return frames.isEmpty() ? null : frames.get(0);
    }

    /** The first frame of smtp-probe's own code (not the benchmark's), or null when there is none. */
    private static RecordedFrame own(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            if (type.startsWith("dev.smtpprobe.") && !type.startsWith("dev.smtpprobe.bench.")) {
                return f;
            }
        }
        return null;
    }

    private static String frame(RecordedFrame f) {
        if (f == null) {
            return "(no smtp-probe frame)";
        }
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName() + ":" + f.getLineNumber();
    }

    private static void print(String title, Map<String, Long> m, long total, int n) {
        System.out.printf(Locale.ROOT, "%n== %s (total %,d)%n", title, total);
        m.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                .forEach(e -> System.out.printf(Locale.ROOT, "%6.1f%%  %,14d  %s%n", 100.0 * e.getValue() / Math.max(1, total),
                        e.getValue(), e.getKey()));
    }
}
