package dev.smtpprobe.netty.mta;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A real mail server started by a test, listening on {@link #host()}:{@link #port()}; {@link #close()} stops it. */
public interface MailServer extends AutoCloseable {

    /** The server's name, for test display names. */
    String name();

    /** The loopback address it listens on. */
    default String host() {
        return "127.0.0.1";
    }

    /** The TCP port of its SMTP listener. */
    int port();

    /** Stops the server and waits until it is gone. */
    @Override
    void close();

    /**
     * Talks to the server with a plain socket: reads the banner, sends EHLO and QUIT, and returns what it said.
     * Used to prove the server works before the probe is pointed at it.
     */
    default String rawSession() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host(), port()), 2000);
            s.setSoTimeout(3000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            StringBuilder said = new StringBuilder();
            readReply(in, said);
            if (said.charAt(0) != '2') {
                return said.toString();
            }
            out.write("EHLO probe.test\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            readReply(in, said);
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            readReply(in, said);
            return said.toString();
        }
    }

    private static void readReply(InputStream in, StringBuilder said) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                said.append(line).append('\n');
                if (line.length() < 4 || line.charAt(3) != '-') {
                    return;
                }
                line.setLength(0);
            } else if (b != '\r') {
                line.append((char) b);
            }
        }
        said.append(line);
    }
}
