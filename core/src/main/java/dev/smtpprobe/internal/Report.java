package dev.smtpprobe.internal;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.ConfigFinding;
import dev.smtpprobe.Hint;
import dev.smtpprobe.Layer;
import dev.smtpprobe.Phase;
import dev.smtpprobe.PrintableText;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.RecipientResult;
import dev.smtpprobe.Resolution;
import dev.smtpprobe.ResolverComparison;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.TranscriptLine;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.internal.dns.DnsTranscript;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Renders the escalation report of a result: the evidence a gateway or postmaster team needs, in the shape of the
 * field guide's template (subject, source IP, destination MX, destination IP, UTC time, result with its layer),
 * then one line per attempt, the hints, and the redacted transcript. The configuration findings, when the probe was
 * made from an application's configuration, come right after the subject line, before any evidence. Plain text, stable line order, no colour.
 *
 * <p>Printable whatever the server sent: every value is escaped ({@link PrintableText#escape}) as it is added, so
 * only the report's own line breaks remain; and bounded: at most {@value Texts#MAX_REPORT} characters, the rest cut
 * with a {@code "... N more bytes"} marker.
 */
public final class Report {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ISO_INSTANT;

    private Report() {
    }

    public static String render(ProbeResult result) {
        StringBuilder sb = new StringBuilder(1024);
        append(sb, result);
        return Texts.cut(sb.toString(), Texts.MAX_REPORT);
    }

    /** {@link ProbeResult#summary()}: one printable line. */
    public static String summary(ProbeResult result) {
        StringBuilder sb = new StringBuilder().append(result.verdict());
        if (result.verdict().layer() != Layer.NONE) {
            sb.append(" [").append(result.verdict().layer().label()).append(']');
        }
        sb.append(' ').append(result.target());
        Attempt deciding = result.decidingAttempt();
        if (deciding != null && result.resolution() != null && result.resolution().kind() == Resolution.Kind.MX) {
            sb.append(" MX ").append(deciding.host());
        }
        InetSocketAddress remote = result.remoteAddress();
        if (remote != null) {
            sb.append(':').append(remote.getPort());
            if (remote.getAddress() != null && !remote.getAddress().getHostAddress().equals(result.target())) {
                sb.append(" (").append(remote.getAddress().getHostAddress()).append(')');
            }
        } else if (result.ports().size() == 1) {
            sb.append(':').append(result.ports().get(0));
        }
        if (!result.detail().isEmpty()) {
            sb.append(": ").append(result.detail());
        }
        sb.append(" in ").append(result.elapsed().toMillis()).append(" ms");
        // The detail is printable already; the target and host names are escaped too, whatever made them.
        return PrintableText.escape(sb.toString());
    }

    private static void append(StringBuilder sb, ProbeResult result) {
        Attempt deciding = result.decidingAttempt();
        String headline = headline(result);
        sb.append("Subject: SMTP check ").append(result.isOk() ? "passed" : "failed").append(": ")
                .append(p(headline + " (" + result.target() + ")")).append("\n\n");
        findings(sb, result.configFindings());
        field(sb, "Source IP", deciding != null && deciding.local() != null
                ? deciding.local().getAddress().getHostAddress() + " (port " + deciding.local().getPort() + ")"
                : "none (no connection was made)");
        field(sb, "Destination MX", deciding != null ? deciding.host() : result.target());
        field(sb, "Destination IP", deciding != null
                ? deciding.remote().getAddress().getHostAddress() + " port " + deciding.remote().getPort()
                : "none (not resolved)");
        String proxy = deciding != null ? ProxyRoute.named(deciding) : null;
        if (proxy != null) {
            field(sb, "Through", proxy);
        }
        field(sb, "Time (UTC)", UTC.format(result.startedAt().truncatedTo(ChronoUnit.MILLIS)));
        field(sb, "Result", result.verdict() + ": " + headline);
        field(sb, "Layer", result.verdict().layer().label() + ", phase " + result.phase());
        if (!result.detail().isEmpty()) {
            field(sb, "Detail", result.detail());
        }
        if (result.policyReason() != null) {
            field(sb, "Policy reason", result.policyReason().toString());
        }
        result.knownReply().ifPresent(k -> {
            field(sb, "Known reply", k.provider() + " (" + k.rule() + ")");
            field(sb, "Cause", k.cause());
            field(sb, "Who fixes it", k.owner().text());
            field(sb, "Fix", k.fix());
            field(sb, "Source", k.source() + " (checked " + k.checked() + ")");
        });
        field(sb, "Meaning", result.verdict().meaning());
        field(sb, "Next action", result.verdict().nextAction());
        field(sb, "Elapsed", millis(result.elapsed()));
        result.ehloName().ifPresent(name -> field(sb, "EHLO name", name));
        if (result.auth() != null) {
            // AuthResult.toString() names the mechanism, status and reply: never a secret.
            field(sb, "Auth", result.auth().toString());
        }
        if (!result.recipients().isEmpty()) {
            sb.append("\nRecipients (RCPT TO, then RSET; no mail was sent):\n");
            result.recipients().forEach(r -> sb.append("  - ").append(p(r.toString())).append('\n'));
        }
        dns(sb, result);

        if (!result.attempts().isEmpty()) {
            sb.append("\nAttempts:\n");
            int i = 1;
            for (Attempt a : result.attempts()) {
                sb.append("  ").append(i++).append(". ").append(p(a.host())).append(' ')
                        .append(Addresses.format(a.remote())).append(' ').append(a.tlsMode())
                        .append(" -> ").append(a.verdict()).append(" at ").append(a.phase())
                        .append(" in ").append(millis(a.elapsed()));
                if (a.local() != null) {
                    sb.append(" from ").append(Addresses.format(a.local()));
                }
                sb.append('\n');
                String timings = timings(a.timings());
                if (!timings.isEmpty()) {
                    sb.append("     timings: ").append(timings).append('\n');
                }
                if (a.tls() != null && a.tls().leaf() != null) {
                    var leaf = a.tls().leaf();
                    sb.append("     TLS: ").append(a.tls().protocol().isEmpty() ? "(no session)" : a.tls().protocol())
                            .append(' ').append(a.tls().cipherSuite()).append("; certificate ").append(p(leaf.subject()))
                            .append(" issued by ").append(p(leaf.issuer())).append(", valid until ")
                            .append(UTC.format(leaf.notAfter())).append(" (").append(leaf.daysToExpiry()).append(" days)")
                            .append('\n');
                }
            }
        }

        if (!result.hints().isEmpty()) {
            sb.append("\nHints:\n");
            for (Hint h : result.hints()) {
                sb.append("  - [").append(h.code()).append("] ").append(p(h.message())).append('\n');
                for (String e : h.evidence()) {
                    sb.append("      evidence: ").append(p(e)).append('\n');
                }
            }
        }

        List<TranscriptLine> dnsLines = DnsTranscript.transcript(result.resolution(), result.comparison());
        boolean anyTranscript = !dnsLines.isEmpty() || result.attempts().stream().anyMatch(a -> !a.transcript().isEmpty());
        if (anyTranscript) {
            sb.append("\nTranscript (credentials redacted; > sent, < received, * note):\n");
            for (TranscriptLine line : dnsLines) {
                sb.append("  ").append(p(line.toString())).append('\n');
            }
            int i = 1;
            for (Attempt a : result.attempts()) {
                if (result.attempts().size() > 1) {
                    sb.append("  -- attempt ").append(i).append(": ").append(Addresses.format(a.remote())).append('\n');
                }
                i++;
                for (TranscriptLine line : a.transcript()) {
                    sb.append("  ").append(p(line.toString())).append('\n');
                }
            }
        }
    }

    /**
     * The configuration findings, before any evidence: a mistake in the application's configuration explains a
     * failure better than any packet, and must not scroll away under the transcript.
     */
    private static void findings(StringBuilder sb, List<ConfigFinding> findings) {
        if (findings.isEmpty()) {
            return;
        }
        sb.append("Configuration findings (").append(findings.size())
                .append(", read from the application's mail configuration):\n");
        for (ConfigFinding f : findings) {
            sb.append("  - [").append(f.code()).append("] ").append(p(f.key()))
                    .append(f.value().isEmpty() ? "" : "=" + p(f.value())).append('\n')
                    .append("      why: ").append(p(f.why())).append('\n')
                    .append("      fix: ").append(p(f.fix())).append('\n');
        }
        sb.append('\n');
    }

    /** What DNS said: the resolution's conclusion, the resolvers asked, and how compared resolvers differ. */
    private static void dns(StringBuilder sb, ProbeResult result) {
        Resolution r = result.resolution();
        if (r != null && r.kind() != Resolution.Kind.LITERAL) {
            field(sb, "DNS", r.kind() + " " + r.name() + " -> " + r.verdict() + (r.detail().isEmpty() ? "" : ": " + r.detail()));
            if (!r.resolvers().isEmpty()) {
                field(sb, "Resolvers", String.join(", ", r.resolvers()));
            }
        }
        ResolverComparison c = result.comparison();
        if (c != null) {
            field(sb, "Compared", String.join(", ", c.resolvers()) + (c.agree() ? ": agree" : ": disagree"));
            for (String d : c.differences()) {
                sb.append(" ".repeat(17)).append(p(d)).append('\n');
            }
        }
        if (result.ports().size() > 1 && !result.portVerdicts().isEmpty()) {
            StringBuilder ports = new StringBuilder();
            result.portVerdicts().forEach((port, v) -> ports.append(ports.length() == 0 ? "" : ", ").append(port)
                    .append(' ').append(v));
            field(sb, "Ports", ports.toString());
        }
    }

    /** The result in the words of the layer, e.g. "TCP port 25 refused before SMTP banner". */
    public static String headline(ProbeResult result) {
        Attempt a = result.decidingAttempt();
        int port = a != null ? a.remote().getPort() : result.ports().isEmpty() ? 0 : result.ports().get(0);
        Verdict v = result.verdict();
        return switch (v) {
            case OK -> "SMTP service answered on port " + port;
            case DNS_NO_SUCH_DOMAIN -> "domain " + result.target() + " does not exist (NXDOMAIN)";
            case DNS_NO_MAIL_HOST -> "no mail host with an address for " + result.target();
            case DNS_NULL_MX -> result.target() + " accepts no mail (null MX)";
            case DNS_FAILURE -> "DNS resolution failed for " + result.target();
            case CONNECTION_REFUSED -> "TCP port " + port + " refused before SMTP banner";
            case CONNECTION_TIMED_OUT -> "TCP port " + port + " timed out before SMTP banner (no answer to SYN)";
            case NO_ROUTE_TO_HOST -> "no route to host for TCP port " + port + " before SMTP banner";
            case NETWORK_UNREACHABLE -> "network unreachable for TCP port " + port + " before SMTP banner";
            case BLOCKED_LOCALLY -> "this host forbade the connection to TCP port " + port + " before any packet left";
            case PROXY_UNREACHABLE -> "the proxy failed before TCP port " + port + " was reached";
            case PROXY_AUTH_FAILED -> "the proxy rejected its credentials before TCP port " + port + " was reached";
            case PROXY_DENIED -> "the proxy refused the connection to TCP port " + port + " by its rules";
            case CONNECTION_RESET -> "TCP port " + port + " accepted, then closed before a complete SMTP banner";
            case GREETING_TIMEOUT -> "TCP port " + port + " connected, no SMTP banner in time";
            case NOT_SMTP -> "port " + port + " does not speak SMTP";
            case TLS_MODE_MISMATCH -> "TLS mode does not match port " + port;
            case STARTTLS_UNAVAILABLE -> "STARTTLS unavailable on port " + port;
            case TLS_HANDSHAKE_FAILED -> "TLS handshake failed on port " + port;
            case CERTIFICATE_INVALID -> "TLS certificate rejected on port " + port;
            case SMTP_TRANSIENT_REJECTION, SMTP_PERMANENT_REJECTION -> "SMTP "
                    + (rejection(result) != null ? rejection(result).code() + " " : "")
                    + (v == Verdict.SMTP_TRANSIENT_REJECTION ? "temporary" : "permanent") + " rejection at "
                    + phaseWords(result.phase());
            case AUTH_REQUIRES_TLS -> "SMTP AUTH refused without TLS";
            case AUTH_UNAVAILABLE -> "SMTP AUTH not offered on port " + port;
            case AUTH_FAILED -> "SMTP AUTH rejected the credentials";
            case PROTOCOL_ERROR -> "SMTP protocol error at " + phaseWords(result.phase());
            case INTERNAL_ERROR -> "internal error of the probe or its transport at " + phaseWords(result.phase())
                    + " (not a network diagnosis)";
        };
    }

    /**
     * The rejection that made the verdict: the last reply when it is one; after an envelope the last reply is the
     * 250 to RSET, and the rejection is the first recipient's refusal of the verdict's kind.
     */
    private static SmtpReply rejection(ProbeResult result) {
        SmtpReply last = result.lastReply();
        if (last != null && (last.isTransientFailure() || last.isPermanentFailure())) {
            return last;
        }
        RecipientResult.Status kind = result.verdict() == Verdict.SMTP_TRANSIENT_REJECTION
                ? RecipientResult.Status.TRANSIENT_REJECTION : RecipientResult.Status.PERMANENT_REJECTION;
        return result.recipients().stream().filter(r -> r.status() == kind && r.reply() != null)
                .map(RecipientResult::reply).findFirst().orElse(null);
    }

    private static String phaseWords(Phase phase) {
        return switch (phase) {
            case RESOLVE -> "resolution";
            case CONNECT -> "connect";
            case GREETING -> "the greeting";
            case EHLO -> "EHLO";
            case STARTTLS -> "STARTTLS";
            case AUTH -> "AUTH";
            case ENVELOPE -> "the envelope";
            case QUIT -> "QUIT";
        };
    }

    private static void field(StringBuilder sb, String name, String value) {
        sb.append(name).append(':').append(" ".repeat(Math.max(1, 16 - name.length()))).append(p(value)).append('\n');
    }

    /** A value as it may be printed: every control character escaped. */
    private static String p(String value) {
        return PrintableText.escape(value);
    }

    private static String timings(Map<Phase, Duration> timings) {
        StringBuilder sb = new StringBuilder();
        timings.forEach((phase, d) -> {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(phase.name().toLowerCase(java.util.Locale.ROOT)).append(' ').append(millis(d));
        });
        return sb.toString();
    }

    private static String millis(Duration d) {
        return d.toMillis() + " ms";
    }
}
