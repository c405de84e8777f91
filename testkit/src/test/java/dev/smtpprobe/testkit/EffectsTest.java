package dev.smtpprobe.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each failure effect, observed by a plain JDK socket client. */
class EffectsTest {

    private static final Duration WAIT = Duration.ofSeconds(2);

    @Test
    void stallNeverAnswersButRecordsWhatTheClientSends() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting("220 mx.test").on("EHLO", Effect.STALL));
                Client client = Client.connect(server)) {
            client.readReply();
            client.send("EHLO probe.test");
            client.send("NOOP");
            client.setReadTimeout(200);
            assertThatThrownBy(client::read).isInstanceOf(SocketTimeoutException.class);
            RecordedConnection connection = server.takeConnection(WAIT);
            assertThat(connection.takeCommand(WAIT)).isEqualTo("EHLO probe.test");
            assertThat(connection.takeCommand(WAIT)).isEqualTo("NOOP");
            client.socket().close();
            assertThat(connection.awaitClosed(WAIT)).isTrue();
            assertThat(connection.clientClosed()).isTrue();
        }
    }

    @Test
    void stallBeforeGreeting() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.effect(Effect.STALL));
                Client client = Client.connect(server)) {
            client.setReadTimeout(200);
            assertThatThrownBy(client::read).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void closeSendsAFin() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.effect(Effect.CLOSE));
                Client client = Client.connect(server)) {
            assertThat(client.read()).isEqualTo(-1);
        }
    }

    @Test
    void closeAfterACommand() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting("220 mx.test").on("EHLO", Effect.CLOSE));
                Client client = Client.connect(server)) {
            client.readReply();
            client.send("EHLO probe.test");
            assertThat(client.read()).isEqualTo(-1);
        }
    }

    @Test
    void resetSendsARst() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.effect(Effect.RESET))) {
            // The RST may beat the client's own completion of connect() (a timed connect polls for it), so the
            // reset shows either there or at the first read.
            assertThatThrownBy(() -> {
                try (Client client = Client.connect(server)) {
                    client.read();
                }
            }).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        }
    }

    @Test
    void halfAGreetingThenClose() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting(Effect.raw("220 mx.te"), Effect.CLOSE));
                Client client = Client.connect(server)) {
            assertThat(new String(client.readToEnd(100), StandardCharsets.US_ASCII)).isEqualTo("220 mx.te");
        }
    }

    @Test
    void rawBytesArriveVerbatimIncludingNulAndInvalidUtf8() throws Exception {
        byte[] bytes = {'2', '2', '0', ' ', 0, (byte) 0xFF, (byte) 0xC3, '\r', '\n'};
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting(Effect.raw(bytes), Effect.CLOSE));
                Client client = Client.connect(server)) {
            assertThat(client.readToEnd(100)).isEqualTo(bytes);
        }
    }

    @Test
    void garbageIsBinaryWithoutLineEnds() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting(Effect.garbage(500), Effect.CLOSE));
                Client client = Client.connect(server)) {
            byte[] received = client.readToEnd(1000);
            assertThat(received).hasSize(500);
            for (byte b : received) {
                int unsigned = b & 0xFF;
                assertThat(unsigned >= 0x20 && unsigned < 0x7F || unsigned == '\r' || unsigned == '\n')
                        .as("byte 0x%02x is text", unsigned).isFalse();
            }
            assertThat(received[0] & 0xFF).as("neither a TLS record type nor an SSLv2 header").isLessThan(0x12);
        }
    }

    @Test
    void dripSendsOneByteAtATime() throws Exception {
        Script script = Script.greeting(Effect.drip(Duration.ofMillis(20), "220 slow"));
        try (MockSmtpServer server = new MockSmtpServer().start(script); Client client = Client.connect(server)) {
            long start = System.nanoTime();
            assertThat(client.readReply()).containsExactly("220 slow");
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            // 10 bytes ("220 slow\r\n"), 20 ms after each: the last byte arrives after at least 9 pauses.
            assertThat(elapsedMillis).isGreaterThanOrEqualTo(9 * 20);
        }
    }

    @Test
    void pauseDelaysTheNextEffect() throws Exception {
        Script script = Script.greeting(Effect.pause(Duration.ofMillis(150)), Effect.reply("220 late"));
        try (MockSmtpServer server = new MockSmtpServer().start(script); Client client = Client.connect(server)) {
            long start = System.nanoTime();
            assertThat(client.readReply()).containsExactly("220 late");
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(140);
        }
    }

    @Test
    void endlessLineSendsEightMebibytesWithoutALineEnd() throws Exception {
        int length = 8 << 20;
        Script script = Script.greeting(Effect.endlessLine(length), Effect.CLOSE);
        try (MockSmtpServer server = new MockSmtpServer().start(script); Client client = Client.connect(server)) {
            byte[] received = client.readToEnd(length + 1);
            assertThat(received).hasSize(length);
            assertThat(new String(received, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("250-x");
            for (byte b : received) {
                if (b == '\n' || b == '\r') {
                    throw new AssertionError("line end in the endless line");
                }
            }
        }
    }

    @Test
    void continuationLinesMakeOneHugeReply() throws Exception {
        int count = 100_000;
        Script script = Script.greeting("220 mx.test").on("EHLO", Effect.continuationLines(count));
        try (MockSmtpServer server = new MockSmtpServer().start(script); Client client = Client.connect(server)) {
            client.readReply();
            client.send("EHLO probe.test");
            java.util.List<String> reply = client.readReply();
            assertThat(reply).hasSize(count + 1);
            assertThat(reply.get(0)).isEqualTo("250-line 1");
            assertThat(reply.get(count - 1)).isEqualTo("250-line " + count);
            assertThat(reply.get(count)).isEqualTo("250 end");
        }
    }

    @Test
    void serverCanSpeakBeforeTheClientAsks() throws Exception {
        Script script = Script.greeting(Effect.reply("220 mx.test"), Effect.reply("250-unsolicited", "250 early"));
        try (MockSmtpServer server = new MockSmtpServer().start(script); Client client = Client.connect(server)) {
            assertThat(client.readReply()).containsExactly("220 mx.test");
            // Nothing was sent by the client, yet a second reply is there.
            assertThat(client.readReply()).containsExactly("250-unsolicited", "250 early");
        }
    }

    @Test
    void otherProtocolsSpeakFirst() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer()
                .start(Script.effect(Effect.sshBanner(), Effect.CLOSE),
                        Script.effect(Effect.httpResponse(), Effect.CLOSE),
                        Script.effect(Effect.tlsAlert(), Effect.CLOSE))) {
            try (Client client = Client.connect(server)) {
                assertThat(client.readLine()).startsWith("SSH-2.0-");
            }
            try (Client client = Client.connect(server)) {
                assertThat(client.readLine()).isEqualTo("HTTP/1.1 400 Bad Request");
            }
            try (Client client = Client.connect(server)) {
                assertThat(client.readToEnd(100)).containsExactly(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28);
            }
        }
    }

    @Test
    void authPlainWithInitialResponse() throws Exception {
        Script script = Script.greeting("220 mx.test").onAuth("235 2.7.0 Authentication successful");
        try (MockSmtpServer server = new MockSmtpServer().start(script); Client client = Client.connect(server)) {
            client.readReply();
            client.send("AUTH PLAIN AHVzZXIAc2VjcmV0");
            assertThat(client.readReply()).containsExactly("235 2.7.0 Authentication successful");
            assertThat(server.takeCommand(WAIT)).isEqualTo("AUTH PLAIN AHVzZXIAc2VjcmV0");
        }
    }

    @Test
    void authPlainWithoutInitialResponseGetsAnEmptyChallenge() throws Exception {
        Script script = Script.greeting("220 mx.test").onAuth("535 5.7.8 Authentication credentials invalid");
        try (MockSmtpServer server = new MockSmtpServer().start(script); Client client = Client.connect(server)) {
            client.readReply();
            client.send("AUTH PLAIN");
            assertThat(client.readReply()).containsExactly("334 ");
            client.send("AHVzZXIAc2VjcmV0");
            assertThat(client.readReply()).containsExactly("535 5.7.8 Authentication credentials invalid");
            assertThat(server.takeConnection(WAIT).commands()).containsExactly("AUTH PLAIN", "AHVzZXIAc2VjcmV0");
        }
    }

    @Test
    void authLoginPromptsForUserAndPassword() throws Exception {
        Script script = Script.greeting("220 mx.test").onAuth("534 5.7.9 Application-specific password required");
        try (MockSmtpServer server = new MockSmtpServer().start(script); Client client = Client.connect(server)) {
            client.readReply();
            client.send("AUTH LOGIN");
            assertThat(client.readReply()).containsExactly("334 VXNlcm5hbWU6");
            client.send("dXNlcg==");
            assertThat(client.readReply()).containsExactly("334 UGFzc3dvcmQ6");
            client.send("c2VjcmV0");
            assertThat(client.readReply()).containsExactly("534 5.7.9 Application-specific password required");
            client.send("AUTH LOGIN dXNlcg==");
            assertThat(client.readReply()).as("initial response skips the user prompt")
                    .containsExactly("334 UGFzc3dvcmQ6");
            client.send("*");
            assertThat(client.readReply()).containsExactly("501 5.0.0 Authentication cancelled");
            client.send("AUTH CRAM-MD5");
            assertThat(client.readReply()).containsExactly("504 5.5.4 Unrecognized authentication type");
        }
    }

    @Test
    void authRefusedBeforeAnyExchange() throws Exception {
        Script script = Script.greeting("220 mx.test").on("AUTH", "530 5.7.0 Must issue a STARTTLS command first");
        try (MockSmtpServer server = new MockSmtpServer().start(script); Client client = Client.connect(server)) {
            client.readReply();
            client.send("AUTH PLAIN AHVzZXIAc2VjcmV0");
            assertThat(client.readReply()).containsExactly("530 5.7.0 Must issue a STARTTLS command first");
        }
    }
}
