package dev.smtpprobe;

import dev.smtpprobe.internal.Decision;
import dev.smtpprobe.internal.Texts;
import dev.smtpprobe.internal.dns.DnsTranscript;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of a probe: an immutable value that names the failing layer and carries the evidence.
 *
 * <p>Network outcomes are data here, never exceptions. The overall verdict comes from the attempts (one per
 * address, port and TLS mode tried); the accessors for evidence ({@link #remoteAddress()},
 * {@link #transcript()}, ...), the {@link #summary()} and the {@link #report()} read the <em>deciding</em> attempt,
 * which the engine chooses once and records ({@link #decidingIndex()}).
 *
 * <pre>{@code
 * ProbeResult result = SmtpProbe.to("mx.example.net").port(587).run();
 * if (!result.isOk()) {
 *     System.err.println(result.report());
 * }
 * }</pre>
 *
 * <h2>The overall verdict</h2>
 * <ol>
 *   <li>When resolution found no mail host with an address, the DNS verdict ({@link Phase#RESOLVE}); no attempt
 *       is made.</li>
 *   <li>Otherwise the first {@link Verdict#OK} attempt, in attempt order: ports in the order given, then MX
 *       hosts in preference order, then addresses in {@link IpVersion} order.</li>
 *   <li>Otherwise the most informative failure: the attempt that got furthest through the phases
 *       ({@code RESOLVE < CONNECT < GREETING < EHLO < STARTTLS < AUTH < ENVELOPE < QUIT}), because a rejection
 *       after EHLO says more than a refused backup MX; on a tie, the first in attempt order, so the most preferred
 *       MX host and the first port win. An {@link Verdict#INTERNAL_ERROR} attempt (a transport that failed) decides
 *       over any other failure. The quick confirmation attempt in the other TLS mode is evidence, never the
 *       deciding attempt.</li>
 * </ol>
 * {@link #portVerdicts()} applies the same rule port by port.
 *
 * <p>This class is immutable and threadsafe.
 *
 * @param target       the host or domain as given
 * @param ports        the ports probed, in order
 * @param verdict      the overall verdict
 * @param phase        the phase in which the deciding attempt ended ({@link Phase#RESOLVE} when DNS decided)
 * @param detail       a precise, human description of the deciding outcome; printable
 *                     ({@link PrintableText#escape}) and at most {@value dev.smtpprobe.internal.Texts#MAX_DETAIL}
 *                     characters plus a {@code "... N more bytes"} marker
 * @param policyReason why the server rejected, for rejections; otherwise {@code null}
 * @param startedAt    when the probe started (UTC)
 * @param elapsed      how long the whole probe took
 * @param attempts     every connection attempt, in the order they were made (port by port, in the order of
 *                     {@link #ports()}; within a port, MX host by MX host and address by address)
 * @param hints        suggestions derived from the evidence, most relevant first
 * @param resolution   what DNS said: the mail hosts in order with their addresses, every query and answer (TTLs,
 *                     resolvers); {@code null} only for results made without the engine
 * @param comparison   the same name resolved through each resolver given to
 *                     {@link SmtpProbe.Builder#compareResolvers(String...)}, with their differences; otherwise
 *                     {@code null}
 * @param decidingIndex the index in {@link #attempts()} of the attempt that decided the verdict
 *                     ({@link #decidingAttempt()}); -1 exactly when no attempt was made (a DNS verdict, say). The
 *                     engine decides once and records it here: the verdict, phase and detail are that attempt's
 *                     outcome, and every accessor for evidence, the {@link #summary()} and the {@link #report()}
 *                     read it
 */
public record ProbeResult(String target, List<Integer> ports, Verdict verdict, Phase phase, String detail,
                          PolicyReason policyReason, Instant startedAt, Duration elapsed,
                          List<Attempt> attempts, List<Hint> hints, Resolution resolution,
                          ResolverComparison comparison, int decidingIndex) {

    public ProbeResult {
        Objects.requireNonNull(target, "target");
        ports = List.copyOf(Objects.requireNonNull(ports, "ports"));
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(phase, "phase");
        detail = Texts.printable(Objects.requireNonNull(detail, "detail"), Texts.MAX_DETAIL);
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(elapsed, "elapsed");
        attempts = List.copyOf(Objects.requireNonNull(attempts, "attempts"));
        hints = List.copyOf(Objects.requireNonNull(hints, "hints"));
        if (attempts.isEmpty() ? decidingIndex != -1 : decidingIndex < 0 || decidingIndex >= attempts.size()) {
            throw new IllegalArgumentException("decidingIndex must index attempts (-1 only without attempts): "
                    + decidingIndex);
        }
    }

    /**
     * A result whose deciding attempt is chosen from {@code attempts} by the engine's rule (see the class
     * description); none without attempts.
     */
    public ProbeResult(String target, List<Integer> ports, Verdict verdict, Phase phase, String detail,
                       PolicyReason policyReason, Instant startedAt, Duration elapsed,
                       List<Attempt> attempts, List<Hint> hints, Resolution resolution,
                       ResolverComparison comparison) {
        this(target, ports, verdict, phase, detail, policyReason, startedAt, elapsed, attempts, hints, resolution,
                comparison, Decision.decidingIndex(Objects.requireNonNull(attempts, "attempts")));
    }

    /** A result without DNS evidence (no {@link #resolution()}, no {@link #comparison()}). */
    public ProbeResult(String target, List<Integer> ports, Verdict verdict, Phase phase, String detail,
                       PolicyReason policyReason, Instant startedAt, Duration elapsed,
                       List<Attempt> attempts, List<Hint> hints) {
        this(target, ports, verdict, phase, detail, policyReason, startedAt, elapsed, attempts, hints, null, null);
    }

    /** Whether the verdict is {@link Verdict#OK}. */
    public boolean isOk() {
        return verdict.isOk();
    }

    /** This result when it is OK; otherwise throws {@link ProbeFailedException} carrying it. */
    public ProbeResult orThrow() {
        if (!isOk()) {
            throw new ProbeFailedException(this);
        }
        return this;
    }

    /** The layer of the verdict. */
    public Layer layer() {
        return verdict.layer();
    }

    /**
     * The attempt that decided the verdict, as the engine recorded it, or {@code null} when none was made (a DNS
     * verdict).
     */
    public Attempt decidingAttempt() {
        return decidingIndex < 0 ? null : attempts.get(decidingIndex);
    }

    /** The remote address of the deciding attempt, or {@code null}. */
    public InetSocketAddress remoteAddress() {
        Attempt a = decidingAttempt();
        return a == null ? null : a.remote();
    }

    /** The local source address of the deciding attempt, or {@code null} when no connection was made. */
    public InetSocketAddress localAddress() {
        Attempt a = decidingAttempt();
        return a == null ? null : a.local();
    }

    /** The 220 banner of the deciding attempt, or {@code null}. */
    public SmtpReply greeting() {
        Attempt a = decidingAttempt();
        return a == null ? null : a.greeting();
    }

    /** The last EHLO reply of the deciding attempt, or {@code null}. */
    public SmtpReply ehlo() {
        Attempt a = decidingAttempt();
        return a == null ? null : a.ehlo();
    }

    /** What the deciding attempt's server advertised. */
    public Capabilities capabilities() {
        Attempt a = decidingAttempt();
        return a == null ? Capabilities.NONE : a.capabilities();
    }

    /** The TLS facts of the deciding attempt, or {@code null} when TLS was not used. */
    public TlsInfo tls() {
        Attempt a = decidingAttempt();
        return a == null ? null : a.tls();
    }

    /** The last complete reply of the deciding attempt before its verdict (the rejection, say), or {@code null}. */
    public SmtpReply lastReply() {
        Attempt a = decidingAttempt();
        return a == null ? null : a.lastReply();
    }

    /** The underlying error of the deciding attempt, or {@code null}. */
    public FailureInfo failure() {
        Attempt a = decidingAttempt();
        return a == null ? null : a.failure();
    }

    /**
     * How the deciding attempt authenticated, or {@code null} when no credentials were configured or the attempt
     * ended before AUTH (or none was made).
     */
    public AuthResult auth() {
        Attempt a = decidingAttempt();
        return a == null ? null : a.auth();
    }

    /** How the deciding attempt's server answered each envelope recipient; empty without an envelope. */
    public List<RecipientResult> recipients() {
        Attempt a = decidingAttempt();
        return a == null ? List.of() : a.recipients();
    }

    /** The per-phase durations of the deciding attempt. */
    public Map<Phase, Duration> timings() {
        Attempt a = decidingAttempt();
        return a == null ? Map.of() : a.timings();
    }

    /**
     * The DNS lines (every query and answer, then the comparison of resolvers when asked), followed by the redacted
     * transcript of the deciding attempt.
     */
    public List<TranscriptLine> transcript() {
        Attempt a = decidingAttempt();
        List<TranscriptLine> dns = DnsTranscript.transcript(resolution, comparison);
        if (dns.isEmpty()) {
            return a == null ? List.of() : a.transcript();
        }
        List<TranscriptLine> all = new ArrayList<>(dns);
        if (a != null) {
            all.addAll(a.transcript());
        }
        return List.copyOf(all);
    }

    /**
     * The verdict of each port probed, in the order of {@link #ports()}: {@link Verdict#OK} when an attempt on that
     * port succeeded, otherwise the failure that got furthest there (the rule of the overall verdict). Empty when
     * no attempt was made (a DNS verdict).
     */
    public Map<Integer, Verdict> portVerdicts() {
        return Decision.perPort(ports, attempts);
    }

    /**
     * One printable line ({@link PrintableText#escape}): verdict, layer, target and the essential detail, e.g.
     * {@code "CONNECTION_REFUSED [TCP] mx.example.net:25 (192.0.2.1): connection refused before SMTP banner"}.
     */
    public String summary() {
        StringBuilder sb = new StringBuilder().append(verdict);
        if (verdict.layer() != Layer.NONE) {
            sb.append(" [").append(verdict.layer().label()).append(']');
        }
        sb.append(' ').append(target);
        Attempt deciding = decidingAttempt();
        if (deciding != null && resolution != null && resolution.kind() == Resolution.Kind.MX) {
            sb.append(" MX ").append(deciding.host());
        }
        InetSocketAddress remote = remoteAddress();
        if (remote != null) {
            sb.append(':').append(remote.getPort());
            if (remote.getAddress() != null && !remote.getAddress().getHostAddress().equals(target)) {
                sb.append(" (").append(remote.getAddress().getHostAddress()).append(')');
            }
        } else if (ports.size() == 1) {
            sb.append(':').append(ports.get(0));
        }
        if (!detail.isEmpty()) {
            sb.append(": ").append(detail);
        }
        sb.append(" in ").append(elapsed.toMillis()).append(" ms");
        // The detail is printable already; the target and host names are escaped too, whatever made them.
        return PrintableText.escape(sb.toString());
    }

    /**
     * The escalation report: plain text to paste in a ticket, with the redacted transcript. Every value in it is
     * printable ({@link PrintableText#escape}), and it is at most {@value dev.smtpprobe.internal.Texts#MAX_REPORT}
     * characters plus a {@code "... N more bytes"} marker.
     */
    public String report() {
        return dev.smtpprobe.internal.Report.render(this);
    }

    @Override
    public String toString() {
        return "ProbeResult{" + summary() + ", attempts=" + attempts.size() + ", hints=" + hints.size() + "}";
    }
}
