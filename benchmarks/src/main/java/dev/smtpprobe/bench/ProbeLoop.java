package dev.smtpprobe.bench;

import dev.smtpprobe.bench.Clients.AngusClient;
import dev.smtpprobe.bench.Clients.Client;
import dev.smtpprobe.bench.Clients.SmtpProbeClient;
import dev.smtpprobe.bench.Clients.SocketClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * A loop of one competitor's probes against a fresh sink, for profiling (BENCHMARKS.md shows it under JFR):
 * {@code ProbeLoop smtp-probe|angus|socket COUNT CONCURRENCY}.
 */
public final class ProbeLoop {

    private ProbeLoop() {
    }

    /** Runs the loop and prints the rate. */
    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[1]);
        int concurrency = Integer.parseInt(args[2]);
        try (SinkProcess sink = SinkProcess.start(4)) {
            Client c = switch (args[0]) {
                case "smtp-probe" -> new SmtpProbeClient();
                case "angus" -> new AngusClient(Duration.ofSeconds(10));
                case "socket" -> new SocketClient(Duration.ofSeconds(10));
                default -> throw new IllegalArgumentException("client must be smtp-probe, angus or socket: " + args[0]);
            };
            Semaphore permits = new Semaphore(concurrency);
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            long t = System.nanoTime();
            for (int i = 0; i < count; i++) {
                permits.acquire();
                int index = i;
                CompletableFuture<Boolean> f = c.async() ? c.start(sink.smtp.get(index % sink.smtp.size()))
                        : CompletableFuture.supplyAsync(() -> c.call(sink.smtp.get(index % sink.smtp.size())), pool);
                f.whenComplete((ok, e) -> permits.release());
            }
            permits.acquire(concurrency);
            double seconds = (System.nanoTime() - t) / 1e9;
            System.out.printf("%s: %d probes in %.2f s = %.0f/s; first surprise: %s%n", c.name(), count, seconds,
                    count / seconds, c.firstSurprise());
        }
        System.exit(0);
    }
}
