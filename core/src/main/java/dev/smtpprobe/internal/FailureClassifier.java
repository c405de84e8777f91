package dev.smtpprobe.internal;

import dev.smtpprobe.AuthMechanism;
import dev.smtpprobe.TlsInfo;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.internal.Conversation.State;
import dev.smtpprobe.internal.proxy.ProxyFailure;
import dev.smtpprobe.spi.NotTlsException;
import dev.smtpprobe.spi.SmtpProtocolException;
import dev.smtpprobe.spi.TransportException;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Turns a connection's failure (or its close before a verdict) into the attempt's verdict and detail text, from
 * where the dialogue was. A transport's {@link TransportException} is classified by its kind, a proxy's
 * {@link ProxyFailure} by the verdict it carries; the JDK's own exception types (from a transport that does not
 * type its failures) by type and errno text. Called under the conversation's lock.
 */
final class FailureClassifier {

    /** Where the dialogue was when the failure came. */
    record Situation(State state, Duration lastTimeout, long phaseStartNanos, AuthMechanism authMechanism) {
    }

    /** Where verdicts go: the conversation. */
    interface Sink {
        /** Decides the attempt's verdict, unless one was decided before. */
        void decide(Verdict verdict, String detail, Throwable cause);

        /** The certificate chain a failed handshake was shown. */
        void chainShown(TlsInfo tls);
    }

    private final AttemptPlan plan;
    private final Sink sink;
    private Situation situation;

    FailureClassifier(AttemptPlan plan, Sink sink) {
        this.plan = plan;
        this.sink = sink;
    }


    /** Decides the verdict for a failure the connection reported in {@code situation}. */
    void classify(Throwable cause, Situation situation) {
        this.situation = situation;
        if (cause instanceof ProxyFailure proxyFailure) {
            sink.decide(proxyFailure.verdict(), proxyFailure.getMessage(), cause);
            return;
        }
        if (cause instanceof TransportException te && (te.kind() == TransportException.Kind.TLS
                || te.kind() == TransportException.Kind.NOT_TLS) && te.getCause() != null) {
            cause = te.getCause(); // the JDK's TLS failure (or the non-TLS bytes) is what the verdict reads
        }
        switch (situation.state()) {
            case CONNECTING -> connectFailure(cause);
            case TLS_CONNECT, TLS_HANDSHAKE -> tlsFailure(cause);
            case GREETING -> greetingFailure(cause);
            default -> dialogueFailure(cause);
        }
    }

    private void connectFailure(Throwable cause) {
        String message = lower(cause.getMessage());
        String target = Addresses.format(plan.remote());
        if (cause instanceof TransportException te) {
            connectFailure(te, target);
        } else if (cause instanceof SocketTimeoutException) {
            sink.decide(Verdict.CONNECTION_TIMED_OUT, "no answer to the TCP SYN to " + target + " within "
                    + millis(situation.lastTimeout()) + deadlineNote() + ": packets are silently dropped", cause);
        } else if (cause instanceof NoRouteToHostException || message.contains("no route to host")) {
            sink.decide(Verdict.NO_ROUTE_TO_HOST, "no route to host " + target
                    + " (EHOSTUNREACH: a firewall's icmp-host-prohibited, or no ARP answer)", cause);
        } else if (message.contains("network is unreachable") || message.contains("network unreachable")) {
            sink.decide(Verdict.NETWORK_UNREACHABLE, "network unreachable from this host for " + target
                    + " (ENETUNREACH: no route)", cause);
        } else if (message.contains("permission denied") || message.contains("operation not permitted")) {
            forbidden(cause, message, target);
        } else if (cause instanceof BindException) {
            badSource(cause, target);
        } else if (message.contains("timed out")) {
            sink.decide(Verdict.CONNECTION_TIMED_OUT, "TCP connect to " + target + " timed out" + deadlineNote(), cause);
        } else if (cause instanceof ConnectException || message.contains("refused")) {
            sink.decide(Verdict.CONNECTION_REFUSED, "TCP port " + plan.remote().getPort() + " refused before the SMTP banner"
                    + " (RST or ICMP port unreachable)", cause);
        } else if (message.contains("reset")) {
            sink.decide(Verdict.CONNECTION_RESET, "connection reset while connecting to " + target, cause);
        } else {
            sink.decide(Verdict.INTERNAL_ERROR, "unclassified connect failure to " + target + ": " + errnoText(cause)
                    + " (not recognised as a network outcome; no routing problem is implied)", cause);
        }
    }

    /** A typed connect failure: the kind decides, never the message text. */
    private void connectFailure(TransportException cause, String target) {
        switch (cause.kind()) {
            case CONNECT_TIMEOUT -> sink.decide(Verdict.CONNECTION_TIMED_OUT, "no answer to the TCP SYN to " + target
                    + " within " + millis(situation.lastTimeout()) + deadlineNote() + ": packets are silently dropped", cause);
            case HOST_UNREACHABLE -> sink.decide(Verdict.NO_ROUTE_TO_HOST, "no route to host " + target
                    + " (EHOSTUNREACH: a firewall's icmp-host-prohibited, or no ARP answer)", cause);
            case NETWORK_UNREACHABLE -> sink.decide(Verdict.NETWORK_UNREACHABLE, "network unreachable from this host for "
                    + target + " (ENETUNREACH: no route)", cause);
            case ACCESS_DENIED -> forbidden(cause, "permission denied", target);
            case NOT_PERMITTED -> forbidden(cause, "operation not permitted", target);
            case ADDRESS_UNAVAILABLE -> badSource(cause, target);
            case REFUSED -> sink.decide(Verdict.CONNECTION_REFUSED, "TCP port " + plan.remote().getPort()
                    + " refused before the SMTP banner (RST or ICMP port unreachable)", cause);
            case RESET -> sink.decide(Verdict.CONNECTION_RESET, "connection reset while connecting to " + target, cause);
            default -> sink.decide(Verdict.INTERNAL_ERROR, "unclassified connect failure to " + target + ": "
                    + errnoText(cause) + " (not recognised as a network outcome; no routing problem is implied)", cause);
        }
    }

    private void badSource(Throwable cause, String target) {
        InetAddress source = plan.probe().sourceAddress();
        sink.decide(Verdict.BLOCKED_LOCALLY, (source != null ? "the source address " + source.getHostAddress()
                : "the local address") + " cannot be used to connect to " + target + " ("
                + errnoText(cause) + "): it is not an address of this host, or is in use; fix the sourceAddress"
                + " setting (a configuration problem, not the network)", cause);
    }

    /**
     * EACCES/EPERM on connect. IPv4 reports an ICMP administratively-prohibited answer as EHOSTUNREACH, so there
     * it is always this host's own doing; IPv6 reports ICMPv6 administratively prohibited as EACCES after a round
     * trip. The evidence that tells them apart is this host's routing table: a reject route ({@code prohibit},
     * {@code unreachable}) for the target is local. Without one, EACCES to an IPv6 target is the ICMPv6 answer;
     * EPERM (what cgroup/eBPF hooks return) is local either way.
     */
    private void forbidden(Throwable cause, String message, String target) {
        boolean eperm = message.contains("operation not permitted");
        String errno = eperm ? "EPERM" : "EACCES";
        long micros = (plan.probe().ticker().read() - situation.phaseStartNanos()) / 1000;
        String took = errno + " after " + (micros < 1000 ? micros + " us" : micros / 1000 + " ms");
        InetAddress address = plan.remote().getAddress();
        Optional<LocalRoutes.Route> route = LocalRoutes.lookup(address);
        String routeText = route.map(r -> (r.reject() ? "the reject route " : "the route ") + r.prefix())
                .orElse("no readable route");
        if (route.isPresent() && route.get().reject()) {
            sink.decide(Verdict.BLOCKED_LOCALLY, "this host forbade the connection to " + target + " before any packet left ("
                    + took + "; this host's routing table has " + routeText + ", a prohibit route)", cause);
        } else if (!eperm && address instanceof Inet6Address) {
            sink.decide(Verdict.NO_ROUTE_TO_HOST, "ICMPv6 administratively prohibited from the path to " + target + " ("
                    + took + "; this host's routing table has " + routeText + ", not a reject route): a firewall near"
                    + " the target rejects the connection", cause);
        } else {
            sink.decide(Verdict.BLOCKED_LOCALLY, "this host forbade the connection to " + target + " before any packet left ("
                    + took + "; this host's routing table has " + routeText + ", not a reject route, so a cgroup/eBPF"
                    + " connect hook or a security module)", cause);
        }
    }

    /** The failure's own text, or its type when it has none: never the word null. */
    private static String errnoText(Throwable cause) {
        String m = cause.getMessage();
        return m == null || m.isBlank() ? cause.getClass().getSimpleName() : m;
    }

    private void tlsFailure(Throwable cause) {
        boolean implicit = situation.state() == State.TLS_CONNECT;
        String how = implicit ? "the implicit TLS handshake" : "the TLS handshake after STARTTLS";
        NotTlsException notTls = find(cause, NotTlsException.class);
        if (notTls != null) {
            String bytes = printable(notTls.firstBytes());
            if (implicit && notTls.looksLikeSmtpReply()) {
                sink.decide(Verdict.TLS_MODE_MISMATCH, "the server answered the TLS hello with a plain-text SMTP banner (\""
                        + bytes + "\"): port " + plan.remote().getPort() + " does not speak implicit TLS; use STARTTLS"
                        + " (or plain text) here, or implicit TLS on 465", cause);
            } else if (implicit && (bytes.startsWith("HTTP/") || bytes.startsWith("SSH-"))) {
                sink.decide(Verdict.NOT_SMTP, "the peer answered the TLS hello with " + (bytes.startsWith("SSH-") ? "SSH" : "HTTP")
                        + " (\"" + bytes + "\"): wrong host or port", cause);
            } else {
                sink.decide(Verdict.TLS_HANDSHAKE_FAILED, "non-TLS bytes during " + how + ": \"" + bytes + "\"", cause);
            }
            return;
        }
        // The chain this attempt's handshake was shown rides on its failure: the trust manager is shared.
        X509Certificate[] shown = RecordingTrustManager.chainShown(cause);
        var problem = CertificateProblems.classify(cause, shown, StartTlsStep.serverName(plan), plan.now());
        if (problem.isPresent()) {
            if (shown != null) {
                sink.chainShown(TlsFacts.ofChain(shown, plan.now()));
            }
            sink.decide(Verdict.CERTIFICATE_INVALID, problem.get().kind().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                    + ": " + problem.get().detail(), cause);
            return;
        }
        if (cause instanceof SocketTimeoutException) {
            sink.decide(Verdict.TLS_HANDSHAKE_FAILED, "no answer during " + how + " within " + millis(situation.lastTimeout())
                    + deadlineNote(), cause);
        } else if (cause instanceof SSLException) {
            sink.decide(Verdict.TLS_HANDSHAKE_FAILED, how + " failed: " + cause.getMessage(), cause);
        } else {
            sink.decide(Verdict.TLS_HANDSHAKE_FAILED, "the connection broke during " + how + ": " + cause, cause);
        }
    }

    private void greetingFailure(Throwable cause) {
        if (cause instanceof SocketTimeoutException) {
            sink.decide(Verdict.GREETING_TIMEOUT, "TCP connected but no SMTP banner within " + millis(situation.lastTimeout())
                    + deadlineNote(), cause);
        } else if (cause instanceof SmtpProtocolException spe && spe.kind() == SmtpProtocolException.Kind.NOT_SMTP) {
            sink.decide(Verdict.NOT_SMTP, spe.getMessage(), cause);
        } else if (cause instanceof SmtpProtocolException spe) {
            sink.decide(Verdict.PROTOCOL_ERROR, "invalid greeting: " + spe.getMessage(), cause);
        } else if (cause instanceof IOException) {
            boolean reset = cause instanceof TransportException te ? te.kind() == TransportException.Kind.RESET
                    : lower(cause.getMessage()).contains("reset");
            sink.decide(Verdict.CONNECTION_RESET, "the connection was " + (reset ? "reset" : "broken")
                    + " before a complete greeting: " + cause.getMessage(), cause);
        } else {
            sink.decide(Verdict.PROTOCOL_ERROR, "failure before a complete greeting: " + cause, cause);
        }
    }

    private void dialogueFailure(Throwable cause) {
        String after = describeState(situation.state(), situation.authMechanism());
        if (cause instanceof SocketTimeoutException) {
            sink.decide(Verdict.PROTOCOL_ERROR, "no reply " + after + " within " + millis(situation.lastTimeout()) + deadlineNote(), cause);
        } else if (cause instanceof SmtpProtocolException spe) {
            sink.decide(Verdict.PROTOCOL_ERROR, "invalid reply " + after + ": " + spe.getMessage(), cause);
        } else {
            sink.decide(Verdict.PROTOCOL_ERROR, "the connection broke " + after + ": " + cause.getMessage(), cause);
        }
    }


    /** Decides the verdict for a connection that closed, without a failure, before the dialogue decided one. */
    void decideOnClose(Situation situation) {
        this.situation = situation;
        switch (situation.state()) {
            case CONNECTING -> sink.decide(Verdict.CONNECTION_RESET, "the connection closed before it was established", null);
            case TLS_CONNECT -> sink.decide(Verdict.TLS_HANDSHAKE_FAILED, "the server closed the connection during the implicit TLS handshake", null);
            case TLS_HANDSHAKE -> sink.decide(Verdict.TLS_HANDSHAKE_FAILED, "the server closed the connection during the TLS handshake after STARTTLS", null);
            case GREETING -> sink.decide(Verdict.CONNECTION_RESET, "the server accepted the connection, then closed it before a complete greeting", null);
            case QUIT, DONE -> {
                // decided already
            }
            default -> sink.decide(Verdict.PROTOCOL_ERROR, "the server closed the connection " + describeState(situation.state(), situation.authMechanism()), null);
        }
    }

    /** Where the dialogue was, as words for a detail text. */
    static String describeState(State state, AuthMechanism authMechanism) {
        Situation situation = new Situation(state, null, 0, authMechanism);
        return switch (situation.state()) {
            case CONNECTING -> "while connecting";
            case TLS_CONNECT -> "during the implicit TLS handshake";
            case GREETING -> "before the greeting";
            case EHLO -> "to EHLO";
            case HELO -> "to HELO";
            case STARTTLS -> "to STARTTLS";
            case TLS_HANDSHAKE -> "during the TLS handshake";
            case EHLO_TLS -> "to EHLO after STARTTLS";
            case AUTH -> "to AUTH " + situation.authMechanism();
            case AUTH_CANCEL -> "to the cancelled AUTH " + situation.authMechanism();
            case MAIL -> "to MAIL FROM";
            case RCPT -> "to RCPT TO";
            case RSET -> "to RSET";
            case QUIT -> "to QUIT";
            case DONE -> "after the verdict";
        };
    }

    /**
     * The exception type a result names for a failure: for a transport's typed failure, the JDK type that stands for
     * its kind (what {@link dev.smtpprobe.FailureInfo#type()} names), whichever transport saw it.
     */
    static String failureType(Throwable cause) {
        if (!(cause instanceof TransportException te)) {
            return cause.getClass().getName();
        }
        Class<?> type = switch (te.kind()) {
            case CONNECT_TIMEOUT -> SocketTimeoutException.class;
            case REFUSED -> ConnectException.class;
            case HOST_UNREACHABLE -> NoRouteToHostException.class;
            case NETWORK_UNREACHABLE -> te.connecting() ? ConnectException.class : java.net.SocketException.class;
            case ADDRESS_UNAVAILABLE -> BindException.class;
            case TLS, NOT_TLS -> te.getCause() != null ? te.getCause().getClass() : SSLException.class;
            default -> java.net.SocketException.class;
        };
        return type.getName();
    }

    private String deadlineNote() {
        return plan.deadline().passed()
                ? " (" + plan.deadline().describe() + " was reached)" : "";
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    static String millis(Duration d) {
        return d == null ? "the timeout" : d.toMillis() + " ms";
    }

    static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    static String printable(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.ISO_8859_1);
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '\r' || c == '\n') {
                break;
            }
            sb.append(c >= 0x20 && c < 0x7f ? c : '.');
        }
        return sb.toString();
    }
}
