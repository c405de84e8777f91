package dev.smtpprobe.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MockSmtpServerTest {

    private static final Duration WAIT = Duration.ofSeconds(2);

    @Test
    void answersAScriptedDialogueAndRecordsEveryLine() throws Exception {
        Script script = Script.greeting("220-mx.test ESMTP", "220 welcome")
                .ehlo("mx.test", "PIPELINING", "SIZE 1000", "AUTH PLAIN LOGIN")
                .rcpt("nobody@mx.test", "550 5.1.1 User unknown");
        try (MockSmtpServer server = new MockSmtpServer().start(script);
                Client client = Client.connect(server)) {
            assertThat(client.readReply()).containsExactly("220-mx.test ESMTP", "220 welcome");
            client.send("EHLO probe.test");
            assertThat(client.readReply())
                    .containsExactly("250-mx.test", "250-PIPELINING", "250-SIZE 1000", "250 AUTH PLAIN LOGIN");
            client.send("MAIL FROM:<>");
            assertThat(client.readReply()).containsExactly("250 2.1.0 Ok");
            client.send("RCPT TO:<NoBody@mx.test>");
            assertThat(client.readReply()).containsExactly("550 5.1.1 User unknown");
            client.send("RCPT TO:<postmaster@mx.test>");
            assertThat(client.readReply()).containsExactly("250 2.1.5 Ok");
            client.send("RSET");
            assertThat(client.readReply()).containsExactly("250 2.0.0 Ok");
            client.send("NOOP");
            assertThat(client.readReply()).containsExactly("250 2.0.0 Ok");
            client.send("VRFY root");
            assertThat(client.readReply()).containsExactly("500 5.5.2 Error: command not recognized");
            client.send("quit");
            assertThat(client.readReply()).containsExactly("221 2.0.0 Bye");
            assertThat(client.read()).as("FIN after 221").isEqualTo(-1);

            assertThat(server.takeCommand(WAIT)).isEqualTo("EHLO probe.test");
            assertThat(server.takeCommand(WAIT)).isEqualTo("MAIL FROM:<>");
            RecordedConnection connection = server.takeConnection(WAIT);
            assertThat(connection.commands()).containsExactly("EHLO probe.test", "MAIL FROM:<>",
                    "RCPT TO:<NoBody@mx.test>", "RCPT TO:<postmaster@mx.test>", "RSET", "NOOP", "VRFY root", "quit");
            assertThat(connection.rawLines().get(0)).isEqualTo("EHLO probe.test\r\n".getBytes());
            assertThat(connection.takeCommand(WAIT)).isEqualTo("EHLO probe.test");
            assertThat(connection.clientAddress()).isEqualTo(client.socket().getLocalSocketAddress());
            assertThat(connection.serverAddress()).isEqualTo(server.address());
            assertThat(connection.awaitClosed(WAIT)).isTrue();
            assertThat(connection.index()).isZero();
            assertThat(server.connectionCount()).isEqualTo(1);
        }
    }

    @Test
    void heloAndNoGreeting() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.noGreeting().helo("old.test"));
                Client client = Client.connect(server)) {
            client.setReadTimeout(200);
            assertThatThrownBy(client::read).isInstanceOf(java.net.SocketTimeoutException.class);
            client.send("HELO probe.test");
            assertThat(client.readReply()).containsExactly("250 old.test");
        }
    }

    @Test
    void repliesCanDependOnWhetherTlsIsActive() throws Exception {
        Script script = Script.greeting("220 mx.test")
                .ehlo("mx.test", "STARTTLS")
                .onAfterTls("MAIL", "530 5.7.0 only after TLS")
                .on("RCPT", "451 4.3.0 try later");
        try (MockSmtpServer server = new MockSmtpServer().start(script); Client client = Client.connect(server)) {
            client.readReply();
            client.send("MAIL FROM:<>");
            assertThat(client.readReply()).as("before TLS the default applies").containsExactly("250 2.1.0 Ok");
            client.send("RCPT TO:<a@b>");
            assertThat(client.readReply()).containsExactly("451 4.3.0 try later");
        }
    }

    @Test
    void servesSequentialConnectionsWithTheSameScript() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting("220 again"))) {
            for (int i = 0; i < 3; i++) {
                try (Client client = Client.connect(server)) {
                    assertThat(client.readReply()).containsExactly("220 again");
                }
            }
            assertThat(server.connectionCount()).isEqualTo(3);
            assertThat(server.connections()).extracting(RecordedConnection::index).containsExactly(0, 1, 2);
        }
    }

    @Test
    void laterConnectionsCanFollowLaterScripts() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer()
                .start(Script.greeting("220 first"), Script.greeting("220 second"))) {
            for (String expected : new String[] {"220 first", "220 second", "220 second"}) {
                try (Client client = Client.connect(server)) {
                    assertThat(client.readReply()).containsExactly(expected);
                }
            }
        }
    }

    @Test
    void withoutRecordingManyConnectionsLeaveNothingBehind() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().withoutRecording().start(Script.greeting("220 soak"))) {
            for (int i = 0; i < 200; i++) {
                try (Client client = Client.connect(server)) {
                    assertThat(client.readReply()).containsExactly("220 soak");
                    client.send("QUIT");
                    assertThat(client.readReply()).containsExactly("221 2.0.0 Bye");
                }
            }
            assertThat(server.connectionCount()).isEqualTo(200);
            assertThat(server.connections()).isEmpty();
            assertThat(server.takeCommand(Duration.ofMillis(10))).isNull();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (server.openConnectionCount() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(server.openConnectionCount()).isZero();
            assertThat(liveThreads(server.port())).as("only the accept thread").isEqualTo(1);
        }
    }

    @Test
    void closeEndsConnectionsStopsThreadsAndIsIdempotent() throws Exception {
        MockSmtpServer server = new MockSmtpServer().start(Script.effect(Effect.STALL));
        int port = server.port();
        Client client = Client.connect(server);
        RecordedConnection connection = server.takeConnection(WAIT);
        assertThat(liveThreads(port)).isGreaterThanOrEqualTo(2);

        server.close();
        server.close();

        assertThat(connection.awaitClosed(WAIT)).isTrue();
        assertThat(server.isClosed()).isTrue();
        assertThat(liveThreads(port)).isZero();
        try {
            assertThat(client.read()).isEqualTo(-1);
        } catch (java.net.SocketException reset) {
            // The server closed abruptly; a reset is as good as a FIN here.
        }
        client.close();
        assertThatThrownBy(() -> Client.connect(new InetSocketAddress("127.0.0.1", port)))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void listensOnIpv6LoopbackWithTheSamePort() throws Exception {
        assumeTrue(Ports.ipv6LoopbackAvailable(), "no IPv6 loopback here");
        try (MockSmtpServer server = new MockSmtpServer().alsoOnIpv6().start(Script.greeting("220 v6"))) {
            assertThat(server.ipv6Address().getPort()).isEqualTo(server.port());
            try (Client client = Client.connect(server.ipv6Address())) {
                assertThat(client.readReply()).containsExactly("220 v6");
            }
            assertThat(server.takeConnection(WAIT).clientAddress().getAddress())
                    .isInstanceOf(java.net.Inet6Address.class);
        }
    }

    @Test
    void rejectsBadArgumentsNamingThem() {
        assertThatThrownBy(() -> new MockSmtpServer().start(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("script");
        assertThatThrownBy(() -> Script.greeting("220 a\r\n250 b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lines");
        assertThatThrownBy(() -> Script.greeting(new String[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lines");
        assertThatThrownBy(() -> Script.greeting("220 a").on("MAIL FROM", "250 ok"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("verb");
        assertThatThrownBy(() -> Script.greeting("220 a").ehlo(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("domain");
        assertThatThrownBy(() -> Effect.drip(Duration.ofMillis(-1), "220 a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("perByte");
        assertThatThrownBy(() -> Effect.garbage(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length");
        assertThatThrownBy(() -> Effect.continuationLines(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count");
    }

    @Test
    void refusesUseBeforeStartAndASecondStart() {
        MockSmtpServer server = new MockSmtpServer();
        assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class);
        server.start(Script.greeting("220 x"));
        try {
            assertThatThrownBy(() -> server.start(Script.greeting("220 y")))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(server::alsoOnIpv6).isInstanceOf(IllegalStateException.class);
        } finally {
            server.close();
        }
    }

    static long liveThreads(int port) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("mock-smtp-" + port + "-")
                        || t.getName().startsWith("mock-smtp-accept-") && t.getName().endsWith(":" + port))
                .count();
    }
}
