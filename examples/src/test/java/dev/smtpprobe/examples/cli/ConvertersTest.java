package dev.smtpprobe.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.TlsMode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class ConvertersTest {

    private final Converters.Timeout timeout = new Converters.Timeout();
    private final Converters.Tls tls = new Converters.Tls();
    private final Converters.Port port = new Converters.Port();

    @Test
    void timeoutsInMillisecondsSecondsMinutesOrBareSeconds() {
        assertThat(timeout.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(timeout.convert("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(timeout.convert("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(timeout.convert("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(timeout.convert("3")).isEqualTo(Duration.ofSeconds(3));
        assertThat(timeout.convert(" 250MS ")).isEqualTo(Duration.ofMillis(250));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "0ms", "-1s", "fast", "5h", "61m", "1e3"})
    void badTimeoutsAreRejected(String value) {
        assertThatThrownBy(() -> timeout.convert(value)).isInstanceOf(TypeConversionException.class);
    }

    @Test
    void tlsModesUseTheUsersWords() {
        assertThat(tls.convert("none")).isEqualTo(TlsMode.NONE);
        assertThat(tls.convert("starttls")).isEqualTo(TlsMode.STARTTLS);
        assertThat(tls.convert("require-starttls")).isEqualTo(TlsMode.STARTTLS_REQUIRED);
        assertThat(tls.convert("IMPLICIT")).isEqualTo(TlsMode.IMPLICIT);
        assertThatThrownBy(() -> tls.convert("ssl")).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("none, starttls, require-starttls, implicit");
    }

    @Test
    void portsAreOneTo65535() {
        assertThat(port.convert("1")).isEqualTo(1);
        assertThat(port.convert("65535")).isEqualTo(65535);
        for (String bad : new String[] {"0", "65536", "99999", "-1", "25a", "", "123456"}) {
            assertThatThrownBy(() -> port.convert(bad)).as(bad).isInstanceOf(TypeConversionException.class);
        }
    }
}
