package dev.smtpprobe.bench;

import dev.smtpprobe.bench.Clients.AngusClient;
import dev.smtpprobe.bench.Clients.Client;
import dev.smtpprobe.bench.Clients.SmtpProbeClient;
import dev.smtpprobe.bench.Clients.SocketClient;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * A loop of one competitor's probes against a fresh sink, for profiling (BENCHMARKS.md shows it under JFR):
 * {@code ProbeLoop smtp-probe|angus|socket COUNT CONCURRENCY [WARMUP [ROUNDS]]}. Each round prints the rate, this
 * JVM's CPU time per probe, the bytes its threads allocated per probe and the sink's CPU share; WARMUP probes
 * (default 0) run first and are not measured.
 */
public final class ProbeLoop {

    private ProbeLoop() {
    }

    /** Runs the loop and prints the figures. */
    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[1]);
        int concurrency = Integer.parseInt(args[2]);
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        try (SinkProcess sink = SinkProcess.start(4)) {
            Client c = switch (args[0]) {
                case "smtp-probe" -> new SmtpProbeClient();
                case "angus" -> new AngusClient(Duration.ofSeconds(10));
                case "socket" -> new SocketClient(Duration.ofSeconds(10));
                default -> throw new IllegalArgumentException("client must be smtp-probe, angus or socket: " + args[0]);
            };
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            Jvm.primeMeasurement(); // and this loop's own readings, before the warm-up
            threadCpuSince(threadCpu());
            userSystemTicks();
            if (warmup > 0) {
                loop(c, sink, pool, warmup, concurrency);
            }
            for (int r = 0; r < rounds; r++) {
                Map<Long, Long> alloc0 = Jvm.allocatedByThread();
                long cpu0 = Jvm.processCpuNanos();
                long[] ticks0 = userSystemTicks();
                Map<Long, long[]> threads0 = threadCpu();
                long sink0 = sink.cpu().toNanos();
                long t = System.nanoTime();
                loop(c, sink, pool, count, concurrency);
                long wall = System.nanoTime() - t;
                long cpu = Jvm.processCpuNanos() - cpu0;
                long[] ticks = userSystemTicks();
                long[] app = threadCpuSince(threads0);
                long sinkCpu = sink.cpu().toNanos() - sink0;
                long alloc = Jvm.allocatedSince(alloc0);
                System.out.printf("%s: %d probes in %.2f s = %.0f/s; client CPU %.1f us/probe (user %.1f, system %.1f);"
                                + " alloc %.0f B/probe; sink CPU %.0f%% of a core; first surprise: %s%n", c.name(), count,
                        wall / 1e9, count / (wall / 1e9), cpu / 1e3 / count, (ticks[0] - ticks0[0]) * 1e4 / count,
                        (ticks[1] - ticks0[1]) * 1e4 / count, (double) alloc / count, 100.0 * sinkCpu / wall,
                        c.firstSurprise());
                System.out.printf("  Java threads (no JIT/GC): %.1f us/probe (user %.1f, system %.1f)%n",
                        app[0] / 1e3 / count, app[1] / 1e3 / count, (app[0] - app[1]) / 1e3 / count);
            }
        }
        System.exit(0);
    }

    private static void loop(Client c, SinkProcess sink, ExecutorService pool, int count, int concurrency)
            throws InterruptedException {
        Semaphore permits = new Semaphore(concurrency);
        for (int i = 0; i < count; i++) {
            permits.acquire();
            int index = i;
            CompletableFuture<Boolean> f = c.async() ? c.start(sink.smtp.get(index % sink.smtp.size()))
                    : CompletableFuture.supplyAsync(() -> c.call(sink.smtp.get(index % sink.smtp.size())), pool);
            f.whenComplete((ok, e) -> permits.release());
        }
        permits.acquire(concurrency);
    }

    /** CPU and user time per live Java thread (compiler and GC threads are not Java threads here). */
    private static Map<Long, long[]> threadCpu() {
        Map<Long, long[]> m = new HashMap<>();
        java.lang.management.ThreadMXBean t = ManagementFactory.getThreadMXBean();
        for (long id : t.getAllThreadIds()) {
            long cpu = t.getThreadCpuTime(id);
            long user = t.getThreadUserTime(id);
            if (cpu >= 0 && user >= 0) {
                m.put(id, new long[] {cpu, user});
            }
        }
        return m;
    }

    private static long[] threadCpuSince(Map<Long, long[]> before) {
        long[] sum = new long[2];
        for (Map.Entry<Long, long[]> e : threadCpu().entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            sum[0] += e.getValue()[0] - b[0];
            sum[1] += e.getValue()[1] - b[1];
        }
        return sum;
    }

    /** This process's user and system CPU time in clock ticks (1/100 s on Linux), from /proc/self/stat. */
    private static long[] userSystemTicks() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
        } catch (java.io.IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }
}
