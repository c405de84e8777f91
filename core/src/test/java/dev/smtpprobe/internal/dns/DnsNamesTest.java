package dev.smtpprobe.internal.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Names as DNS sees them, and names that must fail fast. */
class DnsNamesTest {

    @Test
    void asciiFormIsLowerCaseWithoutTrailingDot() {
        assertThat(DnsNames.toAscii(" Mail.Example.COM. ", "host")).isEqualTo("mail.example.com");
        assertThat(DnsNames.toAscii("_srv.example", "host")).isEqualTo("_srv.example");
    }

    @Test
    void internationalisedLabelsUsePunycode() {
        assertThat(DnsNames.toAscii("bücher.example", "domain")).isEqualTo("xn--bcher-kva.example");
        assertThat(DnsNames.toAscii("例え.テスト", "domain")).isEqualTo("xn--r8jz45g.xn--zckzah");
    }

    @Test
    void invalidNamesNameTheArgument() {
        assertThatThrownBy(() -> DnsNames.toAscii(null, "domain")).hasMessage("domain must not be blank");
        assertThatThrownBy(() -> DnsNames.toAscii("  ", "host")).hasMessage("host must not be blank");
        assertThatThrownBy(() -> DnsNames.toAscii("a b.example", "host")).hasMessageStartingWith("host has a character");
        assertThatThrownBy(() -> DnsNames.toAscii("-a.example", "host")).hasMessageContaining("'-'");
        assertThatThrownBy(() -> DnsNames.toAscii("a..example", "host")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DnsNames.toAscii("a.example/x", "host")).hasMessageContaining("'/'");
        String longName = ("a".repeat(60) + ".").repeat(5) + "example";
        assertThatThrownBy(() -> DnsNames.toAscii(longName, "host")).hasMessageContaining("1..253");
    }
}
