package dev.smtpprobe.netty.verdicts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.Hint;
import dev.smtpprobe.HintCode;
import dev.smtpprobe.Layer;
import dev.smtpprobe.Phase;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.Effect;
import dev.smtpprobe.testkit.RecordedConnection;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.ServerCertificate;
import dev.smtpprobe.testkit.ServerTls;
import dev.smtpprobe.testkit.TestCertificates;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The TLS layer: mode mismatches, STARTTLS refused, handshake failures and certificate problems. */
class TlsVerdictsTest extends VerdictTestSupport {

    private static Script startTlsWith(ServerTls tls) {
        return Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "PIPELINING", "STARTTLS").onStartTls(tls);
    }

    // ---- TLS_MODE_MISMATCH ----------------------------------------------------------------------------------

    @Test
    void implicitTlsToAPlainPortIsModeMismatch() {
        serve(Script.greeting("220 mx.test ESMTP"));

        ProbeResult result = probe(TlsMode.IMPLICIT).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.TLS_MODE_MISMATCH);
        assertThat(result.layer()).isEqualTo(Layer.TLS);
        assertThat(result.phase()).isEqualTo(Phase.CONNECT);
        assertThat(result.detail()).contains("plain-text SMTP banner").contains("220 mx.test ESMTP");
        assertThat(result.hints()).extracting(Hint::code).contains(HintCode.TLS_MODE_FOR_PORT);
        RecordedConnection connection = onlyConnection();
        assertAddresses(result, connection);
        assertThat(connection.rawLines()).isNotEmpty();
        assertThat(connection.rawLines().get(0)[0]).as("the server received a TLS hello").isEqualTo((byte) 0x16);
    }

    /**
     * An implicit-TLS port whose certificate is self-signed, probed in plain text: the confirmation's handshake shows
     * the certificate (and fails on it), which proves the port speaks TLS. The headline is the mode mismatch, with
     * the certificate caveat (before, it stayed GREETING_TIMEOUT).
     */
    @Test
    void plainTextToAnImplicitTlsPortWithAnInvalidCertificateIsModeMismatchWithTheCaveat() {
        serve(Script.greeting("220 mx.test ESMTP").tlsOnConnect(CERTS.selfSigned().tls()));

        ProbeResult result = probe(TlsMode.STARTTLS).greetingTimeout(FIRES).run();

        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.TLS_MODE_MISMATCH);
        assertThat(result.attempts()).hasSize(2);
        Attempt confirmation = result.attempts().get(1);
        assertThat(confirmation.tlsMode()).isEqualTo(TlsMode.IMPLICIT);
        assertThat(confirmation.verdict()).isEqualTo(Verdict.CERTIFICATE_INVALID);
        assertThat(confirmation.greeting()).isNull();
        assertThat(result.decidingAttempt()).isSameAs(result.attempts().get(0));
        assertThat(result.detail()).contains("speaks implicit TLS", "showed the server's certificate",
                "Caveat", confirmation.detail());
        assertThat(result.summary()).contains("TLS_MODE_MISMATCH").contains("Caveat");
        assertThat(result.hints()).extracting(Hint::code).contains(HintCode.TLS_MODE_FOR_PORT);
        assertThat(server.connectionCount()).isEqualTo(2);
    }

    /**
     * The confirmation is evidence only: with credentials and an envelope configured, its implicit-TLS session says
     * EHLO and QUIT, nothing more (before, it ran AUTH with the credentials and MAIL/RCPT on the confirmation).
     */
    @Test
    void theImplicitTlsConfirmationSendsNoCredentialsAndNoEnvelope() {
        serve(Script.greeting("220 mx.test ESMTP").tlsOnConnect(CERTS.valid().tls()).ehlo("mx.test", "AUTH PLAIN")
                .onAuth("235 2.7.0 ok"));

        ProbeResult result = probe(TlsMode.STARTTLS).greetingTimeout(FIRES).auth("alice@example.net", "s3cret".toCharArray())
                .envelope("sender@example.net", "rcpt@example.org").run();

        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.TLS_MODE_MISMATCH);
        assertThat(result.attempts()).hasSize(2);
        assertThat(result.attempts().get(1).auth()).isNull();
        RecordedConnection confirmation = server.connections().get(1);
        assertThat(confirmation.awaitClosed(WAIT)).isTrue();
        assertThat(confirmation.commands()).containsExactly("EHLO " + EHLO_NAME, "QUIT");
    }

    @Test
    void plainTextToAnImplicitTlsPortIsModeMismatchConfirmedBySecondAttempt() {
        serve(Script.greeting("220 mx.test ESMTP").tlsOnConnect(CERTS.valid().tls()));

        // The plain banner's timer fires; the confirmation's handshake and banner are answers that come.
        ProbeResult result = probe(TlsMode.STARTTLS).greetingTimeout(FIRES).run();

        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.TLS_MODE_MISMATCH);
        assertThat(result.layer()).isEqualTo(Layer.TLS);
        assertThat(result.detail()).contains("implicit TLS");
        assertThat(result.hints()).extracting(Hint::code).contains(HintCode.TLS_MODE_FOR_PORT);
        assertThat(result.attempts()).hasSize(2);
        Attempt plain = result.attempts().get(0);
        Attempt confirmation = result.attempts().get(1);
        assertThat(plain.tlsMode()).isEqualTo(TlsMode.STARTTLS);
        assertThat(plain.verdict()).isEqualTo(Verdict.TLS_MODE_MISMATCH);
        assertThat(plain.greeting()).isNull();
        assertThat(confirmation.tlsMode()).isEqualTo(TlsMode.IMPLICIT);
        assertThat(confirmation.tls()).isNotNull();
        assertThat(confirmation.greeting().code()).isEqualTo(220);
        assertThat(result.decidingAttempt()).isSameAs(plain);
        assertThat(result.elapsed()).isLessThan(FIRES.plus(ANSWER));

        assertThat(server.connectionCount()).isEqualTo(2);
        RecordedConnection first = server.connections().get(0);
        RecordedConnection second = server.connections().get(1);
        assertThat(first.awaitClosed(WAIT)).isTrue();
        assertThat(first.tlsFailure()).as("plain text never completed the server's handshake").isPresent();
        assertThat(second.awaitClosed(WAIT)).isTrue();
        assertThat(second.tlsProtocol()).isPresent();
    }

    // ---- STARTTLS_UNAVAILABLE -------------------------------------------------------------------------------

    @Test
    void startTlsRequiredButNotAdvertised() {
        serve(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "PIPELINING", "AUTH PLAIN"));

        ProbeResult result = probe(TlsMode.STARTTLS_REQUIRED).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.STARTTLS_UNAVAILABLE);
        assertThat(result.layer()).isEqualTo(Layer.TLS);
        assertThat(result.phase()).isEqualTo(Phase.STARTTLS);
        assertThat(result.detail()).contains("does not advertise");
        assertThat(result.capabilities().startTls()).isFalse();
        assertThat(result.capabilities().authMechanisms()).containsExactly("PLAIN");
        RecordedConnection connection = onlyConnection();
        assertAddresses(result, connection);
        assertThat(connection.commands()).containsExactly("EHLO " + EHLO_NAME, "QUIT");
    }

    @Test
    void startTlsRefusedWith454() {
        serve(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "STARTTLS")
                .on("STARTTLS", "454 4.7.0 TLS not available due to local problem"));

        ProbeResult result = probe(TlsMode.STARTTLS).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.STARTTLS_UNAVAILABLE);
        assertThat(result.phase()).isEqualTo(Phase.STARTTLS);
        assertThat(result.detail()).contains("454");
        assertThat(result.lastReply().code()).isEqualTo(454);
        RecordedConnection connection = onlyConnection();
        assertThat(connection.commands()).containsExactly("EHLO " + EHLO_NAME, "STARTTLS", "QUIT");
        assertThat(connection.tlsProtocol()).isEmpty();
    }

    @Test
    void rejectionOfEhloAfterTlsIsDecidedAtStartTls() {
        serve(startTlsWith(CERTS.valid().tls()).onAfterTls("EHLO", "554 5.7.1 Client host rejected: Access denied"));

        ProbeResult result = probe(TlsMode.STARTTLS).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
        assertThat(result.phase()).isEqualTo(Phase.STARTTLS);
        assertThat(result.lastReply().code()).isEqualTo(554);
        assertThat(result.tls()).as("TLS itself worked").isNotNull();
        RecordedConnection connection = onlyConnection();
        assertThat(connection.commands()).startsWith("EHLO " + EHLO_NAME, "STARTTLS", "EHLO " + EHLO_NAME);
        assertThat(result.tls().protocol()).isEqualTo(connection.tlsProtocol().orElseThrow());
    }

    // ---- TLS_HANDSHAKE_FAILED -------------------------------------------------------------------------------

    @Test
    void garbageAfterReadyIsHandshakeFailure() {
        serve(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "STARTTLS")
                .on("STARTTLS", Effect.reply("220 2.0.0 Ready to start TLS"), Effect.awaitTlsHello(),
                        Effect.garbage(64), Effect.STALL));

        ProbeResult result = probe(TlsMode.STARTTLS).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.TLS_HANDSHAKE_FAILED);
        assertThat(result.layer()).isEqualTo(Layer.TLS);
        assertThat(result.phase()).isEqualTo(Phase.STARTTLS);
        assertThat(result.detail()).contains("non-TLS bytes");
        assertThat(result.failure()).isNotNull();
        assertThat(result.timings().get(Phase.STARTTLS)).as("recognised at once, not by a timer")
                .isLessThan(ANSWER);
        RecordedConnection connection = onlyConnection();
        assertAddresses(result, connection);
        assertThat(connection.commands()).startsWith("EHLO " + EHLO_NAME, "STARTTLS");
    }

    @Test
    void bytesThatLookLikeAnSsl2HeaderEndAtTheHandshakeTimerOrAtOnce() {
        // 0x80 | length: Netty's reader takes it for an SSLv2 record of ~16 KB and waits for the rest, which never
        // comes; the JDK's TLS socket (the path run() takes) knows at once that no TLS 1.x server answers so.
        serve(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "STARTTLS")
                .on("STARTTLS", Effect.reply("220 2.0.0 Ready to start TLS"),
                        Effect.awaitTlsHello(),
                        Effect.raw(new byte[] {(byte) 0xBB, (byte) 0x92, 0x01, 0x02, 0x03, 0x04}), Effect.STALL));

        ProbeResult result = probe(TlsMode.STARTTLS).replyTimeout(FIRES).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.TLS_HANDSHAKE_FAILED);
        assertThat(result.phase()).isEqualTo(Phase.STARTTLS);
        if (onEventLoops()) {
            assertThat(result.detail()).contains("no answer during the TLS handshake");
            assertEndedByTimer(result, FIRES);
        } else {
            assertThat(result.detail()).contains("non-TLS bytes during the TLS handshake");
            assertThat(result.timings().get(Phase.STARTTLS)).as("recognised at once, not by a timer")
                    .isLessThan(FIRES);
        }
        onlyConnection();
    }

    @Test
    void bytesRightAfterReadyAreDiscardedAndTheHandshakeTimesOut() {
        // Sent with the 220, before the probe starts TLS: a careful client drops them (STARTTLS injection).
        serve(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "STARTTLS")
                .on("STARTTLS", Effect.raw("220 2.0.0 Ready to start TLS\r\n250 injected\r\n"), Effect.STALL));

        ProbeResult result = probe(TlsMode.STARTTLS).replyTimeout(FIRES).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.TLS_HANDSHAKE_FAILED);
        assertThat(received(result)).doesNotContain("250 injected");
        assertEndedByTimer(result, FIRES);
        RecordedConnection connection = onlyConnection();
        assertThat(connection.commands()).startsWith("EHLO " + EHLO_NAME, "STARTTLS");
        assertThat(connection.rawLines().get(2)[0]).as("the probe went on with its TLS hello").isEqualTo((byte) 0x16);
    }

    @Test
    void serverClosingMidHandshakeIsHandshakeFailure() {
        serve(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "STARTTLS")
                .on("STARTTLS", Effect.reply("220 2.0.0 Ready to start TLS"),
                        Effect.abortTlsHandshake(CERTS.valid().tls())));

        ProbeResult result = probe(TlsMode.STARTTLS).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.TLS_HANDSHAKE_FAILED);
        assertThat(result.phase()).isEqualTo(Phase.STARTTLS);
        assertThat(result.detail()).contains("TLS handshake");
        assertDecidedBeforeTimers(result);
        assertAddresses(result, onlyConnection());
    }

    @Test
    void implicitTlsServerClosingMidHandshakeIsHandshakeFailure() {
        serve(Script.effect(Effect.abortTlsHandshake(CERTS.valid().tls())));

        ProbeResult result = probe(TlsMode.IMPLICIT).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.TLS_HANDSHAKE_FAILED);
        assertThat(result.phase()).isEqualTo(Phase.CONNECT);
        assertThat(result.detail()).contains("implicit TLS");
        assertDecidedBeforeTimers(result);
        onlyConnection();
    }

    @Test
    void noCommonProtocolOrCipherIsHandshakeFailure() {
        serve(startTlsWith(CERTS.noCommonCipher()));

        ProbeResult result = probe(TlsMode.STARTTLS).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.TLS_HANDSHAKE_FAILED);
        assertThat(result.phase()).isEqualTo(Phase.STARTTLS);
        assertThat(result.detail()).contains("handshake_failure");
        RecordedConnection connection = onlyConnection();
        assertThat(connection.tlsFailure()).as("the server found nothing in common").isPresent();
    }

    // ---- CERTIFICATE_INVALID --------------------------------------------------------------------------------

    @Test
    void expiredCertificate() {
        ProbeResult result = certificateProblem(CERTS.expired(), "expired");
        assertThat(result.tls().leaf().daysToExpiry()).isNegative();
    }

    @Test
    void notYetValidCertificate() {
        ProbeResult result = certificateProblem(CERTS.notYetValid(), "not yet valid");
        assertThat(result.tls().leaf().notBefore()).isAfter(java.time.Instant.now());
    }

    @Test
    void selfSignedCertificateIsUntrusted() {
        ProbeResult result = certificateProblem(CERTS.selfSigned(), "untrusted");
        assertThat(result.tls().leaf().issuer()).isEqualTo(result.tls().leaf().subject());
    }

    @Test
    void certificateFromAnotherCaIsUntrusted() {
        ProbeResult result = certificateProblem(TestCertificates.generate().valid(), "untrusted");
        assertThat(result.tls().leaf().issuer()).contains("smtp-probe test CA");
    }

    @Test
    void certificateForAnotherHostIsAHostnameMismatch() {
        ProbeResult result = certificateProblem(CERTS.wrongHost(), "hostname mismatch");
        assertThat(result.detail()).contains("127.0.0.1");
        assertThat(result.tls().leaf().subjectAlternativeNames()).containsExactly(TestCertificates.WRONG_HOST);
    }

    @Test
    void implicitTlsWithAnExpiredCertificate() {
        serve(Script.greeting("220 mx.test ESMTP").tlsOnConnect(CERTS.expired().tls()));

        ProbeResult result = probe(TlsMode.IMPLICIT).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.CERTIFICATE_INVALID);
        assertThat(result.phase()).isEqualTo(Phase.CONNECT);
        assertThat(result.detail()).startsWith("expired");
        onlyConnection();
    }

    /** STARTTLS to a server presenting this certificate; asserts the common evidence of a certificate problem. */
    private ProbeResult certificateProblem(ServerCertificate certificate, String kind) {
        serve(startTlsWith(certificate.tls()));

        ProbeResult result = probe(TlsMode.STARTTLS).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.CERTIFICATE_INVALID);
        assertThat(result.layer()).isEqualTo(Layer.TLS);
        assertThat(result.phase()).isEqualTo(Phase.STARTTLS);
        assertThat(result.detail()).as("the detail names which check failed").startsWith(kind);
        assertThat(result.policyReason()).isNull();
        assertThat(result.failure()).isNotNull();
        assertThat(result.tls()).as("the offered chain is evidence").isNotNull();
        assertThat(result.tls().leaf().serialNumber())
                .isEqualToIgnoringCase(certificate.certificate().getSerialNumber().toString(16));
        RecordedConnection connection = onlyConnection();
        assertAddresses(result, connection);
        assertThat(connection.commands()).startsWith("EHLO " + EHLO_NAME, "STARTTLS");
        assertThat(connection.tlsFailure()).as("the server saw the probe reject its certificate").isPresent();
        assertThat(connection.commands()).as("nothing is sent over an untrusted channel")
                .containsExactly("EHLO " + EHLO_NAME, "STARTTLS");
        return result;
    }

    @Test
    void defaultTrustStoreDoesNotTrustTheTestCa() {
        serve(startTlsWith(CERTS.valid().tls()));

        ProbeResult result = dev.smtpprobe.SmtpProbe.to("127.0.0.1").port(server.port()).tls(TlsMode.STARTTLS)
                .connectTimeout(ANSWER).greetingTimeout(ANSWER).replyTimeout(ANSWER)
                .deadline(DEADLINE).ehloName(EHLO_NAME).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.CERTIFICATE_INVALID);
        assertThat(result.detail()).startsWith("untrusted");
        assertThat(result.policyReason()).isNotEqualTo(PolicyReason.TLS_REQUIRED);
    }
}
