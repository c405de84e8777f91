package dev.smtpprobe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class EnhancedStatusTest {

    @Test
    void parsesValidCodes() {
        assertThat(EnhancedStatus.parse("5.7.1")).contains(new EnhancedStatus(5, 7, 1));
        assertThat(EnhancedStatus.parse("4.7.0")).contains(new EnhancedStatus(4, 7, 0));
        assertThat(EnhancedStatus.parse("2.0.0")).contains(new EnhancedStatus(2, 0, 0));
        assertThat(EnhancedStatus.parse("5.7.10")).contains(new EnhancedStatus(5, 7, 10));
        assertThat(EnhancedStatus.parse("5.123.999")).contains(new EnhancedStatus(5, 123, 999));
        assertThat(EnhancedStatus.parse("5.7.1").orElseThrow()).hasToString("5.7.1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "5.7", "5.7.", ".7.1", "3.7.1", "55.7.1", "5.7.1.", "5..1", "5.1234.1", "5.7.1000",
            "5.a.1", "5.7.-1", "x.7.1", "5,7,1", "5.7.1 ", " 5.7.1"})
    void rejectsEverythingElse(String text) {
        assertThat(EnhancedStatus.parse(text)).isEmpty();
    }

    @Test
    void nullIsNotACode() {
        assertThat(EnhancedStatus.parse(null)).isEmpty();
    }

    @Test
    void constructorValidatesEachPartNamingIt() {
        assertThatThrownBy(() -> new EnhancedStatus(3, 0, 0)).hasMessageContaining("statusClass");
        assertThatThrownBy(() -> new EnhancedStatus(5, 1000, 0)).hasMessageContaining("subject");
        assertThatThrownBy(() -> new EnhancedStatus(5, 0, -1)).hasMessageContaining("detail");
    }
}
