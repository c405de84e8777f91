package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.AuthMechanism;
import dev.smtpprobe.SmtpProbe;
import java.util.Arrays;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Builder validation for AUTH and ENVELOPE options: bad input fails at once, naming the argument, never the secret. */
class AuthBuilderTest {

    @Test
    void credentialsAreValidatedWithoutQuotingTheSecret() {
        SmtpProbe.Builder b = SmtpProbe.to("mx.test");
        assertThatThrownBy(() -> b.auth(" ", "pw".toCharArray())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("username");
        assertThatThrownBy(() -> b.auth("u", (char[]) null)).hasMessageContaining("password");
        assertThatThrownBy(() -> b.auth("u", new char[0])).hasMessageContaining("password must not be empty");
        assertThatThrownBy(() -> b.auth("u", "se\0cret".toCharArray())).hasMessageContaining("password")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("se", "cret"));
        assertThatThrownBy(() -> b.auth("u", (Supplier<char[]>) null)).hasMessageContaining("password supplier");
        assertThatThrownBy(() -> b.oauth2("u", "zq\nzq".toCharArray())).hasMessageContaining("token")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("zq"));
        assertThatThrownBy(() -> b.auth("u\r\nRSET", "pw".toCharArray())).hasMessageContaining("username");
        assertThatThrownBy(() -> b.authMechanism(null)).hasMessageContaining("authMechanism");
    }

    @Test
    void mechanismAndCredentialKindMustAgree() {
        assertThatThrownBy(() -> SmtpProbe.to("mx.test").authMechanism(AuthMechanism.PLAIN).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs credentials");
        assertThatThrownBy(() -> SmtpProbe.to("mx.test").auth("u", "pw".toCharArray())
                .authMechanism(AuthMechanism.XOAUTH2).build()).hasMessageContaining("cannot carry a password");
        assertThatThrownBy(() -> SmtpProbe.to("mx.test").oauth2("u", "t".toCharArray())
                .authMechanism(AuthMechanism.LOGIN).build()).hasMessageContaining("cannot carry an OAuth2 token");
    }

    @Test
    void thePasswordArrayIsCopiedAndNeverShown() {
        char[] pw = "hunter2-secret".toCharArray();
        SmtpProbe.Builder b = SmtpProbe.to("mx.test").port(587).auth("alice", pw);
        Arrays.fill(pw, 'x');
        SmtpProbe probe = b.build();
        assertThat(probe.authUsername()).isEqualTo("alice");
        assertThat(probe.usesOAuth2()).isFalse();
        assertThat(probe.toString()).contains("auth=password as alice").doesNotContain("hunter2", "xxxx");
        assertThat(SmtpProbe.to("mx.test").oauth2("bob", "tok-123".toCharArray()).build().toString())
                .contains("auth=oauth2 as bob").doesNotContain("tok-123");
        assertThat(Credentials.of(Credentials.Kind.PASSWORD, "alice", "hunter2-secret".toCharArray(), "password"))
                .hasToString("Credentials[PASSWORD, username=alice, password=<redacted>]");
        assertThat(Sasl.client(AuthMechanism.LOGIN, "alice", "hunter2-secret".toCharArray(), new Redaction()))
                .hasToString("Sasl.Client[LOGIN, username=alice]");
    }

    @Test
    void envelopeAddressesAreValidated() {
        SmtpProbe.Builder b = SmtpProbe.to("mx.test");
        assertThatThrownBy(() -> b.envelope(null, "a@b.c")).hasMessageContaining("from");
        assertThatThrownBy(() -> b.envelope("a@b.c")).hasMessageContaining("recipients must not be empty");
        assertThatThrownBy(() -> b.envelope("a@b.c", (String[]) null)).hasMessageContaining("recipients");
        assertThatThrownBy(() -> b.envelope("a@b.c", "ok@b.c", "bad")).hasMessageContaining("recipients[1]");
        assertThatThrownBy(() -> b.envelope("a@b.c", "x@y.z>\r\nDATA")).hasMessageContaining("recipients[0]");
        assertThatThrownBy(() -> b.envelope("<a@b.c>", "x@y.z")).hasMessageContaining("from");
        assertThatThrownBy(() -> b.envelope("a@b.c", "x@" + "y".repeat(300))).hasMessageContaining("domain of at most 255 octets");
        assertThatThrownBy(() -> b.envelope("a@b.c", java.util.Collections.nCopies(101, "x@y.z")))
                .hasMessageContaining("at most 100");
        assertThatThrownBy(() -> b.messageSize(0)).hasMessageContaining("messageSize");
        assertThatThrownBy(() -> SmtpProbe.to("mx.test").messageSize(10).build()).hasMessageContaining("needs an envelope");

        // Taken as given, never trimmed: surrounding whitespace is an error.
        assertThatThrownBy(() -> b.envelope("", "postmaster", " bob@example.net ")).hasMessageStartingWith("recipients[1]");
        SmtpProbe p = SmtpProbe.to("mx.test").envelope("", "postmaster", "bob@example.net").messageSize(100).build();
        assertThat(p.envelopeSender()).isEmpty();
        assertThat(p.envelopeRecipients()).containsExactly("postmaster", "bob@example.net");
        assertThat(p.messageSize()).isEqualTo(100);
    }
}
