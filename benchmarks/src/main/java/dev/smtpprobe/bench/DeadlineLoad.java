package dev.smtpprobe.bench;

import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.spi.PipeHandler;
import dev.smtpprobe.spi.PipeRequest;
import dev.smtpprobe.spi.Transport;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The deadline is a promise: {@code DeadlineLoad [--probes N] [--deadline MS] [--rounds R] [--out FILE]} starts
 * N probes at once with {@code runAsync()} (2,000 by default) against loopback servers that never let a probe
 * finish by itself, and measures by how much each result came after its deadline: the overrun (completion minus
 * start minus deadline; negative when early). Every timeout of the probes is far longer than the deadline, so the
 * deadline alone ends them.
 *
 * <p>The servers run in a JVM of their own ({@code DeadlineLoad serve}), one thread with one NIO selector:
 * <ul>
 *   <li>{@code silent}: accepts and never sends a byte (a tarpit): the probe waits for its banner;</li>
 *   <li>{@code slow}: greets at once, then answers each command with a 250 line dripped one byte every 200 ms, so
 *       the deadline falls in the middle of a reply while bytes keep arriving;</li>
 *   <li>{@code mixed}: half the probes to each, at once;</li>
 *   <li>{@code stalled transport}: a broken plug-in {@link Transport} that never calls back (no server): only
 *       core's safety net can end these probes, as {@code INTERNAL_ERROR}.</li>
 * </ul>
 *
 * <p>Prints a Markdown table per scenario (verdicts, overrun p50, p99, worst, over all rounds) and writes it to
 * {@code --out} when given. It never asserts: BENCHMARKS.md reads the figures.
 */
public final class DeadlineLoad {

    private static final Duration LONG = Duration.ofSeconds(60);

    private DeadlineLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("serve")) {
            Servers.serve();
            return;
        }
        int probes = 2000;
        long deadlineMs = 3000;
        int rounds = 3;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--probes" -> probes = Integer.parseInt(args[++i]);
                case "--deadline" -> deadlineMs = Long.parseLong(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        String report = run(probes, Duration.ofMillis(deadlineMs), rounds);
        System.out.println();
        System.out.print(report);
        if (out != null) {
            Files.writeString(out, report);
        }
        System.exit(0); // the shared event loops and the probe's timers are daemons; this only saves waiting
    }

    /**
     * Runs every scenario {@code rounds} times (after a warm-up round of the same size, mixed) and returns the
     * Markdown table. Every result is checked to be a verdict: a probe that completes exceptionally or never
     * completes fails the run.
     */
    static String run(int probes, Duration deadline, int rounds) throws IOException {
        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "%d probes at once with runAsync(), deadline %d ms, %d rounds, %d cores%n%n",
                probes, deadline.toMillis(), rounds, Runtime.getRuntime().availableProcessors()));
        report.append("| scenario | results | verdicts | overrun p50 | overrun p99 | worst overrun |\n");
        report.append("|---|---|---|---|---|---|\n");
        try (ServerProcess servers = ServerProcess.start()) {
            runRound(servers.silent, servers.slow, probes, deadline, "mixed"); // warm-up, not reported
            for (String scenario : List.of("silent", "slow", "mixed", "stalled transport")) {
                List<Long> overruns = new ArrayList<>();
                Map<Verdict, Integer> verdicts = new EnumMap<>(Verdict.class);
                for (int r = 0; r < rounds; r++) {
                    Round round = runRound(servers.silent, servers.slow, probes, deadline, scenario);
                    overruns.addAll(round.overrunNanos);
                    round.verdicts.forEach((v, n) -> verdicts.merge(v, n, Integer::sum));
                    System.out.printf(Locale.ROOT, "%s round %d: worst %+d ms, verdicts %s%n", scenario, r + 1,
                            round.overrunNanos.stream().mapToLong(Long::longValue).max().orElse(0) / 1_000_000,
                            round.verdicts);
                }
                long[] sorted = overruns.stream().mapToLong(Long::longValue).sorted().toArray();
                report.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s |%n", scenario, sorted.length,
                        verdicts, ms(percentile(sorted, 0.50)), ms(percentile(sorted, 0.99)),
                        ms(sorted[sorted.length - 1])));
            }
        }
        return report.toString();
    }

    /**
     * A broken plug-in transport: takes every connection and never calls back, so only core's safety net can end
     * the probe. Declares that its {@code openPipe} returns at once (it does), so the figure is the safety net's alone.
     */
    private static final Transport STALLED = new Transport() {
        @Override
        public void openPipe(PipeRequest request, PipeHandler handler) {
            // never calls back
        }

        // Without @Override: the benchmark also builds against versions whose SPI predates the method.
        public boolean opensAtOnce() {
            return true;
        }
    };

    private record Round(List<Long> overrunNanos, Map<Verdict, Integer> verdicts) {
    }

    private static Round runRound(InetSocketAddress silent, InetSocketAddress slow, int probes, Duration deadline,
                                  String scenario) {
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long[] started = new long[probes];
        long[] ended = new long[probes];
        Verdict[] verdicts = new Verdict[probes];
        boolean[] byWatchdog = new boolean[probes];
        List<CompletableFuture<ProbeResult>> all = new ArrayList<>(probes);
        for (int i = 0; i < probes; i++) {
            boolean toSilent = switch (scenario) {
                case "silent" -> true;
                case "slow" -> false;
                default -> i % 2 == 0;
            };
            InetSocketAddress target = toSilent ? silent : slow;
            int index = i;
            SmtpProbe.Builder builder = SmtpProbe.to(target.getAddress().getHostAddress()).port(target.getPort())
                    .tls(TlsMode.NONE).ehloName("probe.test").confirmTlsMode(false)
                    .connectTimeout(LONG).greetingTimeout(LONG).replyTimeout(LONG).deadline(deadline);
            if (scenario.equals("stalled transport")) {
                builder.transport(STALLED);
            }
            SmtpProbe probe = builder.build();
            started[i] = System.nanoTime();
            CompletableFuture<ProbeResult> f = probe.runAsync();
            all.add(f.whenComplete((r, e) -> {
                ended[index] = System.nanoTime();
                verdicts[index] = r != null ? r.verdict() : null;
                byWatchdog[index] = r != null && r.attempts().stream()
                        .anyMatch(a -> a.transcript().stream().anyMatch(l -> l.text().contains("did not report")));
            }));
        }
        // A probe must complete, and with a result: a hang or an exception fails the benchmark.
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).orTimeout(deadline.toMillis() + 60_000,
                TimeUnit.MILLISECONDS).join();
        List<Long> overruns = new ArrayList<>(probes);
        Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
        for (int i = 0; i < probes; i++) {
            overruns.add(ended[i] - started[i] - deadline.toNanos());
            counts.merge(verdicts[i], 1, Integer::sum);
        }
        int forced = 0;
        for (boolean b : byWatchdog) {
            forced += b ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "%s: %d of %d ended by the run's safety net, not by the transport's timer; "
                + "client CPU %.0f us per probe; load average %.1f%n", scenario, forced, probes,
                (os.getProcessCpuTime() - cpu0) / 1e3 / probes, os.getSystemLoadAverage());
        return new Round(overruns, counts);
    }

    private static long percentile(long[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%+.1f ms", nanos / 1e6);
    }

    /** The servers' JVM, started and stopped by the load's. */
    private static final class ServerProcess implements AutoCloseable {
        final Process process;
        final InetSocketAddress silent;
        final InetSocketAddress slow;

        private ServerProcess(Process process, InetSocketAddress silent, InetSocketAddress slow) {
            this.process = process;
            this.silent = silent;
            this.slow = slow;
        }

        static ServerProcess start() throws IOException {
            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                    DeadlineLoad.class.getName(), "serve").redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String ready = in.readLine();
            if (ready == null || !ready.startsWith("READY ")) {
                p.destroyForcibly();
                throw new IOException("the servers did not start: " + ready);
            }
            String[] parts = ready.split(" ");
            InetAddress loopback = InetAddress.getLoopbackAddress();
            return new ServerProcess(p, new InetSocketAddress(loopback, Integer.parseInt(parts[1].substring(7))),
                    new InetSocketAddress(loopback, Integer.parseInt(parts[2].substring(5))));
        }

        @Override
        public void close() throws IOException {
            process.getOutputStream().close(); // EOF on stdin: the servers exit
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /** The silent and slow servers: one thread, one selector, no per-connection thread. */
    static final class Servers {
        private static final byte[] GREETING = "220 slow.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] REPLY = "250 a slow reply that never quite ends in time\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        private static final long DRIP_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

        /** A slow connection dripping its reply. */
        private static final class Drip {
            final SocketChannel channel;
            int sent;
            long next;

            Drip(SocketChannel channel, long next) {
                this.channel = channel;
                this.next = next;
            }
        }

        static void serve() throws IOException {
            Selector selector = Selector.open();
            InetAddress loopback = InetAddress.getLoopbackAddress();
            ServerSocketChannel silent = ServerSocketChannel.open();
            silent.bind(new InetSocketAddress(loopback, 0), 4096);
            silent.configureBlocking(false);
            silent.register(selector, SelectionKey.OP_ACCEPT, "silent");
            ServerSocketChannel slow = ServerSocketChannel.open();
            slow.bind(new InetSocketAddress(loopback, 0), 4096);
            slow.configureBlocking(false);
            slow.register(selector, SelectionKey.OP_ACCEPT, "slow");
            PrintStream stdout = System.out;
            stdout.println("READY silent=" + ((InetSocketAddress) silent.getLocalAddress()).getPort() + " slow="
                    + ((InetSocketAddress) slow.getLocalAddress()).getPort());
            stdout.flush();
            Thread stdinWatch = new Thread(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // wait for EOF
                    }
                } catch (IOException ignored) {
                    // the parent is gone either way
                }
                System.exit(0);
            }, "stdin-watch");
            stdinWatch.setDaemon(true);
            stdinWatch.start();

            PriorityQueue<Drip> drips = new PriorityQueue<>((a, b) -> Long.compare(a.next, b.next));
            ByteBuffer discard = ByteBuffer.allocate(4096);
            while (true) {
                long now = System.nanoTime();
                while (!drips.isEmpty() && drips.peek().next - now <= 0) {
                    Drip d = drips.poll();
                    if (!d.channel.isOpen()) {
                        continue;
                    }
                    try {
                        d.channel.write(ByteBuffer.wrap(REPLY, d.sent % REPLY.length, 1));
                        d.sent++;
                        d.next = now + DRIP_NANOS;
                        drips.add(d);
                    } catch (IOException e) {
                        d.channel.close();
                    }
                }
                long wait = drips.isEmpty() ? 0 : Math.max(1, (drips.peek().next - System.nanoTime()) / 1_000_000);
                selector.select(wait);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        ServerSocketChannel server = (ServerSocketChannel) key.channel();
                        SocketChannel c;
                        while ((c = server.accept()) != null) {
                            c.configureBlocking(false);
                            boolean isSlow = "slow".equals(key.attachment());
                            if (isSlow) {
                                c.write(ByteBuffer.wrap(GREETING));
                            }
                            c.register(selector, SelectionKey.OP_READ, isSlow ? new boolean[1] : null);
                        }
                    } else if (key.isReadable()) {
                        SocketChannel c = (SocketChannel) key.channel();
                        discard.clear();
                        int n;
                        try {
                            n = c.read(discard);
                        } catch (IOException e) {
                            n = -1;
                        }
                        if (n < 0) {
                            key.cancel();
                            c.close();
                        } else if (key.attachment() instanceof boolean[] dripping && !dripping[0]
                                && containsNewline(discard)) {
                            dripping[0] = true; // the first command gets the endless reply
                            drips.add(new Drip(c, System.nanoTime()));
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        }

        private static boolean containsNewline(ByteBuffer read) {
            for (int i = 0; i < read.position(); i++) {
                if (read.get(i) == '\n') {
                    return true;
                }
            }
            return false;
        }
    }
}
