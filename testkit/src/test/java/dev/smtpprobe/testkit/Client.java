package dev.smtpprobe.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** A blocking JDK socket client for testing the fixture itself: no part of smtp-probe is involved. */
final class Client implements AutoCloseable {

    static final int READ_TIMEOUT_MILLIS = 2000;

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private Client(Socket socket) throws IOException {
        use(socket);
    }

    static Client connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, 1000);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        return new Client(socket);
    }

    static Client connect(MockSmtpServer server) throws IOException {
        return connect(server.address());
    }

    /** Connects with TLS from the first byte, verifying the certificate for {@code host}. */
    static Client connectTls(MockSmtpServer server, SSLContext context, String host) throws IOException {
        Client client = connect(server);
        client.startTls(context, host);
        return client;
    }

    private void use(Socket next) throws IOException {
        socket = next;
        in = next.getInputStream();
        out = next.getOutputStream();
    }

    Socket socket() {
        return socket;
    }

    void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one line without its CRLF, or {@code null} at end of stream. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    /** Reads a whole (possibly multi-line) SMTP reply. */
    List<String> readReply() throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        do {
            line = readLine();
            if (line == null) {
                throw new IOException("end of stream after " + lines);
            }
            lines.add(line);
        } while (line.length() > 3 && line.charAt(3) == '-');
        return lines;
    }

    int read() throws IOException {
        return in.read();
    }

    /** Reads until end of stream (bounded by the read timeout), at most {@code limit} bytes. */
    byte[] readToEnd(int limit) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[65536];
        int n;
        while ((n = in.read(buffer)) != -1) {
            all.write(buffer, 0, n);
            if (all.size() > limit) {
                throw new IOException("more than " + limit + " bytes");
            }
        }
        return all.toByteArray();
    }

    /** Upgrades to TLS as a client, verifying the certificate chain and {@code host} like HTTPS does. */
    void startTls(SSLContext context, String host) throws IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, host, socket.getPort(), true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!Character.isDigit(host.charAt(0)) && !host.contains(":")) {
            // The JDK sends SNI on its own only for names with a dot; "localhost" has none.
            parameters.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName(host)));
        }
        ssl.setSSLParameters(parameters);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        use(ssl);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
