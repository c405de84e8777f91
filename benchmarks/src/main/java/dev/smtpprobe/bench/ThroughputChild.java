package dev.smtpprobe.bench;

import dev.smtpprobe.bench.Clients.AngusClient;
import dev.smtpprobe.bench.Clients.Client;
import dev.smtpprobe.bench.Clients.SmtpProbeClient;
import dev.smtpprobe.bench.Clients.SocketClient;
import dev.smtpprobe.bench.Suite.Batch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One competitor's throughput batch in a JVM of its own, started by {@link Suite} against the suite's sink:
 * {@code ThroughputChild NAME PORTS WARMUP TOTAL CONCURRENCY POOL}. Runs WARMUP probes, prints {@value #MEASURING}
 * (the suite starts reading the sink's CPU), runs TOTAL probes (async clients at CONCURRENCY in flight, blocking
 * ones on POOL threads, the ceiling's bare connects at CONCURRENCY), and prints one {@value #RESULT} line.
 * A JVM per competitor keeps one's JIT profile, threads and garbage from taxing another's figures.
 */
final class ThroughputChild {

    static final String MEASURING = "MEASURING";
    static final String RESULT = "RESULT";

    /** What a child JVM printed as its result line, and the sink's CPU time over its measured batch. */
    record ChildOutput(String result, long sinkCpuNanos) {
    }

    /**
     * Runs a child JVM ({@code cmd}) that prints {@link #MEASURING} when its measured batch starts and then its
     * {@link #RESULT} line; the sink's CPU time is taken between the two. Throws when it gives no result.
     */
    static ChildOutput runChild(List<String> cmd, SinkProcess sink, String what) throws IOException,
            InterruptedException {
        Process child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long sink0 = 0;
        String result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.equals(MEASURING)) {
                    sink0 = sink.cpu().toNanos();
                } else if (line.startsWith(RESULT)) {
                    result = line;
                    break;
                }
            }
        }
        long sinkCpu = sink.cpu().toNanos() - sink0;
        if (!child.waitFor(5, TimeUnit.MINUTES)) {
            child.destroyForcibly().waitFor(); // exited, so its exit value below can be read
        }
        if (result == null) {
            throw new IllegalStateException(what + ": the child JVM gave no result (exit " + child.exitValue() + ")");
        }
        return new ChildOutput(result, sinkCpu);
    }

    private ThroughputChild() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        List<InetSocketAddress> targets = Arrays.stream(args[1].split(","))
                .map(p -> new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(p)))
                .collect(Collectors.toList());
        int warmup = Integer.parseInt(args[2]);
        int total = Integer.parseInt(args[3]);
        int concurrency = Integer.parseInt(args[4]);
        int poolThreads = Integer.parseInt(args[5]);
        ExecutorService pool = Executors.newFixedThreadPool(poolThreads);
        Client client = switch (name) {
            case Suite.SMTP_PROBE -> new SmtpProbeClient();
            case Suite.ANGUS -> new AngusClient(Duration.ofSeconds(10));
            case Suite.SOCKET -> new SocketClient(Duration.ofSeconds(10));
            case Suite.CEILING -> null;
            default -> throw new IllegalArgumentException("unknown competitor: " + name);
        };
        Jvm.primeMeasurement();
        run(client, pool, targets, warmup, concurrency, poolThreads);
        System.out.println(MEASURING);
        System.out.flush();
        Map<Long, Long> alloc0 = Jvm.allocatedByThread();
        long cpu0 = Jvm.processCpuNanos();
        long t0 = System.nanoTime();
        Batch b = run(client, pool, targets, total, concurrency, poolThreads);
        long wall = System.nanoTime() - t0;
        long cpu = Jvm.processCpuNanos() - cpu0;
        long alloc = Jvm.allocatedSince(alloc0);
        long p99 = Report.sorted(b.latencies())[(int) Math.min(b.latencies().length - 1, b.latencies().length * 0.99)];
        System.out.println(RESULT + " ok=" + b.ok() + " failed=" + b.failed() + " wall=" + wall + " cpu=" + cpu
                + " alloc=" + alloc + " p99=" + p99 + " surprise=" + b.firstFailure());
        System.out.flush();
        System.exit(0);
    }

    private static Batch run(Client client, ExecutorService pool, List<InetSocketAddress> targets, int total,
                             int concurrency, int poolThreads) throws Exception {
        if (client == null) {
            Ceiling.Run r = Ceiling.run(targets, total, concurrency);
            return new Batch(r.ok(), r.failed(), 0, r.latenciesNanos(), 0, 0, 0, r.firstFailure());
        }
        return client.async() ? Suite.runAsync(client, targets, total, concurrency)
                : Suite.runBlocking(pool, client, targets, total, poolThreads);
    }

    /** The ports of {@code targets}, comma-separated, for the command line. */
    static String ports(List<InetSocketAddress> targets) {
        return targets.stream().map(t -> Integer.toString(t.getPort())).collect(Collectors.joining(","));
    }

    /**
     * The batch a {@value #RESULT} line describes, with the sink's CPU the suite read. The child sends its p99
     * latency only: the batch's latencies are that one value, which is then every percentile of it.
     */
    static Batch parse(String line, long sinkCpuNanos) {
        Map<String, String> f = new HashMap<>();
        for (String kv : line.substring(RESULT.length()).trim().split(" ", 7)) {
            int eq = kv.indexOf('=');
            f.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        String surprise = f.get("surprise");
        return new Batch(Integer.parseInt(f.get("ok")), Integer.parseInt(f.get("failed")), Long.parseLong(f.get("wall")),
                new long[] {Long.parseLong(f.get("p99"))}, Long.parseLong(f.get("cpu")), sinkCpuNanos,
                Long.parseLong(f.get("alloc")), "null".equals(surprise) ? null : surprise);
    }
}
