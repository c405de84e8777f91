package dev.smtpprobe.testkit.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Ports;
import dev.smtpprobe.testkit.Script;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy fixture against hand-written protocol bytes on a plain JDK socket: no part of smtp-probe is involved. */
class MockProxyServerTest {

    private static final Duration WAIT = Duration.ofSeconds(2);

    private MockSmtpServer smtp;
    private Socket socket;

    @BeforeEach
    void smtpServer() {
        smtp = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP"));
    }

    @AfterEach
    void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
        smtp.close();
    }

    private DataInputStream connect(MockProxyServer proxy) throws IOException {
        socket = new Socket();
        socket.connect(proxy.address(), 1000);
        socket.setSoTimeout(2000);
        return new DataInputStream(socket.getInputStream());
    }

    private void send(byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static String line(DataInputStream in) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            text.write(b);
        }
        return text.toString(StandardCharsets.ISO_8859_1).strip();
    }

    @Test
    void socks5RelaysANameToTheRedirectAndRecordsTheRequest() throws Exception {
        try (MockProxyServer proxy = MockProxyServer.socks5().redirectTo(smtp.address()).start()) {
            DataInputStream in = connect(proxy);
            send(bytes(5, 1, 0));
            assertThat(in.readNBytes(2)).containsExactly(5, 0);
            send(bytes(5, 1, 0, 3, 14));
            send("mx.example.net".getBytes(StandardCharsets.US_ASCII));
            send(bytes(0, 25));
            byte[] reply = in.readNBytes(10);
            assertThat(reply[1]).isEqualTo((byte) 0);
            assertThat(reply[3]).isEqualTo((byte) 1);
            assertThat(line(in)).isEqualTo("220 mx.test ESMTP");
            ProxyRequest request = proxy.takeRequest(WAIT);
            assertThat(request.targetHost()).isEqualTo("mx.example.net");
            assertThat(request.targetPort()).isEqualTo(25);
            assertThat(request.byName()).isTrue();
            assertThat(request.methods()).containsExactly(0);
        }
    }

    @Test
    void socks5CredentialsAreCheckedAndRecorded() throws Exception {
        try (MockProxyServer proxy = MockProxyServer.socks5().credentials("alice", "s3cret").redirectTo(smtp.address())
                .start()) {
            DataInputStream in = connect(proxy);
            send(bytes(5, 2, 0, 2));
            assertThat(in.readNBytes(2)).containsExactly(5, 2);
            send(bytes(1, 5, 'a', 'l', 'i', 'c', 'e', 5, 'w', 'r', 'o', 'n', 'g'));
            assertThat(in.readNBytes(2)).containsExactly(1, 1);
            ProxyRequest rejected = proxy.takeRequest(WAIT);
            assertThat(rejected.username()).isEqualTo("alice");
            assertThat(rejected.password()).isEqualTo("wrong");
            assertThat(rejected.toString()).doesNotContain("wrong");

            in = connect(proxy);
            send(bytes(5, 1, 0));
            assertThat(in.readNBytes(2)).containsExactly(5, 0xff);

            in = connect(proxy);
            send(bytes(5, 1, 2));
            assertThat(in.readNBytes(2)).containsExactly(5, 2);
            send(bytes(1, 5, 'a', 'l', 'i', 'c', 'e', 6, 's', '3', 'c', 'r', 'e', 't'));
            assertThat(in.readNBytes(2)).containsExactly(1, 0);
            send(bytes(5, 1, 0, 1, 127, 0, 0, 1, 0, 25));
            assertThat(in.readNBytes(10)[1]).isEqualTo((byte) 0);
            assertThat(line(in)).isEqualTo("220 mx.test ESMTP");
        }
    }

    @Test
    void socks5ReportsARefusedTargetAsReply5AndScriptedCodesAsGiven() throws Exception {
        try (MockProxyServer proxy = MockProxyServer.socks5().start()) {
            DataInputStream in = connect(proxy);
            send(bytes(5, 1, 0));
            in.readNBytes(2);
            int closed = Ports.closed();
            send(bytes(5, 1, 0, 1, 127, 0, 0, 1, closed >> 8, closed & 0xff));
            assertThat(in.readNBytes(10)[1]).isEqualTo((byte) 5);
            assertThat(proxy.takeRequest(WAIT).byName()).isFalse();
        }
        try (MockProxyServer proxy = MockProxyServer.socks5().answer(ProxyAnswer.reply(2)).start()) {
            DataInputStream in = connect(proxy);
            send(bytes(5, 1, 0));
            in.readNBytes(2);
            send(bytes(5, 1, 0, 1, 127, 0, 0, 1, 0, 25));
            assertThat(in.readNBytes(10)[1]).isEqualTo((byte) 2);
        }
    }

    @Test
    void socks4aRelaysANameAndRecordsTheUserId() throws Exception {
        try (MockProxyServer proxy = MockProxyServer.socks4a().redirectTo(smtp.address()).start()) {
            DataInputStream in = connect(proxy);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(bytes(4, 1, 0, 25, 0, 0, 0, 1));
            request.writeBytes("bob\0mx.example.net\0".getBytes(StandardCharsets.US_ASCII));
            send(request.toByteArray());
            assertThat(in.readNBytes(8)[1]).isEqualTo((byte) 90);
            assertThat(line(in)).isEqualTo("220 mx.test ESMTP");
            ProxyRequest recorded = proxy.takeRequest(WAIT);
            assertThat(recorded.targetHost()).isEqualTo("mx.example.net");
            assertThat(recorded.username()).isEqualTo("bob");
        }
        try (MockProxyServer proxy = MockProxyServer.socks4a().answer(ProxyAnswer.reply(91)).start()) {
            DataInputStream in = connect(proxy);
            send(bytes(4, 1, 0, 25, 127, 0, 0, 1, 0));
            assertThat(in.readNBytes(8)[1]).isEqualTo((byte) 91);
        }
    }

    @Test
    void httpConnectChecksBasicCredentialsAndRelays() throws Exception {
        try (MockProxyServer proxy = MockProxyServer.httpConnect().credentials("alice", "s3cret")
                .redirectTo(smtp.address()).coalesceFirstBytes().start()) {
            DataInputStream in = connect(proxy);
            send("CONNECT mx.example.net:25 HTTP/1.1\r\nHost: mx.example.net:25\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(line(in)).isEqualTo("HTTP/1.1 407 Proxy Authentication Required");

            in = connect(proxy);
            String basic = Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
            send(("CONNECT [::1]:25 HTTP/1.1\r\nHost: [::1]:25\r\nProxy-Authorization: Basic " + basic + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(line(in)).isEqualTo("HTTP/1.1 200 Connection established");
            assertThat(line(in)).isEmpty();
            assertThat(line(in)).isEqualTo("220 mx.test ESMTP");
            List<ProxyRequest> requests = proxy.requests();
            assertThat(requests).hasSize(2);
            assertThat(requests.get(1).targetHost()).isEqualTo("::1");
            assertThat(requests.get(1).byName()).isFalse();
            assertThat(requests.get(1).password()).isEqualTo("s3cret");
            assertThat(requests.get(1).headerLines()).first().isEqualTo("CONNECT [::1]:25 HTTP/1.1");
        }
    }

    @Test
    void httpStatusesGarbageStallAndCloseAsScripted() throws Exception {
        try (MockProxyServer proxy = MockProxyServer.httpConnect().answer(ProxyAnswer.reply(504)).start()) {
            DataInputStream in = connect(proxy);
            send("CONNECT mx.example.net:25 HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(line(in)).isEqualTo("HTTP/1.1 504 Gateway Timeout");
        }
        try (MockProxyServer proxy = MockProxyServer.httpConnect().answer(ProxyAnswer.send("220 not a proxy\r\n"))
                .start()) {
            DataInputStream in = connect(proxy);
            send("CONNECT mx.example.net:25 HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(line(in)).isEqualTo("220 not a proxy");
            assertThat(in.read()).isEqualTo(-1);
        }
        try (MockProxyServer proxy = MockProxyServer.socks5().answer(ProxyAnswer.stall()).start()) {
            DataInputStream in = connect(proxy);
            send(bytes(5, 1, 0));
            assertThat(in.readNBytes(2)).containsExactly(5, 0);
            send(bytes(5, 1, 0, 1, 127, 0, 0, 1, 0, 25));
            socket.setSoTimeout(300);
            assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
        }
        try (MockProxyServer proxy = MockProxyServer.socks5().answer(ProxyAnswer.close()).start()) {
            DataInputStream in = connect(proxy);
            send(bytes(5, 1, 0));
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void configurationIsValidated() {
        assertThatThrownBy(() -> MockProxyServer.socks4a().credentials("a", "b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MockProxyServer.socks5().answer(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProxyAnswer.reply(600)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MockProxyServer.socks5().redirectTo(InetSocketAddress.createUnresolved("x", 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
