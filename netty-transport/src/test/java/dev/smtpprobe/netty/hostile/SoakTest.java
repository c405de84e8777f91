package dev.smtpprobe.netty.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.netty.NettyTransport;
import dev.smtpprobe.netty.transport.LeakCheck;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Many probes over a mix of loopback peers (OK, refused, silent, garbage); afterwards open file descriptors, live
 * threads and Netty's direct memory are back at their level before the run, every probe got its peer's verdict,
 * and (class-wide, paranoid detector) no buffer leaked.
 *
 * <p>The count comes from the system property {@code smtpprobe.soak.count} (default {@value #DEFAULT_COUNT}, a few
 * seconds). The full run is documented in the README:
 * {@code mvn -B -o verify -pl netty-transport -am -Dtest=SoakTest -Dsmtpprobe.soak.count=100000
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@ExtendWith(LeakCheck.class)
class SoakTest {

    static final int DEFAULT_COUNT = 400;
    /** Probes in flight at once. */
    private static final int CONCURRENCY = 32;
    /** The silent peer's greeting timeout: it decides how long those probes take. */
    private static final Duration SILENT_TIMEOUT = Duration.ofMillis(200);
    /**
     * The other peers answer at once; a generous timeout keeps a loaded machine (a 100k run on 2 shared cores)
     * from turning a slow answer into a wrong verdict.
     */
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    /** The peers and the verdict each must produce. */
    enum Kind {
        OK(Verdict.OK), REFUSED(Verdict.CONNECTION_REFUSED), SILENT(Verdict.GREETING_TIMEOUT),
        GARBAGE(Verdict.NOT_SMTP);

        final Verdict expected;

        Kind(Verdict expected) {
            this.expected = expected;
        }
    }

    record Level(int fds, int threads, long nettyDirect, long allocatorDirect) {
        static Level now() throws IOException {
            int fds;
            try (var list = Files.list(Path.of("/proc/self/fd"))) {
                fds = (int) list.count();
            }
            long allocator = ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p
                    ? p.metric().usedDirectMemory() : -1;
            return new Level(fds, Thread.getAllStackTraces().size(),
                    PlatformDependent.usedDirectMemory(), allocator);
        }
    }

    @Test
    void resourcesReturnToTheirStartingLevel() throws Exception {
        int count = Integer.getInteger("smtpprobe.soak.count", DEFAULT_COUNT);
        try (HostilePeer ok = new HostilePeer(SoakTest::smtp);
             HostilePeer silent = new HostilePeer(c -> c.read(1));
             HostilePeer garbage = new HostilePeer(c -> {
                 c.write(new byte[] {0x00, (byte) 0xff, 0x13, 0x37, '\r', '\n'});
                 c.read(1);
             });
             NettyTransport transport = NettyTransport.withOwnThreads(2)) {
            int refusedPort = unusedPort();
            Map<Kind, Integer> ports = new EnumMap<>(Map.of(Kind.OK, ok.port(), Kind.REFUSED, refusedPort,
                    Kind.SILENT, silent.port(), Kind.GARBAGE, garbage.port()));

            // Warm up: threads of the event loop, the peers' pools, classes and buffer pools exist after this.
            run(transport, ports, 200);
            Level before = settle(transport);
            long start = System.nanoTime();
            Map<String, Integer> mismatches = run(transport, ports, count);
            double seconds = (System.nanoTime() - start) / 1e9;
            Level after = settle(transport);

            System.out.printf("soak: %d probes in %.1f s (%.0f/s); fds %d -> %d, threads %d -> %d, "
                            + "netty direct %d -> %d, allocator direct %d -> %d, heap used %d MiB%n",
                    count, seconds, count / seconds, before.fds(), after.fds(), before.threads(), after.threads(),
                    before.nettyDirect(), after.nettyDirect(), before.allocatorDirect(), after.allocatorDirect(),
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
            assertThat(mismatches).as("probes whose verdict was not their peer's").isEmpty();
            assertThat(after.fds()).as("open file descriptors").isLessThanOrEqualTo(before.fds());
            assertThat(after.threads()).as("live threads").isLessThanOrEqualTo(before.threads());
            // Netty counts its direct memory itself only when it allocates without the JDK's cleaner (not the
            // case on a default JDK 17): then -1, and the allocator's own metric is the measure.
            if (before.nettyDirect() >= 0) {
                assertThat(after.nettyDirect()).as("Netty direct memory").isLessThanOrEqualTo(before.nettyDirect());
            }
            assertThat(before.allocatorDirect()).as("the default allocator reports its direct memory")
                    .isNotNegative();
            assertThat(after.allocatorDirect()).as("allocator direct memory")
                    .isLessThanOrEqualTo(before.allocatorDirect());
            assertThat(transport.openConnections()).isZero();
        }
    }

    /** Runs {@code count} probes round-robin over the kinds; returns the count of each wrong "kind->verdict". */
    private static Map<String, Integer> run(NettyTransport transport, Map<Kind, Integer> ports, int count)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(CONCURRENCY);
        Map<String, Integer> wrong = new java.util.TreeMap<>();
        List<CompletableFuture<?>> all = new ArrayList<>();
        Kind[] kinds = Kind.values();
        for (int i = 0; i < count; i++) {
            Kind kind = kinds[i % kinds.length];
            inFlight.acquire();
            CompletableFuture<ProbeResult> f = SmtpProbe.to("127.0.0.1").port(ports.get(kind)).tls(TlsMode.NONE)
                    .transport(transport).ehloName("soak.test").connectTimeout(TIMEOUT)
                    .greetingTimeout(kind == Kind.SILENT ? SILENT_TIMEOUT : TIMEOUT)
                    .replyTimeout(TIMEOUT).deadline(Duration.ofSeconds(10)).confirmTlsMode(false).runAsync();
            all.add(f.whenComplete((r, e) -> {
                inFlight.release();
                if (e != null || r.verdict() != kind.expected) {
                    String what = kind + "->" + (e != null ? e.getClass().getSimpleName() : r.verdict() + " ("
                            + r.detail() + ")");
                    synchronized (wrong) {
                        wrong.merge(what, 1, Integer::sum);
                    }
                }
            }));
            if (all.size() >= 4 * CONCURRENCY) {
                all.removeIf(CompletableFuture::isDone);
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        return wrong;
    }

    /** Lets closes and peer threads finish, collects garbage, then measures. */
    private static Level settle(NettyTransport transport) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (transport.openConnections() > 0 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        Level last = Level.now();
        // Peer threads end when their client's close reaches them; wait for the level to stop falling.
        for (int i = 0; i < 50; i++) {
            System.gc();
            Thread.sleep(50);
            Level now = Level.now();
            if (now.equals(last) && i > 3) {
                break;
            }
            last = now;
        }
        return last;
    }

    private static void smtp(HostilePeer.Connection c) throws IOException {
        c.write("220 soak.test ESMTP\r\n");
        String line;
        while ((line = c.readLine()) != null) {
            if (line.startsWith("EHLO")) {
                c.write("250-soak.test\r\n250 PIPELINING\r\n");
            } else if (line.startsWith("QUIT")) {
                c.write("221 bye\r\n");
                return;
            } else {
                c.write("250 ok\r\n");
            }
        }
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }
}
