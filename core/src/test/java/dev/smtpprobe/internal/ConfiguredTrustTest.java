package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.testkit.ServerCertificate;
import dev.smtpprobe.testkit.TestCertificates;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Trust as a mail configuration grants it: every chain passes, and what the JDK would refuse is reported. */
class ConfiguredTrustTest {

    private static final TestCertificates CERTS = TestCertificates.shared();
    private final List<String> seen = new CopyOnWriteArrayList<>();

    private static X509Certificate[] chain(ServerCertificate c) {
        return c.chain().toArray(new X509Certificate[0]);
    }

    @Test
    void aChainOfAnUnknownCaPassesAndIsReportedAsUntrusted() {
        new ConfiguredTrust("localhost", true, seen::add, Clock.systemUTC()).checkServerTrusted(chain(CERTS.valid()), "ECDHE_ECDSA");

        assertThat(seen).singleElement().asString().contains("not trusted");
    }

    @Test
    void anExpiredCertificatePassesAndIsReportedWithItsDate() {
        new ConfiguredTrust("localhost", true, seen::add, Clock.systemUTC()).checkServerTrusted(chain(CERTS.expired()), "ECDHE_ECDSA");

        assertThat(seen).singleElement().asString().contains("expired");
    }

    @Test
    void aWrongHostIsReportedWhenTheProbeDoesNotCheckIt() {
        new ConfiguredTrust("localhost", false, seen::add, Clock.systemUTC()).checkServerTrusted(chain(CERTS.wrongHost()), "ECDHE_ECDSA");

        assertThat(seen).hasSize(2);
        assertThat(seen.get(1)).contains(TestCertificates.WRONG_HOST).contains("not localhost");
    }

    @Test
    void theHostIsLeftToTheProbeWhenItChecksIt() {
        new ConfiguredTrust("localhost", true, seen::add, Clock.systemUTC()).checkServerTrusted(chain(CERTS.wrongHost()), "ECDHE_ECDSA");

        assertThat(seen).singleElement().asString().doesNotContain("not localhost");
    }

    @Test
    void clientCertificatesAreNeverAccepted() {
        assertThatThrownBy(() -> new ConfiguredTrust("localhost", true, seen::add, Clock.systemUTC())
                .checkClientTrusted(chain(CERTS.valid()), "RSA")).isInstanceOf(CertificateException.class);
    }
}
