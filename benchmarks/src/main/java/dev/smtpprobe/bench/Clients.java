package dev.smtpprobe.bench;

import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The competitors. Each probe is the same dialogue: connect, read 220, EHLO, read the 250 reply, QUIT, read 221,
 * close. Each reports whether the probe ended the way the benchmark expects, and keeps the first surprise for the
 * report (a benchmark whose probes fail measures nothing).
 */
final class Clients {

    /** The EHLO name every competitor sends, so none of them looks up the local host name. */
    static final String EHLO_NAME = "bench.local";

    private Clients() {
    }

    /** A competitor: either non-blocking ({@link #start}) or blocking ({@link #call}). */
    abstract static class Client {
        private final String name;
        private final AtomicReference<String> firstSurprise = new AtomicReference<>();

        Client(String name) {
            this.name = name;
        }

        String name() {
            return name;
        }

        /** Whether {@link #start} is the non-blocking way to run this client. */
        abstract boolean async();

        /** Starts one probe; the future completes with whether it ended as expected. */
        CompletableFuture<Boolean> start(InetSocketAddress target) {
            throw new UnsupportedOperationException(name + " is blocking");
        }

        /** Runs one probe on this thread; returns whether it ended as expected. */
        boolean call(InetSocketAddress target) {
            throw new UnsupportedOperationException(name + " is non-blocking");
        }

        /** Runs one probe, waiting for it whichever kind this client is. */
        boolean runOne(InetSocketAddress target) {
            return async() ? start(target).join() : call(target);
        }

        final boolean surprise(String what) {
            firstSurprise.compareAndSet(null, what);
            return false;
        }

        /** The first unexpected outcome, or null. */
        String firstSurprise() {
            return firstSurprise.get();
        }
    }

    /**
     * smtp-probe with the transport found on the class path: the async API ({@code runAsync()}, Netty's event
     * loops) for batches, the synchronous one ({@code run()}) for one probe at a time.
     */
    static final class SmtpProbeClient extends Client {
        private final Map<InetSocketAddress, SmtpProbe> probes = new ConcurrentHashMap<>();
        private final TlsMode tls;
        private final Path ca;
        private final Duration timeout;
        private final Verdict expected;

        /** Plain probes expecting {@link Verdict#OK}. */
        SmtpProbeClient() {
            this("smtp-probe", TlsMode.NONE, null, Duration.ofSeconds(10), Verdict.OK);
        }

        SmtpProbeClient(String name, TlsMode tls, Path ca, Duration timeout, Verdict expected) {
            super(name);
            this.tls = tls;
            this.ca = ca;
            this.timeout = timeout;
            this.expected = expected;
        }

        @Override
        boolean async() {
            return true;
        }

        SmtpProbe probe(InetSocketAddress target) {
            return probes.computeIfAbsent(target, t -> {
                SmtpProbe.Builder b = SmtpProbe.to(t.getAddress().getHostAddress()).port(t.getPort()).tls(tls)
                        .ehloName(EHLO_NAME).connectTimeout(timeout).greetingTimeout(timeout).replyTimeout(timeout)
                        .deadline(timeout.multipliedBy(3)).confirmTlsMode(false);
                if (ca != null) {
                    b.trustedCertificates(ca);
                }
                return b.build();
            });
        }

        @Override
        CompletableFuture<Boolean> start(InetSocketAddress target) {
            return probe(target).runAsync().handle((r, e) -> check(r, e));
        }

        /**
         * One probe with the synchronous API, as an application's pre-flight check calls it: {@code run()}, which
         * the default transport serves on a JDK socket with a thread of its own (no event loop).
         */
        @Override
        boolean runOne(InetSocketAddress target) {
            try {
                return check(probe(target).run(), null);
            } catch (RuntimeException e) {
                return check(null, e);
            }
        }

        private boolean check(ProbeResult r, Throwable e) {
            if (e != null) {
                return surprise("threw " + e);
            }
            return r.verdict() == expected || surprise("verdict " + r.verdict() + ": " + r.summary());
        }
    }

    /** Eclipse Angus Mail: {@code Transport.connect} and {@code close}, as Spring Boot's mail health check does. */
    static final class AngusClient extends Client {
        private final Session session;

        AngusClient(Duration timeout) {
            super("Angus Mail");
            Properties p = new Properties();
            p.setProperty("mail.smtp.localhost", EHLO_NAME);
            p.setProperty("mail.smtp.ehlo", "true");
            p.setProperty("mail.smtp.auth", "false");
            p.setProperty("mail.smtp.starttls.enable", "false");
            p.setProperty("mail.smtp.connectiontimeout", Long.toString(timeout.toMillis()));
            p.setProperty("mail.smtp.timeout", Long.toString(timeout.toMillis()));
            // mail.smtp.writetimeout is left unset: Angus would start a thread per connection for it.
            this.session = Session.getInstance(p);
        }

        @Override
        boolean async() {
            return false;
        }

        @Override
        boolean call(InetSocketAddress target) {
            try {
                jakarta.mail.Transport t = session.getTransport("smtp");
                t.connect(target.getAddress().getHostAddress(), target.getPort(), null, null);
                t.close();
                return true;
            } catch (MessagingException | RuntimeException e) {
                return surprise("threw " + e);
            }
        }

        /** Whether connecting fails (the refused-port benchmark expects it to). */
        boolean callExpectingFailure(InetSocketAddress target) {
            try {
                jakarta.mail.Transport t = session.getTransport("smtp");
                t.connect(target.getAddress().getHostAddress(), target.getPort(), null, null);
                t.close();
                return surprise("connected to " + target);
            } catch (MessagingException e) {
                return true;
            }
        }
    }

    /** A blocking {@link Socket} speaking the dialogue itself: what a hand-written check costs. */
    static final class SocketClient extends Client {
        private static final byte[] EHLO = ("EHLO " + EHLO_NAME + "\r\n").getBytes(StandardCharsets.US_ASCII);
        private static final byte[] QUIT = "QUIT\r\n".getBytes(StandardCharsets.US_ASCII);
        private final int timeoutMillis;

        SocketClient(Duration timeout) {
            super("java.net.Socket");
            this.timeoutMillis = (int) timeout.toMillis();
        }

        @Override
        boolean async() {
            return false;
        }

        @Override
        boolean call(InetSocketAddress target) {
            try (Socket s = new Socket()) {
                s.setTcpNoDelay(true);
                s.connect(target, timeoutMillis);
                s.setSoTimeout(timeoutMillis);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] buf = new byte[1024];
                if (readReply(in, buf) != 220) {
                    return surprise("no 220");
                }
                out.write(EHLO);
                if (readReply(in, buf) != 250) {
                    return surprise("no 250");
                }
                out.write(QUIT);
                return readReply(in, buf) == 221 || surprise("no 221");
            } catch (IOException e) {
                return surprise("threw " + e);
            }
        }

        /** Connects and expects a refusal (the refused-port benchmark). */
        boolean connectExpectingFailure(InetSocketAddress target) {
            try (Socket s = new Socket()) {
                s.connect(target, timeoutMillis);
                return surprise("connected to " + target);
            } catch (IOException e) {
                return true;
            }
        }

        /**
         * Reads one SMTP reply (one or more lines, the last with a space after the code) and returns its code.
         * The sink's replies fit the buffer; a longer one is an error here, not a case to handle.
         */
        private static int readReply(InputStream in, byte[] buf) throws IOException {
            int len = 0;
            int lineStart = 0;
            while (true) {
                int n = in.read(buf, len, buf.length - len);
                if (n < 0) {
                    throw new IOException("closed mid-reply");
                }
                int end = len + n;
                for (int i = len; i < end; i++) {
                    if (buf[i] == '\n') {
                        if (i - lineStart >= 4 && buf[lineStart + 3] == ' ') {
                            return (buf[lineStart] - '0') * 100 + (buf[lineStart + 1] - '0') * 10 + (buf[lineStart + 2] - '0');
                        }
                        lineStart = i + 1;
                    }
                }
                len = end;
                if (len == buf.length) {
                    throw new IOException("reply longer than " + buf.length + " bytes");
                }
            }
        }
    }
}
