package dev.smtpprobe.examples.cli;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.AuthResult;
import dev.smtpprobe.Capabilities;
import dev.smtpprobe.CertificateInfo;
import dev.smtpprobe.Hint;
import dev.smtpprobe.MailHost;
import dev.smtpprobe.Phase;
import dev.smtpprobe.PrintableText;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.RecipientResult;
import dev.smtpprobe.Resolution;
import dev.smtpprobe.ResolverComparison;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.TlsInfo;
import dev.smtpprobe.TranscriptLine;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders a {@link ProbeResult} for a person: one verdict line, then the evidence (addresses, UTC time, timings,
 * TLS facts, capabilities, the reply that decided), the hints, and the verdict's meaning and next action.
 *
 * <p>Every value is escaped with {@link PrintableText#escape} before it is styled, so what a server sent can never
 * move the cursor, retitle or clear the terminal: the only escape sequences in the output are {@link Style}'s.
 */
final class HumanFormat {

    private static final int LABEL_WIDTH = 13;

    private final Style style;

    HumanFormat(Style style) {
        this.style = style;
    }

    /** The whole human output, ending with a newline; with the deciding attempt's transcript when asked. */
    String render(ProbeResult result, boolean withTranscript) {
        StringBuilder out = new StringBuilder();
        out.append(style.verdict(result.verdict(), p(result.summary()))).append('\n');
        evidence(result, out);
        if (withTranscript) {
            transcript(result.transcript(), out);
        }
        return out.toString();
    }

    /**
     * A few lines for a list of results (the demo): the verdict line, the essential evidence on one line, the
     * hints, and the next action; each line starts with {@code indent}.
     */
    String compact(ProbeResult result, String indent) {
        StringBuilder out = new StringBuilder();
        out.append(indent).append(style.verdict(result.verdict(), p(result.summary()))).append('\n');
        List<String> facts = new ArrayList<>();
        SmtpReply greeting = result.greeting();
        if (greeting != null) {
            facts.add("banner \"" + greeting + "\"");
        }
        TlsInfo tls = result.tls();
        if (tls != null && !tls.protocol().isEmpty()) {
            facts.add(tls.protocol() + " " + tls.cipherSuite());
        }
        if (tls != null && tls.leaf() != null) {
            CertificateInfo leaf = tls.leaf();
            facts.add("certificate " + leaf.subject() + ", " + expiry(leaf.notAfter(), result.startedAt()));
        }
        AuthResult auth = result.auth();
        if (auth != null) {
            facts.add("auth " + auth(auth));
        }
        for (RecipientResult recipient : result.recipients()) {
            facts.add("rcpt " + recipient);
        }
        SmtpReply last = result.lastReply();
        if (isRejection(last) && !last.equals(greeting) && (auth == null || !last.equals(auth.reply()))
                && result.recipients().stream().noneMatch(r -> last.equals(r.reply()))) {
            facts.add("reply \"" + last + "\"");
        }
        if (result.policyReason() != null) {
            facts.add("policy " + result.policyReason());
        }
        if (result.failure() != null) {
            facts.add(result.failure().toString());
        }
        if (result.ports().size() > 1) {
            facts.add("ports " + ports(result));
        }
        if (result.attempts().size() > 1) {
            facts.add("attempts " + String.join(", ", result.attempts().stream()
                    .map(a -> a.tlsMode() + " -> " + a.verdict()).toList()));
        }
        if (!facts.isEmpty()) {
            out.append(indent).append("evidence  ").append(p(String.join("; ", facts))).append('\n');
        }
        for (Hint hint : result.hints()) {
            out.append(indent).append("hint      ").append(hint.code()).append(": ").append(p(hint.message())).append('\n');
        }
        out.append(indent).append("next      ").append(style.strong(p(result.verdict().nextAction()))).append('\n');
        return out.toString();
    }

    private void evidence(ProbeResult result, StringBuilder out) {
        Attempt deciding = result.decidingAttempt();
        if (deciding != null) {
            line(out, "remote", address(deciding.remote()) + hostSuffix(deciding));
            proxy(deciding).ifPresent(proxy -> line(out, "proxy", proxy));
            line(out, "local", deciding.local() == null ? "(no connection made)" : address(deciding.local()));
            line(out, "tls mode", deciding.tlsMode().toString());
        } else {
            line(out, "target", result.target() + " port " + joinPorts(result.ports()));
        }
        dns(result, out);
        line(out, "time", utc(result.startedAt()) + ", took " + millis(result.elapsed()));
        if (!result.timings().isEmpty()) {
            line(out, "timings", timings(result.timings()));
        }
        SmtpReply greeting = result.greeting();
        if (greeting != null) {
            line(out, "banner", greeting.toString());
        }
        TlsInfo tls = result.tls();
        if (tls != null) {
            tls(tls, result.startedAt(), out);
        }
        Capabilities capabilities = result.capabilities();
        if (!capabilities.extensions().isEmpty()) {
            line(out, "capabilities", String.join(", ", capabilities.extensions()));
        }
        AuthResult auth = result.auth();
        if (auth != null) {
            line(out, "auth", auth(auth));
        }
        for (RecipientResult recipient : result.recipients()) {
            line(out, "rcpt", recipient.toString());
        }
        SmtpReply last = result.lastReply();
        if (isRejection(last) && !last.equals(greeting) && (auth == null || !last.equals(auth.reply()))
                && result.recipients().stream().noneMatch(r -> last.equals(r.reply()))) {
            line(out, "last reply", last.toString());
        }
        if (result.policyReason() != null) {
            line(out, "policy", result.policyReason().toString());
        }
        result.knownReply().ifPresent(k -> {
            line(out, "known", k.provider() + ": " + k.cause());
            line(out, "who fixes", k.owner().text());
            line(out, "fix", k.fix() + " (" + k.source() + ")");
        });
        result.ehloName().ifPresent(name -> line(out, "ehlo name", name));
        if (result.failure() != null) {
            line(out, "error", result.failure().toString());
        }
        if (result.ports().size() > 1) {
            line(out, "ports", ports(result));
        }
        if (result.attempts().size() > 1) {
            line(out, "attempts", result.attempts().size() + ":");
            for (Attempt attempt : result.attempts()) {
                out.append("    ").append(p(attempt.toString())).append(" in ").append(millis(attempt.elapsed())).append('\n');
            }
        }
        for (Hint hint : result.hints()) {
            line(out, "hint", hint.code() + ": " + hint.message());
            for (String fact : hint.evidence()) {
                out.append(" ".repeat(LABEL_WIDTH + 4)).append("evidence: ").append(p(fact)).append('\n');
            }
        }
        line(out, "meaning", result.verdict().meaning());
        styledLine(out, "next", style.strong(p(result.verdict().nextAction())));
    }

    /**
     * The proxy the attempt went through, as its first transcript note names it ({@code "connecting to ... through
     * the SOCKS5 proxy 127.0.0.1:1080"}), or empty for a direct attempt.
     */
    static Optional<String> proxy(Attempt attempt) {
        return attempt.transcript().stream().filter(l -> l.direction() == TranscriptLine.Direction.INFO).findFirst()
                .map(TranscriptLine::text).filter(t -> t.startsWith("connecting to ") && t.contains(" through the "))
                .map(t -> t.substring(t.indexOf(" through the ") + " through the ".length()));
    }

    /** What DNS said: the mail hosts in order with their addresses, the resolvers asked, differences between them. */
    private static void dns(ProbeResult result, StringBuilder out) {
        Resolution resolution = result.resolution();
        if (resolution == null || resolution.kind() == Resolution.Kind.LITERAL) {
            return;
        }
        line(out, "dns", resolution.kind() + " " + resolution.name() + " via "
                + (resolution.resolvers().isEmpty() ? "no resolver" : String.join(", ", resolution.resolvers()))
                + " in " + millis(resolution.elapsed()));
        for (MailHost host : resolution.hosts()) {
            line(out, resolution.kind() == Resolution.Kind.MX ? "mx" : "host", host.toString());
        }
        ResolverComparison comparison = result.comparison();
        if (comparison != null) {
            comparison.differences().forEach(difference -> line(out, "resolvers", difference));
        }
    }

    /** {@code "25 CONNECTION_TIMED_OUT, 587 OK"}: the verdict of each port of a sweep. */
    static String ports(ProbeResult result) {
        List<String> parts = new ArrayList<>();
        result.portVerdicts().forEach((port, verdict) -> parts.add(port + " " + verdict));
        return String.join(", ", parts);
    }

    private static void tls(TlsInfo tls, Instant now, StringBuilder out) {
        if (!tls.protocol().isEmpty()) {
            line(out, "tls", tls.protocol() + ", " + tls.cipherSuite());
        }
        CertificateInfo leaf = tls.leaf();
        if (leaf != null) {
            List<String> facts = new ArrayList<>();
            facts.add(leaf.subject());
            facts.add("issuer " + leaf.issuer());
            if (!leaf.subjectAlternativeNames().isEmpty()) {
                facts.add("SANs " + String.join(" ", leaf.subjectAlternativeNames()));
            }
            facts.add("valid until " + utc(leaf.notAfter()) + " (" + expiry(leaf.notAfter(), now) + ")");
            line(out, "certificate", String.join("; ", facts));
        }
    }

    private static void transcript(List<TranscriptLine> transcript, StringBuilder out) {
        out.append("transcript:").append(transcript.isEmpty() ? " (empty)" : "").append('\n');
        for (TranscriptLine line : transcript) {
            out.append("  ").append(p(line.toString())).append('\n');
        }
    }

    /** A labelled line; the value is escaped ({@link PrintableText#escape}). */
    private static void line(StringBuilder out, String label, String value) {
        styledLine(out, label, p(value));
    }

    /** A labelled line whose value is escaped already, then styled. */
    private static void styledLine(StringBuilder out, String label, String styled) {
        out.append("  ").append(label);
        out.append(" ".repeat(Math.max(1, LABEL_WIDTH - label.length())));
        out.append(styled).append('\n');
    }

    /** Text from the result as it may be printed: every control character escaped. */
    private static String p(String text) {
        return PrintableText.escape(text);
    }

    private static String hostSuffix(Attempt attempt) {
        InetAddress address = attempt.remote().getAddress();
        boolean sameAsAddress = address != null && address.getHostAddress().equals(attempt.host());
        return sameAsAddress ? "" : " (" + attempt.host() + ")";
    }

    /** {@code 192.0.2.1:25} or {@code [2001:db8::1]:25}: the address, never a name the JDK remembered. */
    static String address(InetSocketAddress socket) {
        InetAddress address = socket.getAddress();
        if (address == null) {
            return socket.getHostString() + ":" + socket.getPort();
        }
        String host = address.getHostAddress();
        return (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + socket.getPort();
    }

    static String timings(Map<Phase, Duration> timings) {
        List<String> parts = new ArrayList<>();
        timings.forEach((phase, duration) -> parts.add(phase.name().toLowerCase(java.util.Locale.ROOT) + " " + millis(duration)));
        return String.join(", ", parts);
    }

    /** {@code "PLAIN -> FAILED (535 5.7.8 ...); offered PLAIN LOGIN, only after STARTTLS"}: never a secret. */
    static String auth(AuthResult auth) {
        StringBuilder sb = new StringBuilder();
        sb.append(auth.mechanism() == null ? "no mechanism" : auth.mechanism().saslName()).append(" -> ").append(auth.status());
        if (auth.reply() != null) {
            sb.append(" (").append(auth.reply()).append(')');
        }
        if (!auth.credentialsSent()) {
            sb.append(", credentials not sent");
        }
        sb.append("; offered ").append(auth.offered().isEmpty() ? "none" : String.join(" ", auth.offered()));
        if (auth.offeredOnlyAfterStartTls()) {
            sb.append(", only after STARTTLS");
        }
        return sb.toString();
    }

    /**
     * A reply worth showing as evidence: a 4xx/5xx. The last reply of a failed probe is often the 221 to QUIT or
     * the 220 to STARTTLS, which says nothing about the failure.
     */
    private static boolean isRejection(SmtpReply reply) {
        return reply != null && (reply.isTransientFailure() || reply.isPermanentFailure());
    }

    /**
     * {@code "expires in 89 days"}, {@code "expired 1 day ago"}, {@code "expires in less than a day"}: whole days
     * counted toward zero from the probe's start, so a certificate that expired 25 hours ago "expired 1 day ago".
     */
    static String expiry(Instant notAfter, Instant now) {
        Duration left = Duration.between(now, notAfter);
        long days = Math.abs(left.toDays());
        String count = days == 0 ? "less than a day" : days + (days == 1 ? " day" : " days");
        return left.isNegative() ? "expired " + count + " ago" : "expires in " + count;
    }

    static String millis(Duration duration) {
        return duration.toMillis() + " ms";
    }

    static String utc(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static String joinPorts(List<Integer> ports) {
        return String.join(",", ports.stream().map(String::valueOf).toList());
    }
}
