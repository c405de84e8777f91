package dev.smtpprobe.testkit.proxy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real proxy on loopback for tests: SOCKS5 (optionally with username/password, RFC 1929), SOCKS4/4a, or HTTP
 * CONNECT (optionally with Basic authentication). It relays each tunnel to the requested target, or to a
 * {@link #redirectTo redirect} (so a test can ask for {@code mx.example.net:25} and reach a scripted SMTP server),
 * or answers as {@link #answer(ProxyAnswer) scripted}: any reply code or HTTP status, bytes of another protocol, a
 * stall, a close. Every request is recorded ({@link #requests()}, {@link #takeRequest}).
 *
 * <pre>{@code
 * try (MockSmtpServer smtp = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP"));
 *      MockProxyServer proxy = MockProxyServer.socks5().credentials("alice", "s3cret")
 *              .redirectTo(smtp.address()).start()) {
 *     // connect to proxy.port(), ask for mx.example.net:25, read "220 mx.test ESMTP" through the tunnel
 *     assertThat(proxy.takeRequest(Duration.ofSeconds(1)).targetHost()).isEqualTo("mx.example.net");
 * }
 * }</pre>
 *
 * <p>A relayed connect that fails is answered the way the protocol reports it: refused as SOCKS5 0x05, SOCKS4 91
 * or HTTP 502; no route as 0x04, 91 or 502; a timeout ({@link #connectTimeout}) as 0x06, 91 or 504.
 *
 * <p>{@link #close()} closes every socket and ends every thread it started. This class is threadsafe; configure it
 * before {@link #start()}.
 */
public final class MockProxyServer implements AutoCloseable {

    /** The proxy protocol the server speaks. */
    public enum Protocol {
        /** SOCKS version 5 (RFC 1928), with username/password authentication (RFC 1929) when required. */
        SOCKS5,
        /** SOCKS version 4a: SOCKS4 with the target sent as a name for the proxy to resolve. */
        SOCKS4A,
        /** An HTTP proxy's {@code CONNECT} tunnel (RFC 9110 §9.3.6). */
        HTTP_CONNECT
    }

    private static final int MAX_HEADER = 16 * 1024;

    private final Protocol protocol;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<ProxyRequest> requests = new CopyOnWriteArrayList<>();
    private final BlockingQueue<ProxyRequest> unclaimed = new LinkedBlockingQueue<>();
    private volatile ProxyAnswer answer = ProxyAnswer.relay();
    private volatile String username;
    private volatile String password;
    private volatile InetSocketAddress redirect;
    private volatile boolean coalesce;
    private volatile Duration connectTimeout = Duration.ofSeconds(5);
    private volatile ServerSocket listener;
    private volatile boolean closed;

    private MockProxyServer(Protocol protocol) {
        this.protocol = protocol;
    }

    /** {@return a SOCKS5 proxy (no authentication unless {@link #credentials} are set)} */
    public static MockProxyServer socks5() {
        return new MockProxyServer(Protocol.SOCKS5);
    }

    /** {@return a SOCKS4 proxy with the 4a extension} */
    public static MockProxyServer socks4a() {
        return new MockProxyServer(Protocol.SOCKS4A);
    }

    /** {@return an HTTP proxy that takes CONNECT} */
    public static MockProxyServer httpConnect() {
        return new MockProxyServer(Protocol.HTTP_CONNECT);
    }

    /** {@return the protocol this server speaks} */
    public Protocol protocol() {
        return protocol;
    }

    /**
     * Requires these credentials: SOCKS5 then offers only username/password (0xFF when the client does not offer
     * it, status 1 for wrong ones); HTTP answers 407 without or with wrong Basic credentials. Not for SOCKS4a.
     *
     * @param username the username the client must present (SOCKS5 or HTTP Basic)
     * @param password the password the client must present
     * @return this server
     */
    public MockProxyServer credentials(String username, String password) {
        if (username == null || password == null) {
            throw new IllegalArgumentException("username and password must not be null");
        }
        if (protocol == Protocol.SOCKS4A) {
            throw new IllegalArgumentException("protocol SOCKS4a has no password");
        }
        this.username = username;
        this.password = password;
        return this;
    }

    /**
     * How the server answers every tunnel request (default {@link ProxyAnswer#relay()}).
     *
     * @param answer the answer given to every tunnel request from now on
     * @return this server
     */
    public MockProxyServer answer(ProxyAnswer answer) {
        if (answer == null) {
            throw new IllegalArgumentException("answer must not be null");
        }
        this.answer = answer;
        return this;
    }

    /**
     * Relays every tunnel to this address, whatever the client asked for.
     *
     * @param target a resolved address, typically a loopback test server
     * @return this server
     */
    public MockProxyServer redirectTo(InetSocketAddress target) {
        if (target == null || target.isUnresolved()) {
            throw new IllegalArgumentException("target must be a resolved address");
        }
        this.redirect = target;
        return this;
    }

    /**
     * Sends its success answer and the target's first bytes in one write (waiting up to 2 s for them), as a fast
     * path can: the client must keep what follows the answer.
     *
     * @return this server
     */
    public MockProxyServer coalesceFirstBytes() {
        this.coalesce = true;
        return this;
    }

    /**
     * The limit for connecting to the target (default 5 s).
     *
     * @param timeout the connect limit, positive
     * @return this server
     */
    public MockProxyServer connectTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive");
        }
        this.connectTimeout = timeout;
        return this;
    }

    /**
     * Listens on 127.0.0.1, on an ephemeral port.
     *
     * @return this server
     * @throws UncheckedIOException when the port cannot be bound
     */
    public MockProxyServer start() {
        if (listener != null) {
            throw new IllegalStateException("already started");
        }
        try {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
            listener = server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the proxy on 127.0.0.1", e);
        }
        daemon("mock-proxy-accept", this::acceptLoop);
        return this;
    }

    /** {@return the port on 127.0.0.1} */
    public int port() {
        if (listener == null) {
            throw new IllegalStateException("not started");
        }
        return listener.getLocalPort();
    }

    /**
     * 127.0.0.1 and {@link #port()}.
     *
     * @return the address clients connect to; the server must be started
     */
    public InetSocketAddress address() {
        return new InetSocketAddress(listener.getInetAddress(), port());
    }

    /** {@return every request received so far, in order} */
    public List<ProxyRequest> requests() {
        return List.copyOf(requests);
    }

    /**
     * The next request not taken yet, waiting up to {@code timeout}; {@code null} when none came.
     *
     * @param timeout how long to wait for a request
     * @return the oldest request not taken yet, or {@code null} when none came within {@code timeout}
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public ProxyRequest takeRequest(Duration timeout) throws InterruptedException {
        return unclaimed.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (listener != null) {
                listener.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : sockets) {
            quietlyClose(socket);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                sockets.add(client);
                daemon("mock-proxy-" + client.getPort(), () -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            DataInputStream in = new DataInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            ProxyAnswer scripted = answer;
            int first = in.read();
            if (first < 0) {
                return;
            }
            switch (scripted.kind()) {
                case CLOSE -> {
                    return;
                }
                case SEND -> {
                    out.write(scripted.bytes());
                    out.flush();
                    return;
                }
                case SILENT -> {
                    in.transferTo(OutputStream.nullOutputStream());
                    return;
                }
                default -> {
                }
            }
            switch (protocol) {
                case SOCKS5 -> socks5(first, in, out, client, scripted);
                case SOCKS4A -> socks4(first, in, out, client, scripted);
                case HTTP_CONNECT -> http(first, in, out, client, scripted);
            }
        } catch (IOException e) {
            // the client went away, or close() closed the socket
        }
    }

    private void socks5(int version, DataInputStream in, OutputStream out, Socket client, ProxyAnswer scripted)
            throws IOException {
        if (version != 5) {
            return;
        }
        int count = in.readUnsignedByte();
        List<Integer> methods = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            methods.add(in.readUnsignedByte());
        }
        String user = null;
        String pass = null;
        if (password != null) {
            if (!methods.contains(2)) {
                record(new ProxyRequest(protocol, null, 0, false, methods, null, null, List.of()));
                out.write(new byte[] {5, (byte) 0xff});
                return;
            }
            out.write(new byte[] {5, 2});
            in.readUnsignedByte(); // sub-negotiation version
            user = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.UTF_8);
            pass = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.UTF_8);
            if (!user.equals(username) || !pass.equals(password)) {
                record(new ProxyRequest(protocol, null, 0, false, methods, user, pass, List.of()));
                out.write(new byte[] {1, 1});
                return;
            }
            out.write(new byte[] {1, 0});
        } else if (methods.contains(0)) {
            out.write(new byte[] {5, 0});
        } else {
            record(new ProxyRequest(protocol, null, 0, false, methods, null, null, List.of()));
            out.write(new byte[] {5, (byte) 0xff});
            return;
        }
        in.readUnsignedByte(); // VER
        in.readUnsignedByte(); // CMD: CONNECT is the only one clients of this kit send
        in.readUnsignedByte(); // RSV
        int atyp = in.readUnsignedByte();
        String host;
        boolean byName = atyp == 3;
        if (byName) {
            host = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.US_ASCII);
        } else {
            byte[] address = in.readNBytes(atyp == 1 ? 4 : 16);
            host = InetAddress.getByAddress(address).getHostAddress();
        }
        int port = in.readUnsignedShort();
        record(new ProxyRequest(protocol, host, port, byName, methods, user, pass, List.of()));
        tunnel(scripted, host, port, client, out, in, code -> new byte[] {5, (byte) (int) code, 0, 1, 0, 0, 0, 0, 0, 0},
                bound -> socks5Success(bound), outcome -> switch (outcome) {
                    case REFUSED -> 5;
                    case NO_ROUTE -> 4;
                    case TIMED_OUT -> 6;
                    case FAILED -> 1;
                });
    }

    private static byte[] socks5Success(InetSocketAddress bound) {
        byte[] address = bound.getAddress().getAddress();
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        reply.writeBytes(new byte[] {5, 0, 0, (byte) (address.length == 4 ? 1 : 4)});
        reply.writeBytes(address);
        reply.write(bound.getPort() >> 8);
        reply.write(bound.getPort() & 0xff);
        return reply.toByteArray();
    }

    private void socks4(int version, DataInputStream in, OutputStream out, Socket client, ProxyAnswer scripted)
            throws IOException {
        if (version != 4) {
            return;
        }
        in.readUnsignedByte(); // CD
        int port = in.readUnsignedShort();
        byte[] ip = in.readNBytes(4);
        String user = readNulTerminated(in);
        boolean byName = ip[0] == 0 && ip[1] == 0 && ip[2] == 0 && ip[3] != 0;
        String host = byName ? readNulTerminated(in) : InetAddress.getByAddress(ip).getHostAddress();
        record(new ProxyRequest(protocol, host, port, byName, List.of(), user.isEmpty() ? null : user, null,
                List.of()));
        tunnel(scripted, host, port, client, out, in, code -> new byte[] {0, (byte) (int) code, 0, 0, 0, 0, 0, 0},
                bound -> new byte[] {0, 90, 0, 0, 0, 0, 0, 0}, outcome -> 91);
    }

    private void http(int first, DataInputStream in, OutputStream out, Socket client, ProxyAnswer scripted)
            throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        line.write(first);
        int total = 1;
        while (true) {
            int b = in.read();
            if (b < 0 || ++total > MAX_HEADER) {
                return;
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                text = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
                if (text.isEmpty()) {
                    break;
                }
                lines.add(text);
                line.reset();
            } else {
                line.write(b);
            }
        }
        String[] request = lines.get(0).split(" ");
        if (request.length != 3 || !request[0].equals("CONNECT")) {
            out.write("HTTP/1.1 405 Method Not Allowed\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        String authority = request[1];
        int colon = authority.lastIndexOf(':');
        String host = authority.substring(0, colon);
        boolean bracketed = host.startsWith("[");
        host = bracketed ? host.substring(1, host.length() - 1) : host;
        int port = Integer.parseInt(authority.substring(colon + 1));
        String user = null;
        String pass = null;
        for (String header : lines) {
            if (header.regionMatches(true, 0, "Proxy-Authorization: Basic ", 0, 27)) {
                String decoded = new String(Base64.getDecoder().decode(header.substring(27).strip()),
                        StandardCharsets.UTF_8);
                int sep = decoded.indexOf(':');
                user = sep < 0 ? decoded : decoded.substring(0, sep);
                pass = sep < 0 ? null : decoded.substring(sep + 1);
            }
        }
        boolean byName = !bracketed && !host.matches("[0-9.]+");
        record(new ProxyRequest(protocol, host, port, byName, List.of(), user, pass, lines));
        if (password != null && (!password.equals(pass) || !username.equals(user))) {
            out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return;
        }
        tunnel(scripted, host, port, client, out, in, code -> ("HTTP/1.1 " + code + " " + scripted.reason()
                        + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1),
                bound -> "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                outcome -> outcome == Outcome.TIMED_OUT ? 504 : 502);
    }

    private enum Outcome { REFUSED, NO_ROUTE, TIMED_OUT, FAILED }

    private interface Encoder<T> {
        byte[] encode(T value);
    }

    private interface Mapper {
        int code(Outcome outcome);
    }

    /** Answers the tunnel request as scripted, or connects to the target and relays until either side closes. */
    private void tunnel(ProxyAnswer scripted, String host, int port, Socket client, OutputStream out, InputStream in,
                        Encoder<Integer> failure, Encoder<InetSocketAddress> success, Mapper mapper)
            throws IOException {
        if (scripted.kind() == ProxyAnswer.Kind.REPLY) {
            int code = scripted.code();
            out.write(protocol == Protocol.HTTP_CONNECT ? ("HTTP/1.1 " + code + " " + scripted.reason()
                    + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1) : failure.encode(code));
            out.flush();
            return;
        }
        if (scripted.kind() == ProxyAnswer.Kind.STALL) {
            in.transferTo(OutputStream.nullOutputStream());
            return;
        }
        Socket target = new Socket();
        sockets.add(target);
        try (target) {
            InetSocketAddress to = redirect != null ? redirect : new InetSocketAddress(host, port);
            try {
                target.connect(to, (int) connectTimeout.toMillis());
            } catch (IOException e) {
                Outcome outcome = e instanceof SocketTimeoutException ? Outcome.TIMED_OUT
                        : e instanceof NoRouteToHostException ? Outcome.NO_ROUTE
                        : e instanceof ConnectException ? Outcome.REFUSED : Outcome.FAILED;
                int code = mapper.code(outcome);
                out.write(protocol == Protocol.HTTP_CONNECT ? ("HTTP/1.1 " + code + (code == 504 ? " Gateway Timeout"
                        : " Bad Gateway") + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII)
                        : failure.encode(code));
                out.flush();
                return;
            }
            InetSocketAddress bound = (InetSocketAddress) target.getLocalSocketAddress();
            byte[] reply = success.encode(bound);
            InputStream fromTarget = target.getInputStream();
            if (coalesce) {
                target.setSoTimeout(2000);
                byte[] buffer = new byte[4096];
                int n = 0;
                try {
                    n = Math.max(0, fromTarget.read(buffer));
                } catch (SocketTimeoutException ignored) {
                    // nothing from the target in time: the answer goes alone
                }
                target.setSoTimeout(0);
                ByteArrayOutputStream both = new ByteArrayOutputStream();
                both.writeBytes(reply);
                both.write(buffer, 0, n);
                out.write(both.toByteArray());
            } else {
                out.write(reply);
            }
            out.flush();
            OutputStream toTarget = target.getOutputStream();
            Thread up = daemon("mock-proxy-up", () -> pump(in, toTarget, target));
            pump(fromTarget, out, client);
            quietlyClose(target);
            try {
                up.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void pump(InputStream from, OutputStream to, Socket closeAfter) {
        try {
            from.transferTo(to);
            closeAfter.shutdownOutput();
        } catch (IOException e) {
            quietlyClose(closeAfter);
        }
    }

    private void record(ProxyRequest request) {
        requests.add(request);
        unclaimed.add(request);
    }

    private static String readNulTerminated(DataInputStream in) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        for (int b = in.readUnsignedByte(); b != 0; b = in.readUnsignedByte()) {
            if (text.size() > 1024) {
                throw new EOFException("a SOCKS4 field longer than 1024 octets");
            }
            text.write(b);
        }
        return text.toString(StandardCharsets.ISO_8859_1);
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void quietlyClose(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public String toString() {
        return "MockProxyServer[" + protocol + (listener != null ? " 127.0.0.1:" + listener.getLocalPort() : "")
                + ", " + answer + "]";
    }
}
