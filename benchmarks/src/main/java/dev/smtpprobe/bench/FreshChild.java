package dev.smtpprobe.bench;

import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.bench.Clients.AngusClient;
import dev.smtpprobe.bench.Clients.Client;
import dev.smtpprobe.bench.Clients.SmtpProbeClient;
import dev.smtpprobe.bench.Clients.SocketClient;
import dev.smtpprobe.bench.Suite.Batch;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * One cell of the fresh-JVM regime (issue 18) in a JVM of its own, started by {@link FreshRegime}:
 * {@code FreshChild WORKLOAD NAME PORTS WARMUP COUNT CONCURRENCY POOL}. WORKLOAD is {@value #SEQUENTIAL} (probes one
 * at a time: smtp-probe's {@code run()}), {@value #THROUGHPUT} (smtp-probe's {@code runAsync()} at CONCURRENCY in
 * flight, blocking clients on POOL threads) or {@value #REFUSED} (one at a time against a refused port: smtp-probe
 * must answer CONNECTION_REFUSED, Angus and the Socket must fail to connect). Runs WARMUP probes, prints
 * {@value ThroughputChild#MEASURING}, runs COUNT measured probes and prints one {@value ThroughputChild#RESULT} line
 * with this JVM's CPU (JIT and GC included) and the bytes its live threads allocated over the measured probes.
 */
final class FreshChild {

    static final String SEQUENTIAL = "sequential";
    static final String THROUGHPUT = "throughput";
    static final String REFUSED = "refused";

    private FreshChild() {
    }

    public static void main(String[] args) throws Exception {
        String workload = args[0];
        String name = args[1];
        List<InetSocketAddress> targets = Arrays.stream(args[2].split(","))
                .map(p -> new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(p)))
                .collect(Collectors.toList());
        int warmup = Integer.parseInt(args[3]);
        int count = Integer.parseInt(args[4]);
        int concurrency = Integer.parseInt(args[5]);
        int poolThreads = Integer.parseInt(args[6]);
        boolean refused = workload.equals(REFUSED);
        Duration timeout = Duration.ofSeconds(refused ? 2 : 10);
        Client client = switch (name) {
            case Suite.SMTP_PROBE -> new SmtpProbeClient(Suite.SMTP_PROBE, TlsMode.NONE, null, timeout,
                    refused ? Verdict.CONNECTION_REFUSED : Verdict.OK);
            case Suite.ANGUS -> new AngusClient(timeout);
            case Suite.SOCKET -> new SocketClient(timeout);
            case Suite.CEILING -> null;
            default -> throw new IllegalArgumentException("unknown competitor: " + name);
        };
        if (refused && client == null) {
            throw new IllegalArgumentException("the refused-port workload has no ceiling");
        }
        ExecutorService pool = workload.equals(THROUGHPUT) ? Executors.newFixedThreadPool(poolThreads) : null;
        Jvm.primeMeasurement();
        run(workload, client, pool, targets, warmup, concurrency, poolThreads);
        System.out.println(ThroughputChild.MEASURING);
        System.out.flush();
        Map<Long, Long> alloc0 = Jvm.allocatedByThread();
        long cpu0 = Jvm.processCpuNanos();
        long t0 = System.nanoTime();
        Batch b = run(workload, client, pool, targets, count, concurrency, poolThreads);
        long wall = System.nanoTime() - t0;
        long cpu = Jvm.processCpuNanos() - cpu0;
        long alloc = Jvm.allocatedSince(alloc0);
        long[] sorted = Report.sorted(b.latencies());
        String surprise = b.firstFailure() == null ? "null" : b.firstFailure().replace('\n', ' ');
        System.out.println(ThroughputChild.RESULT + " ok=" + b.ok() + " failed=" + b.failed() + " wall=" + wall
                + " cpu=" + cpu + " alloc=" + alloc + " p50=" + percentileNanos(sorted, 0.50)
                + " p99=" + percentileNanos(sorted, 0.99) + " surprise=" + surprise);
        System.out.flush();
        System.exit(0);
    }

    private static Batch run(String workload, Client client, ExecutorService pool, List<InetSocketAddress> targets,
                             int total, int concurrency, int poolThreads) throws Exception {
        switch (workload) {
            case SEQUENTIAL:
                if (client == null) {
                    Ceiling.Run r = Ceiling.run(targets, total, 1);
                    return new Batch(r.ok(), r.failed(), 0, r.latenciesNanos(), 0, 0, 0, r.firstFailure());
                }
                return oneAtATime(client, targets, total, client::runOne);
            case THROUGHPUT:
                if (client == null) {
                    Ceiling.Run r = Ceiling.run(targets, total, concurrency);
                    return new Batch(r.ok(), r.failed(), 0, r.latenciesNanos(), 0, 0, 0, r.firstFailure());
                }
                return client.async() ? Suite.runAsync(client, targets, total, concurrency)
                        : Suite.runBlocking(pool, client, targets, total, poolThreads);
            case REFUSED:
                java.util.function.Predicate<InetSocketAddress> call = client instanceof AngusClient a
                        ? a::callExpectingFailure
                        : client instanceof SocketClient s ? s::connectExpectingFailure : client::runOne;
                return oneAtATime(client, targets, total, call);
            default:
                throw new IllegalArgumentException("unknown workload: " + workload);
        }
    }

    private static Batch oneAtATime(Client client, List<InetSocketAddress> targets, int n,
                                    java.util.function.Predicate<InetSocketAddress> call) {
        long[] lat = new long[n];
        int ok = 0;
        for (int i = 0; i < n; i++) {
            InetSocketAddress target = targets.get(i % targets.size());
            long t = System.nanoTime();
            boolean good = call.test(target);
            lat[i] = System.nanoTime() - t;
            if (good) {
                ok++;
            }
        }
        return new Batch(ok, n - ok, 0, lat, 0, 0, 0, client.firstSurprise());
    }

    private static long percentileNanos(long[] sorted, double q) {
        if (sorted.length == 0) {
            return -1;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** The fields of a {@value ThroughputChild#RESULT} line; {@code surprise} is last and may contain spaces. */
    static Map<String, String> parse(String line) {
        Map<String, String> f = new HashMap<>();
        String rest = line.substring(ThroughputChild.RESULT.length()).trim();
        int s = rest.indexOf(" surprise=");
        if (s >= 0) {
            f.put("surprise", rest.substring(s + " surprise=".length()));
            rest = rest.substring(0, s);
        }
        for (String kv : rest.split(" ")) {
            int eq = kv.indexOf('=');
            f.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return f;
    }
}
