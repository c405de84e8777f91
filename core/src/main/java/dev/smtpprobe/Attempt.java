package dev.smtpprobe;

import dev.smtpprobe.internal.Texts;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One connection attempt: one host, one address, one port, one TLS mode, with all the evidence it produced.
 * A probe of a single endpoint has one attempt; an MX probe or a port sweep has one per address and port
 * (a TLS-mode confirmation adds one more).
 *
 * @param host         the host name tried (an MX target, or the host given), or the address literal
 * @param remote       the address and port connected to
 * @param local        the local address and port the kernel chose, or {@code null} when no connection was made
 * @param tlsMode      the TLS mode of this attempt
 * @param verdict      what this attempt concluded
 * @param phase        the phase in which it was decided
 * @param detail       a precise, human description of what happened (e.g. which certificate check failed);
 *                     printable ({@link PrintableText#escape}) and at most
 *                     {@value dev.smtpprobe.internal.Texts#MAX_DETAIL} characters plus a {@code "... N more bytes"}
 *                     marker
 * @param policyReason why the server rejected, for rejections; otherwise {@code null}
 * @param greeting     the 220 banner (or the rejection sent instead), or {@code null} when none arrived
 * @param ehlo         the last EHLO reply, or {@code null}
 * @param capabilities what the last EHLO reply advertised ({@link Capabilities#NONE} when unknown)
 * @param tls          the TLS facts, or {@code null} when TLS was not used
 * @param lastReply    the last complete reply received before the verdict (the reply to QUIT is only in the
 *                     transcript), or {@code null}
 * @param failure      the underlying error, or {@code null}
 * @param startedAt    when the attempt started (UTC)
 * @param elapsed      how long the attempt took
 * @param timings      the duration of each phase reached, in phase order
 * @param transcript   the redacted transcript of this attempt
 * @param auth         how authentication went, or {@code null} when no credentials were configured or the attempt
 *                     ended before AUTH
 * @param recipients   how the server answered each recipient of the envelope, in order; empty when no envelope was
 *                     configured (recipients not reached are {@link RecipientResult.Status#NOT_TRIED})
 */
public record Attempt(String host, InetSocketAddress remote, InetSocketAddress local, TlsMode tlsMode,
                      Verdict verdict, Phase phase, String detail, PolicyReason policyReason,
                      SmtpReply greeting, SmtpReply ehlo, Capabilities capabilities, TlsInfo tls,
                      SmtpReply lastReply, FailureInfo failure, Instant startedAt, Duration elapsed,
                      Map<Phase, Duration> timings, List<TranscriptLine> transcript,
                      AuthResult auth, List<RecipientResult> recipients) {

    public Attempt {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(tlsMode, "tlsMode");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(phase, "phase");
        detail = Texts.printable(Objects.requireNonNull(detail, "detail"), Texts.MAX_DETAIL);
        Objects.requireNonNull(capabilities, "capabilities");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(elapsed, "elapsed");
        timings = Timings.copyOf(timings);
        transcript = List.copyOf(Objects.requireNonNull(transcript, "transcript"));
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
    }

    /** An attempt without authentication or envelope. */
    public Attempt(String host, InetSocketAddress remote, InetSocketAddress local, TlsMode tlsMode,
                   Verdict verdict, Phase phase, String detail, PolicyReason policyReason,
                   SmtpReply greeting, SmtpReply ehlo, Capabilities capabilities, TlsInfo tls,
                   SmtpReply lastReply, FailureInfo failure, Instant startedAt, Duration elapsed,
                   Map<Phase, Duration> timings, List<TranscriptLine> transcript) {
        this(host, remote, local, tlsMode, verdict, phase, detail, policyReason, greeting, ehlo, capabilities, tls,
                lastReply, failure, startedAt, elapsed, timings, transcript, null, List.of());
    }

    /** Whether this attempt's verdict is {@link Verdict#OK}. */
    public boolean isOk() {
        return verdict.isOk();
    }

    /** {@code "mx.example.net [192.0.2.1]:587 STARTTLS -> OK"}. */
    @Override
    public String toString() {
        return host + " [" + remote.getAddress().getHostAddress() + "]:" + remote.getPort() + " " + tlsMode
                + " -> " + verdict + " at " + phase + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
