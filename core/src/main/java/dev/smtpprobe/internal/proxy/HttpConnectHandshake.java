package dev.smtpprobe.internal.proxy;

import dev.smtpprobe.PrintableText;
import dev.smtpprobe.ProxyConfig;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.internal.Arguments;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * An HTTP proxy's CONNECT exchange (RFC 9110 §9.3.6), with Basic authentication (RFC 7617) when credentials are
 * configured, as a pure state machine over the proxy's answer.
 *
 * <p>The request names the target in authority form ({@code host:port}, an IPv6 literal in brackets), so a name is
 * resolved by the proxy. The answer is read up to the blank line that ends its header (CRLF CRLF; a bare LF ends a
 * line too, as RFC 9112 §2.2 allows a recipient), at most {@value #MAX_HEADER} octets in all: a proxy that sends
 * more, or anything that is not an HTTP/1.x status line, fails the handshake at once instead of being buffered.
 * Interim 1xx answers are skipped. Bytes after the header are the target's and stay in the buffer.
 *
 * <p><b>Verdicts.</b> A 2xx opens the tunnel. 407 is {@link Verdict#PROXY_AUTH_FAILED}, and so is 401, which some
 * proxies (Tinyproxy) answer to wrong credentials instead of 407; 403
 * {@link Verdict#PROXY_DENIED}, 504 {@link Verdict#CONNECTION_TIMED_OUT} (the proxy timed out reaching the target).
 * Every other status (502, 503, 500...) is {@link Verdict#PROXY_UNREACHABLE}: the proxy did not open the tunnel, and
 * HTTP does not say whether the target refused or could not be reached; the detail quotes the status line.
 */
final class HttpConnectHandshake extends TunnelHandshake {

    /** The most octets of status line and header fields read from the proxy. */
    public static final int MAX_HEADER = 8192;

    private static final byte[] PREFIX = "HTTP/".getBytes(StandardCharsets.US_ASCII);

    private final byte[] header = new byte[MAX_HEADER];
    private int length;
    private int lineStart;
    private int status = -1;
    private String statusLine;

    /** @throws IllegalArgumentException naming the argument when the target is unusable or not ASCII */
    public HttpConnectHandshake(ProxyConfig proxy, String targetHost, int targetPort) {
        super(proxy, targetHost, targetPort);
        Arguments.requireArgument(StandardCharsets.US_ASCII.newEncoder().canEncode(targetHost)
                && targetHost.chars().noneMatch(c -> c <= ' ' || c == '/' || c == '@' || c == 0x7f),
                "targetHost must be an ASCII name or address for HTTP CONNECT: %s", targetHost);
    }

    @Override
    public byte[] start() {
        String authority = target();
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.writeBytes(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        if (proxy().hasPassword()) {
            out.writeBytes("Proxy-Authorization: Basic ".getBytes(StandardCharsets.US_ASCII));
            byte[] basic = basicCredentials();
            out.writeBytes(basic);
            Arrays.fill(basic, (byte) 0);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** base64(user ":" password) in UTF-8, every intermediate copy of the password cleared. */
    private byte[] basicCredentials() {
        byte[] user = (proxy().username().orElseThrow() + ":").getBytes(StandardCharsets.UTF_8);
        char[] password = ProxySecrets.password(proxy());
        ByteBuffer secret = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        Arrays.fill(password, '\0');
        byte[] joined = new byte[user.length + secret.remaining()];
        System.arraycopy(user, 0, joined, 0, user.length);
        secret.get(joined, user.length, secret.remaining());
        secret.clear();
        while (secret.hasRemaining()) {
            secret.put((byte) 0);
        }
        byte[] encoded = Base64.getEncoder().encode(joined);
        Arrays.fill(joined, (byte) 0);
        return encoded;
    }

    @Override
    Step consume(ByteBuffer in) {
        while (in.hasRemaining()) {
            if (length == MAX_HEADER) {
                return fail(Verdict.PROXY_UNREACHABLE, "the " + proxy().describe() + " sent more than " + MAX_HEADER
                        + " octets of header in answer to CONNECT " + target() + " without ending it"
                        + (statusLine != null ? " (status line '" + statusLine + "')" : ""));
            }
            byte b = take(in);
            header[length++] = b;
            if (status < 0 && length - lineStart <= PREFIX.length && b != PREFIX[length - lineStart - 1]) {
                return notThisProtocol("its answer to CONNECT does not start with 'HTTP/'", in);
            }
            if (b != '\n') {
                continue;
            }
            int end = length - 1; // the LF
            if (end > lineStart && header[end - 1] == '\r') {
                end--;
            }
            if (status < 0) {
                Step step = onStatusLine(new String(header, lineStart, end - lineStart, StandardCharsets.ISO_8859_1),
                        in);
                if (step != null) {
                    return step;
                }
            } else if (end == lineStart) { // the blank line: the header is complete
                if (status >= 100 && status < 200) {
                    status = -1; // an interim answer; the final one follows
                } else {
                    return new Done(); // only a 2xx gets here: a failure is decided on its status line
                }
            }
            lineStart = length;
        }
        return new NeedMore();
    }

    /** Parses {@code HTTP/1.x NNN reason}; returns a failure for anything else or a status that is not 1xx/2xx. */
    private Step onStatusLine(String line, ByteBuffer in) {
        if (!line.matches("HTTP/1\\.[0-9] [0-9]{3}( .*)?")) {
            return notThisProtocol("its answer to CONNECT is not an HTTP/1.x status line", in);
        }
        status = Integer.parseInt(line.substring(9, 12));
        statusLine = PrintableText.escape(line.length() > 120 ? line.substring(0, 120) + "..." : line);
        if (status < 300) {
            return null;
        }
        String answered = "the " + proxy().describe() + " answered '" + statusLine + "' to CONNECT " + target();
        return switch (status) {
            case 401, 407 -> fail(Verdict.PROXY_AUTH_FAILED, answered + ": " + (proxy().hasPassword()
                    ? "it rejected the credentials of user " + proxy().username().orElse("")
                    : "it requires credentials, and none are configured"));
            case 403 -> fail(Verdict.PROXY_DENIED, answered + ": its rules forbid this destination");
            case 504 -> fail(Verdict.CONNECTION_TIMED_OUT, "the connection to " + target() + " timed out, as reported by "
                    + "the " + proxy().describe() + " ('" + statusLine + "')");
            default -> fail(Verdict.PROXY_UNREACHABLE, answered + ": it did not open the tunnel (HTTP does not say "
                    + "whether the target refused or could not be reached)");
        };
    }

    @Override
    boolean awaitingTunnel() {
        return true; // the only request is the one for the target
    }

    /** The final status code, or -1 before the status line arrived. */
    public int status() {
        return status;
    }

    @Override
    public String describeTunnel() {
        return "tunnel to " + target() + " open through the " + proxy().describe()
                + (statusLine != null ? " ('" + statusLine + "')" : "");
    }
}
