package dev.smtpprobe.internal.proxy;

import dev.smtpprobe.ProxyConfig;
import dev.smtpprobe.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A test-only connection: a plain JDK socket to the proxy that runs a handshake the way the engine's connection
 * will (write {@code start()}, hand each chunk read to {@code onBytes}, write every {@code Send}), then reads the
 * SMTP greeting through the tunnel, starting with the bytes the handshake left in the buffer.
 */
final class TunnelDriver {

    /** The greeting line read through the tunnel, or the failure's verdict and message. */
    record Outcome(String greeting, Verdict verdict, String message) {
        boolean ok() {
            return greeting != null;
        }
    }

    private TunnelDriver() {
    }

    static Outcome run(ProxyConfig proxy, String targetHost, int targetPort, Duration readTimeout) throws IOException {
        TunnelHandshake handshake = ProxyHandshakes.create(proxy, targetHost, targetPort);
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress(proxy.host(), proxy.port()), 2000);
            } catch (ConnectException e) {
                return failed(ProxyHandshakes.unreachable(proxy, "connection refused"));
            }
            socket.setSoTimeout((int) readTimeout.toMillis());
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            out.write(handshake.start());
            out.flush();
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            byte[] chunk = new byte[512];
            while (true) {
                int n;
                try {
                    n = in.read(chunk);
                } catch (SocketTimeoutException e) {
                    return failed(handshake.timedOut(readTimeout));
                }
                if (n < 0) {
                    return failed(handshake.closed());
                }
                buffer.put(chunk, 0, n).flip();
                ProxyHandshake.Step step;
                do {
                    step = handshake.onBytes(buffer);
                    if (step instanceof ProxyHandshake.Send send) {
                        out.write(send.bytes());
                        out.flush();
                    }
                } while (step instanceof ProxyHandshake.Send && buffer.hasRemaining());
                if (step instanceof ProxyHandshake.Failed f) {
                    return failed(f.failure());
                }
                if (step instanceof ProxyHandshake.Done) {
                    return new Outcome(greeting(buffer, in), null, handshake.describeTunnel());
                }
                buffer.compact();
            }
        }
    }

    private static String greeting(ByteBuffer leftover, InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (leftover.hasRemaining()) {
            byte b = leftover.get();
            if (b == '\n') {
                return line.toString(StandardCharsets.ISO_8859_1).strip();
            }
            line.write(b);
        }
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1).strip();
    }

    private static Outcome failed(ProxyFailure failure) {
        return new Outcome(null, failure.verdict(), failure.getMessage());
    }
}
