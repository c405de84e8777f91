package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;
import dev.smtpprobe.internal.Texts;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One connection attempt: one host, one address, one port, one TLS mode, with all the evidence it produced.
 * A probe of a single endpoint has one attempt; an MX probe or a port sweep has one per address and port
 * (a TLS-mode confirmation adds one more).
 *
 * <p>The engine makes attempts; code outside it (tests of a report or a health check, a deserialiser) builds one
 * with {@link #builder()}, which validates like the engine's own values. There is no public constructor, so fields
 * can be added without breaking callers. Its JSON form is the {@code smtp-probe-jackson} module's contract (README,
 * "JSON contract"). Two attempts are equal when every accessor returns equal values.
 *
 * <pre>{@code
 * Attempt a = Attempt.builder()
 *         .host("mx.example.net").remote(new InetSocketAddress("192.0.2.1", 25)).tlsMode(TlsMode.STARTTLS)
 *         .verdict(Verdict.CONNECTION_REFUSED).phase(Phase.CONNECT)
 *         .startedAt(Instant.now()).elapsed(Duration.ofMillis(3))
 *         .build();
 * }</pre>
 *
 * <p>This class is immutable and threadsafe.
 */
public final class Attempt {

    private final String host;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final TlsMode tlsMode;
    private final Verdict verdict;
    private final Phase phase;
    private final String detail;
    private final PolicyReason policyReason;
    private final SmtpReply greeting;
    private final SmtpReply ehlo;
    private final Capabilities capabilities;
    private final TlsInfo tls;
    private final SmtpReply lastReply;
    private final FailureInfo failure;
    private final Instant startedAt;
    private final Duration elapsed;
    private final Map<Phase, Duration> timings;
    private final List<TranscriptLine> transcript;
    private final AuthResult auth;
    private final List<RecipientResult> recipients;
    private final KnownReply knownReply;
    private final String ehloName;

    private Attempt(Builder b) {
        host = required(b.host, "host");
        remote = required(b.remote, "remote");
        local = b.local;
        tlsMode = required(b.tlsMode, "tlsMode");
        verdict = required(b.verdict, "verdict");
        phase = required(b.phase, "phase");
        detail = Texts.printable(b.detail, Texts.MAX_DETAIL);
        policyReason = b.policyReason;
        greeting = b.greeting;
        ehlo = b.ehlo;
        capabilities = b.capabilities;
        tls = b.tls;
        lastReply = b.lastReply;
        failure = b.failure;
        startedAt = required(b.startedAt, "startedAt");
        elapsed = required(b.elapsed, "elapsed");
        timings = Timings.copyOf(b.timings);
        transcript = List.copyOf(b.transcript);
        auth = b.auth;
        recipients = List.copyOf(b.recipients);
        knownReply = b.knownReply;
        ehloName = b.ehloName;
    }

    static <T> T required(T value, String name) {
        if (value == null) {
            throw new IllegalStateException(name + " is not set");
        }
        return value;
    }

    /** {@return a builder with nothing set: see {@link Builder} for what {@link Builder#build()} requires} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding every value of this attempt, to make a changed copy} */
    public Builder toBuilder() {
        return new Builder().host(host).remote(remote).local(local).tlsMode(tlsMode).verdict(verdict).phase(phase)
                .detail(detail).policyReason(policyReason).greeting(greeting).ehlo(ehlo).capabilities(capabilities)
                .tls(tls).lastReply(lastReply).failure(failure).startedAt(startedAt).elapsed(elapsed)
                .timings(timings).transcript(transcript).auth(auth).recipients(recipients).knownReply(knownReply)
                .ehloName(ehloName);
    }

    /** {@return the host name tried (an MX target, or the host given), or the address literal} */
    public String host() {
        return host;
    }

    /** {@return the address and port connected to} */
    public InetSocketAddress remote() {
        return remote;
    }

    /** {@return the local address and port the kernel chose, or {@code null} when no connection was made} */
    public @Nullable InetSocketAddress local() {
        return local;
    }

    /** {@return the TLS mode of this attempt} */
    public TlsMode tlsMode() {
        return tlsMode;
    }

    /** {@return what this attempt concluded} */
    public Verdict verdict() {
        return verdict;
    }

    /** {@return the phase in which it was decided} */
    public Phase phase() {
        return phase;
    }

    /**
     * A precise, human description of what happened (e.g. which certificate check failed); printable
     * ({@link PrintableText#escape}) and at most {@value dev.smtpprobe.internal.Texts#MAX_DETAIL} characters plus a
     * {@code "... N more bytes"} marker.
     *
     * @return the printable, bounded description of the outcome
     */
    public String detail() {
        return detail;
    }

    /** {@return why the server rejected, for rejections; otherwise {@code null}} */
    public @Nullable PolicyReason policyReason() {
        return policyReason;
    }

    /** {@return the 220 banner (or the rejection sent instead), or {@code null} when none arrived} */
    public @Nullable SmtpReply greeting() {
        return greeting;
    }

    /** {@return the last EHLO reply, or {@code null}} */
    public @Nullable SmtpReply ehlo() {
        return ehlo;
    }

    /** {@return what the last EHLO reply advertised ({@link Capabilities#NONE} when unknown)} */
    public Capabilities capabilities() {
        return capabilities;
    }

    /** {@return the TLS facts, or {@code null} when TLS was not used} */
    public @Nullable TlsInfo tls() {
        return tls;
    }

    /**
     * The last complete reply received before the verdict (the reply to QUIT is only in the transcript), or
     * {@code null}.
     *
     * @return the last complete reply before the verdict, or {@code null} when none came
     */
    public @Nullable SmtpReply lastReply() {
        return lastReply;
    }

    /** {@return the underlying error, or {@code null}} */
    public @Nullable FailureInfo failure() {
        return failure;
    }

    /** {@return when the attempt started (UTC)} */
    public Instant startedAt() {
        return startedAt;
    }

    /** {@return how long the attempt took} */
    public Duration elapsed() {
        return elapsed;
    }

    /** {@return the duration of each phase reached, in phase order} */
    public Map<Phase, Duration> timings() {
        return timings;
    }

    /** {@return the redacted transcript of this attempt} */
    public List<TranscriptLine> transcript() {
        return transcript;
    }

    /**
     * How authentication went, or {@code null} when no credentials were configured or the attempt ended before
     * AUTH.
     *
     * @return the outcome of AUTH, or {@code null}
     */
    public @Nullable AuthResult auth() {
        return auth;
    }

    /**
     * How the server answered each recipient of the envelope, in order; empty when no envelope was configured
     * (recipients not reached are {@link RecipientResult.Status#NOT_TRIED}).
     *
     * @return one result per envelope recipient, in order; possibly empty
     */
    public List<RecipientResult> recipients() {
        return recipients;
    }

    /** {@return what the table of known replies says about the rejection that decided this attempt, if it knows it} */
    public Optional<KnownReply> knownReply() {
        return Optional.ofNullable(knownReply);
    }

    /** {@return the name this attempt gave in EHLO (or HELO), if it got that far} */
    public Optional<String> ehloName() {
        return Optional.ofNullable(ehloName);
    }

    /** {@return whether this attempt's verdict is {@link Verdict#OK}} */
    public boolean isOk() {
        return verdict.isOk();
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Attempt a && host.equals(a.host) && remote.equals(a.remote)
                && Objects.equals(local, a.local) && tlsMode == a.tlsMode && verdict == a.verdict && phase == a.phase
                && detail.equals(a.detail) && policyReason == a.policyReason && Objects.equals(greeting, a.greeting)
                && Objects.equals(ehlo, a.ehlo) && capabilities.equals(a.capabilities) && Objects.equals(tls, a.tls)
                && Objects.equals(lastReply, a.lastReply) && Objects.equals(failure, a.failure)
                && startedAt.equals(a.startedAt) && elapsed.equals(a.elapsed) && timings.equals(a.timings)
                && transcript.equals(a.transcript) && Objects.equals(auth, a.auth) && recipients.equals(a.recipients)
                && Objects.equals(knownReply, a.knownReply) && Objects.equals(ehloName, a.ehloName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, remote, local, tlsMode, verdict, phase, detail, policyReason, greeting, ehlo,
                capabilities, tls, lastReply, failure, startedAt, elapsed, timings, transcript, auth, recipients,
                knownReply, ehloName);
    }

    /** {@code "mx.example.net [192.0.2.1]:587 STARTTLS -> OK"}. */
    @Override
    public String toString() {
        return host + " [" + remote.getAddress().getHostAddress() + "]:" + remote.getPort() + " " + tlsMode
                + " -> " + verdict + " at " + phase + (detail.isEmpty() ? "" : " (" + detail + ")");
    }

    /**
     * Builds an {@link Attempt}. {@link #build()} requires {@link #host}, {@link #remote}, {@link #tlsMode},
     * {@link #verdict}, {@link #phase}, {@link #startedAt} and {@link #elapsed}; everything else has a default: no
     * detail ({@code ""}), {@link Capabilities#NONE}, no timings, no transcript, no recipients, and {@code null} for
     * the optional values. A setter given {@code null} for a value that cannot be null throws
     * {@link IllegalArgumentException} naming it; {@link #build()} throws {@link IllegalStateException} naming a
     * required value not set. Not threadsafe; a builder can build several attempts.
     */
    public static final class Builder {
        private String host;
        private InetSocketAddress remote;
        private InetSocketAddress local;
        private TlsMode tlsMode;
        private Verdict verdict;
        private Phase phase;
        private String detail = "";
        private PolicyReason policyReason;
        private SmtpReply greeting;
        private SmtpReply ehlo;
        private Capabilities capabilities = Capabilities.NONE;
        private TlsInfo tls;
        private SmtpReply lastReply;
        private FailureInfo failure;
        private Instant startedAt;
        private Duration elapsed;
        private Map<Phase, Duration> timings = Map.of();
        private List<TranscriptLine> transcript = List.of();
        private AuthResult auth;
        private List<RecipientResult> recipients = List.of();
        private KnownReply knownReply;
        private String ehloName;

        private Builder() {
        }

        /**
         * See {@link Attempt#host()}.
         *
         * @param host the host name tried (an MX target, or the host given), or the address literal
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Arguments.requireNonNull(host, "host");
            return this;
        }

        /**
         * See {@link Attempt#remote()}.
         *
         * @param remote the address and port connected to
         * @return this builder
         */
        public Builder remote(InetSocketAddress remote) {
            this.remote = Arguments.requireNonNull(remote, "remote");
            return this;
        }

        /**
         * See {@link Attempt#local()}; may be {@code null}.
         *
         * @param local the local address and port the kernel chose, or {@code null} when no connection was made
         * @return this builder
         */
        public Builder local(@Nullable InetSocketAddress local) {
            this.local = local;
            return this;
        }

        /**
         * See {@link Attempt#tlsMode()}.
         *
         * @param tlsMode the TLS mode of this attempt
         * @return this builder
         */
        public Builder tlsMode(TlsMode tlsMode) {
            this.tlsMode = Arguments.requireNonNull(tlsMode, "tlsMode");
            return this;
        }

        /**
         * See {@link Attempt#verdict()}.
         *
         * @param verdict what this attempt concluded
         * @return this builder
         */
        public Builder verdict(Verdict verdict) {
            this.verdict = Arguments.requireNonNull(verdict, "verdict");
            return this;
        }

        /**
         * See {@link Attempt#phase()}.
         *
         * @param phase the phase in which it was decided
         * @return this builder
         */
        public Builder phase(Phase phase) {
            this.phase = Arguments.requireNonNull(phase, "phase");
            return this;
        }

        /**
         * See {@link Attempt#detail()}; made printable and bounded by {@link #build()}.
         *
         * @param detail a human description of what happened; escaped and truncated by {@link #build()}
         * @return this builder
         */
        public Builder detail(String detail) {
            this.detail = Arguments.requireNonNull(detail, "detail");
            return this;
        }

        /**
         * See {@link Attempt#policyReason()}; may be {@code null}.
         *
         * @param policyReason why the server rejected, for rejections; otherwise {@code null}
         * @return this builder
         */
        public Builder policyReason(@Nullable PolicyReason policyReason) {
            this.policyReason = policyReason;
            return this;
        }

        /**
         * See {@link Attempt#greeting()}; may be {@code null}.
         *
         * @param greeting the 220 banner (or the rejection sent instead), or {@code null} when none arrived
         * @return this builder
         */
        public Builder greeting(@Nullable SmtpReply greeting) {
            this.greeting = greeting;
            return this;
        }

        /**
         * See {@link Attempt#ehlo()}; may be {@code null}.
         *
         * @param ehlo the last EHLO reply, or {@code null}
         * @return this builder
         */
        public Builder ehlo(@Nullable SmtpReply ehlo) {
            this.ehlo = ehlo;
            return this;
        }

        /**
         * See {@link Attempt#capabilities()}.
         *
         * @param capabilities what the last EHLO reply advertised ({@link Capabilities#NONE} when unknown)
         * @return this builder
         */
        public Builder capabilities(Capabilities capabilities) {
            this.capabilities = Arguments.requireNonNull(capabilities, "capabilities");
            return this;
        }

        /**
         * See {@link Attempt#tls()}; may be {@code null}.
         *
         * @param tls the TLS facts, or {@code null} when TLS was not used
         * @return this builder
         */
        public Builder tls(@Nullable TlsInfo tls) {
            this.tls = tls;
            return this;
        }

        /**
         * See {@link Attempt#lastReply()}; may be {@code null}.
         *
         * @param lastReply the last complete reply received before the verdict, or {@code null}
         * @return this builder
         */
        public Builder lastReply(@Nullable SmtpReply lastReply) {
            this.lastReply = lastReply;
            return this;
        }

        /**
         * See {@link Attempt#failure()}; may be {@code null}.
         *
         * @param failure the underlying error, or {@code null}
         * @return this builder
         */
        public Builder failure(@Nullable FailureInfo failure) {
            this.failure = failure;
            return this;
        }

        /**
         * See {@link Attempt#startedAt()}.
         *
         * @param startedAt when the attempt started (UTC)
         * @return this builder
         */
        public Builder startedAt(Instant startedAt) {
            this.startedAt = Arguments.requireNonNull(startedAt, "startedAt");
            return this;
        }

        /**
         * See {@link Attempt#elapsed()}.
         *
         * @param elapsed how long the attempt took
         * @return this builder
         */
        public Builder elapsed(Duration elapsed) {
            this.elapsed = Arguments.requireNonNull(elapsed, "elapsed");
            return this;
        }

        /**
         * See {@link Attempt#timings()}; copied in phase order by {@link #build()}.
         *
         * @param timings the duration of each phase reached, in phase order
         * @return this builder
         */
        public Builder timings(Map<Phase, Duration> timings) {
            this.timings = Arguments.requireNonNull(timings, "timings");
            return this;
        }

        /**
         * See {@link Attempt#transcript()}; copied by {@link #build()}.
         *
         * @param transcript the redacted transcript of this attempt
         * @return this builder
         */
        public Builder transcript(List<TranscriptLine> transcript) {
            this.transcript = Arguments.requireNonNull(transcript, "transcript");
            return this;
        }

        /**
         * See {@link Attempt#auth()}; may be {@code null}.
         *
         * @param auth how authentication went, or {@code null}
         * @return this builder
         */
        public Builder auth(@Nullable AuthResult auth) {
            this.auth = auth;
            return this;
        }

        /**
         * See {@link Attempt#knownReply()}; may be {@code null}.
         *
         * @param knownReply what the table of known replies says about the rejection that decided this attempt, if it
         *     knows it
         * @return this builder
         */
        public Builder knownReply(@Nullable KnownReply knownReply) {
            this.knownReply = knownReply;
            return this;
        }

        /**
         * See {@link Attempt#ehloName()}; may be {@code null}.
         *
         * @param ehloName the name this attempt gave in EHLO (or HELO), if it got that far
         * @return this builder
         */
        public Builder ehloName(@Nullable String ehloName) {
            this.ehloName = ehloName;
            return this;
        }

        /**
         * See {@link Attempt#recipients()}; copied by {@link #build()}.
         *
         * @param recipients how the server answered each recipient, in envelope order
         * @return this builder
         */
        public Builder recipients(List<RecipientResult> recipients) {
            this.recipients = Arguments.requireNonNull(recipients, "recipients");
            return this;
        }

        /**
         * The attempt.
         *
         * @return a new immutable attempt with the values set
         * @throws IllegalStateException when a required value is not set
         */
        public Attempt build() {
            return new Attempt(this);
        }
    }
}
