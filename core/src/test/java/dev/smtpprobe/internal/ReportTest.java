package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.EnhancedStatus;
import dev.smtpprobe.FailureInfo;
import dev.smtpprobe.HostEnvironment;
import dev.smtpprobe.Phase;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.TranscriptLine;
import dev.smtpprobe.TranscriptLine.Direction;
import dev.smtpprobe.Verdict;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Golden tests: the report is pasted into tickets, so its exact text is part of the contract. Regenerate a golden
 * file by running with {@code -Dgolden.update=true} and review the diff.
 */
class ReportTest {

    private static final Instant T0 = Instant.parse("2026-05-25T03:14:07.123Z");

    @Test
    void refusedPortReport() throws IOException {
        InetSocketAddress remote = new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, 10}), 25);
        Map<Phase, Duration> timings = new EnumMap<>(Phase.class);
        timings.put(Phase.CONNECT, Duration.ofMillis(3));
        Attempt a = Attempt.builder().host("mx1.example.net").remote(remote).tlsMode(TlsMode.STARTTLS)
                .verdict(Verdict.CONNECTION_REFUSED).phase(Phase.CONNECT)
                .detail("TCP port 25 refused before the SMTP banner (RST or ICMP port unreachable)")
                .failure(new FailureInfo("java.net.ConnectException", "Connection refused")).startedAt(T0)
                .elapsed(Duration.ofMillis(4)).timings(timings)
                .transcript(List.of(
                        new TranscriptLine(Duration.ZERO, Direction.INFO, "connecting to 203.0.113.10:25 (mx1.example.net)"),
                        new TranscriptLine(Duration.ofMillis(3), Direction.INFO, "CONNECTION_REFUSED: TCP port 25 refused")))
                .build();
        ProbeResult result = ProbeResult.builder().target("mx1.example.net").ports(List.of(25))
                .verdict(Verdict.CONNECTION_REFUSED).phase(Phase.CONNECT).detail(a.detail()).startedAt(T0)
                .elapsed(Duration.ofMillis(5)).attempts(List.of(a))
                .hints(Hints.derive(Verdict.CONNECTION_REFUSED, a, List.of(a),
                        HostEnvironment.rootedAt(Path.of("/nonexistent"), Map.of(), List.of())))
                .build();
        assertGolden("refused-report.txt", result.report());
        assertThat(result.report()).contains("Result:          CONNECTION_REFUSED: TCP port 25 refused before SMTP banner");
    }

    @Test
    void blocklistRejectionReport() throws IOException {
        InetSocketAddress remote = new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, 10}), 25);
        InetSocketAddress local = new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, 24}), 40512);
        SmtpReply greeting = new SmtpReply(554, new EnhancedStatus(5, 7, 1),
                List.of("Service unavailable; Client host [198.51.100.24] blocked using zen.spamhaus.org"));
        Map<Phase, Duration> timings = new EnumMap<>(Phase.class);
        timings.put(Phase.CONNECT, Duration.ofMillis(21));
        timings.put(Phase.GREETING, Duration.ofMillis(40));
        timings.put(Phase.QUIT, Duration.ofMillis(20));
        Attempt a = Attempt.builder().host("mx1.example.net").remote(remote).local(local).tlsMode(TlsMode.STARTTLS)
                .verdict(Verdict.SMTP_PERMANENT_REJECTION).phase(Phase.GREETING)
                .detail("554 at the greeting: " + greeting.text()).policyReason(PolicyReason.BLOCKLIST)
                .greeting(greeting).lastReply(greeting).startedAt(T0).elapsed(Duration.ofMillis(82))
                .timings(timings)
                .transcript(List.of(
                        new TranscriptLine(Duration.ZERO, Direction.INFO, "connecting to 203.0.113.10:25 (mx1.example.net)"),
                        new TranscriptLine(Duration.ofMillis(21), Direction.INFO, "connected 198.51.100.24:40512 -> 203.0.113.10:25"),
                        new TranscriptLine(Duration.ofMillis(61), Direction.SERVER, "554 5.7.1 " + greeting.text()),
                        new TranscriptLine(Duration.ofMillis(62), Direction.CLIENT, "QUIT"),
                        new TranscriptLine(Duration.ofMillis(81), Direction.SERVER, "221 2.0.0 Bye")))
                .build();
        ProbeResult result = ProbeResult.builder().target("mx1.example.net").ports(List.of(25))
                .verdict(a.verdict()).phase(a.phase()).detail(a.detail()).policyReason(a.policyReason())
                .startedAt(T0).elapsed(Duration.ofMillis(83)).attempts(List.of(a))
                .hints(Hints.derive(a.verdict(), a, List.of(a),
                        HostEnvironment.rootedAt(Path.of("/nonexistent"), Map.of(), List.of())))
                .build();
        assertGolden("blocklist-report.txt", result.report());
    }

    private static void assertGolden(String name, String actual) throws IOException {
        Path golden = Path.of("src/test/resources/golden", name);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        assertThat(golden).exists();
        assertThat(actual).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
}
