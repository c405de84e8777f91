package dev.smtpprobe.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The XOAUTH2 branch of {@link Effect#authExchange}: the error challenge before a failure, none before success. */
class AuthXoauth2Test {

    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final String PAYLOAD = "dXNlcj11AWF1dGg9QmVhcmVyIHQBAQ==";

    @Test
    void aFailureSendsTheJsonErrorAndWaitsForTheEmptyLine() throws Exception {
        Script script = Script.greeting("220 mx.test").onAuth("535 5.7.8 Username and Password not accepted");
        try (MockSmtpServer server = new MockSmtpServer().start(script); Client client = Client.connect(server)) {
            client.readReply();
            client.send("AUTH XOAUTH2 " + PAYLOAD);
            String challenge = client.readReply().get(0);
            assertThat(challenge).startsWith("334 ");
            assertThat(new String(Base64.getDecoder().decode(challenge.substring(4)), StandardCharsets.UTF_8))
                    .isEqualTo(Effect.XOAUTH2_ERROR);
            client.send("");
            assertThat(client.readReply()).containsExactly("535 5.7.8 Username and Password not accepted");
            assertThat(server.takeConnection(WAIT).commands()).containsExactly("AUTH XOAUTH2 " + PAYLOAD, "");
        }
    }

    @Test
    void successNeedsNoChallengeAndNoInitialResponseGetsAnEmptyOne() throws Exception {
        Script script = Script.greeting("220 mx.test").onAuth("235 2.7.0 Accepted");
        try (MockSmtpServer server = new MockSmtpServer().start(script); Client client = Client.connect(server)) {
            client.readReply();
            client.send("AUTH XOAUTH2 " + PAYLOAD);
            assertThat(client.readReply()).containsExactly("235 2.7.0 Accepted");
            client.send("AUTH XOAUTH2");
            assertThat(client.readReply()).containsExactly("334 ");
            client.send(PAYLOAD);
            assertThat(client.readReply()).containsExactly("235 2.7.0 Accepted");
        }
    }
}
