package dev.smtpprobe.netty.faults;

import dev.smtpprobe.IpVersion;
import dev.smtpprobe.Phase;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import dev.smtpprobe.testkit.dns.MockDnsServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Run as a child JVM in the client namespace: makes one connection attempt and prints one parseable line,
 * {@code RESULT key=value<TAB>key=value...}, that {@link ProbeOutcome#parse} reads back.
 *
 * <p>{@code connect HOST PORT TIMEOUT_MS}: a plain JDK socket connect, the ground truth of what the kernel
 * reports for a fault (used to prove the lab itself).
 *
 * <p>{@code probe HOST PORT CONNECT_MS TLS_MODE [WARMUP_HOST,WARMUP_PORT]}: one {@link SmtpProbe} run with the
 * default (Netty) transport, after an optional warm-up probe; prints the verdict, phase, timings, hint codes,
 * capabilities, each attempt as {@code address:port=VERDICT} and each port's verdict. System properties add:
 * {@code probe.dns=NAME=ADDR,ADDR} (a DNS server on the namespace's loopback answering for NAME, used as the
 * resolver), {@code probe.ports=25,587} (a port sweep), {@code probe.ipVersion=PREFER_V6}.
 */
public final class ProbeMain {

    private ProbeMain() {
    }

    /** @param args the mode and its arguments (see the class comment) */
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        switch (mode) {
            case "connect" -> connect(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "probe" -> {
                if (args.length > 5) {
                    // A first probe loads and starts everything (classes, Netty's event loop, JIT), so the measured
                    // one shows the probe's own timing, not a cold JVM's.
                    // On the measured probe's own path: runAsync() starts an event loop that run() never does.
                    String[] warm = args[5].split(",");
                    SmtpProbe.Builder w = SmtpProbe.to(warm[0]).port(Integer.parseInt(warm[1])).tls(TlsMode.NONE);
                    if (Boolean.getBoolean("probe.async")) {
                        w.runAsync().get();
                    } else {
                        w.run();
                    }
                }
                probe(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), TlsMode.valueOf(args[4]));
            }
            default -> throw new IllegalArgumentException("mode: " + mode);
        }
    }

    private static void connect(String host, int port, int timeoutMs) {
        long start = System.nanoTime();
        String outcome;
        String message;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), timeoutMs);
            outcome = "connected";
            message = "";
        } catch (IOException e) {
            outcome = e.getClass().getSimpleName();
            message = String.valueOf(e.getMessage());
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        print("outcome", outcome, "message", message, "ms", Long.toString(ms));
    }

    private static void probe(String host, int port, int connectMs, TlsMode tls) throws Exception {
        MockDnsServer dns = null;
        try {
            SmtpProbe.Builder b = SmtpProbe.to(host).port(port).tls(tls)
                    .connectTimeout(Duration.ofMillis(connectMs))
                    .greetingTimeout(Duration.ofMillis(2000))
                    .replyTimeout(Duration.ofMillis(2000))
                    .deadline(Duration.ofMillis(connectMs * 4L + 4000))
                    .confirmTlsMode(false);
            String records = System.getProperty("probe.dns");
            if (records != null) {
                // name=addr,addr: a DNS server on this namespace's loopback answers for the name.
                dns = MockDnsServer.start();
                String[] nameAndAddresses = records.split("=", 2);
                for (String address : nameAndAddresses[1].split(",")) {
                    if (address.contains(":")) {
                        dns.aaaa(nameAndAddresses[0], address);
                    } else {
                        dns.a(nameAndAddresses[0], address);
                    }
                }
                b.resolver(dns.address()).dnsTimeout(Duration.ofSeconds(2));
            }
            if (System.getProperty("probe.ports") != null) {
                b.ports(Arrays.stream(System.getProperty("probe.ports").split(",")).mapToInt(Integer::parseInt)
                        .toArray());
            }
            if (System.getProperty("probe.ipVersion") != null) {
                b.ipVersion(IpVersion.valueOf(System.getProperty("probe.ipVersion")));
            }
            long start = System.nanoTime();
            // -Dprobe.async=true: the event-loop path (runAsync) instead of run()'s JDK-socket path.
            ProbeResult r = Boolean.getBoolean("probe.async") ? b.runAsync().get() : b.run();
            long ms = (System.nanoTime() - start) / 1_000_000;
            String hints = r.hints().stream().map(h -> h.code().name()).collect(Collectors.joining(","));
            String hintTexts = r.hints().stream().map(h -> h.message()).collect(Collectors.joining(" | "));
            String attempts = r.attempts().stream()
                    .map(a -> a.remote().getAddress().getHostAddress() + ":" + a.remote().getPort() + "="
                            + a.verdict())
                    .collect(Collectors.joining(";"));
            String caps = r.capabilities() == null ? ""
                    : r.capabilities().extensions().stream().map(e -> e.split(" ")[0])
                            .collect(Collectors.joining(","));
            String ports = r.portVerdicts().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(";"));
            Duration connect = r.attempts().isEmpty() ? Duration.ZERO
                    : r.attempts().get(0).timings().getOrDefault(Phase.CONNECT, Duration.ZERO);
            print("verdict", r.verdict().name(), "phase", r.phase().name(), "ms", Long.toString(ms),
                    "elapsedMs", Long.toString(r.elapsed().toMillis()), "connectMs",
                    Long.toString(connect.toMillis()), "hints", hints, "attempts", attempts, "ports", ports,
                    "capabilities", caps, "detail", r.detail(), "hintTexts", hintTexts);
        } finally {
            if (dns != null) {
                dns.close();
            }
        }
    }

    static void print(String... keyValues) {
        StringBuilder sb = new StringBuilder("RESULT");
        for (int i = 0; i < keyValues.length; i += 2) {
            sb.append(i == 0 ? ' ' : '\t').append(keyValues[i]).append('=')
                    .append(keyValues[i + 1].replace('\t', ' ').replace('\n', ' ').replace('\r', ' '));
        }
        System.out.println(sb);
        System.out.flush();
    }
}
