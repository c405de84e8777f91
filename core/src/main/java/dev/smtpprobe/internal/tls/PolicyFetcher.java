package dev.smtpprobe.internal.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Fetches {@code https://<host>/.well-known/mta-sts.txt} as RFC 8461 §3.3 requires of a sender: the host's
 * certificate validated against the trust of the given {@link SSLContext} and checked against the host name (the
 * name is also sent in SNI), no redirect followed (a 3xx is a fetch error), only {@code 200} with a
 * {@code text/plain} body accepted, the body at most {@value #MAX_BODY_BYTES} bytes, and the whole exchange,
 * connect included, bounded by one timeout.
 *
 * <p>It speaks HTTP/1.0 over a TLS socket it opens itself, because where it connects is a seam: a function from the
 * policy host to the address to connect to (the JVM's resolution in production, a loopback server in tests),
 * while the certificate is still verified as the policy host. Immutable and threadsafe.
 */
public final class PolicyFetcher {

    /** RFC 8461 §3.3 suggests senders cap the policy at 64 KiB. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    static final String PATH = "/.well-known/mta-sts.txt";
    private static final int MAX_HEAD_BYTES = 16 * 1024;
    private static final int HTTPS_PORT = 443;

    private final SSLContext webPki;
    private final Function<String, InetSocketAddress> route;
    private final Duration timeout;

    /** The fetch failed; {@link #type()} is its RFC 8460 result type. The message never holds the body. */
    public static final class FetchException extends Exception {
        private static final long serialVersionUID = 1L;
        private final TlsRptResultType type;

        FetchException(TlsRptResultType type, String message, Throwable cause) {
            super(message, cause);
            this.type = type;
        }

        /** @return the RFC 8460 result type of this failure */
        public TlsRptResultType type() {
            return type;
        }
    }

    /**
     * @param webPki  whose trust managers validate the policy host (the JVM's default trust for WebPKI)
     * @param route   the address to connect to for a policy host; null for the JVM's resolution, port 443
     * @param timeout the bound of one fetch, connect to last byte
     * @throws IllegalArgumentException when {@code webPki} is null or {@code timeout} is not positive
     */
    public PolicyFetcher(SSLContext webPki, Function<String, InetSocketAddress> route, Duration timeout) {
        if (webPki == null) {
            throw new IllegalArgumentException("webPki must not be null");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        this.webPki = webPki;
        this.route = route != null ? route : host -> new InetSocketAddress(host, HTTPS_PORT);
        this.timeout = timeout;
    }

    /**
     * A fetcher with the JVM's default trust and resolution.
     *
     * @throws IllegalArgumentException when {@code timeout} is not positive
     */
    public static PolicyFetcher withDefaultTrust(Duration timeout) {
        try {
            return new PolicyFetcher(SSLContext.getDefault(), null, timeout);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM has no default SSL context", e);
        }
    }

    /**
     * Fetches the policy text of a policy host.
     *
     * @param host the policy host, {@code mta-sts.<domain>}
     * @return the body, decoded as UTF-8
     * @throws FetchException typed {@link TlsRptResultType#STS_WEBPKI_INVALID} when the certificate fails
     *                        validation, {@link TlsRptResultType#STS_POLICY_INVALID} when the content type is not
     *                        {@code text/plain}, {@link TlsRptResultType#STS_POLICY_FETCH_ERROR} otherwise
     */
    public String fetch(String host) throws FetchException {
        Objects.requireNonNull(host, "host");
        long deadline = System.nanoTime() + timeout.toNanos();
        InetSocketAddress address;
        try {
            address = Objects.requireNonNull(route.apply(host), "route");
        } catch (RuntimeException e) {
            throw new FetchException(TlsRptResultType.STS_POLICY_FETCH_ERROR, host + ": cannot resolve: " + e, e);
        }
        if (address.isUnresolved()) {
            throw new FetchException(TlsRptResultType.STS_POLICY_FETCH_ERROR, host + ": cannot resolve", null);
        }
        try (Socket plain = new Socket()) {
            plain.connect(address, remainingMillis(deadline, host));
            try (SSLSocket tls = (SSLSocket) webPki.getSocketFactory()
                    .createSocket(plain, host, address.getPort(), true)) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                parameters.setServerNames(List.of(new SNIHostName(host)));
                tls.setSSLParameters(parameters);
                tls.setSoTimeout(remainingMillis(deadline, host));
                handshake(tls, host);
                OutputStream out = tls.getOutputStream();
                out.write(("GET " + PATH + " HTTP/1.0\r\nHost: " + host + "\r\nAccept: text/plain\r\n"
                        + "User-Agent: smtp-probe\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return readResponse(new Bounded(tls, deadline, host), host);
            }
        } catch (SocketTimeoutException e) {
            throw new FetchException(TlsRptResultType.STS_POLICY_FETCH_ERROR,
                    host + ": no complete answer within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new FetchException(TlsRptResultType.STS_POLICY_FETCH_ERROR, host + ": " + e, e);
        }
    }

    private static void handshake(SSLSocket tls, String host) throws IOException, FetchException {
        try {
            tls.startHandshake();
        } catch (SSLException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof CertificateException) {
                    throw new FetchException(TlsRptResultType.STS_WEBPKI_INVALID,
                            host + ": certificate not valid for WebPKI: " + t.getMessage(), e);
                }
            }
            throw e;
        }
    }

    private static String readResponse(Bounded in, String host) throws IOException, FetchException {
        String head = in.head();
        String[] lines = head.split("\r?\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new FetchException(TlsRptResultType.STS_POLICY_FETCH_ERROR, host + ": not an HTTP response", null);
        }
        String code = status[1];
        if (!"200".equals(code)) {
            String what = code.startsWith("3") ? " (a redirect; RFC 8461 §3.3 forbids following it)" : "";
            throw new FetchException(TlsRptResultType.STS_POLICY_FETCH_ERROR,
                    host + ": HTTP " + printable(code) + what, null);
        }
        String contentType = null;
        long length = -1;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).strip();
            if (name.equals("content-type") && contentType == null) {
                contentType = value;
            } else if (name.equals("content-length") && length < 0) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new FetchException(TlsRptResultType.STS_POLICY_FETCH_ERROR,
                            host + ": Content-Length is not a number", null);
                }
            }
        }
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("text/plain")) {
            throw new FetchException(TlsRptResultType.STS_POLICY_INVALID, host + ": content type is "
                    + (contentType == null ? "missing" : printable(contentType)) + ", not text/plain", null);
        }
        if (length > MAX_BODY_BYTES) {
            throw tooLarge(host);
        }
        byte[] body = in.body(length);
        return new String(body, StandardCharsets.UTF_8);
    }

    private static FetchException tooLarge(String host) {
        return new FetchException(TlsRptResultType.STS_POLICY_FETCH_ERROR,
                host + ": policy larger than " + MAX_BODY_BYTES + " bytes", null);
    }

    private static String printable(String text) {
        String cut = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static int remainingMillis(long deadline, String host) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
            throw new SocketTimeoutException(host + ": deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    /** Reads the response under the deadline: each read waits at most the time left. */
    private static final class Bounded {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;
        private final String host;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        Bounded(Socket socket, long deadline, String host) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadline = deadline;
            this.host = host;
        }

        private int read(byte[] buffer, int max) throws IOException {
            socket.setSoTimeout(remainingMillis(deadline, host));
            return in.read(buffer, 0, max);
        }

        /** The status line and headers, without the blank line; what follows is kept for {@link #body}. */
        String head() throws IOException, FetchException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            byte[] one = new byte[1];
            int state = 0; // how much of CRLFCRLF (or LFLF) has been seen
            while (true) {
                if (read(one, 1) < 0) {
                    throw new FetchException(TlsRptResultType.STS_POLICY_FETCH_ERROR,
                            host + ": connection closed before the response headers ended", null);
                }
                byte b = one[0];
                head.write(b);
                if (head.size() > MAX_HEAD_BYTES) {
                    throw new FetchException(TlsRptResultType.STS_POLICY_FETCH_ERROR,
                            host + ": response headers larger than " + MAX_HEAD_BYTES + " bytes", null);
                }
                if (b == '\n') {
                    state++;
                    if (state == 2) {
                        return head.toString(StandardCharsets.ISO_8859_1).strip();
                    }
                } else if (b != '\r') {
                    state = 0;
                }
            }
        }

        /** The body: {@code length} bytes, or up to the end of the stream when {@code length} is negative. */
        byte[] body(long length) throws IOException, FetchException {
            byte[] buffer = new byte[8192];
            while (length < 0 || pending.size() < length) {
                int want = length < 0 ? buffer.length : (int) Math.min(buffer.length, length - pending.size());
                int n = read(buffer, want);
                if (n < 0) {
                    if (length >= 0) {
                        throw new FetchException(TlsRptResultType.STS_POLICY_FETCH_ERROR,
                                host + ": connection closed before the policy ended", null);
                    }
                    break;
                }
                pending.write(buffer, 0, n);
                if (pending.size() > MAX_BODY_BYTES) {
                    throw tooLarge(host);
                }
            }
            return pending.toByteArray();
        }
    }
}
