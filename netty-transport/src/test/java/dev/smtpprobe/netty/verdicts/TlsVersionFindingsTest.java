package dev.smtpprobe.netty.verdicts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.HintCode;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.netty.internal.socket.ClientEngines;
import dev.smtpprobe.spi.TlsParameters;
import dev.smtpprobe.testkit.Script;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

/**
 * The negotiated TLS version against {@code minTlsVersion}, through the real transport (STARTTLS and implicit TLS),
 * and the engines offering the versions core asks for rather than the JDK's default client versions.
 */
class TlsVersionFindingsTest extends VerdictTestSupport {

    /**
     * These tests assert findings, not timers: a first handshake on a cold event loop of a loaded machine may take
     * longer than the suite's short answer time, and must not fail them.
     */
    private static SmtpProbe.Builder patient(SmtpProbe.Builder b) {
        return b.greetingTimeout(Duration.ofSeconds(8)).replyTimeout(Duration.ofSeconds(8))
                .deadline(Duration.ofSeconds(20));
    }

    @Test
    void aTls12ServerIsAFindingUnderAMinimumOfTls13OverStartTls() {
        serve(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "STARTTLS").ehloAfterTls("mx.test")
                .onStartTls(CERTS.tls12Only()));

        ProbeResult result = patient(probe(TlsMode.STARTTLS_REQUIRED)).minTlsVersion("1.3").run();

        assertThat(result.verdict()).as(result.detail()).isEqualTo(Verdict.OK);
        assertThat(result.tls().protocol()).isEqualTo("TLSv1.2");
        assertThat(result.hints()).anySatisfy(h -> {
            assertThat(h.code()).isEqualTo(HintCode.TLS_VERSION_BELOW_MINIMUM);
            assertThat(h.message()).contains("TLS 1.2").contains("TLS 1.3");
        });
    }

    @Test
    void implicitTlsIsCheckedTooAndTheDefaultMinimumAcceptsTls12() {
        serve(Script.greeting("220 mx.test ESMTP").tlsOnConnect(CERTS.tls12Only()).ehlo("mx.test"));

        ProbeResult atDefault = patient(probe(TlsMode.IMPLICIT)).run();
        ProbeResult strict = patient(probe(TlsMode.IMPLICIT)).minTlsVersion("TLSv1.3").run();

        assertThat(atDefault.verdict()).as(atDefault.detail()).isEqualTo(Verdict.OK);
        assertThat(atDefault.hints()).noneMatch(h -> h.code() == HintCode.TLS_VERSION_BELOW_MINIMUM);
        assertThat(strict.verdict()).isEqualTo(Verdict.OK);
        assertThat(strict.hints()).anyMatch(h -> h.code() == HintCode.TLS_VERSION_BELOW_MINIMUM);
    }

    @Test
    void enginesOfferTheAskedVersionsOldOnesIncludedAndSkipUnsupportedNames() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        List<String> asked = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3", "TLSv9");
        SSLEngine engine = ClientEngines.configure(context.createSSLEngine("mx.test", ClientEngines.NO_PORT),
                new TlsParameters("mx.test", 25, CERTS.trustManager(), true, Duration.ofSeconds(1), asked));
        SSLEngine byDefault = ClientEngines.configure(context.createSSLEngine("mx.test", ClientEngines.NO_PORT),
                new TlsParameters("mx.test", 25, CERTS.trustManager(), true, Duration.ofSeconds(1)));

        assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
        assertThat(byDefault.getEnabledProtocols())
                .containsExactlyInAnyOrder(context.getDefaultSSLParameters().getProtocols());
    }
}
