package dev.smtpprobe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmtpProbeTest {

    @Test
    void invalidArgumentsFailAtOnceNamingTheArgument() {
        assertThatThrownBy(() -> SmtpProbe.to(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host");
        assertThatThrownBy(() -> SmtpProbe.to(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host");
        var b = SmtpProbe.to("mx.example.net");
        assertThatThrownBy(() -> b.port(0)).hasMessageContaining("port");
        assertThatThrownBy(() -> b.port(65536)).hasMessageContaining("port");
        assertThatThrownBy(() -> b.connectTimeout(Duration.ZERO)).hasMessageContaining("connectTimeout");
        assertThatThrownBy(() -> b.greetingTimeout(Duration.ofMillis(-1))).hasMessageContaining("greetingTimeout");
        assertThatThrownBy(() -> b.replyTimeout(null)).hasMessageContaining("replyTimeout");
        assertThatThrownBy(() -> b.deadline(Duration.ofDays(2))).hasMessageContaining("deadline");
        assertThatThrownBy(() -> b.connectTimeout(0, TimeUnit.SECONDS)).hasMessageContaining("connectTimeout");
        assertThatThrownBy(() -> b.ehloName("has space")).hasMessageContaining("ehloName");
        assertThatThrownBy(() -> b.sourceAddress("not an address")).hasMessageContaining("sourceAddress");
        assertThatThrownBy(() -> b.tls(null)).hasMessageContaining("tls");
    }

    @Test
    void unreadableTrustFileIsRejectedNamingIt(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> SmtpProbe.to("mx").trustedCertificates(missing))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trustedCertificates").hasMessageContaining("missing.pem");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate");
        assertThatThrownBy(() -> SmtpProbe.to("mx").trustedCertificates(empty))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trustedCertificates");
    }

    @Test
    void defaultsAreBoundedAndTlsModeFollowsThePort() {
        SmtpProbe p = SmtpProbe.to("mx.example.net").build();
        assertThat(p.port()).isEqualTo(25);
        assertThat(p.tlsMode()).isEqualTo(TlsMode.STARTTLS);
        assertThat(p.connectTimeout()).isEqualTo(SmtpProbe.DEFAULT_CONNECT_TIMEOUT);
        assertThat(p.deadline()).isEqualTo(SmtpProbe.DEFAULT_DEADLINE);
        assertThat(SmtpProbe.to("mx").port(465).build().tlsMode()).isEqualTo(TlsMode.IMPLICIT);
        assertThat(SmtpProbe.to("mx").port(465).tls(TlsMode.NONE).build().tlsMode()).isEqualTo(TlsMode.NONE);
    }

    @Test
    void builtProbeDoesNotChangeWhenTheBuilderDoes() {
        SmtpProbe.Builder b = SmtpProbe.to("mx").port(587);
        SmtpProbe built = b.build();
        b.port(2525).greetingTimeout(Duration.ofSeconds(1));
        assertThat(built.port()).isEqualTo(587);
        assertThat(built.greetingTimeout()).isEqualTo(SmtpProbe.DEFAULT_GREETING_TIMEOUT);
    }

    @Test
    void withoutATransportRunFailsAtOnceNamingTheArtifact() {
        // core's own tests have no transport on the class path.
        assertThatThrownBy(() -> SmtpProbe.to("127.0.0.1").run())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("smtp-probe-netty");
    }
}
