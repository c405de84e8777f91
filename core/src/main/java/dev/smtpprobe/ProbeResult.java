package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;
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
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

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
 * <p>The engine makes results; code outside it (tests of a report or a health check, a deserialiser) builds one
 * with {@link #builder()}, which validates like the engine's own values. There is no public constructor, so fields
 * can be added without breaking callers. Its JSON form is the {@code smtp-probe-jackson} module's contract (README,
 * "JSON contract"). Two results are equal when every accessor of the value itself
 * ({@link #target()} to {@link #configFindings()}) returns equal values.
 *
 * <p>This class is immutable and threadsafe.
 */
public final class ProbeResult {

    private final String target;
    private final List<Integer> ports;
    private final Verdict verdict;
    private final Phase phase;
    private final String detail;
    private final PolicyReason policyReason;
    private final Instant startedAt;
    private final Duration elapsed;
    private final List<Attempt> attempts;
    /** The hints once known: at build time when given as a list, else on the first read (see {@link #hints()}). */
    private volatile List<Hint> hints;
    /** Where the hints come from until first read; {@code null} once read, or when given as a list. */
    private Supplier<? extends List<Hint>> hintDerivation;
    private final Resolution resolution;
    private final ResolverComparison comparison;
    private final TlsPolicyReport tlsPolicy;
    private final int decidingIndex;
    private final List<ConfigFinding> configFindings;

    private ProbeResult(Builder b) {
        target = Attempt.required(b.target, "target");
        ports = List.copyOf(Attempt.required(b.ports, "ports"));
        verdict = Attempt.required(b.verdict, "verdict");
        phase = Attempt.required(b.phase, "phase");
        detail = Texts.printable(b.detail, Texts.MAX_DETAIL);
        policyReason = b.policyReason;
        startedAt = Attempt.required(b.startedAt, "startedAt");
        elapsed = Attempt.required(b.elapsed, "elapsed");
        attempts = List.copyOf(b.attempts);
        hints = b.hintDerivation == null ? List.copyOf(b.hints) : null;
        hintDerivation = b.hintDerivation;
        resolution = b.resolution;
        comparison = b.comparison;
        tlsPolicy = b.tlsPolicy;
        decidingIndex = b.decidingIndex != null ? b.decidingIndex : Decision.decidingIndex(attempts);
        configFindings = List.copyOf(b.configFindings);
        if (attempts.isEmpty() ? decidingIndex != -1 : decidingIndex < 0 || decidingIndex >= attempts.size()) {
            throw new IllegalArgumentException("decidingIndex must index attempts (-1 only without attempts): "
                    + decidingIndex);
        }
    }

    /** {@return a builder with nothing set: see {@link Builder} for what {@link Builder#build()} requires} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding every value of this result, to make a changed copy} */
    public Builder toBuilder() {
        return new Builder().target(target).ports(ports).verdict(verdict).phase(phase).detail(detail)
                .policyReason(policyReason).startedAt(startedAt).elapsed(elapsed).attempts(attempts).hints(hints())
                .resolution(resolution).comparison(comparison).decidingIndex(decidingIndex).configFindings(configFindings)
                .tlsPolicy(tlsPolicy);
    }

    /** {@return the host or domain as given} */
    public String target() {
        return target;
    }

    /** {@return the ports probed, in order} */
    public List<Integer> ports() {
        return ports;
    }

    /** {@return the overall verdict} */
    public Verdict verdict() {
        return verdict;
    }

    /** {@return the phase in which the deciding attempt ended ({@link Phase#RESOLVE} when DNS decided)} */
    public Phase phase() {
        return phase;
    }

    /**
     * A precise, human description of the deciding outcome; printable ({@link PrintableText#escape}) and at most
     * {@value dev.smtpprobe.internal.Texts#MAX_DETAIL} characters plus a {@code "... N more bytes"} marker.
     *
     * @return the printable, bounded description of the deciding outcome
     */
    public String detail() {
        return detail;
    }

    /** {@return why the server rejected, for rejections; otherwise {@code null}} */
    public @Nullable PolicyReason policyReason() {
        return policyReason;
    }

    /** {@return when the probe started (UTC)} */
    public Instant startedAt() {
        return startedAt;
    }

    /** {@return how long the whole probe took} */
    public Duration elapsed() {
        return elapsed;
    }

    /**
     * Every connection attempt, in the order they were made (port by port, in the order of {@link #ports()}; within
     * a port, MX host by MX host and address by address).
     *
     * @return every attempt in the order made; empty when none was made
     */
    public List<Attempt> attempts() {
        return attempts;
    }

    /**
     * Suggestions derived from the evidence, most relevant first. A probe derives them when they are first read,
     * not when it ends: an OK result that nobody asks for hints costs no hint text (every later read returns the
     * same list).
     *
     * @return the hints, most relevant first; possibly empty
     */
    public List<Hint> hints() {
        List<Hint> known = hints;
        return known != null ? known : deriveHints();
    }

    private synchronized List<Hint> deriveHints() {
        if (hints == null) {
            hints = List.copyOf(hintDerivation.get());
            hintDerivation = null;
        }
        return hints;
    }

    /**
     * What DNS said: the mail hosts in order with their addresses, every query and answer (TTLs, resolvers);
     * {@code null} only for results made without the engine.
     *
     * @return what DNS said, or {@code null}
     */
    public @Nullable Resolution resolution() {
        return resolution;
    }

    /**
     * The same name resolved through each resolver given to {@link SmtpProbe.Builder#compareResolvers(String...)},
     * with their differences; otherwise {@code null}.
     *
     * @return the comparison of resolvers, or {@code null} when none was asked
     */
    public @Nullable ResolverComparison comparison() {
        return comparison;
    }

    /**
     * Which TLS policy the probe applied and why, the domain's published policies (MTA-STS, DANE, TLS-RPT), and
     * whether a strict sender would deliver; {@code null} when no attempt was made.
     *
     * @return the TLS policy report, or {@code null} when no attempt was made
     */
    public TlsPolicyReport tlsPolicy() {
        return tlsPolicy;
    }

    /**
     * The index in {@link #attempts()} of the attempt that decided the verdict ({@link #decidingAttempt()}); -1
     * exactly when no attempt was made (a DNS verdict, say). The engine decides once and records it here: the
     * verdict, phase and detail are that attempt's outcome, and every accessor for evidence, the {@link #summary()}
     * and the {@link #report()} read it.
     *
     * @return the deciding attempt's index in {@link #attempts()}, or -1 when none was made
     */
    public int decidingIndex() {
        return decidingIndex;
    }

    /**
     * What is wrong or risky in the configuration the probe was made from ({@link SmtpProbe#fromMailProperties}), as
     * {@link SmtpProbe#configFindings()} listed them when this result was made (including a certificate this run
     * accepted only because the configuration trusts the server), then what this run showed of the application's
     * library: a {@link ConfigFinding.Code#LIBRARY_DIFFERS} finding when the host's first address failed and a later
     * one worked, as Jakarta Mail connects to the first address only. Empty for a probe configured otherwise. The
     * {@link #report()} shows them first.
     *
     * @return the configuration findings in a fixed order; empty for a probe not made from mail properties
     */
    public List<ConfigFinding> configFindings() {
        return configFindings;
    }

    /** {@return whether the verdict is {@link Verdict#OK}} */
    public boolean isOk() {
        return verdict.isOk();
    }

    /** {@return this result when it is OK; otherwise throws {@link ProbeFailedException} carrying it} */
    public ProbeResult orThrow() {
        if (!isOk()) {
            throw new ProbeFailedException(this);
        }
        return this;
    }

    /** {@return the layer of the verdict} */
    public Layer layer() {
        return verdict.layer();
    }

    /**
     * The attempt that decided the verdict, as the engine recorded it, or {@code null} when none was made (a DNS
     * verdict).
     *
     * @return the deciding attempt, or {@code null} when none was made
     */
    public @Nullable Attempt decidingAttempt() {
        return decidingIndex < 0 ? null : attempts.get(decidingIndex);
    }

    /** {@return the remote address of the deciding attempt, or {@code null}} */
    public @Nullable InetSocketAddress remoteAddress() {
        Attempt a = decidingAttempt();
        return a == null ? null : a.remote();
    }

    /** {@return the local source address of the deciding attempt, or {@code null} when no connection was made} */
    public @Nullable InetSocketAddress localAddress() {
        Attempt a = decidingAttempt();
        return a == null ? null : a.local();
    }

    /** {@return what the table of known replies says about the deciding attempt's rejection, if anything} */
    public Optional<KnownReply> knownReply() {
        Attempt a = decidingAttempt();
        return a == null ? Optional.empty() : a.knownReply();
    }

    /** {@return the name the deciding attempt gave in EHLO (or HELO), if it got that far} */
    public Optional<String> ehloName() {
        Attempt a = decidingAttempt();
        return a == null ? Optional.empty() : a.ehloName();
    }

    /** {@return the 220 banner of the deciding attempt, or {@code null}} */
    public @Nullable SmtpReply greeting() {
        Attempt a = decidingAttempt();
        return a == null ? null : a.greeting();
    }

    /** {@return the last EHLO reply of the deciding attempt, or {@code null}} */
    public @Nullable SmtpReply ehlo() {
        Attempt a = decidingAttempt();
        return a == null ? null : a.ehlo();
    }

    /** {@return what the deciding attempt's server advertised} */
    public Capabilities capabilities() {
        Attempt a = decidingAttempt();
        return a == null ? Capabilities.NONE : a.capabilities();
    }

    /** {@return the TLS facts of the deciding attempt, or {@code null} when TLS was not used} */
    public @Nullable TlsInfo tls() {
        Attempt a = decidingAttempt();
        return a == null ? null : a.tls();
    }

    /**
     * {@return the last complete reply of the deciding attempt before its verdict (the rejection, say), or {@code
     * null}}
     */
    public @Nullable SmtpReply lastReply() {
        Attempt a = decidingAttempt();
        return a == null ? null : a.lastReply();
    }

    /** {@return the underlying error of the deciding attempt, or {@code null}} */
    public @Nullable FailureInfo failure() {
        Attempt a = decidingAttempt();
        return a == null ? null : a.failure();
    }

    /**
     * How the deciding attempt authenticated, or {@code null} when no credentials were configured or the attempt
     * ended before AUTH (or none was made).
     *
     * @return the deciding attempt's outcome of AUTH, or {@code null}
     */
    public @Nullable AuthResult auth() {
        Attempt a = decidingAttempt();
        return a == null ? null : a.auth();
    }

    /** {@return how the deciding attempt's server answered each envelope recipient; empty without an envelope} */
    public List<RecipientResult> recipients() {
        Attempt a = decidingAttempt();
        return a == null ? List.of() : a.recipients();
    }

    /** {@return the per-phase durations of the deciding attempt} */
    public Map<Phase, Duration> timings() {
        Attempt a = decidingAttempt();
        return a == null ? Map.of() : a.timings();
    }

    /**
     * The DNS lines (every query and answer, then the comparison of resolvers when asked), followed by the redacted
     * transcript of the deciding attempt.
     *
     * @return the DNS lines, then the deciding attempt's redacted transcript
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
     *
     * @return each probed port's verdict, in port order; empty when no attempt was made
     */
    public Map<Integer, Verdict> portVerdicts() {
        return Decision.perPort(ports, attempts);
    }

    /**
     * One printable line ({@link PrintableText#escape}): verdict, layer, target and the essential detail, e.g.
     * {@code "CONNECTION_REFUSED [TCP] mx.example.net:25 (192.0.2.1): connection refused before SMTP banner"}.
     *
     * @return the one-line summary
     */
    public String summary() {
        return dev.smtpprobe.internal.Report.summary(this);
    }

    /**
     * The escalation report: plain text to paste in a ticket, with the {@link #configFindings()} first (right after
     * the subject line) and the redacted transcript last. Every value in it is
     * printable ({@link PrintableText#escape}), and it is at most {@value dev.smtpprobe.internal.Texts#MAX_REPORT}
     * characters plus a {@code "... N more bytes"} marker.
     *
     * @return the printable, bounded plain-text report
     */
    public String report() {
        return dev.smtpprobe.internal.Report.render(this);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof ProbeResult r && target.equals(r.target) && ports.equals(r.ports)
                && verdict == r.verdict && phase == r.phase && detail.equals(r.detail)
                && policyReason == r.policyReason && startedAt.equals(r.startedAt) && elapsed.equals(r.elapsed)
                && attempts.equals(r.attempts) && hints().equals(r.hints()) && Objects.equals(resolution, r.resolution)
                && Objects.equals(comparison, r.comparison) && Objects.equals(tlsPolicy, r.tlsPolicy) && decidingIndex == r.decidingIndex
                && configFindings.equals(r.configFindings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(target, ports, verdict, phase, detail, policyReason, startedAt, elapsed, attempts, hints(),
                resolution, comparison, decidingIndex, configFindings, tlsPolicy);
    }

    @Override
    public String toString() {
        return "ProbeResult{" + summary() + ", attempts=" + attempts.size() + ", hints=" + hints().size() + "}";
    }

    /**
     * Builds a {@link ProbeResult}. {@link #build()} requires {@link #target}, {@link #ports}, {@link #verdict},
     * {@link #phase}, {@link #startedAt} and {@link #elapsed}; everything else has a default: no detail
     * ({@code ""}), no attempts, no hints, no findings, {@code null} for the optional values, and the deciding attempt chosen
     * from the attempts by the engine's rule (see {@link ProbeResult}) unless {@link #decidingIndex} is set. A
     * setter given {@code null} for a value that cannot be null throws {@link IllegalArgumentException} naming it;
     * {@link #build()} throws {@link IllegalStateException} naming a required value not set. Not threadsafe.
     */
    public static final class Builder {
        private String target;
        private List<Integer> ports;
        private Verdict verdict;
        private Phase phase;
        private String detail = "";
        private PolicyReason policyReason;
        private Instant startedAt;
        private Duration elapsed;
        private List<Attempt> attempts = List.of();
        private List<Hint> hints = List.of();
        private Supplier<? extends List<Hint>> hintDerivation;
        private Resolution resolution;
        private ResolverComparison comparison;
        private TlsPolicyReport tlsPolicy;
        private Integer decidingIndex;
        private List<ConfigFinding> configFindings = List.of();

        private Builder() {
        }

        /**
         * See {@link ProbeResult#target()}.
         *
         * @param target the host or domain as given
         * @return this builder
         */
        public Builder target(String target) {
            this.target = Arguments.requireNonNull(target, "target");
            return this;
        }

        /**
         * See {@link ProbeResult#ports()}; copied by {@link #build()}.
         *
         * @param ports the ports probed, in order
         * @return this builder
         */
        public Builder ports(List<Integer> ports) {
            this.ports = Arguments.requireNonNull(ports, "ports");
            return this;
        }

        /**
         * See {@link ProbeResult#verdict()}.
         *
         * @param verdict the overall verdict
         * @return this builder
         */
        public Builder verdict(Verdict verdict) {
            this.verdict = Arguments.requireNonNull(verdict, "verdict");
            return this;
        }

        /**
         * See {@link ProbeResult#phase()}.
         *
         * @param phase the phase in which the deciding attempt ended ({@link Phase#RESOLVE} when DNS decided)
         * @return this builder
         */
        public Builder phase(Phase phase) {
            this.phase = Arguments.requireNonNull(phase, "phase");
            return this;
        }

        /**
         * See {@link ProbeResult#detail()}; made printable and bounded by {@link #build()}.
         *
         * @param detail a human description of the deciding outcome; escaped and truncated by {@link #build()}
         * @return this builder
         */
        public Builder detail(String detail) {
            this.detail = Arguments.requireNonNull(detail, "detail");
            return this;
        }

        /**
         * See {@link ProbeResult#policyReason()}; may be {@code null}.
         *
         * @param policyReason why the server rejected, for rejections; otherwise {@code null}
         * @return this builder
         */
        public Builder policyReason(@Nullable PolicyReason policyReason) {
            this.policyReason = policyReason;
            return this;
        }

        /**
         * See {@link ProbeResult#startedAt()}.
         *
         * @param startedAt when the probe started (UTC)
         * @return this builder
         */
        public Builder startedAt(Instant startedAt) {
            this.startedAt = Arguments.requireNonNull(startedAt, "startedAt");
            return this;
        }

        /**
         * See {@link ProbeResult#elapsed()}.
         *
         * @param elapsed how long the whole probe took
         * @return this builder
         */
        public Builder elapsed(Duration elapsed) {
            this.elapsed = Arguments.requireNonNull(elapsed, "elapsed");
            return this;
        }

        /**
         * See {@link ProbeResult#attempts()}; copied by {@link #build()}.
         *
         * @param attempts every attempt, in the order made
         * @return this builder
         */
        public Builder attempts(List<Attempt> attempts) {
            this.attempts = Arguments.requireNonNull(attempts, "attempts");
            return this;
        }

        /**
         * See {@link ProbeResult#hints()}; copied by {@link #build()}.
         *
         * @param hints suggestions derived from the evidence, most relevant first
         * @return this builder
         */
        public Builder hints(List<Hint> hints) {
            this.hints = Arguments.requireNonNull(hints, "hints");
            this.hintDerivation = null;
            return this;
        }

        /**
         * The hints as a derivation run once, when {@link ProbeResult#hints()} is first read (by any thread), instead
         * of a list made now; replaces {@link #hints(List)}. The derivation must not fail and must depend only on
         * facts that do not change: a probe gives one over its finished attempts.
         *
         * @param derivation makes the hints, most relevant first; called at most once
         * @return this builder
         */
        public Builder derivedHints(Supplier<? extends List<Hint>> derivation) {
            this.hintDerivation = Arguments.requireNonNull(derivation, "derivation");
            this.hints = List.of();
            return this;
        }

        /**
         * See {@link ProbeResult#resolution()}; may be {@code null}.
         *
         * @param resolution what DNS said, or {@code null}
         * @return this builder
         */
        public Builder resolution(@Nullable Resolution resolution) {
            this.resolution = resolution;
            return this;
        }

        /**
         * See {@link ProbeResult#tlsPolicy()}; may be {@code null}.
         *
         * @param tlsPolicy the TLS policy report, or {@code null}
         * @return this builder
         */
        public Builder tlsPolicy(TlsPolicyReport tlsPolicy) {
            this.tlsPolicy = tlsPolicy;
            return this;
        }

        /**
         * See {@link ProbeResult#comparison()}; may be {@code null}.
         *
         * @param comparison the comparison of resolvers, or {@code null}
         * @return this builder
         */
        public Builder comparison(@Nullable ResolverComparison comparison) {
            this.comparison = comparison;
            return this;
        }

        /**
         * See {@link ProbeResult#decidingIndex()}; checked against the attempts by {@link #build()}. Without it the
         * engine's rule chooses.
         *
         * @param decidingIndex the index of the deciding attempt, or -1 when there is none
         * @return this builder
         */
        public Builder decidingIndex(int decidingIndex) {
            this.decidingIndex = decidingIndex;
            return this;
        }

        /**
         * See {@link ProbeResult#configFindings()}; copied by {@link #build()}.
         *
         * @param configFindings the configuration findings, in order
         * @return this builder
         */
        public Builder configFindings(List<ConfigFinding> configFindings) {
            this.configFindings = Arguments.requireNonNull(configFindings, "configFindings");
            return this;
        }

        /**
         * The result.
         *
         * @return a new immutable result with the values set
         * @throws IllegalStateException    when a required value is not set
         * @throws IllegalArgumentException when the deciding index does not index the attempts (-1 exactly when
         *                                  there are none)
         */
        public ProbeResult build() {
            return new ProbeResult(this);
        }
    }
}
