package dev.smtpprobe.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TlsaTest {

    @Test
    void fieldsAreCheckedAndNamed() {
        byte[] data = {1};
        assertThatThrownBy(() -> Tlsa.of(256, 1, 1, data)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("usage");
        assertThatThrownBy(() -> Tlsa.of(3, -1, 1, data)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("selector");
        assertThatThrownBy(() -> Tlsa.of(3, 1, 256, data)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("matchingType");
        assertThatThrownBy(() -> Tlsa.of(3, 1, 1, new byte[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data");
        assertThatThrownBy(() -> Tlsa.of(3, 1, 1, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data");
    }

    @Test
    void dataIsCopiedInAndOut() {
        byte[] data = {0x0a, 0x0b};
        Tlsa record = Tlsa.of(3, 1, 0, data);
        data[0] = 0;
        record.data()[1] = 0;

        assertThat(record.data()).containsExactly(0x0a, 0x0b);
        assertThat(record).isEqualTo(Tlsa.of(3, 1, 0, new byte[] {0x0a, 0x0b})).hasSameHashCodeAs(
                Tlsa.of(3, 1, 0, new byte[] {0x0a, 0x0b}));
        assertThat(record).isNotEqualTo(Tlsa.of(2, 1, 0, new byte[] {0x0a, 0x0b}));
        assertThat(record).hasToString("3 1 0 0A0B");
    }

    @Test
    void fullMatchingTakesDataOfAnyLength() {
        assertThat(Tlsa.of(Tlsa.DANE_EE, Tlsa.CERT, Tlsa.FULL, new byte[] {1, 2, 3}).usableForSmtp()).isTrue();
        assertThat(Tlsa.of(Tlsa.DANE_TA, Tlsa.SPKI, Tlsa.SHA2_512, new byte[64]).usableForSmtp()).isTrue();
    }

    @Test
    void onlyNoMatchIsAReportableFailure() {
        assertThat(DaneMatch.Outcome.NO_MATCH.rfc8460ResultType()).contains("tlsa-invalid");
        assertThat(DaneMatch.Outcome.MATCH.rfc8460ResultType()).isEqualTo(Optional.empty());
        assertThat(DaneMatch.Outcome.NO_USABLE_TLSA.rfc8460ResultType()).isEmpty();
    }
}
