package dev.smtpprobe.examples.cli;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.Capabilities;
import dev.smtpprobe.CertificateInfo;
import dev.smtpprobe.EnhancedStatus;
import dev.smtpprobe.FailureInfo;
import dev.smtpprobe.Hint;
import dev.smtpprobe.HintCode;
import dev.smtpprobe.Phase;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.TlsInfo;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.TranscriptLine;
import dev.smtpprobe.TranscriptLine.Direction;
import dev.smtpprobe.Verdict;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Constructed results for the formatting tests: the values a probe would return, without a network. */
final class Results {

    static final Instant STARTED = Instant.parse("2026-11-22T06:30:00.123Z");

    private Results() {
    }

    static InetSocketAddress socket(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress("mx.example.net", InetAddress.getByName(ip).getAddress()), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** OK over STARTTLS on 587 with a certificate and capabilities. */
    static ProbeResult okStartTls() {
        Map<Phase, Duration> timings = new LinkedHashMap<>();
        timings.put(Phase.CONNECT, Duration.ofMillis(3));
        timings.put(Phase.GREETING, Duration.ofMillis(12));
        timings.put(Phase.EHLO, Duration.ofMillis(1));
        timings.put(Phase.STARTTLS, Duration.ofMillis(25));
        CertificateInfo leaf = new CertificateInfo("CN=mx.example.net", "CN=Example Test CA", List.of("mx.example.net"),
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-31T00:00:00Z"), 69, "1a2b",
                "AA:BB");
        TlsInfo tls = new TlsInfo("TLSv1.3", "TLS_AES_128_GCM_SHA256", List.of(leaf));
        Capabilities caps = new Capabilities("mx.example.net", List.of("PIPELINING", "SIZE 10240000", "AUTH PLAIN LOGIN"));
        List<TranscriptLine> transcript = List.of(
                new TranscriptLine(Duration.ofMillis(3), Direction.INFO, "connected to 192.0.2.10:587"),
                new TranscriptLine(Duration.ofMillis(15), Direction.SERVER, "220 mx.example.net ESMTP"),
                new TranscriptLine(Duration.ofMillis(16), Direction.CLIENT, "EHLO probe.example"));
        Attempt attempt = Attempt.builder().host("mx.example.net").remote(socket("192.0.2.10", 587))
                .local(socket("198.51.100.7", 40112)).tlsMode(TlsMode.STARTTLS).verdict(Verdict.OK)
                .phase(Phase.QUIT).greeting(SmtpReply.of(220, "mx.example.net ESMTP"))
                .ehlo(new SmtpReply(250, null, List.of("mx.example.net", "PIPELINING", "SIZE 10240000", "AUTH PLAIN LOGIN")))
                .capabilities(caps).tls(tls).lastReply(SmtpReply.of(221, "bye")).startedAt(STARTED)
                .elapsed(Duration.ofMillis(41)).timings(timings).transcript(transcript).build();
        return ProbeResult.builder().target("mx.example.net").ports(List.of(587)).verdict(Verdict.OK)
                .phase(Phase.QUIT).startedAt(STARTED).elapsed(Duration.ofMillis(42)).attempts(List.of(attempt))
                .build();
    }

    /** Refused on 25, with a hint. */
    static ProbeResult refused() {
        Attempt attempt = Attempt.builder().host("192.0.2.10").remote(socket("192.0.2.10", 25))
                .tlsMode(TlsMode.STARTTLS).verdict(Verdict.CONNECTION_REFUSED).phase(Phase.CONNECT)
                .detail("connection refused before SMTP banner")
                .failure(new FailureInfo("java.net.ConnectException", "Connection refused")).startedAt(STARTED)
                .elapsed(Duration.ofMillis(2)).timings(Map.of(Phase.CONNECT, Duration.ofMillis(2))).build();
        Hint hint = new Hint(HintCode.REJECT_VS_DROP, "Refused means something answered no.", List.of("TCP RST received"));
        return ProbeResult.builder().target("192.0.2.10").ports(List.of(25)).verdict(Verdict.CONNECTION_REFUSED)
                .phase(Phase.CONNECT).detail("connection refused before SMTP banner").startedAt(STARTED)
                .elapsed(Duration.ofMillis(2)).attempts(List.of(attempt)).hints(List.of(hint)).build();
    }

    /** 554 at the greeting naming a blocklist; the probe then said QUIT and got 221. */
    static ProbeResult blocklisted() {
        SmtpReply reject = new SmtpReply(554, new EnhancedStatus(5, 7, 1),
                List.of("Service unavailable; client host blocked using zen.spamhaus.org"));
        Attempt attempt = Attempt.builder().host("mx.example.net").remote(socket("192.0.2.10", 25))
                .local(socket("198.51.100.7", 40113)).tlsMode(TlsMode.STARTTLS)
                .verdict(Verdict.SMTP_PERMANENT_REJECTION).phase(Phase.GREETING).detail("554 at the greeting")
                .policyReason(PolicyReason.BLOCKLIST).greeting(reject).lastReply(SmtpReply.of(221, "Bye"))
                .startedAt(STARTED).elapsed(Duration.ofMillis(5)).build();
        return ProbeResult.builder().target("mx.example.net").ports(List.of(25))
                .verdict(Verdict.SMTP_PERMANENT_REJECTION).phase(Phase.GREETING).detail("554 at the greeting")
                .policyReason(PolicyReason.BLOCKLIST).startedAt(STARTED).elapsed(Duration.ofMillis(5))
                .attempts(List.of(attempt)).build();
    }

    /** A DNS verdict: no attempt was made. */
    static ProbeResult noSuchDomain() {
        return ProbeResult.builder().target("nowhere.invalid").ports(List.of(25))
                .verdict(Verdict.DNS_NO_SUCH_DOMAIN).phase(Phase.RESOLVE).detail("NXDOMAIN for nowhere.invalid")
                .startedAt(STARTED).elapsed(Duration.ofMillis(7)).build();
    }
}
