package dev.smtpprobe.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.internal.tls.MtaStsPolicy.InvalidPolicyException;
import dev.smtpprobe.internal.tls.MtaStsPolicy.Mode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The policy syntax of RFC 8461 §3.2 and the MX matching of §4.1 (pure text: no I/O involved). */
class MtaStsPolicyTest {

    @Test
    void parsesTheRfcExample() throws Exception {
        MtaStsPolicy policy = MtaStsPolicy.parse("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\n"
                + "mx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n");

        assertThat(policy.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(policy.mxPatterns()).containsExactly("mail.example.com", "*.example.net", "backupmx.example.com");
        assertThat(policy.maxAge()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void acceptsBareLineFeedsUnknownKeysAndNoMxInModeNone() throws Exception {
        MtaStsPolicy policy = MtaStsPolicy.parse("version: STSv1\nmode: none\nfuture_key: x\nmax_age: 0\n");

        assertThat(policy.mode()).isEqualTo(Mode.NONE);
        assertThat(policy.mxPatterns()).isEmpty();
        assertThat(policy.maxAge()).isZero();
    }

    @Test
    void theFirstOfARepeatedKeyCounts() throws Exception {
        MtaStsPolicy policy = MtaStsPolicy.parse("version: STSv1\nmode: testing\nmode: enforce\nmx: a.example\n"
                + "max_age: 86400\nmax_age: 1\n");

        assertThat(policy.mode()).isEqualTo(Mode.TESTING);
        assertThat(policy.maxAge()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void rejectsWhatIsNotAPolicy() {
        assertInvalid("mode: enforce\nmx: a.example\nmax_age: 1\n", "no version field");
        assertInvalid("version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1\n", "version is not STSv1");
        assertInvalid("version: STSv1\nmode: strict\nmx: a.example\nmax_age: 1\n", "mode is not");
        assertInvalid("version: STSv1\nmx: a.example\nmax_age: 1\n", "no mode field");
        assertInvalid("version: STSv1\nmode: enforce\nmx: a.example\n", "no max_age field");
        assertInvalid("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -1\n", "max_age is not a number");
        assertInvalid("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601\n", "max_age is over");
        assertInvalid("version: STSv1\nmode: enforce\nmax_age: 1\n", "no mx field");
        assertInvalid("version: STSv1\nmode: enforce\nmx: bad_name!.example\nmax_age: 1\n", "not a host name");
        assertInvalid("version: STSv1\nmode: enforce\nmx: a.*.example\nmax_age: 1\n", "not a host name");
        assertInvalid("<html>not found</html>\n", "not key: value");
    }

    @Test
    void aWildcardMatchesExactlyOneLeftmostLabel() throws Exception {
        MtaStsPolicy policy = MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: *.example.net\nmax_age: 1\n");

        assertThat(policy.allowsMx("mail.example.net")).isTrue();
        assertThat(policy.allowsMx("MAIL.Example.NET.")).isTrue();
        assertThat(policy.allowsMx("example.net")).isFalse();
        assertThat(policy.allowsMx("a.mail.example.net")).isFalse();
        assertThat(policy.allowsMx("mail.example.org")).isFalse();
        assertThat(policy.allowsMx("mailexample.net")).isFalse();
    }

    @Test
    void aPlainPatternMatchesOnlyThatName() throws Exception {
        MtaStsPolicy policy = MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: Mail.Example.com.\nmax_age: 1\n");

        assertThat(policy.allowsMx("mail.example.com")).isTrue();
        assertThat(policy.allowsMx("x.mail.example.com")).isFalse();
        assertThat(policy.allowsMx("example.com")).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> policy.allowsMx(" ")).withMessageContaining("host");
    }

    private static void assertInvalid(String body, String why) {
        assertThatThrownBy(() -> MtaStsPolicy.parse(body)).isInstanceOf(InvalidPolicyException.class)
                .hasMessageContaining(why);
    }
}
