package dev.smtpprobe.bench;

import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.bench.Clients.AngusClient;
import dev.smtpprobe.bench.Clients.Client;
import dev.smtpprobe.bench.Clients.SmtpProbeClient;
import dev.smtpprobe.bench.Clients.SocketClient;
import io.netty.util.internal.PlatformDependent;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The benchmark suite of BENCHMARKS.md: {@code Suite [--smoke] [--out FILE] [--only fresh,steady,...]}: the
 * fresh-JVM regime of issue 18 ({@link FreshRegime}) first, then the steady state. Starts the {@link Sink} in its own
 * JVM, runs every benchmark with the competitors interleaved round by round (A B C D, A B C D, ...), and prints the
 * Markdown tables (medians over rounds with min-max, ratios).
 */
public final class Suite {

    static final String SMTP_PROBE = "smtp-probe";
    static final String ANGUS = "Angus Mail";
    static final String SOCKET = "java.net.Socket";
    static final String CEILING = "ceiling (bare connect/close)";

    /** Sizes of one run of the suite. */
    record Config(boolean smoke, int rounds, int sequentialWarmup, int sequential, int throughputWarmup,
                  int throughput, int concurrency, int poolThreads, int refusedWarmup, int refused, int drops,
                  Duration dropTimeout,
                  int[] held, int coldRounds, int[] growth, int sinkPorts) {

        static Config fullSize() {
            return new Config(false, 3, 3000, 1000, 120_000, 20_000, 1000, 200, 60_000, 500, 5, Duration.ofMillis(200),
                    sizes("bench.held", "1000,10000"), 5, sizes("bench.growth", "1000,10000,50000"), 8);
        }

        /** Sizes from a system property (comma-separated), to rerun one benchmark at another size. */
        private static int[] sizes(String property, String defaults) {
            return Arrays.stream(System.getProperty(property, defaults).split(",")).mapToInt(Integer::parseInt).toArray();
        }

        static Config smokeSize() {
            return new Config(true, 2, 50, 30, 100, 200, 50, 20, 20, 20, 2, Duration.ofMillis(100),
                    new int[] {20, 50}, 1, new int[] {100, 200}, 2);
        }
    }

    /** The figures of one batch of probes. */
    record Batch(int ok, int failed, long wallNanos, long[] latencies, long clientCpuNanos, long sinkCpuNanos,
                 long allocatedBytes, String firstFailure) {
        double rate() {
            return ok / (wallNanos / 1e9);
        }
    }

    private final Config config;
    private final Report report = new Report();
    private final Consumer<String> log;
    private SinkProcess sink;
    /** The blocking clients' threads, kept for the whole suite so their allocation counters survive each batch. */
    private ExecutorService pool;
    /** Whether smtp-probe can run here (it cannot when no transport is on the class path). */
    private boolean probeAvailable;
    /**
     * The benchmarks to run ({@code --only fresh,steady} or any of {@code fresh-sequential,fresh-throughput,
     * fresh-refused,fresh-cold,sequential,throughput,latency,memory,cold,growth}); null: all.
     */
    private List<String> only;
    /** The sizes of the fresh-JVM regime (issue 18). */
    private final FreshRegime.Sizes freshSizes;

    Suite(Config config, Consumer<String> log) {
        this.config = config;
        this.log = log;
        this.freshSizes = config.smoke ? FreshRegime.Sizes.smokeSize() : FreshRegime.Sizes.fullSize();
    }

    /** Runs the suite and prints its tables. */
    public static void main(String[] args) throws Exception {
        boolean smoke = Arrays.asList(args).contains("--smoke");
        Path out = null;
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--out")) {
                out = Path.of(args[i + 1]);
            }
        }
        Suite suite = new Suite(smoke ? Config.smokeSize() : Config.fullSize(), s -> System.err.println("# " + s));
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--only")) {
                suite.only = List.of(args[i + 1].split(","));
            }
        }
        Report r = suite.run();
        String md = r.markdown();
        System.out.println(md);
        if (out != null) {
            Files.writeString(out, md);
        }
        System.exit(0);
    }

    Report run() throws Exception {
        long t0 = System.nanoTime();
        report.header.add("Run " + Instant.now() + (config.smoke ? " (SMOKE: tiny sizes, figures meaningless)" : "")
                + "; JVM " + System.getProperty("java.vm.version") + ", " + Runtime.getRuntime().availableProcessors()
                + " CPUs, max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB; load at start: " + loadAverage());
        pool = Executors.newFixedThreadPool(config.poolThreads);
        try (SinkProcess s = SinkProcess.start(config.sinkPorts)) {
            this.sink = s;
            SmtpProbeClient probe = new SmtpProbeClient();
            AngusClient angus = new AngusClient(Duration.ofSeconds(10));
            SocketClient socket = new SocketClient(Duration.ofSeconds(10));
            probeAvailable = available(probe);
            List<Client> clients = probeAvailable ? List.of(probe, angus, socket) : List.of(angus, socket);

            // The headline regime first: a fresh JVM per cell, a short warm-up (issue 18).
            FreshRegime fresh = new FreshRegime(freshSizes, report, s, probeAvailable, log);
            if (selected("fresh-sequential") || selected("fresh-throughput") || selected("fresh-refused")
                    || selected("fresh-cold")) {
                fresh.headline();
            }
            timed("fresh-sequential", fresh::sequential);
            timed("fresh-throughput", fresh::throughput);
            timed("fresh-refused", fresh::refused);
            timed("fresh-cold", () -> fresh.coldIntoHeadline(coldStart(FreshRegime.COLD + " Fresh JVM: cold start, one "
                    + "probe of the loopback sink, whole process", freshSizes.rounds())));
            Report.Section targets = report.section(FreshRegime.TARGETS + " Targets of issue 18, this run");
            // The steady state: long warm-up, kept as the second regime.
            timed("sequential", () -> sequential(clients));
            timed("throughput", () -> throughput(clients));
            timed("latency", () -> verdictLatency());
            timed("memory", () -> memory());
            timed("cold", () -> coldStart("5. Cold start: a fresh JVM, one probe of the loopback sink, whole process",
                    config.coldRounds));
            timed("growth", () -> growth(clients));
            FreshRegime.targets(report, targets);
            for (Client c : clients) {
                if (c.firstSurprise() != null) {
                    report.header.add("First unexpected outcome of " + c.name() + ": " + c.firstSurprise());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        report.header.add("Load at end: " + loadAverage() + "; suite took "
                + Duration.ofNanos(System.nanoTime() - t0).toSeconds() + " s");
        return report;
    }

    private boolean available(SmtpProbeClient probe) {
        try {
            probe.runOne(sink.smtp.get(0));
            return true;
        } catch (IllegalStateException e) {
            report.header.add("smtp-probe NOT measured: " + e.getMessage());
            return false;
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Whether {@code --only} selects the benchmark: by its name, or by its regime ({@code fresh}, {@code steady}). */
    private boolean selected(String name) {
        return only == null || only.contains(name) || only.contains(name.startsWith("fresh-") ? "fresh" : "steady");
    }

    private void timed(String name, Step step) throws Exception {
        if (!selected(name)) {
            return;
        }
        long t = System.nanoTime();
        log.accept(name + "... (load " + loadAverage() + ")");
        step.run();
        log.accept(name + " done in " + (System.nanoTime() - t) / 1_000_000 + " ms");
    }

    // ---- 1. sequential -------------------------------------------------------------------------------------

    private void sequential(List<Client> clients) throws Exception {
        Report.Section sec = report.section("1. Sequential warm probes (one at a time), latency per probe in ms");
        for (Client c : clients) {
            runSequential(c, config.sequentialWarmup);
        }
        Ceiling.run(sink.bare, config.sequentialWarmup, 1);
        for (int round = 0; round < config.rounds; round++) {
            for (Client c : clients) {
                Batch b = measure(() -> runSequential(c, config.sequential));
                record(sec, c.name(), b);
                sec.add("client CPU µs/probe", c.name(), b.clientCpuNanos / 1e3 / config.sequential);
                sec.add("alloc B/probe", c.name(), (double) b.allocatedBytes / config.sequential);
            }
            Ceiling.Run run = Ceiling.run(sink.bare, config.sequential, 1);
            record(sec, CEILING, new Batch(run.ok(), run.failed(), 0, run.latenciesNanos(), 0, 0, 0, run.firstFailure()));
        }
        sec.ratio("p50", ANGUS);
        sec.note("Each probe: connect, 220, EHLO, 250, QUIT, 221, close. The ceiling only connects and waits for "
                + "the sink's close. " + config.sequentialWarmup + " warm-up probes each, then " + config.sequential
                + " per round, " + config.rounds + " rounds interleaved.");
    }

    private void record(Report.Section sec, String name, Batch b) {
        long[] sorted = Report.sorted(b.latencies);
        sec.add("p50", name, Report.percentileMillis(sorted, 0.50));
        sec.add("p99", name, Report.percentileMillis(sorted, 0.99));
        sec.add("failed", name, b.failed);
    }

    private Batch runSequential(Client c, int n) {
        long[] lat = new long[n];
        int ok = 0;
        for (int i = 0; i < n; i++) {
            InetSocketAddress target = sink.smtp.get(i % sink.smtp.size());
            long t = System.nanoTime();
            boolean good = c.runOne(target);
            lat[i] = System.nanoTime() - t;
            if (good) {
                ok++;
            }
        }
        return new Batch(ok, n - ok, 0, lat, 0, 0, 0, c.firstSurprise());
    }

    // ---- 2. throughput -------------------------------------------------------------------------------------

    private void throughput(List<Client> clients) throws Exception {
        Report.Section sec = report.section("2. Throughput: " + config.throughput + " probes, smtp-probe async at "
                + "concurrency " + config.concurrency + ", blocking clients on " + config.poolThreads + " threads");
        List<String> names = new ArrayList<>();
        for (Client c : clients) {
            names.add(c.name());
        }
        names.add(CEILING);
        for (int round = 0; round < config.rounds; round++) {
            for (String name : names) {
                recordThroughput(sec, name, inChildJvm(name));
            }
        }
        sec.ratio("probes/s", ANGUS);
        sec.ratio("probes/s", CEILING);
        sec.note("Each cell: one competitor in a fresh JVM of its own (" + config.throughputWarmup + " warm-up probes, "
                + "then " + config.throughput + " measured), so no competitor's JIT profile, threads or garbage tax "
                + "another's; rounds interleave the competitors. client CPU: that JVM's CPU time per probe, JIT and "
                + "GC included (2 cores: 2,000 ms of CPU per second at most). sink CPU: the sink JVM's CPU time as a "
                + "share of one core over the measured batch; well under 100% means the sink's single event-loop "
                + "thread is not what limits the rate. p99: latency of one probe under this load.");
    }

    /**
     * Runs one competitor's throughput batch in a child JVM ({@link ThroughputChild}) against this suite's sink,
     * reading the sink's CPU while the child measures.
     */
    private Batch inChildJvm(String name) throws Exception {
        List<InetSocketAddress> targets = name.equals(CEILING) ? sink.bare : sink.smtp;
        List<String> cmd = List.of(Jvm.java(), "-Xms2g", "-Xmx2g", "-Dio.netty.leakDetection.level=disabled",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", Jvm.classPath(),
                ThroughputChild.class.getName(), name, ThroughputChild.ports(targets),
                Integer.toString(config.throughputWarmup), Integer.toString(config.throughput),
                Integer.toString(config.concurrency), Integer.toString(config.poolThreads));
        ThroughputChild.ChildOutput out = ThroughputChild.runChild(cmd, sink, name + " (throughput)");
        return ThroughputChild.parse(out.result(), out.sinkCpuNanos());
    }

    private void recordThroughput(Report.Section sec, String name, Batch b) {
        sec.add("probes/s", name, b.rate());
        sec.add("client CPU µs/probe", name, b.clientCpuNanos / 1e3 / Math.max(1, b.ok + b.failed));
        sec.add("alloc B/probe", name, (double) b.allocatedBytes / Math.max(1, b.ok + b.failed));
        sec.add("sink CPU % of a core", name, 100.0 * b.sinkCpuNanos / b.wallNanos);
        sec.add("p99 ms", name, Report.percentileMillis(Report.sorted(b.latencies), 0.99));
        sec.add("failed", name, b.failed);
    }

    /** One batch: async clients at the configured concurrency, blocking ones on the thread pool. */
    private Batch batch(Client c, List<InetSocketAddress> targets, int total) throws Exception {
        return measure(c.async() ? () -> runAsync(c, targets, total, config.concurrency)
                : () -> runBlocking(pool, c, targets, total, config.poolThreads));
    }

    private Batch ceiling(int total) throws Exception {
        return measure(() -> {
            Ceiling.Run r = Ceiling.run(sink.bare, total, config.concurrency);
            return new Batch(r.ok(), r.failed(), 0, r.latenciesNanos(), 0, 0, 0, r.firstFailure());
        });
    }

    private interface BatchRun {
        Batch run() throws Exception;
    }

    /** Runs a batch and adds wall time, this JVM's CPU, the sink's CPU and the bytes allocated. */
    private Batch measure(BatchRun run) throws Exception {
        Map<Long, Long> allocBefore = Jvm.allocatedByThread();
        long cpu0 = Jvm.processCpuNanos();
        long sink0 = sink.cpu().toNanos();
        long t0 = System.nanoTime();
        Batch b = run.run();
        long wall = System.nanoTime() - t0;
        long sinkCpu = sink.cpu().toNanos() - sink0;
        long cpu = Jvm.processCpuNanos() - cpu0;
        long alloc = Jvm.allocatedSince(allocBefore);
        return new Batch(b.ok, b.failed, wall, b.latencies, cpu, sinkCpu, alloc, b.firstFailure);
    }

    static Batch runAsync(Client c, List<InetSocketAddress> targets, int total, int concurrency)
            throws InterruptedException {
        Semaphore permits = new Semaphore(concurrency);
        CountDownLatch done = new CountDownLatch(total);
        AtomicInteger ok = new AtomicInteger();
        long[] lat = new long[total];
        for (int i = 0; i < total; i++) {
            permits.acquire();
            int index = i;
            long t = System.nanoTime();
            c.start(targets.get(i % targets.size())).whenComplete((good, e) -> {
                lat[index] = System.nanoTime() - t;
                if (Boolean.TRUE.equals(good)) {
                    ok.incrementAndGet();
                }
                permits.release();
                done.countDown();
            });
        }
        if (!done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException(c.name() + ": probes still running after 5 minutes");
        }
        return new Batch(ok.get(), total - ok.get(), 0, lat, 0, 0, 0, c.firstSurprise());
    }

    /** Runs a blocking client on {@code threads} threads that take the next probe until all are done. */
    static Batch runBlocking(ExecutorService pool, Client c, List<InetSocketAddress> targets, int total, int threads)
            throws Exception {
        {
            AtomicInteger next = new AtomicInteger();
            AtomicInteger ok = new AtomicInteger();
            long[] lat = new long[total];
            List<CompletableFuture<Void>> workers = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                workers.add(CompletableFuture.runAsync(() -> {
                    for (int i; (i = next.getAndIncrement()) < total; ) {
                        long t = System.nanoTime();
                        if (c.call(targets.get(i % targets.size()))) {
                            ok.incrementAndGet();
                        }
                        lat[i] = System.nanoTime() - t;
                    }
                }, pool));
            }
            CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            return new Batch(ok.get(), total - ok.get(), 0, lat, 0, 0, 0, c.firstSurprise());
        }
    }

    // ---- 3. verdict latency --------------------------------------------------------------------------------

    private void verdictLatency() throws Exception {
        InetSocketAddress refused;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refused = (InetSocketAddress) s.getLocalSocketAddress();
        }
        Report.Section sec = report.section("3a. Verdict latency, refused loopback port (ms per probe)");
        SmtpProbeClient probe = new SmtpProbeClient(SMTP_PROBE, TlsMode.NONE, null, Duration.ofSeconds(2),
                Verdict.CONNECTION_REFUSED);
        SocketClient socket = new SocketClient(Duration.ofSeconds(2));
        AngusClient angus = new AngusClient(Duration.ofSeconds(2));
        List<Client> refusers = probeAvailable ? List.of(probe, socket, angus) : List.of(socket, angus);
        Map<String, java.util.function.Predicate<InetSocketAddress>> calls = Map.of(
                SMTP_PROBE, probe::runOne, SOCKET, socket::connectExpectingFailure, ANGUS, angus::callExpectingFailure);
        for (int round = -1; round < config.rounds; round++) {
            for (Client c : refusers) {
                // Round -1 warms the JIT up. A refusal is quick and smtp-probe's path (resolution, attempt, verdict,
                // hints, result) takes some 60k of them to be compiled; the Socket's path is nearly all kernel.
                long[] lat = new long[round < 0 ? config.refusedWarmup : config.refused];
                int ok = 0;
                for (int i = 0; i < lat.length; i++) {
                    long t = System.nanoTime();
                    if (calls.get(c.name()).test(refused)) {
                        ok++;
                    }
                    lat[i] = System.nanoTime() - t;
                }
                if (round >= 0) {
                    record(sec, c.name(), new Batch(ok, lat.length - ok, 0, lat, 0, 0, 0, null));
                }
            }
        }
        sec.ratio("p50", SOCKET);
        sec.note("Round -1 is a warm-up of " + config.refusedWarmup + " refusals per competitor. smtp-probe "
                + "(run()) must answer CONNECTION_REFUSED; Socket and Angus must throw. "
                + (probe.firstSurprise() != null ? "smtp-probe surprise: " + probe.firstSurprise() : ""));

        dropLatency();
    }

    /**
     * DROP: a listening socket whose accept queue is full. Linux drops SYNs to such a listener (when
     * net.ipv4.tcp_abort_on_overflow is 0), so a connect to it times out as it would against a firewall's DROP.
     * The filler connections confirm it: the first whose connect times out proves the queue drops.
     */
    private void dropLatency() throws Exception {
        Report.Section sec = report.section("3b. Verdict latency, DROP (SYNs dropped): time past the "
                + config.dropTimeout.toMillis() + " ms connect timeout, ms");
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress target = (InetSocketAddress) listener.getLocalSocketAddress();
            boolean dropping = false;
            for (int i = 0; i < 16 && !dropping; i++) {
                Socket s = new Socket();
                try {
                    s.connect(target, 150);
                    fillers.add(s);
                } catch (SocketTimeoutException e) {
                    s.close();
                    dropping = true;
                    sec.note("Verified: after " + fillers.size() + " queued connections the listener with backlog 1 "
                            + "drops SYNs (a connect with a 150 ms timeout timed out).");
                }
            }
            if (!dropping) {
                sec.note("NOT measured: the full accept queue did not drop SYNs on this kernel "
                        + "(net.ipv4.tcp_abort_on_overflow=" + sysctl("net/ipv4/tcp_abort_on_overflow") + ").");
                return;
            }
            long timeoutMs = config.dropTimeout.toMillis();
            SmtpProbeClient probe = new SmtpProbeClient(SMTP_PROBE, TlsMode.NONE, null, config.dropTimeout,
                    Verdict.CONNECTION_TIMED_OUT);
            SocketClient socket = new SocketClient(config.dropTimeout);
            for (int round = 0; round < config.rounds; round++) {
                for (Client c : probeAvailable ? List.of(probe, socket) : List.<Client>of(socket)) {
                    List<Double> over = new ArrayList<>();
                    int ok = 0;
                    for (int i = 0; i < config.drops; i++) {
                        long t = System.nanoTime();
                        boolean good = c == probe ? probe.runOne(target) : !socketConnects(target, (int) timeoutMs);
                        over.add((System.nanoTime() - t) / 1e6 - timeoutMs);
                        if (good) {
                            ok++;
                        }
                    }
                    sec.add("median overshoot", c.name(), Report.median(over));
                    sec.add("max overshoot", c.name(), over.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
                    sec.add("failed", c.name(), config.drops - ok);
                }
            }
            sec.note("Target: smtp-probe's verdict (CONNECTION_TIMED_OUT) within the timeout + 20 ms, i.e. max overshoot "
                    + "≤ 20 ms. " + (probe.firstSurprise() != null ? "smtp-probe surprise: " + probe.firstSurprise() : ""));
        } finally {
            for (Socket s : fillers) {
                s.close();
            }
        }
    }

    private static boolean socketConnects(InetSocketAddress target, int timeoutMs) {
        try (Socket s = new Socket()) {
            s.connect(target, timeoutMs);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ---- 4. memory -----------------------------------------------------------------------------------------

    private void memory() throws Exception {
        Report.Section sec = report.section("4. Memory per in-flight smtp-probe probe (KiB), probes held open by the sink");
        if (!probeAvailable) {
            return;
        }
        Duration hold = Duration.ofSeconds(150);
        SmtpProbeClient plain = new SmtpProbeClient(SMTP_PROBE, TlsMode.NONE, null, hold, Verdict.OK);
        SmtpProbeClient tls = new SmtpProbeClient(SMTP_PROBE + " STARTTLS", TlsMode.STARTTLS, sink.caFile, hold, Verdict.OK);
        // Warm both paths so their classes and pools exist before the baseline.
        for (int i = 0; i < 20; i++) {
            plain.runOne(sink.smtp.get(i % sink.smtp.size()));
            CompletableFuture<Boolean> f = tls.start(sink.tls.get(i % sink.tls.size()));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!f.isDone() && System.nanoTime() < until) {
                sink.release(); // the tls ports hold the EHLO reply after the handshake
                Thread.sleep(5);
            }
            f.get(1, TimeUnit.MINUTES);
        }
        // Two rounds of the plain figures; STARTTLS once: 10k handshakes on the sink's one thread take minutes on
        // a loaded 2-core machine, and the suite must stay under 10 minutes.
        for (int round = 0; round < Math.max(1, config.rounds - 1); round++) {
            for (int n : config.held) {
                held(sec, plain, sink.hold, n, "plain, greeting held");
                if (round == 0) {
                    held(sec, tls, sink.tls, n, "STARTTLS, EHLO reply after the handshake held");
                }
            }
        }
        for (Client c : List.of(plain, tls)) {
            if (c.firstSurprise() != null) {
                sec.note("First unexpected outcome of " + c.name() + ": " + c.firstSurprise());
            }
        }
        sec.note("Heap: used heap after System.gc() with N probes waiting, minus the same before, over N. Direct: "
                + "Netty's direct-memory counter plus the JDK's direct buffer pool, same way. RSS: the process's "
                + "resident set, same way (the kernel's socket buffers are not in it). "
                + "Target: ≤ 10 KiB heap per plain probe.");
    }

    private void held(Report.Section sec, SmtpProbeClient c, List<InetSocketAddress> targets, int n, String what)
            throws Exception {
        String row = c.name() + " ×" + n + " (" + what + ")";
        long heap0 = heapAfterGc();
        long direct0 = directBytes();
        long rss0 = Jvm.procStatusKb("VmRSS");
        long held0 = sink.stats()[1];
        List<CompletableFuture<Boolean>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            futures.add(c.start(targets.get(i % targets.size())));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        long heldNow;
        while ((heldNow = sink.stats()[1] - held0) < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long heap = heapAfterGc();
        long direct = directBytes();
        long rss = Jvm.procStatusKb("VmRSS");
        // Release until every probe is done: a probe that reached the holding point after one RELEASE is held again.
        CompletableFuture<Void> all = CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!all.isDone() && System.nanoTime() < until) {
            sink.release();
            try {
                all.get(100, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // not yet: release again
            }
        }
        int ok = 0;
        for (CompletableFuture<Boolean> f : futures) {
            if (f.get(1, TimeUnit.MINUTES)) {
                ok++;
            }
        }
        sec.add("heap KiB/probe", row, (heap - heap0) / 1024.0 / n);
        sec.add("direct KiB/probe", row, (direct - direct0) / 1024.0 / n);
        sec.add("RSS KiB/probe", row, rss0 < 0 ? Double.NaN : (double) (rss - rss0) / n);
        sec.add("held", row, heldNow);
        sec.add("failed", row, n - ok);
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long directBytes() {
        long jdk = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        long netty = PlatformDependent.usedDirectMemory();
        return jdk + Math.max(0, netty);
    }

    // ---- 5. cold start -------------------------------------------------------------------------------------

    /** The cold-start benchmark into a section titled {@code title}; returns the section. */
    Report.Section coldStart(String title, int rounds) throws Exception {
        Report.Section sec = report.section(title);
        boolean time = new File("/usr/bin/time").canExecute();
        int port = sink.smtp.get(0).getPort();
        String probeCp = classPath("/core/target/", "smtp-probe-core", "/netty-transport/target/", "smtp-probe-netty",
                "/io/netty/netty-", "dnsjava", "slf4j");
        String angusCp = classPath("/org/eclipse/angus/", "/jakarta/mail/", "/jakarta/activation/");
        for (int round = 0; round < rounds; round++) {
            if (probeAvailable) {
                cold(sec, SMTP_PROBE, time, probeCp, ColdStartSmtpProbe.class.getName(), port);
            }
            cold(sec, ANGUS, time, angusCp, ColdStartAngus.class.getName(), port);
        }
        sec.ratio("wall ms", ANGUS);
        sec.ratio("max RSS MiB", ANGUS);
        sec.note((time ? "Measured with /usr/bin/time -v (wall clock, maximum resident set size)." :
                "/usr/bin/time is missing: wall time measured by the parent, RSS from the child's own VmHWM.")
                + " Default JVM flags; each run has only its own library's jars on the class path. Target: "
                + "smtp-probe ≤ 1.5× Angus Mail's wall time (issue 18: ≤ 1.25×, RSS ≤ 1.1×).");
        return sec;
    }

    /** The benchmark's own classes plus the class-path entries containing any of {@code patterns}. */
    private static String classPath(String... patterns) {
        return Arrays.stream(Jvm.classPath().split(File.pathSeparator))
                .filter(e -> e.contains("benchmarks/target/classes") || e.contains("smtp-probe-benchmarks")
                        || Arrays.stream(patterns).anyMatch(e::contains))
                .filter(e -> !e.contains("pkitesting") && !e.contains("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static final Pattern WALL = Pattern.compile("Elapsed \\(wall clock\\) time.*: (?:(\\d+):)?(\\d+):(\\d+(?:\\.\\d+)?)");
    private static final Pattern RSS = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");

    private void cold(Report.Section sec, String name, boolean time, String cp, String main, int port) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (time) {
            cmd.addAll(List.of("/usr/bin/time", "-v"));
        }
        cmd.addAll(List.of(Jvm.java(), "-cp", cp, main, Integer.toString(port)));
        long t = System.nanoTime();
        Process p = new ProcessBuilder(cmd).start();
        String out;
        String err;
        try (BufferedReader o = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             BufferedReader e = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            CompletableFuture<String> errText = CompletableFuture.supplyAsync(() -> e.lines().collect(Collectors.joining("\n")));
            out = o.lines().collect(Collectors.joining("\n"));
            err = errText.get(1, TimeUnit.MINUTES);
        }
        p.waitFor(1, TimeUnit.MINUTES);
        double outsideMs = (System.nanoTime() - t) / 1e6;
        if (!out.startsWith("OK")) {
            sec.add("failed", name, 1);
            sec.note(name + " cold run failed: " + out + " " + err.lines().limit(5).collect(Collectors.joining(" | ")));
            return;
        }
        double wallMs = outsideMs;
        double rssMiB = Double.NaN;
        Matcher w = WALL.matcher(err);
        Matcher r = RSS.matcher(err);
        if (time && w.find() && r.find()) {
            double hours = w.group(1) == null ? 0 : Double.parseDouble(w.group(1));
            wallMs = ((hours * 60 + Double.parseDouble(w.group(2))) * 60 + Double.parseDouble(w.group(3))) * 1000;
            rssMiB = Long.parseLong(r.group(1)) / 1024.0;
        } else {
            Matcher hwm = Pattern.compile("hwmKb=(\\d+)").matcher(out);
            if (hwm.find()) {
                rssMiB = Long.parseLong(hwm.group(1)) / 1024.0;
            }
        }
        sec.add("wall ms", name, wallMs);
        sec.add("max RSS MiB", name, rssMiB);
        sec.add("failed", name, 0);
    }

    // ---- 6. growth -----------------------------------------------------------------------------------------

    private void growth(List<Client> clients) throws Exception {
        Report.Section sec = report.section("6. Cost growth with batch size (async concurrency " + config.concurrency
                + ", blocking pool " + config.poolThreads + ")");
        for (int n : config.growth) {
            for (Client c : clients) {
                long heap0 = heapAfterGc();
                recordGrowth(sec, c.name(), n, batch(c, sink.smtp, n));
                sec.add("retained MiB @" + k(n), c.name(), (heapAfterGc() - heap0) / 1048576.0);
            }
            long heap0 = heapAfterGc();
            recordGrowth(sec, CEILING, n, ceiling(n));
            sec.add("retained MiB @" + k(n), CEILING, (heapAfterGc() - heap0) / 1048576.0);
        }
        sec.note("One round per size. alloc: bytes allocated by this JVM's live threads over the batch, per probe. "
                + "retained: heap after GC minus before (what the batch left behind; ≈ 0 means no leak).");
    }

    private static String k(int n) {
        return n >= 1000 ? n / 1000 + "k" : Integer.toString(n);
    }

    /** Records a batch's figures; the batch (and its latency array) is garbage once this returns. */
    private static void recordGrowth(Report.Section sec, String name, int n, Batch b) {
        sec.add("probes/s @" + k(n), name, b.rate());
        sec.add("client CPU µs/probe @" + k(n), name, b.clientCpuNanos / 1e3 / Math.max(1, n));
        sec.add("alloc KiB/probe @" + k(n), name, b.allocatedBytes / 1024.0 / Math.max(1, n));
        sec.add("failed @" + k(n), name, b.failed);
    }

    // ---- the machine ---------------------------------------------------------------------------------------

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ", 4)[0] + " "
                    + Files.readString(Path.of("/proc/loadavg")).split(" ", 4)[1];
        } catch (IOException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static String sysctl(String path) {
        try {
            return Files.readString(Path.of("/proc/sys", path)).strip();
        } catch (IOException e) {
            return "?";
        }
    }
}
