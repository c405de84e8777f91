package dev.smtpprobe;

import dev.smtpprobe.internal.Addresses;
import dev.smtpprobe.internal.CallerLoop;
import dev.smtpprobe.internal.CredentialAccess;
import dev.smtpprobe.internal.Credentials;
import dev.smtpprobe.internal.Envelope;
import dev.smtpprobe.internal.Prober;
import dev.smtpprobe.internal.TrustMaterial;
import dev.smtpprobe.internal.dns.DnsNames;
import dev.smtpprobe.internal.dns.ResolverAddresses;
import dev.smtpprobe.spi.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.X509TrustManager;

/**
 * A configured SMTP probe: resolves, connects, reads the banner, speaks EHLO and STARTTLS, and returns a
 * {@link ProbeResult} whose {@link Verdict} names the failing layer.
 *
 * <pre>{@code
 * ProbeResult result = SmtpProbe.to("mx.example.net").port(587).run();
 * System.out.println(result.summary());
 * }</pre>
 *
 * <p>{@link #mx(String)} probes a mail domain the way an MTA delivers to it: MX records in preference order, each
 * host's addresses, failing over to the next until one answers; with several {@link Builder#ports ports} it sweeps
 * them and tells when outbound port 25 looks blocked:
 *
 * <pre>{@code
 * ProbeResult result = SmtpProbe.mx("example.com").ports(25, 587).run();
 * result.resolution().hosts().forEach(System.out::println);   // 10 mx1.example.com [192.0.2.1]
 * result.portVerdicts().forEach((port, v) -> System.out.println(port + " " + v));
 * }</pre>
 *
 * <p>{@link #batch(Collection)} probes many targets concurrently and says whether a failure is on your side or the
 * recipients' ({@link ScopeSummary}).
 *
 * <p>{@link #to(String)} returns a {@link Builder}; every setter validates its argument at once and throws
 * {@link IllegalArgumentException} naming it. {@link Builder#build()} copies the configuration, so a built probe
 * never changes. Every timeout has a bounded default; {@link Builder#deadline} bounds the whole probe.
 *
 * <p>This class is immutable and threadsafe: one probe may run many times, concurrently.
 */
public final class SmtpProbe {

    /** Default TCP connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default wait for the 220 banner after connecting. */
    public static final Duration DEFAULT_GREETING_TIMEOUT = Duration.ofSeconds(15);
    /** Default wait for each reply after the greeting (and for a TLS handshake). */
    public static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(15);
    /** Default limit for the whole probe, every attempt included. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);
    /** Default limit for each DNS query to one resolver. */
    public static final Duration DEFAULT_DNS_TIMEOUT = Duration.ofSeconds(5);
    /** The most ports one probe sweeps. */
    public static final int MAX_PORTS = 16;

    private final String host;
    private final int port;
    private final TlsMode tlsMode;
    private final Duration connectTimeout;
    private final Duration greetingTimeout;
    private final Duration replyTimeout;
    private final Duration deadline;
    private final String ehloName;
    private final X509TrustManager trustManager;
    private final boolean verifyHostname;
    private final InetAddress sourceAddress;
    private final Transport transport;
    private final ProbeListener listener;
    private final boolean confirmTlsMode;
    private final Clock clock;
    // AUTH and ENVELOPE (issue 4): the secret stays inside Credentials, reachable only through CredentialAccess.
    private final Credentials credentials;
    private final AuthMechanism authMechanism;
    private final boolean allowPlaintextAuth;
    private final Envelope envelope;

    static {
        CredentialAccess.install(probe -> probe.credentials);
    }
    private final HostEnvironment environment;
    // Resolution, attempts and the port sweep.
    private final Resolution.Kind kind;
    private final List<Integer> ports;
    private final TlsMode explicitTlsMode;
    private final List<InetSocketAddress> resolvers;
    private final List<InetSocketAddress> comparedResolvers;
    private final Duration dnsTimeout;
    private final IpVersion ipVersion;
    private final boolean allAttempts;
    private final Long shuffleSeed;

    private SmtpProbe(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.tlsMode = b.tlsMode != null ? b.tlsMode : TlsMode.defaultFor(b.port);
        this.connectTimeout = b.connectTimeout;
        this.greetingTimeout = b.greetingTimeout;
        this.replyTimeout = b.replyTimeout;
        this.deadline = b.deadline;
        this.ehloName = b.ehloName;
        this.trustManager = b.trustManager;
        this.verifyHostname = b.verifyHostname;
        this.sourceAddress = b.sourceAddress;
        this.transport = b.transport;
        this.listener = b.listener;
        this.confirmTlsMode = b.confirmTlsMode;
        this.clock = b.clock;
        this.credentials = b.credentials;
        this.authMechanism = b.authMechanism;
        this.allowPlaintextAuth = b.allowPlaintextAuth;
        this.envelope = b.envelopeSender == null ? null
                : Envelope.of(b.envelopeSender, b.envelopeRecipients, b.messageSize);
        this.environment = b.environment;
        this.kind = b.kind;
        this.ports = List.copyOf(b.ports);
        this.explicitTlsMode = b.tlsMode;
        this.resolvers = List.copyOf(b.resolvers);
        this.comparedResolvers = List.copyOf(b.comparedResolvers);
        this.dnsTimeout = b.dnsTimeout;
        this.ipVersion = b.ipVersion;
        this.allAttempts = b.allAttempts;
        this.shuffleSeed = b.shuffleSeed;
    }

    /**
     * Starts configuring a probe of one SMTP host: a host name or an address literal ({@code 192.0.2.1},
     * {@code ::1}, {@code [192.0.2.1]}, {@code [IPv6:::1]}).
     *
     * @throws IllegalArgumentException when {@code host} is null or blank
     */
    public static Builder to(String host) {
        return new Builder(host, Resolution.Kind.HOST);
    }

    /**
     * Starts configuring a probe of a mail domain, resolved like an MTA does (RFC 5321 §5.1): MX records in
     * preference order (equal preferences shuffled), the domain itself when it has no MX, and each host's A/AAAA
     * addresses. Attempts go host by host, address by address, until one is {@link Verdict#OK} (or through all
     * of them with {@link Builder#allAttempts()}). A null MX, a missing domain or a missing mail host is a DNS
     * verdict. An address literal ({@code [192.0.2.1]}) is probed directly.
     *
     * @throws IllegalArgumentException when {@code domain} is blank or not a valid (possibly internationalised)
     *                                  domain name
     */
    public static Builder mx(String domain) {
        return new Builder(domain, Resolution.Kind.MX);
    }

    /**
     * Probes these targets concurrently, at most {@link ProbeBatch#concurrency(int)} at a time, and summarises
     * the scope of the failures.
     *
     * @throws IllegalArgumentException when {@code probes} is null, empty or holds null
     */
    public static ProbeBatch batch(Collection<SmtpProbe> probes) {
        return new ProbeBatch(probes);
    }

    /** {@link #batch(Collection)} of these probes. */
    public static ProbeBatch batch(SmtpProbe... probes) {
        if (probes == null) {
            throw new IllegalArgumentException("probes must not be null");
        }
        return new ProbeBatch(Arrays.asList(probes));
    }

    /**
     * A batch of one probe per target, each configured by {@code configure}, for example
     * {@code SmtpProbe.batch(domains, d -> SmtpProbe.mx(d).ports(25))}.
     *
     * @throws IllegalArgumentException when {@code targets} is null or empty, or {@code configure} is null
     */
    public static ProbeBatch batch(Collection<String> targets, Function<String, Builder> configure) {
        if (targets == null || targets.isEmpty()) {
            throw new IllegalArgumentException("targets must not be empty");
        }
        if (configure == null) {
            throw new IllegalArgumentException("configure must not be null");
        }
        List<SmtpProbe> probes = new ArrayList<>();
        for (String target : targets) {
            Builder b = configure.apply(target);
            if (b == null) {
                throw new IllegalArgumentException("configure returned null for " + target);
            }
            probes.add(b.build());
        }
        return new ProbeBatch(probes);
    }

    /**
     * Runs the probe and waits for its result. Network outcomes never throw: they are in the result.
     *
     * <p>The probe runs on the calling thread, which waits anyway: its connections (one at a time: addresses, MX
     * hosts, a TLS-mode confirmation) and its listener calls happen there, and the default transport serves them
     * on a plain JDK socket, without starting an event loop. A sweep of several ports probes them concurrently on
     * the transport's own threads, as {@link #runAsync()} does.
     *
     * <p><b>Deadline.</b> It returns by the {@linkplain Builder#deadline(Duration) deadline} + 250 ms, whatever the
     * network or the transport does: every timer is capped at the deadline, a watchdog ends the run 100 ms after
     * it, and building the results takes the rest (BENCHMARKS.md measures it with 2,000 probes sharing one deadline
     * on 2 cores; a machine whose CPUs are busy with other work adds its own scheduling delay). A transport that fails (throws, never calls back, or
     * blocks) ends the probe with {@link Verdict#INTERNAL_ERROR}, never with a network verdict.
     *
     * <p><b>Interrupt.</b> When the calling thread is interrupted while it waits (or is already interrupted when it
     * calls), the probe stops within about 100 ms: its connections are closed, no new one opens, and
     * {@link ProbeInterruptedException} is thrown with the thread's interrupt status still set. No verdict is made
     * up for an interrupt.
     *
     * @throws ProbeInterruptedException when the calling thread is interrupted
     * @throws IllegalStateException     at once when no {@link Transport} is configured or on the class path, or
     *                                   when a sweep of several ports is run on a thread that delivers probe results
     *                                   (a {@code runAsync()} callback): that would wait for itself
     */
    public ProbeResult run() {
        if (Thread.currentThread().isInterrupted()) {
            throw new ProbeInterruptedException("the probe of " + host, new InterruptedException());
        }
        // The caller waits anyway: its connections run on its own thread (Transport.runOnCallingThread), with no
        // hand-off to another thread, which keeps an application's first probe cheap.
        CallerLoop caller = new CallerLoop();
        return caller.runUntil(Prober.start(this, caller), "the probe of " + host);
    }

    /**
     * Runs the probe without blocking. The future completes with the result on a transport thread (or the probe's
     * deadline watchdog), never exceptionally: a network outcome is a verdict, and so is a failure of the probe or
     * its transport ({@link Verdict#INTERNAL_ERROR}). It completes by the deadline + 250 ms, as {@link #run()}
     * returns. Do not block inside its callbacks; {@code run()} of a sweep there throws
     * {@link IllegalStateException}.
     *
     * <p><b>Cancel.</b> {@code cancel(true)} or {@code cancel(false)} on the returned future (not on a stage derived
     * from it) stops the probe: its open connections are closed at once and no new connection opens. A connection
     * whose TCP connect is still under way is closed as soon as it connects, or ends at its connect timeout.
     *
     * @throws IllegalStateException at once when no {@link Transport} is configured or on the class path
     */
    public CompletableFuture<ProbeResult> runAsync() {
        return Prober.start(this);
    }

    /** The host as given. */
    public String host() {
        return host;
    }

    /** The port, or the first port of a sweep. */
    public int port() {
        return port;
    }

    /** The TLS mode of {@link #port()} (the port's default when none was set). */
    public TlsMode tlsMode() {
        return tlsMode;
    }

    /** Whether the target is a mail domain ({@link Resolution.Kind#MX}) or a host ({@link Resolution.Kind#HOST}). */
    public Resolution.Kind kind() {
        return kind;
    }

    /** The ports to probe, in order (one unless {@link Builder#ports(int...)} set several). */
    public List<Integer> ports() {
        return ports;
    }

    /** The TLS mode used on {@code port}: the one set with {@link Builder#tls}, otherwise the port's default. */
    public TlsMode tlsModeFor(int port) {
        return explicitTlsMode != null ? explicitTlsMode : TlsMode.defaultFor(port);
    }

    /** The resolvers to ask, in order; empty for the system's resolvers. */
    public List<InetSocketAddress> resolvers() {
        return resolvers;
    }

    /** The resolvers to compare, or empty when no comparison was asked. */
    public List<InetSocketAddress> comparedResolvers() {
        return comparedResolvers;
    }

    /** The limit for each DNS query to one resolver. */
    public Duration dnsTimeout() {
        return dnsTimeout;
    }

    /** Which address families are used, in which order. */
    public IpVersion ipVersion() {
        return ipVersion;
    }

    /** Whether every host, address and port is probed, rather than stopping at the first OK of each port. */
    public boolean allAttempts() {
        return allAttempts;
    }

    /** The seed of the order of equal-preference MX hosts, if one was set. */
    public OptionalLong shuffleSeed() {
        return shuffleSeed == null ? OptionalLong.empty() : OptionalLong.of(shuffleSeed);
    }

    /** The TCP connect timeout. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The wait for the 220 banner. */
    public Duration greetingTimeout() {
        return greetingTimeout;
    }

    /** The wait for each later reply and TLS handshake. */
    public Duration replyTimeout() {
        return replyTimeout;
    }

    /** The limit for the whole probe. */
    public Duration deadline() {
        return deadline;
    }

    /** The EHLO name, or {@code null} for the local host name. */
    public String ehloName() {
        return ehloName;
    }

    /** The trust manager for the server's chain, or {@code null} for the JDK's default trust store. */
    public X509TrustManager trustManager() {
        return trustManager;
    }

    /** Whether the certificate must match the host name. */
    public boolean verifyHostname() {
        return verifyHostname;
    }

    /** The local address to bind, or {@code null} for the kernel's choice. */
    public InetAddress sourceAddress() {
        return sourceAddress;
    }

    /** The transport, or {@code null} for the one found with {@link java.util.ServiceLoader}. */
    public Transport transport() {
        return transport;
    }

    /** The listener ({@link ProbeListener#NONE} by default). */
    public ProbeListener listener() {
        return listener;
    }

    /** Whether a suspected TLS-mode mismatch is confirmed by a quick second attempt in the other mode. */
    public boolean confirmTlsMode() {
        return confirmTlsMode;
    }

    /** The clock for timestamps. */
    public Clock clock() {
        return clock;
    }

    /** The username to authenticate as, or {@code null} when no credentials were configured. */
    public String authUsername() {
        return credentials == null ? null : credentials.username();
    }

    /** Whether the credentials are an OAuth2 token (XOAUTH2) rather than a password. */
    public boolean usesOAuth2() {
        return credentials != null && credentials.kind() == Credentials.Kind.OAUTH2_TOKEN;
    }

    /** The mechanism forced by the caller, or {@code null} for the best one the server offers. */
    public AuthMechanism authMechanism() {
        return authMechanism;
    }

    /** Whether credentials may be sent without TLS. */
    public boolean allowPlaintextAuth() {
        return allowPlaintextAuth;
    }

    /** The envelope sender ({@code ""} for {@code <>}), or {@code null} when no envelope is tried. */
    public String envelopeSender() {
        return envelope == null ? null : envelope.sender();
    }

    /** The envelope recipients, empty when no envelope is tried. */
    public List<String> envelopeRecipients() {
        return envelope == null ? List.of() : envelope.recipients();
    }

    /** The declared message size in bytes ({@code SIZE=}), 0 when none. */
    public long messageSize() {
        return envelope == null ? 0 : envelope.messageSize();
    }

    /** The configuration; never contains a password or token. */
    /** The machine facts hints read. */
    public HostEnvironment environment() {
        return environment;
    }

    @Override
    public String toString() {
        return "SmtpProbe{" + (kind == Resolution.Kind.MX ? "mx " : "") + host + ":"
                + (ports.size() == 1 ? String.valueOf(port) : ports.toString()) + ", tls=" + tlsMode + ", connectTimeout=" + connectTimeout
                + ", greetingTimeout=" + greetingTimeout + ", replyTimeout=" + replyTimeout + ", deadline=" + deadline
                + (sourceAddress != null ? ", source=" + sourceAddress.getHostAddress() : "")
                + (credentials != null ? ", auth=" + (usesOAuth2() ? "oauth2" : "password") + " as "
                        + credentials.username() + (authMechanism != null ? " with " + authMechanism : "")
                        + (allowPlaintextAuth ? " (plaintext allowed)" : "") : "")
                + (envelope != null ? ", envelope=" + envelope.recipients().size() + " recipient(s)" : "") + "}";
    }

    /**
     * Configures a {@link SmtpProbe}. Setters validate at once; {@link #build()} copies. Not threadsafe; the
     * probes it builds are.
     */
    public static final class Builder {
        private final String host;
        private int port = 25;
        private TlsMode tlsMode;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration greetingTimeout = DEFAULT_GREETING_TIMEOUT;
        private Duration replyTimeout = DEFAULT_REPLY_TIMEOUT;
        private Duration deadline = DEFAULT_DEADLINE;
        private String ehloName;
        private X509TrustManager trustManager;
        private boolean verifyHostname = true;
        private InetAddress sourceAddress;
        private Transport transport;
        private ProbeListener listener = ProbeListener.NONE;
        private boolean confirmTlsMode = true;
        private Clock clock = Clock.systemUTC();
        private Credentials credentials;
        private AuthMechanism authMechanism;
        private boolean allowPlaintextAuth;
        private String envelopeSender;
        private List<String> envelopeRecipients;
        private long messageSize;
        private HostEnvironment environment = HostEnvironment.system();
        private final Resolution.Kind kind;
        private List<Integer> ports = List.of(25);
        private final List<InetSocketAddress> resolvers = new ArrayList<>();
        private final List<InetSocketAddress> comparedResolvers = new ArrayList<>();
        private Duration dnsTimeout = DEFAULT_DNS_TIMEOUT;
        private IpVersion ipVersion = IpVersion.ANY;
        private boolean allAttempts;
        private Long shuffleSeed;

        private Builder(String host, Resolution.Kind kind) {
            String argument = kind == Resolution.Kind.MX ? "domain" : "host";
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException(argument + " must not be blank");
            }
            this.host = host.strip();
            this.kind = kind;
            if (Addresses.parseLiteral(this.host).isEmpty()) {
                DnsNames.toAscii(this.host, argument); // validates now, so that run() never meets a bad name
            }
        }

        /** The TCP port, 1 to 65535 (default 25). Also picks the default TLS mode: implicit for 465. */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535: " + port);
            }
            this.port = port;
            this.ports = List.of(port);
            return this;
        }

        /**
         * Sweeps several ports, e.g. {@code ports(25, 587, 465, 2525)}: each is probed with its default TLS mode
         * ({@link TlsMode#defaultFor(int)}: implicit TLS on 465, STARTTLS elsewhere) unless {@link #tls} sets one
         * for all. The ports are probed concurrently; the result shows each ({@link ProbeResult#portVerdicts()}),
         * and says when port 25 timed out while another port connected (outbound port 25 blocked).
         *
         * @throws IllegalArgumentException when empty, longer than {@value #MAX_PORTS}, out of 1..65535, or repeated
         */
        public Builder ports(int... ports) {
            if (ports == null || ports.length == 0 || ports.length > MAX_PORTS) {
                throw new IllegalArgumentException("ports must list 1.." + MAX_PORTS + " ports: "
                        + (ports == null ? null : Arrays.toString(ports)));
            }
            Set<Integer> seen = new LinkedHashSet<>();
            for (int p : ports) {
                if (p < 1 || p > 65535) {
                    throw new IllegalArgumentException("ports must be 1..65535: " + p);
                }
                if (!seen.add(p)) {
                    throw new IllegalArgumentException("ports must not repeat: " + p);
                }
            }
            this.ports = List.copyOf(seen);
            this.port = ports[0];
            return this;
        }

        /**
         * Asks this resolver instead of the system's: an address literal with an optional port ({@code 192.0.2.53},
         * {@code 192.0.2.53:5353}, {@code [2001:db8::53]:5353}). Call it again to add resolvers: the next is asked
         * when one fails (SERVFAIL, REFUSED, timeout, unreachable), never when one answers.
         *
         * @throws IllegalArgumentException when it is not an address literal with an optional port
         */
        public Builder resolver(String address) {
            this.resolvers.add(ResolverAddresses.parse(address, "resolver"));
            return this;
        }

        /**
         * Asks this resolver, an address literal, on this port; see {@link #resolver(String)}.
         *
         * @throws IllegalArgumentException when the address is not a literal or the port is out of 1..65535
         */
        public Builder resolver(String address, int port) {
            this.resolvers.add(ResolverAddresses.of(address, port, "resolver"));
            return this;
        }

        /** Asks this resolver; see {@link #resolver(String)}. */
        public Builder resolver(InetSocketAddress address) {
            if (address == null || address.isUnresolved()) {
                throw new IllegalArgumentException("resolver must be a resolved address: " + address);
            }
            this.resolvers.add(address);
            return this;
        }

        /** The limit for each DNS query to one resolver (default 5 s, at most 1 minute). */
        public Builder dnsTimeout(Duration timeout) {
            Duration d = positive(timeout, "dnsTimeout");
            if (d.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("dnsTimeout must be at most 1 minute: " + d);
            }
            this.dnsTimeout = d;
            return this;
        }

        /** The limit for each DNS query to one resolver (default 5 s, at most 1 minute). */
        public Builder dnsTimeout(long timeout, TimeUnit unit) {
            return dnsTimeout(duration(timeout, unit, "dnsTimeout"));
        }

        /** Which address families to use and in which order (default {@link IpVersion#ANY}). */
        public Builder ipVersion(IpVersion version) {
            if (version == null) {
                throw new IllegalArgumentException("ipVersion must not be null");
            }
            this.ipVersion = version;
            return this;
        }

        /** Probes every host, address and port, instead of stopping at the first OK of each port (the default). */
        public Builder allAttempts() {
            return allAttempts(true);
        }

        /** Whether to probe every host, address and port (default false: stop at the first OK of each port). */
        public Builder allAttempts(boolean all) {
            this.allAttempts = all;
            return this;
        }

        /**
         * Also resolves the target through each of these resolvers, independently, and reports how their answers
         * differ ({@link ProbeResult#comparison()}): the way to catch a stale cache. Address literals with an
         * optional port, as for {@link #resolver(String)}; at least two.
         *
         * @throws IllegalArgumentException when fewer than two are given or one is not an address literal
         */
        public Builder compareResolvers(String... addresses) {
            if (addresses == null || addresses.length < 2) {
                throw new IllegalArgumentException("compareResolvers needs at least two resolvers");
            }
            List<InetSocketAddress> parsed = new ArrayList<>();
            for (String a : addresses) {
                parsed.add(ResolverAddresses.parse(a, "compareResolvers"));
            }
            return compareResolvers(parsed);
        }

        /** {@link #compareResolvers(String...)} with socket addresses. */
        public Builder compareResolvers(List<InetSocketAddress> addresses) {
            if (addresses == null || addresses.size() < 2) {
                throw new IllegalArgumentException("compareResolvers needs at least two resolvers");
            }
            for (InetSocketAddress a : addresses) {
                if (a == null || a.isUnresolved()) {
                    throw new IllegalArgumentException("compareResolvers must be resolved addresses: " + a);
                }
            }
            this.comparedResolvers.clear();
            this.comparedResolvers.addAll(addresses);
            return this;
        }

        /** Makes the order of equal-preference MX hosts reproducible (default: random each run); for tests. */
        public Builder shuffleSeed(long seed) {
            this.shuffleSeed = seed;
            return this;
        }

        /** How TLS is used (default: {@link TlsMode#defaultFor(int)} of the port). */
        public Builder tls(TlsMode mode) {
            this.tlsMode = Objects.requireNonNull(mode, "tls mode must not be null");
            return this;
        }

        /** The TCP connect timeout (default 10 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** The TCP connect timeout (default 10 s). */
        public Builder connectTimeout(long timeout, TimeUnit unit) {
            return connectTimeout(duration(timeout, unit, "connectTimeout"));
        }

        /** The wait for the 220 banner after connecting (default 15 s). */
        public Builder greetingTimeout(Duration timeout) {
            this.greetingTimeout = positive(timeout, "greetingTimeout");
            return this;
        }

        /** The wait for the 220 banner after connecting (default 15 s). */
        public Builder greetingTimeout(long timeout, TimeUnit unit) {
            return greetingTimeout(duration(timeout, unit, "greetingTimeout"));
        }

        /** The wait for each later reply and for a TLS handshake (default 15 s). */
        public Builder replyTimeout(Duration timeout) {
            this.replyTimeout = positive(timeout, "replyTimeout");
            return this;
        }

        /** The wait for each later reply and for a TLS handshake (default 15 s). */
        public Builder replyTimeout(long timeout, TimeUnit unit) {
            return replyTimeout(duration(timeout, unit, "replyTimeout"));
        }

        /** The limit for the whole probe, all attempts included (default 60 s). */
        public Builder deadline(Duration deadline) {
            this.deadline = positive(deadline, "deadline");
            return this;
        }

        /** The limit for the whole probe, all attempts included (default 60 s). */
        public Builder deadline(long deadline, TimeUnit unit) {
            return deadline(duration(deadline, unit, "deadline"));
        }

        /** The name sent with EHLO: a domain name or an address literal like {@code [192.0.2.1]}. */
        public Builder ehloName(String name) {
            if (name == null || name.isBlank() || name.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
                throw new IllegalArgumentException("ehloName must be a domain or address literal without spaces: " + name);
            }
            this.ehloName = name;
            return this;
        }

        /** Validates the server's chain with this trust manager instead of the JDK's default trust store. */
        public Builder trustManager(X509TrustManager trustManager) {
            this.trustManager = Objects.requireNonNull(trustManager, "trustManager must not be null");
            return this;
        }

        /** Validates the server's chain against the trusted certificates of this key store. */
        public Builder trustStore(KeyStore trustStore) {
            this.trustManager = TrustMaterial.fromKeyStore(Objects.requireNonNull(trustStore, "trustStore must not be null"));
            return this;
        }

        /**
         * Validates the server's chain against the CA certificates in this PEM file.
         *
         * @throws IllegalArgumentException when the file cannot be read or holds no certificate
         */
        public Builder trustedCertificates(Path pemFile) {
            this.trustManager = TrustMaterial.fromPem(Objects.requireNonNull(pemFile, "trustedCertificates must not be null"));
            return this;
        }

        /**
         * Whether the certificate must match the host name (default true). Turning it off is for diagnosis only;
         * chain validation still applies.
         */
        public Builder verifyHostname(boolean verify) {
            this.verifyHostname = verify;
            return this;
        }

        /** The local address to connect from (default: the kernel's choice). */
        public Builder sourceAddress(InetAddress address) {
            this.sourceAddress = Objects.requireNonNull(address, "sourceAddress must not be null");
            return this;
        }

        /**
         * The local address to connect from, as an address literal.
         *
         * @throws IllegalArgumentException when it is not an IPv4 or IPv6 address literal
         */
        public Builder sourceAddress(String address) {
            if (address == null || address.isBlank() || !address.matches("[0-9A-Fa-f:.%a-zA-Z]+")
                    || !(address.contains(".") || address.contains(":"))) {
                throw new IllegalArgumentException("sourceAddress must be an IP address literal: " + address);
            }
            try {
                // An address literal: InetAddress.getByName does not query DNS for those.
                return sourceAddress(InetAddress.getByName(address));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("sourceAddress must be an IP address literal: " + address, e);
            }
        }

        /** The transport to use (default: the one found with {@link java.util.ServiceLoader}). */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport must not be null");
            return this;
        }

        /** Receives progress events (default {@link ProbeListener#NONE}). */
        public Builder listener(ProbeListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener must not be null");
            return this;
        }

        /**
         * Whether a suspected TLS-mode mismatch (no banner on a plain connection, or a plain banner answering a
         * TLS hello) is confirmed by a quick second attempt in the other mode (default true).
         */
        public Builder confirmTlsMode(boolean confirm) {
            this.confirmTlsMode = confirm;
            return this;
        }

        /** The clock for timestamps (default UTC system clock); a seam for tests. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /**
         * Authenticates with a password after EHLO (and STARTTLS), with the best mechanism the server offers
         * (PLAIN, then LOGIN). The array is copied: clear yours whenever you like. Credentials are only sent over TLS
         * unless {@link #allowPlaintextAuth()} is set; they never appear in the transcript, the report, logs,
         * {@code toString()} or exceptions.
         *
         * <pre>{@code
         * ProbeResult r = SmtpProbe.to("smtp.example.net").port(587).auth("alice@example.net", password).run();
         * }</pre>
         *
         * @throws IllegalArgumentException when the username is blank or the password is null, empty or holds NUL
         */
        public Builder auth(String username, char[] password) {
            this.credentials = Credentials.of(Credentials.Kind.PASSWORD, username, password, "password");
            return this;
        }

        /**
         * Authenticates with a password asked from {@code password} each time a connection reaches AUTH, so that it
         * is held in memory only as long as needed. Each call must return a new array: the probe clears it once the
         * credentials are encoded. It is called on a transport thread and must return quickly (no network I/O:
         * fetch from a vault before the probe). A supplier that throws or returns null ends the attempt with
         * {@link Verdict#AUTH_FAILED} and nothing sent.
         *
         * @throws IllegalArgumentException when the username is blank or the supplier is null
         */
        public Builder auth(String username, Supplier<char[]> password) {
            this.credentials = Credentials.supplied(Credentials.Kind.PASSWORD, username, password, "password");
            return this;
        }

        /**
         * Authenticates with an OAuth2 access token (XOAUTH2, as Gmail and Microsoft 365 offer it). The array is
         * copied.
         *
         * @throws IllegalArgumentException when the username is blank or the token is null, empty or holds control
         *                                  characters
         */
        public Builder oauth2(String username, char[] token) {
            this.credentials = Credentials.of(Credentials.Kind.OAUTH2_TOKEN, username, token, "token");
            return this;
        }

        /**
         * Authenticates with an OAuth2 access token asked from {@code token} each time a connection reaches AUTH;
         * each call must return a new array, which the probe clears after use. Like the password supplier, it runs
         * on a transport thread and must return quickly.
         *
         * @throws IllegalArgumentException when the username is blank or the supplier is null
         */
        public Builder oauth2(String username, Supplier<char[]> token) {
            this.credentials = Credentials.supplied(Credentials.Kind.OAUTH2_TOKEN, username, token, "token");
            return this;
        }

        /**
         * Uses this mechanism instead of the best one offered; a server that does not offer it ends the probe with
         * {@link Verdict#AUTH_UNAVAILABLE}. {@link AuthMechanism#XOAUTH2} needs {@link #oauth2} credentials, the
         * others a password ({@link #build()} checks).
         */
        public Builder authMechanism(AuthMechanism mechanism) {
            if (mechanism == null) {
                throw new IllegalArgumentException("authMechanism must not be null");
            }
            this.authMechanism = mechanism;
            return this;
        }

        /**
         * Allows sending credentials over a connection without TLS. Without it, a session that is not encrypted
         * stops before AUTH with {@link Verdict#AUTH_REQUIRES_TLS} and the credentials are not sent. For test
         * servers on a trusted network only.
         */
        public Builder allowPlaintextAuth() {
            this.allowPlaintextAuth = true;
            return this;
        }

        /**
         * Tries an envelope after EHLO (and AUTH): {@code MAIL FROM:<from>}, {@code RCPT TO:<r>} for each recipient,
         * then RSET and QUIT. No DATA, so no mail is ever sent. Each recipient's reply is classified
         * ({@link ProbeResult#recipients()}); any rejection makes the verdict a rejection at {@link Phase#ENVELOPE}.
         * Addresses with non-ASCII characters are sent with SMTPUTF8 when the server offers it.
         *
         * <pre>{@code
         * ProbeResult r = SmtpProbe.to("mx.example.net").envelope("probe@example.org", "bob@example.net").run();
         * }</pre>
         *
         * @param from       the sender, {@code ""} for the null sender {@code <>}
         * @param recipients one to 100 recipients, bare addresses like {@code bob@example.net}
         * @throws IllegalArgumentException naming the argument when an address is unusable
         */
        public Builder envelope(String from, String... recipients) {
            if (recipients == null) {
                throw new IllegalArgumentException("recipients must not be null");
            }
            return envelope(from, Arrays.asList(recipients));
        }

        /** {@link #envelope(String, String...)} with a list of recipients. */
        public Builder envelope(String from, List<String> recipients) {
            Envelope checked = Envelope.of(from, recipients, messageSize);
            this.envelopeSender = checked.sender();
            this.envelopeRecipients = checked.recipients();
            return this;
        }

        /**
         * The size in bytes of the mail the application means to send: declared with {@code SIZE=} in MAIL FROM when
         * the server offers SIZE (RFC 1870), so that a server with a smaller limit says so. Needs an
         * {@link #envelope}.
         */
        public Builder messageSize(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("messageSize must be positive: " + bytes);
            }
            this.messageSize = bytes;
            return this;
        }

        /**
         * Where hints read the machine's facts (default: {@link HostEnvironment#system()}); a seam for tests and
         * for callers that know better (a container runtime that hides {@code /.dockerenv}).
         */
        public Builder environment(HostEnvironment environment) {
            this.environment = Objects.requireNonNull(environment, "environment must not be null");
            return this;
        }

        /**
         * An immutable probe with this configuration.
         *
         * @throws IllegalArgumentException when options contradict each other (a forced mechanism without
         *                                  credentials or of the wrong kind, a message size without an envelope), or
         *                                  when the target is an address literal that {@link #ipVersion} excludes
         */
        public SmtpProbe build() {
            if (authMechanism != null) {
                if (credentials == null) {
                    throw new IllegalArgumentException("authMechanism " + authMechanism
                            + " needs credentials: call auth(...) or oauth2(...)");
                }
                boolean token = credentials.kind() == Credentials.Kind.OAUTH2_TOKEN;
                if (authMechanism.usesToken() != token) {
                    throw new IllegalArgumentException("authMechanism " + authMechanism + " cannot carry "
                            + (token ? "an OAuth2 token (use XOAUTH2)" : "a password (use PLAIN or LOGIN, or oauth2(...))"));
                }
            }
            if (messageSize > 0 && envelopeSender == null) {
                throw new IllegalArgumentException("messageSize needs an envelope(...)");
            }
            Optional<InetAddress> literal = Addresses.parseLiteral(host);
            if (literal.isPresent() && !ipVersion.allows(literal.get())) {
                throw new IllegalArgumentException("ipVersion " + ipVersion + " excludes the address literal " + host);
            }
            return new SmtpProbe(this);
        }

        /** {@code build().run()}. */
        public ProbeResult run() {
            return build().run();
        }

        /** {@code build().runAsync()}. */
        public CompletableFuture<ProbeResult> runAsync() {
            return build().runAsync();
        }

        private static Duration positive(Duration d, String name) {
            if (d == null) {
                throw new IllegalArgumentException(name + " must not be null");
            }
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            if (d.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException(name + " must be at most 1 hour: " + d);
            }
            return d;
        }

        private static Duration duration(long amount, TimeUnit unit, String name) {
            if (unit == null) {
                throw new IllegalArgumentException(name + " unit must not be null");
            }
            if (amount <= 0) {
                throw new IllegalArgumentException(name + " must be positive: " + amount + " " + unit);
            }
            return Duration.of(amount, unit.toChronoUnit());
        }
    }
}
