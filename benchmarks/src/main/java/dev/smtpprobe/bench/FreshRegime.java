package dev.smtpprobe.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The headline regime of issue 18: every workload x competitor cell in a fresh JVM of its own ({@link FreshChild})
 * after a short warm-up (500 probes at full size), rounds interleaving the competitors (A B C D, A B C D, ...), each
 * cell the median over rounds with (min-max). Where applications live: a startup check, a health check, a batch of
 * a few thousand domains, none of which ever reaches the steady state's 120,000 warm-up probes.
 */
final class FreshRegime {

    static final String HEADLINE = "F0.";
    static final String SEQUENTIAL = "F1.";
    static final String THROUGHPUT = "F2.";
    static final String REFUSED = "F3.";
    static final String COLD = "F4.";
    static final String TARGETS = "T.";

    /** Sizes of the fresh regime. */
    record Sizes(int rounds, int warmup, int sequential, int throughput, int concurrency, int poolThreads,
                 int refused) {

        static Sizes fullSize() {
            return new Sizes(Integer.getInteger("bench.fresh.rounds", 5), Integer.getInteger("bench.fresh.warmup", 500),
                    Integer.getInteger("bench.fresh.sequential", 2000),
                    Integer.getInteger("bench.fresh.throughput", 20_000), 1000, 200,
                    Integer.getInteger("bench.fresh.refused", 1000));
        }

        static Sizes smokeSize() {
            return new Sizes(2, 20, 30, 200, 50, 20, 20);
        }
    }

    private final Sizes sizes;
    private final Report report;
    private final SinkProcess sink;
    private final List<String> competitors;
    private final Consumer<String> log;

    FreshRegime(Sizes sizes, Report report, SinkProcess sink, boolean probeAvailable, Consumer<String> log) {
        this.sizes = sizes;
        this.report = report;
        this.sink = sink;
        this.log = log;
        this.competitors = probeAvailable ? List.of(Suite.SMTP_PROBE, Suite.ANGUS, Suite.SOCKET)
                : List.of(Suite.ANGUS, Suite.SOCKET);
    }

    /** The headline table: rows are workloads, columns competitors. Created first so it prints first. */
    Report.Section headline() {
        return report.section(HEADLINE + " Headline: a fresh JVM per cell, " + sizes.warmup + " warm-up probes, median of "
                + sizes.rounds + " interleaved rounds (min–max)");
    }

    void sequential() throws Exception {
        Report.Section sec = report.section(SEQUENTIAL + " Fresh JVM: sequential probes, one at a time (smtp-probe "
                + "run()), " + sizes.warmup + " warm-up then " + sizes.sequential + " measured");
        List<String> names = withCeiling();
        for (int round = 0; round < sizes.rounds; round++) {
            for (String name : names) {
                Map<String, String> r = child(FreshChild.SEQUENTIAL, name, name.equals(Suite.CEILING) ? sink.bare
                        : sink.smtp, sizes.sequential, 1);
                latencyCells(sec, name, r, sizes.sequential, "sequential run() p50 µs");
            }
        }
        sec.ratio("p50 µs", Suite.ANGUS);
        sec.ratio("p50 µs", Suite.SOCKET);
        sec.note("Each probe: connect, 220, EHLO, 250, QUIT, 221, close; the ceiling only connects and waits for the "
                + "sink's close. " + COST_NOTE);
    }

    void throughput() throws Exception {
        Report.Section sec = report.section(THROUGHPUT + " Fresh JVM: throughput, " + sizes.throughput + " probes, "
                + sizes.concurrency + " in flight (smtp-probe runAsync(), blocking clients on " + sizes.poolThreads
                + " threads), " + sizes.warmup + " warm-up");
        List<String> names = withCeiling();
        for (int round = 0; round < sizes.rounds; round++) {
            for (String name : names) {
                long[] sinkCpu = new long[1];
                Map<String, String> r = child(FreshChild.THROUGHPUT, name, name.equals(Suite.CEILING) ? sink.bare
                        : sink.smtp, sizes.throughput, sizes.concurrency, sinkCpu);
                double rate = Long.parseLong(r.get("ok")) / (Long.parseLong(r.get("wall")) / 1e9);
                sec.add("probes/s", name, rate);
                sec.add("p99 ms", name, micros(r, "p99") / 1000);
                cost(sec, name, r, sizes.throughput);
                sec.add("sink CPU % of a core", name, 100.0 * sinkCpu[0] / Long.parseLong(r.get("wall")));
                headline().add(name, "throughput probes/s", rate);
            }
        }
        sec.ratio("probes/s", Suite.ANGUS);
        sec.ratio("probes/s", Suite.CEILING);
        sec.note("The warm-up runs at the same concurrency as the measured batch. " + COST_NOTE);
    }

    void refused() throws Exception {
        InetSocketAddress port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = (InetSocketAddress) s.getLocalSocketAddress();
        }
        Report.Section sec = report.section(REFUSED + " Fresh JVM: refused loopback port, time to the verdict, "
                + sizes.warmup + " warm-up then " + sizes.refused + " measured");
        for (int round = 0; round < sizes.rounds; round++) {
            for (String name : competitors) {
                Map<String, String> r = child(FreshChild.REFUSED, name, List.of(port), sizes.refused, 1);
                latencyCells(sec, name, r, sizes.refused, "refused port p50 µs to the verdict");
            }
        }
        sec.ratio("p50 µs", Suite.SOCKET);
        sec.note("smtp-probe (run()) must answer CONNECTION_REFUSED, Angus Mail's connect and the Socket's connect "
                + "must throw; anything else counts as failed. No ceiling: the Socket's bare connect is one. "
                + COST_NOTE);
    }

    /** Copies the cold-start section's medians into the headline (the cold start is a fresh JVM already). */
    void coldIntoHeadline(Report.Section cold) {
        for (String name : cold.competitors) {
            for (double v : cold.values.getOrDefault("wall ms", Map.of()).getOrDefault(name, List.of())) {
                headline().add(name, "cold start, whole JVM wall s", v / 1000);
            }
            for (double v : cold.values.getOrDefault("max RSS MiB", Map.of()).getOrDefault(name, List.of())) {
                headline().add(name, "cold start, max RSS MiB", v);
            }
        }
    }

    private static final String COST_NOTE = "client CPU: the child JVM's CPU time over the measured probes, per probe, "
            + "JIT compiler and GC threads included. alloc: bytes allocated by that JVM's live threads over the "
            + "measured probes, per probe. A fresh JVM per cell: no competitor's JIT profile, threads or garbage "
            + "tax another's.";

    private List<String> withCeiling() {
        List<String> names = new ArrayList<>(competitors);
        names.add(Suite.CEILING);
        return names;
    }

    private static double micros(Map<String, String> r, String field) {
        return Long.parseLong(r.get(field)) / 1e3;
    }

    private static void cost(Report.Section sec, String name, Map<String, String> r, int n) {
        sec.add("client CPU µs/probe", name, Long.parseLong(r.get("cpu")) / 1e3 / n);
        sec.add("alloc B/probe", name, (double) Long.parseLong(r.get("alloc")) / n);
        sec.add("failed", name, Long.parseLong(r.get("failed")));
    }

    private Map<String, String> child(String workload, String name, List<InetSocketAddress> targets, int count,
                                      int concurrency) throws Exception {
        return child(workload, name, targets, count, concurrency, new long[1]);
    }

    /**
     * Runs one cell in a child JVM with default heap flags (as an application starts), reading the sink's CPU while
     * it measures into {@code sinkCpu[0]}. A probe that ended unexpectedly is reported in the suite's header.
     */
    private Map<String, String> child(String workload, String name, List<InetSocketAddress> targets, int count,
                                      int concurrency, long[] sinkCpu) throws Exception {
        List<String> cmd = List.of(Jvm.java(), "-Dio.netty.leakDetection.level=disabled",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", Jvm.classPath(), FreshChild.class.getName(),
                workload, name, ThroughputChild.ports(targets), Integer.toString(sizes.warmup), Integer.toString(count),
                Integer.toString(concurrency), Integer.toString(sizes.poolThreads));
        ThroughputChild.ChildOutput out = ThroughputChild.runChild(cmd, sink, "fresh " + workload + " / " + name);
        sinkCpu[0] = out.sinkCpuNanos();
        Map<String, String> r = FreshChild.parse(out.result());
        if (!"null".equals(r.get("surprise"))) {
            String s = "Fresh " + workload + ", first unexpected outcome of " + name + ": " + r.get("surprise");
            if (!report.header.contains(s)) {
                report.header.add(s);
            }
            log.accept(s);
        }
        return r;
    }

    /** A latency cell of a child's figures: p50 and p99 in µs, its cost per probe, and the p50 in the headline. */
    private void latencyCells(Report.Section sec, String name, Map<String, String> r, int count, String headlineRow) {
        double p50 = micros(r, "p50");
        sec.add("p50 µs", name, p50);
        sec.add("p99 µs", name, micros(r, "p99"));
        cost(sec, name, r, count);
        headline().add(name, headlineRow, p50);
    }

    // ---- targets -------------------------------------------------------------------------------------------

    /**
     * The targets of issue 18 against this run's medians, as a Markdown table in the section {@code targets}: each
     * target, the measured ratio, met or not. A target whose benchmark did not run says so.
     */
    static void targets(Report report, Report.Section targets) {
        StringBuilder t = new StringBuilder("| regime | target | measured | met |\n|---|---|---:|---|\n");
        Report.Section seq = find(report, SEQUENTIAL);
        Report.Section thr = find(report, THROUGHPUT);
        Report.Section ref = find(report, REFUSED);
        Report.Section cold = find(report, COLD);
        Report.Section steadyThr = find(report, "2.");
        row(t, "fresh", "throughput ≥ 1.3× Angus Mail", ratio(thr, "probes/s", Suite.ANGUS), 1.3, true);
        row(t, "fresh", "sequential run() p50 ≤ Angus Mail", ratio(seq, "p50 µs", Suite.ANGUS), 1.0, false);
        row(t, "fresh", "sequential run() p50 ≤ 1.5× Socket", ratio(seq, "p50 µs", Suite.SOCKET), 1.5, false);
        row(t, "fresh", "refused-port p50 ≤ 2× Socket", ratio(ref, "p50 µs", Suite.SOCKET), 2.0, false);
        row(t, "fresh", "cold start wall ≤ 1.25× Angus Mail", ratio(cold, "wall ms", Suite.ANGUS), 1.25, false);
        row(t, "fresh", "cold start max RSS ≤ 1.1× Angus Mail", ratio(cold, "max RSS MiB", Suite.ANGUS), 1.1, false);
        row(t, "steady", "throughput ≥ 2× Angus Mail", ratio(steadyThr, "probes/s", Suite.ANGUS), 2.0, true);
        row(t, "steady", "throughput ≥ 0.5× ceiling", ratio(steadyThr, "probes/s", Suite.CEILING), 0.5, true);
        targets.note(t.toString().strip());
        targets.note("measured: smtp-probe's median over the reference's median, both from the sections above (F1-F4: "
                + "fresh regime; 2.: steady state). CPU and allocation per probe are in the sections' own columns.");
    }

    private static Report.Section find(Report report, String prefix) {
        return report.sections.values().stream().filter(s -> s.title.startsWith(prefix)).findFirst().orElse(null);
    }

    private static double ratio(Report.Section sec, String metric, String reference) {
        return sec == null ? Double.NaN : sec.median(metric, Suite.SMTP_PROBE) / sec.median(metric, reference);
    }

    private static void row(StringBuilder t, String regime, String target, double measured, double bound,
                            boolean atLeast) {
        String met = Double.isNaN(measured) ? "not run" : (atLeast ? measured >= bound : measured <= bound) ? "met"
                : "NOT met";
        t.append("| ").append(regime).append(" | ").append(target).append(" | ")
                .append(Double.isNaN(measured) ? "n/a" : String.format(Locale.ROOT, "%.2f×", measured))
                .append(" | ").append(met).append(" |\n");
    }
}
