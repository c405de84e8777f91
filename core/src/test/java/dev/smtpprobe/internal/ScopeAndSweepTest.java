package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.HintCode;
import dev.smtpprobe.Phase;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.ScopeSummary;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scope rule and the port-25 inference, as pure code over results and attempts. */
class ScopeAndSweepTest {

    private static ProbeResult result(String target, Verdict verdict) {
        return ProbeResult.builder().target(target).ports(List.of(25)).verdict(verdict).phase(Phase.CONNECT)
                .startedAt(Instant.EPOCH).elapsed(Duration.ZERO).build();
    }

    private static Attempt attempt(String host, int port, Verdict verdict, boolean connected) throws Exception {
        InetSocketAddress remote = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), port);
        InetSocketAddress local = connected ? new InetSocketAddress(InetAddress.getByName("198.51.100.7"), 40000) : null;
        return Attempt.builder().host(host).remote(remote).local(local).tlsMode(TlsMode.STARTTLS).verdict(verdict)
                .phase(connected ? Phase.EHLO : Phase.CONNECT).startedAt(Instant.EPOCH).elapsed(Duration.ZERO)
                .build();
    }

    @Test
    void allOk() {
        ScopeSummary s = Scope.summarise(List.of(result("a.example", Verdict.OK), result("b.example", Verdict.OK)));

        assertThat(s.scope()).isEqualTo(ScopeSummary.Scope.ALL_OK);
        assertThat(s.working()).containsExactly("a.example", "b.example");
    }

    @Test
    void allFailingOnThePathIsTheSenderSide() {
        ScopeSummary s = Scope.summarise(List.of(result("a.example", Verdict.CONNECTION_TIMED_OUT),
                result("b.example", Verdict.CONNECTION_TIMED_OUT), result("c.example", Verdict.DNS_NULL_MX)));

        assertThat(s.scope()).isEqualTo(ScopeSummary.Scope.SENDER_SIDE);
        assertThat(s.failing()).containsExactly("a.example: CONNECTION_TIMED_OUT", "b.example: CONNECTION_TIMED_OUT",
                "c.example: DNS_NULL_MX");
        assertThat(s.message()).contains("your side").contains("or your provider");
        assertThat(s.hint().code()).isEqualTo(HintCode.SCOPE);
        assertThat(s.hint().evidence()).containsExactly("fails: a.example: CONNECTION_TIMED_OUT",
                "fails: b.example: CONNECTION_TIMED_OUT", "fails: c.example: DNS_NULL_MX");
    }

    @Test
    void someFailingIsTheRecipientsSide() {
        ScopeSummary s = Scope.summarise(List.of(result("a.example", Verdict.OK),
                result("b.example", Verdict.CONNECTION_REFUSED)));

        assertThat(s.scope()).isEqualTo(ScopeSummary.Scope.RECIPIENT_SIDE);
        assertThat(s.failing()).containsExactly("b.example: CONNECTION_REFUSED");
        assertThat(s.message()).startsWith("These fail: b.example: CONNECTION_REFUSED; Others work (a.example)");
    }

    @Test
    void failuresThatAreTheRecipientsOwnDnsDataAreTheirSideEvenWhenAllFail() {
        ScopeSummary s = Scope.summarise(List.of(result("gone.example", Verdict.DNS_NO_SUCH_DOMAIN),
                result("nomail.example", Verdict.DNS_NULL_MX)));

        assertThat(s.scope()).isEqualTo(ScopeSummary.Scope.RECIPIENT_SIDE);
        assertThat(s.message()).contains("no change on your side fixes");
    }

    @Test
    void oneFailingTargetCannotTell() {
        ScopeSummary s = Scope.summarise(List.of(result("a.example", Verdict.CONNECTION_TIMED_OUT)));

        assertThat(s.scope()).isEqualTo(ScopeSummary.Scope.UNDETERMINED);
        assertThat(s.message()).contains("probe a few unrelated domains");
    }

    @Test
    void portVerdictsIgnoreTheConfirmationOfATlsModeMismatch() throws Exception {
        Attempt mismatch = attempt("mx.example", 465, Verdict.TLS_MODE_MISMATCH, true);
        InetSocketAddress remote = mismatch.remote();
        Attempt confirmation = Attempt.builder().host("mx.example").remote(remote).local(mismatch.local())
                .tlsMode(TlsMode.IMPLICIT).verdict(Verdict.OK).phase(Phase.QUIT).startedAt(Instant.EPOCH)
                .elapsed(Duration.ZERO).build();
        Attempt on25 = attempt("mx.example", 25, Verdict.OK, true);
        ProbeResult r = ProbeResult.builder().target("example.com").ports(List.of(25, 465)).verdict(Verdict.OK)
                .phase(Phase.QUIT).startedAt(Instant.EPOCH).elapsed(Duration.ZERO)
                .attempts(List.of(on25, mismatch, confirmation)).build();

        assertThat(r.portVerdicts()).containsExactly(Map.entry(25, Verdict.OK), Map.entry(465, Verdict.TLS_MODE_MISMATCH));
    }

    @Test
    void port25BlockedNeedsEvery25AttemptTimedOutAndAnotherPortOfTheSameHostConnected() throws Exception {
        Attempt timedOut = attempt("mx.example", 25, Verdict.CONNECTION_TIMED_OUT, false);
        Attempt submission = attempt("mx.example", 587, Verdict.AUTH_FAILED, true);

        assertThat(Sweep.port25Blocked(List.of(timedOut, submission))).hasValueSatisfying(h -> {
            assertThat(h.code()).isEqualTo(HintCode.PORT_25_BLOCKED);
            assertThat(h.evidence()).containsExactly("port 25 of mx.example [192.0.2.1] timed out (no answer to the SYN)",
                    "port 587 of mx.example [192.0.2.1] connected -> AUTH_FAILED");
        });
        // Refused is not blocked: something answered.
        assertThat(Sweep.port25Blocked(List.of(attempt("mx.example", 25, Verdict.CONNECTION_REFUSED, false), submission)))
                .isEmpty();
        // 25 answered on one address: the path is open.
        assertThat(Sweep.port25Blocked(List.of(timedOut, attempt("mx.example", 25, Verdict.OK, true), submission)))
                .isEmpty();
        // The other port did not connect either: the whole host may be down.
        assertThat(Sweep.port25Blocked(List.of(timedOut, attempt("mx.example", 587, Verdict.CONNECTION_TIMED_OUT, false))))
                .isEmpty();
        // Another host's submission port says nothing about this host's port 25.
        assertThat(Sweep.port25Blocked(List.of(timedOut, attempt("relay.example", 587, Verdict.OK, true)))).isEmpty();
    }
}
