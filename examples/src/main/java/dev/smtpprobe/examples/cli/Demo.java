package dev.smtpprobe.examples.cli;

import dev.smtpprobe.Hint;
import dev.smtpprobe.HintCode;
import dev.smtpprobe.HostEnvironment;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.Effect;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Ports;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.TestCertificates;
import dev.smtpprobe.testkit.dns.MockDnsServer;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@code smtp-probe --demo}: the field guides' cases, each reproduced by a scripted SMTP server on 127.0.0.1 (and a
 * test DNS server for the mail-domain cases) and diagnosed by a real probe over real sockets (and real TLS with
 * certificates made at start). Nothing leaves the
 * loopback interface; the whole run takes a few seconds.
 *
 * <p>The demo is also a self-check: it exits 0 only when every case got the verdict the guides predict.
 */
final class Demo {

    /**
     * Every server is local, so only the silent ones make the demo wait (the banner limit, twice). The limits still
     * leave room for a slow or busy machine, so that no case is misdiagnosed there.
     */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration GREETING_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration DEADLINE = Duration.ofSeconds(8);

    /**
     * One case: what a user would see in the field, the mail domain to resolve ({@code null}: probe 127.0.0.1
     * directly), the server that reproduces it ({@code null}: nothing listens), how the application is configured,
     * and what the guides predict: the verdict, and for some cases a hint or a word of the detail.
     */
    record Case(String title, String domain, Script server, UnaryOperator<SmtpProbe.Builder> client, Verdict expected,
                HintCode expectedHint, String expectedDetail) {
        Case(String title, Script server, UnaryOperator<SmtpProbe.Builder> client, Verdict expected) {
            this(title, null, server, client, expected, null, null);
        }

        Case(String title, Script server, UnaryOperator<SmtpProbe.Builder> client, Verdict expected,
             HintCode expectedHint, String expectedDetail) {
            this(title, null, server, client, expected, expectedHint, expectedDetail);
        }

        /** A case that resolves {@code domain} through the demo's DNS server first, like an MTA. */
        static Case mailDomain(String title, String domain, Script server, Verdict expected) {
            return new Case(title, domain, server, c -> c, expected, null, null);
        }

        /** The verdict, and when the case names them, a hint and a word of the detail (which certificate check). */
        boolean matches(ProbeResult result) {
            return result.verdict() == expected
                    && (expectedHint == null || result.hints().stream().anyMatch(h -> h.code() == expectedHint))
                    && (expectedDetail == null || result.detail().contains(expectedDetail));
        }

        /** What the case expects, for the error line of a mismatch. */
        String expectation() {
            return expected + (expectedHint == null ? "" : " with hint " + expectedHint)
                    + (expectedDetail == null ? "" : " with \"" + expectedDetail + "\" in the detail");
        }
    }

    /**
     * The machine as the demo presents it to the hints, so the output is the same on a laptop, in a container or
     * in CI: a bare host whose only address is loopback, or, for the container case, a Docker container whose
     * default gateway is 172.17.0.1. Files are held in memory; nothing of the real machine is read.
     */
    record DemoHost(Map<String, String> files, List<InetAddress> localAddresses) implements HostEnvironment {
        static final DemoHost BARE = new DemoHost(Map.of(), List.of(loopback()));
        static final DemoHost DOCKER_CONTAINER = new DemoHost(Map.of(
                "/.dockerenv", "",
                "/proc/net/route", "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
                        + "eth0\t00000000\t010011AC\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
                        + "eth0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n"),
                List.of(loopback()));

        @Override
        public Optional<String> readFile(String absolutePath) {
            return Optional.ofNullable(files.get(absolutePath));
        }

        @Override
        public boolean exists(String absolutePath) {
            return files.containsKey(absolutePath);
        }

        @Override
        public Optional<String> variable(String name) {
            return Optional.empty();
        }

        private static InetAddress loopback() {
            return InetAddress.getLoopbackAddress();
        }
    }

    /** A case's outcome, as {@code --demo --json} prints it. */
    record Outcome(int number, String title, String expected, boolean asExpected, ProbeResult result) {
    }

    /** The demo's made-up password: the output shows it never appears anywhere (the transcript says redacted). */
    static final String DEMO_PASSWORD = "demo-secret-5f3a";

    private final PrintWriter out;
    private final PrintWriter err;
    private final Style style;

    Demo(PrintWriter out, PrintWriter err, Style style) {
        this.out = out;
        this.err = err;
        this.style = style;
    }

    /** The cases, in the order a newcomer should read them: the healthy path first, then layer by layer. */
    static List<Case> cases(TestCertificates certs) {
        Script submission = Script.greeting("220 mx.test ESMTP ready")
                .ehlo("mx.test", "PIPELINING", "SIZE 35882577", "STARTTLS", "AUTH PLAIN LOGIN", "ENHANCEDSTATUSCODES");
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("A healthy submission relay: STARTTLS required, valid certificate",
                submission.onStartTls(certs.valid().tls()), c -> c.tls(TlsMode.STARTTLS_REQUIRED), Verdict.OK));
        cases.add(Case.mailDomain("A mail domain resolved like an MTA: its MX, the host's address, then SMTP (no STARTTLS offered)",
                "example.test", Script.greeting("220 mx.example.test ESMTP").ehlo("mx.example.test", "PIPELINING"),
                Verdict.OK));
        cases.add(Case.mailDomain("A typo in the recipient's domain: it does not exist (NXDOMAIN)",
                "exmaple.test", null, Verdict.DNS_NO_SUCH_DOMAIN));
        cases.add(Case.mailDomain("The domain says it takes no mail at all (null MX, RFC 7505)",
                "noreply.test", null, Verdict.DNS_NULL_MX));
        cases.add(Case.mailDomain("The MX names a host that has no address (a dangling MX)",
                "dangling.test", null, Verdict.DNS_NO_MAIL_HOST));
        cases.add(new Case("Nothing listens on the port (mail daemon down, or a firewall REJECT rule)",
                null, c -> c, Verdict.CONNECTION_REFUSED));
        cases.add(new Case("The same, inside a Docker container: there, localhost is the container itself",
                null, c -> c.environment(DemoHost.DOCKER_CONTAINER), Verdict.CONNECTION_REFUSED,
                HintCode.DOCKER_LOCALHOST, null));
        cases.add(new Case("Accepted, then reset before the banner (a TCP wrapper or rate limiter)",
                Script.effect(Effect.RESET), c -> c, Verdict.CONNECTION_RESET));
        cases.add(new Case("Connected, but the server never says anything (a tarpit)",
                // The probe then tries implicit TLS (is it a 465-style port?); a tarpit never answers that either,
                // and the shorter handshake limit keeps the demo quick.
                Script.effect(Effect.STALL), c -> c.replyTimeout(Duration.ofMillis(500)), Verdict.GREETING_TIMEOUT));
        cases.add(new Case("Plain text to an implicit-TLS port (465 configured as STARTTLS)",
                submission.tlsOnConnect(certs.valid().tls()), c -> c.tls(TlsMode.STARTTLS), Verdict.TLS_MODE_MISMATCH));
        cases.add(new Case("Implicit TLS to a STARTTLS port (587 configured as SSL)",
                submission.onStartTls(certs.valid().tls()), c -> c.tls(TlsMode.IMPLICIT), Verdict.TLS_MODE_MISMATCH));
        cases.add(new Case("Not a mail server at all (an HTTP service on that port)",
                Script.effect(Effect.httpResponse(), Effect.CLOSE), c -> c, Verdict.NOT_SMTP));
        cases.add(new Case("Blocklisted: 554 at the greeting, naming a DNSBL",
                Script.greeting("554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org"),
                c -> c, Verdict.SMTP_PERMANENT_REJECTION));
        cases.add(new Case("Busy or rate limited: 421 at the greeting",
                Script.greeting("421 4.7.0 mx.test Too many connections, try again later"),
                c -> c, Verdict.SMTP_TRANSIENT_REJECTION));
        cases.add(new Case("STARTTLS required, but the server does not offer it",
                Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "PIPELINING", "SIZE 35882577"),
                c -> c.tls(TlsMode.STARTTLS_REQUIRED), Verdict.STARTTLS_UNAVAILABLE));
        cases.add(new Case("\"It stopped working overnight\": the certificate expired",
                submission.onStartTls(certs.expired().tls()), c -> c.tls(TlsMode.STARTTLS_REQUIRED),
                Verdict.CERTIFICATE_INVALID, null, "expired"));
        cases.add(new Case("The certificate names another host",
                submission.onStartTls(certs.wrongHost().tls()), c -> c.tls(TlsMode.STARTTLS_REQUIRED),
                Verdict.CERTIFICATE_INVALID, null, "hostname"));
        cases.add(new Case("Wrong password: 535 after a working STARTTLS (not a network problem)",
                submission.onStartTls(certs.valid().tls()).onAuth("535 5.7.8 Authentication credentials invalid"),
                c -> c.tls(TlsMode.STARTTLS_REQUIRED).auth("app@example.test", DEMO_PASSWORD.toCharArray()),
                Verdict.AUTH_FAILED, HintCode.AUTH_NOT_NETWORK, null));
        cases.add(new Case("Logged in, but the relay refuses an outside recipient: 550 5.7.1 relaying denied",
                submission.onStartTls(certs.valid().tls()).onAuth("235 2.7.0 Authentication successful")
                        .rcpt("someone@elsewhere.test", "550 5.7.1 Relaying denied"),
                c -> c.tls(TlsMode.STARTTLS_REQUIRED).auth("app@example.test", DEMO_PASSWORD.toCharArray())
                        .envelope("app@example.test", "someone@elsewhere.test"),
                Verdict.SMTP_PERMANENT_REJECTION, null, "RELAY_DENIED"));
        cases.add(new Case("No TLS protocol or cipher in common",
                submission.onStartTls(certs.noCommonCipher()), c -> c.tls(TlsMode.STARTTLS_REQUIRED),
                Verdict.TLS_HANDSHAKE_FAILED));
        return cases;
    }

    /**
     * Runs the cases one after the other (so each one's timings are its own, not its neighbours' contention),
     * prints them in order, and returns the exit status.
     */
    int run(Output output) {
        TestCertificates certs = TestCertificates.shared();
        List<Case> cases = cases(certs);
        try (MockDnsServer dns = MockDnsServer.start()) {
            zone(dns);
            String resolver = dns.host() + ":" + dns.port();
            // One unprinted probe first: the JVM loads its TLS and Netty classes here, so each case's timings are
            // its own and not the first one's start-up cost.
            run(cases.get(0), certs, resolver);
            List<Outcome> outcomes = new ArrayList<>();
            for (Case c : cases) {
                ProbeResult result = run(c, certs, resolver);
                outcomes.add(new Outcome(outcomes.size() + 1, c.title(), c.expectation(), c.matches(result), result));
            }
            print(outcomes, output);
            List<Outcome> unexpected = outcomes.stream().filter(o -> !o.asExpected()).toList();
            for (Outcome o : unexpected) {
                err.println("smtp-probe: demo case " + o.number() + " (" + o.title() + ") was diagnosed "
                        + o.result().verdict() + " (" + o.result().detail() + ") with hints "
                        + o.result().hints().stream().map(Hint::code).toList() + "; expected " + o.expected());
            }
            return unexpected.isEmpty() ? ExitCode.OK.code() : ExitCode.INTERNAL.code();
        }
    }

    /** The DNS the mail-domain cases see: names under .test, reserved for testing (RFC 2606). */
    static void zone(MockDnsServer dns) {
        dns.mx("example.test", 10, "mx.example.test").a("mx.example.test", "127.0.0.1");
        dns.nullMx("noreply.test");
        dns.mx("dangling.test", 10, "mx.dangling.test").exists("mx.dangling.test");
    }

    private static ProbeResult run(Case c, TestCertificates certs, String resolver) {
        MockSmtpServer server = c.server() == null ? null : new MockSmtpServer().start(c.server());
        try {
            int port = server == null ? Ports.closed() : server.port();
            SmtpProbe.Builder probe = c.domain() == null ? SmtpProbe.to("127.0.0.1")
                    : SmtpProbe.mx(c.domain()).resolver(resolver); // the demo's DNS server, never the system's
            probe.port(port)
                    .ehloName("demo.smtp-probe.test")      // no local host-name lookup in a demo
                    .trustManager(certs.trustManager())    // the demo's own test CA, nothing else
                    .environment(DemoHost.BARE)
                    .connectTimeout(CONNECT_TIMEOUT).greetingTimeout(GREETING_TIMEOUT)
                    .replyTimeout(REPLY_TIMEOUT).deadline(DEADLINE);
            return c.client().apply(probe).run();
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private void print(List<Outcome> outcomes, Output output) {
        if (output == Output.JSON) {
            out.println(Json.write(outcomes));
            return;
        }
        StringBuilder text = new StringBuilder();
        text.append("smtp-probe demo: ").append(outcomes.size())
                .append(" cases from the field guides, each a scripted SMTP server on 127.0.0.1, with a test DNS")
                .append(" server for the mail domains (no other network).\n");
        HumanFormat format = new HumanFormat(style);
        for (Outcome o : outcomes) {
            text.append('\n').append(String.format("%2d. ", o.number())).append(o.title()).append('\n');
            if (output == Output.REPORT) {
                o.result().report().lines().forEach(line -> text.append("    ").append(line).append('\n'));
            } else {
                text.append(format.compact(o.result(), "    "));
            }
            if (output == Output.HUMAN_WITH_TRANSCRIPT) {
                o.result().transcript().forEach(line -> text.append("      ").append(line).append('\n'));
            }
        }
        long good = outcomes.stream().filter(Outcome::asExpected).count();
        text.append('\n').append(good).append(" of ").append(outcomes.size())
                .append(" cases diagnosed as the field guides describe.\n")
                .append("Probe a real server: java -jar smtp-probe.jar smtp.example.net -p 587 --tls require-starttls\n");
        out.print(text);
        out.flush();
    }
}
