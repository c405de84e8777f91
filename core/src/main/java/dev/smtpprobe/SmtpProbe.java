package dev.smtpprobe;

import dev.smtpprobe.internal.Addresses;
import dev.smtpprobe.internal.Arguments;
import dev.smtpprobe.internal.CallerLoop;
import dev.smtpprobe.internal.CredentialAccess;
import dev.smtpprobe.internal.Credentials;
import dev.smtpprobe.internal.EhloName;
import dev.smtpprobe.internal.Envelope;
import dev.smtpprobe.internal.Prober;
import dev.smtpprobe.internal.TrustMaterial;
import dev.smtpprobe.internal.dns.DnsNames;
import dev.smtpprobe.internal.dns.ResolverAddresses;
import dev.smtpprobe.internal.dns.SearchList;
import dev.smtpprobe.internal.mail.MailPropertiesMapping;
import dev.smtpprobe.spi.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
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
    /** The longest connect, greeting and reply timeout and deadline a probe accepts (the shortest is 1 ms). */
    public static final Duration MAX_TIMEOUT = Duration.ofHours(1);
    /** The longest {@link Builder#dnsTimeout DNS timeout} a probe accepts. */
    public static final Duration MAX_DNS_TIMEOUT = Duration.ofMinutes(1);

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
    private final List<String> searchDomains;
    private final Integer ndots;
    private final Path hostsFile;
    private final ProxyConfig proxy;
    // Findings of the mail configuration the probe was made from (fromMailProperties); runs may add some.
    private final Supplier<List<ConfigFinding>> configFindings;

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
        this.searchDomains = b.searchDomains;
        this.ndots = b.ndots;
        this.hostsFile = b.hostsFile;
        this.proxy = b.proxy;
        this.configFindings = b.configFindings;
    }

    /**
     * Starts configuring a probe of one SMTP host: a host name or an address literal ({@code 192.0.2.1},
     * {@code ::1}, {@code [192.0.2.1]}, {@code [IPv6:::1]}). A name has labels of at most 63 octets and at most
     * 253 octets in all (in its ASCII form); nothing is stripped.
     *
     * @throws IllegalArgumentException naming {@code host} when it is null, blank, holds a line break or another
     *                                  control character, starts or ends with whitespace, or is not a valid name
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
     * @throws IllegalArgumentException naming {@code domain} when it is null, blank, holds a line break or another
     *                                  control character, starts or ends with whitespace, or is not a valid (possibly
     *                                  internationalised) domain name of at most 253 octets
     */
    public static Builder mx(String domain) {
        return new Builder(domain, Resolution.Kind.MX);
    }

    /**
     * Starts configuring the probe an application's mail library would make from its Jakarta Mail / Angus Mail
     * properties ({@code mail.transport.protocol}, {@code mail.smtp.*} or {@code mail.smtps.*}): the same host and
     * port, TLS mode ({@code ssl.enable}, {@code starttls.enable}, {@code starttls.required}), trust
     * ({@code ssl.trust}; the certificate problem it hides is still reported), host name check
     * ({@code ssl.checkserveridentity}, on by default as in Angus Mail 2), EHLO name ({@code localhost}) and
     * timeouts ({@code connectiontimeout}, {@code timeout}; bounded by the probe's defaults where the library's are
     * infinite). What is wrong or risky in the properties is in {@link #configFindings()}.
     *
     * <pre>{@code
     * SmtpProbe probe = SmtpProbe.fromMailProperties(properties).auth(user, password).build();
     * probe.configFindings().forEach(System.out::println);
     * ProbeResult result = probe.run();
     * }</pre>
     *
     * <p>Credentials are never read from the properties (Jakarta Mail has no password key): when
     * {@code mail.smtp.auth=true} with {@code mail.smtp.user}, pass the password with {@link Builder#auth}. The
     * builder's setters may still change anything. Container detection reads {@link HostEnvironment#system()}.
     *
     * @throws IllegalArgumentException naming {@code properties} when null, or naming the host key when its value
     *                                  is not a host name even without a scheme, port and whitespace
     */
    public static Builder fromMailProperties(Properties properties) {
        return fromMailProperties(properties, HostEnvironment.system());
    }

    /**
     * {@link #fromMailProperties(Properties)} on a machine whose facts {@code environment} gives (whether it is a
     * container, for the loopback finding; the builder's {@link Builder#environment} too); a seam for tests.
     *
     * @throws IllegalArgumentException naming the argument when one is null, or naming the host key as there
     */
    public static Builder fromMailProperties(Properties properties, HostEnvironment environment) {
        MailPropertiesMapping mapping = MailPropertiesMapping.read(properties, environment);
        Builder builder = mapping.configure().environment(environment);
        builder.configFindings = mapping::findings;
        return builder;
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
        return new ProbeBatch(Arrays.asList(Arguments.requireNonNull(probes, "probes")));
    }

    /**
     * A batch of one probe per target, each configured by {@code configure}, for example
     * {@code SmtpProbe.batch(domains, d -> SmtpProbe.mx(d).ports(25))}.
     *
     * @throws IllegalArgumentException when {@code targets} is null, empty or holds null, or {@code configure} is
     *                                  null or returns null
     */
    public static ProbeBatch batch(Collection<String> targets, Function<String, Builder> configure) {
        Arguments.requireNonNull(targets, "targets");
        Arguments.requireArgument(!targets.isEmpty(), "targets must not be empty");
        Arguments.requireNonNull(configure, "configure");
        List<SmtpProbe> probes = new ArrayList<>();
        int i = 0;
        for (String target : targets) {
            Arguments.requireNonNull(target, "targets[" + i++ + "]");
            Builder b = configure.apply(target);
            Arguments.requireArgument(b != null, "configure returned null for %s", target);
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
        // The caller waits anyway: its connections run on its own thread (Transport.runPipeOnCallingThread), with no
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

    /** The search domains set with {@link Builder#searchDomains}, or empty for the system's (resolv.conf). */
    public Optional<List<String>> searchDomains() {
        return Optional.ofNullable(searchDomains);
    }

    /** The ndots set with {@link Builder#ndots}, or empty for the system's (resolv.conf). */
    public OptionalInt ndots() {
        return ndots == null ? OptionalInt.empty() : OptionalInt.of(ndots);
    }

    /** The hosts file set with {@link Builder#hostsFile}, or empty for the default. */
    public Optional<Path> hostsFile() {
        return Optional.ofNullable(hostsFile);
    }

    /**
     * The proxy set with {@link Builder#proxy}, or empty when none was set (then the connection may still use the
     * one that {@link ProxyConfig#fromProperties} reads from the JVM's properties).
     */
    public Optional<ProxyConfig> proxy() {
        return Optional.ofNullable(proxy);
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

    /** The machine facts hints read. */
    public HostEnvironment environment() {
        return environment;
    }

    /**
     * What is wrong or risky in the mail properties this probe was made from ({@link #fromMailProperties}), in a
     * fixed order; empty for a probe configured otherwise. After a run that trusted a certificate only because the
     * properties trust the server, it also holds a {@link ConfigFinding.Code#CERTIFICATE_ACCEPTED_BY_TRUST} finding.
     */
    public List<ConfigFinding> configFindings() {
        return configFindings.get();
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
        private List<String> searchDomains;
        private Integer ndots;
        private Path hostsFile;
        private ProxyConfig proxy;
        private Supplier<List<ConfigFinding>> configFindings = List::of;

        private Builder(String host, Resolution.Kind kind) {
            String argument = kind == Resolution.Kind.MX ? "domain" : "host";
            this.host = Arguments.requireToken(host, argument);
            this.kind = kind;
            if (Addresses.parseLiteral(this.host).isEmpty()) {
                DnsNames.toAscii(this.host, argument); // validates now, so that run() never meets a bad name
            }
        }

        /**
         * The TCP port (default 25). Also picks the default TLS mode: implicit for 465.
         *
         * @throws IllegalArgumentException when out of 1..65535
         */
        public Builder port(int port) {
            Arguments.requireArgument(port >= 1 && port <= 65535, "port must be 1..65535: %d", port);
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
         * @throws IllegalArgumentException when null, empty, longer than {@value #MAX_PORTS}, out of 1..65535, or
         *                                  repeated
         */
        public Builder ports(int... ports) {
            Arguments.requireNonNull(ports, "ports");
            Arguments.requireArgument(ports.length >= 1 && ports.length <= MAX_PORTS, "ports must list 1..%d ports: %s",
                    MAX_PORTS, Arrays.toString(ports));
            Set<Integer> seen = new LinkedHashSet<>();
            for (int p : ports) {
                Arguments.requireArgument(p >= 1 && p <= 65535, "ports must be 1..65535: %d", p);
                Arguments.requireArgument(seen.add(p), "ports must not repeat: %d", p);
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
         * @throws IllegalArgumentException when it is null, holds whitespace or a line break anywhere, or is not an
         *                                  address literal with an optional port 1..65535
         */
        public Builder resolver(String address) {
            this.resolvers.add(ResolverAddresses.parse(address, "resolver"));
            return this;
        }

        /**
         * Asks this resolver, an address literal, on this port; see {@link #resolver(String)}.
         *
         * @throws IllegalArgumentException when the address is null, holds whitespace or a line break, is not a
         *                                  literal, or the port is out of 1..65535
         */
        public Builder resolver(String address, int port) {
            this.resolvers.add(ResolverAddresses.of(address, port, "resolver"));
            return this;
        }

        /**
         * Asks this resolver; see {@link #resolver(String)}.
         *
         * @throws IllegalArgumentException when null or unresolved
         */
        public Builder resolver(InetSocketAddress address) {
            Arguments.requireNonNull(address, "resolver");
            Arguments.requireArgument(!address.isUnresolved(), "resolver must be a resolved address: %s", address);
            this.resolvers.add(address);
            return this;
        }

        /**
         * The limit for each DNS query to one resolver (default 5 s).
         *
         * @throws IllegalArgumentException when null, shorter than 1 ms or longer than {@link #MAX_DNS_TIMEOUT 1 minute}
         */
        public Builder dnsTimeout(Duration timeout) {
            this.dnsTimeout = Arguments.requireTimeout(timeout, MAX_DNS_TIMEOUT, "dnsTimeout");
            return this;
        }

        /**
         * The limit for each DNS query to one resolver (default 5 s).
         *
         * @throws IllegalArgumentException when the unit is null, or the value is shorter than 1 ms or longer than
         *                                  {@link #MAX_DNS_TIMEOUT 1 minute} (however large the amount)
         */
        public Builder dnsTimeout(long timeout, TimeUnit unit) {
            this.dnsTimeout = Arguments.requireTimeout(timeout, unit, MAX_DNS_TIMEOUT, "dnsTimeout");
            return this;
        }

        /**
         * Which address families to use and in which order (default {@link IpVersion#ANY}).
         *
         * @throws IllegalArgumentException when null
         */
        public Builder ipVersion(IpVersion version) {
            this.ipVersion = Arguments.requireNonNull(version, "ipVersion");
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
         * @throws IllegalArgumentException when null, fewer than two are given, or one is null or not an address
         *                                  literal with an optional port (as {@link #resolver(String)} checks it)
         */
        public Builder compareResolvers(String... addresses) {
            Arguments.requireNonNull(addresses, "compareResolvers");
            Arguments.requireArgument(addresses.length >= 2, "compareResolvers needs at least two resolvers");
            List<InetSocketAddress> parsed = new ArrayList<>();
            for (int i = 0; i < addresses.length; i++) {
                parsed.add(ResolverAddresses.parse(addresses[i], "compareResolvers[" + i + "]"));
            }
            return compareResolvers(parsed);
        }

        /**
         * {@link #compareResolvers(String...)} with socket addresses.
         *
         * @throws IllegalArgumentException when null, fewer than two are given, or one is null or unresolved
         */
        public Builder compareResolvers(List<InetSocketAddress> addresses) {
            Arguments.requireNonNull(addresses, "compareResolvers");
            Arguments.requireArgument(addresses.size() >= 2, "compareResolvers needs at least two resolvers");
            for (int i = 0; i < addresses.size(); i++) {
                InetSocketAddress a = addresses.get(i);
                Arguments.requireNonNull(a, "compareResolvers[" + i + "]");
                Arguments.requireArgument(!a.isUnresolved(), "compareResolvers[%d] must be a resolved address: %s", i, a);
            }
            this.comparedResolvers.clear();
            this.comparedResolvers.addAll(addresses);
            return this;
        }

        /**
         * The search list applied to the host of {@link SmtpProbe#to(String)}, instead of the system's
         * ({@code search} or {@code domain} in resolv.conf): a name with fewer than {@link #ndots(int) ndots} dots is
         * tried with each domain appended, in order, then as given; a name with more is tried as given first; a
         * name that ends with a dot only as given. No domains: every name is tried as given only. A mail domain
         * ({@link SmtpProbe#mx(String)}) never uses a search list, as an MTA.
         *
         * <pre>{@code
         * SmtpProbe.to("smtp-relay").searchDomains("mail.svc.cluster.local", "svc.cluster.local").ndots(5).run();
         * }</pre>
         *
         * @throws IllegalArgumentException when a domain is not a valid domain name
         */
        public Builder searchDomains(String... domains) {
            return searchDomains(Arrays.asList(Arguments.requireNonNull(domains, "searchDomains")));
        }

        /**
         * The search list applied to the host; see {@link #searchDomains(String...)}.
         *
         * @throws IllegalArgumentException when a domain is not a valid domain name
         */
        public Builder searchDomains(List<String> domains) {
            this.searchDomains = SearchList.of(Arguments.requireNonNull(domains, "searchDomains"), 1, "searchDomains")
                    .domains();
            return this;
        }

        /**
         * The number of dots from which a host name is tried as given before the search domains (resolv.conf's
         * {@code options ndots:n}; default: the system's, 1 when it sets none), 0 to 15.
         *
         * @throws IllegalArgumentException when out of range
         */
        public Builder ndots(int ndots) {
            if (ndots < 0 || ndots > SearchList.MAX_NDOTS) {
                throw new IllegalArgumentException("ndots must be 0.." + SearchList.MAX_NDOTS + ": " + ndots);
            }
            this.ndots = ndots;
            return this;
        }

        /**
         * Reads this hosts file (the format of {@code /etc/hosts}) for the host before DNS, instead of the system's;
         * it is read with {@link #resolver(String) resolvers} given too, which otherwise skip the hosts file.
         *
         * @throws IllegalArgumentException when it is not a readable file
         */
        public Builder hostsFile(Path file) {
            Arguments.requireNonNull(file, "hostsFile");
            Arguments.requireArgument(Files.isRegularFile(file) && Files.isReadable(file),
                    "hostsFile must be a readable file: %s", file);
            this.hostsFile = file;
            return this;
        }

        /**
         * Connects through this SOCKS5, SOCKS4a or HTTP CONNECT proxy: TCP goes to the proxy, which opens a tunnel to
         * each target address. The proxy's own failures are {@link Verdict#PROXY_UNREACHABLE},
         * {@link Verdict#PROXY_AUTH_FAILED} and {@link Verdict#PROXY_DENIED}; what it reports about the target is the
         * usual TCP verdict, with the proxy named in the detail.
         *
         * <pre>{@code
         * SmtpProbe.to("smtp.example.net").port(587).proxy(ProxyConfig.socks5("proxy.corp.example", 1080)).run();
         * }</pre>
         *
         * @throws IllegalArgumentException when null
         */
        public Builder proxy(ProxyConfig proxy) {
            this.proxy = Arguments.requireNonNull(proxy, "proxy");
            return this;
        }

        /** Makes the order of equal-preference MX hosts reproducible (default: random each run); for tests. */
        public Builder shuffleSeed(long seed) {
            this.shuffleSeed = seed;
            return this;
        }

        /**
         * How TLS is used (default: {@link TlsMode#defaultFor(int)} of the port).
         *
         * @throws IllegalArgumentException when null
         */
        public Builder tls(TlsMode mode) {
            this.tlsMode = Arguments.requireNonNull(mode, "tls");
            return this;
        }

        /**
         * The TCP connect timeout (default 10 s).
         *
         * @throws IllegalArgumentException when null, shorter than 1 ms or longer than {@link #MAX_TIMEOUT 1 hour}
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Arguments.requireTimeout(timeout, MAX_TIMEOUT, "connectTimeout");
            return this;
        }

        /**
         * The TCP connect timeout (default 10 s).
         *
         * @throws IllegalArgumentException when the unit is null, or the value is shorter than 1 ms or longer than
         *                                  {@link #MAX_TIMEOUT 1 hour} (however large the amount)
         */
        public Builder connectTimeout(long timeout, TimeUnit unit) {
            this.connectTimeout = Arguments.requireTimeout(timeout, unit, MAX_TIMEOUT, "connectTimeout");
            return this;
        }

        /**
         * The wait for the 220 banner after connecting (default 15 s).
         *
         * @throws IllegalArgumentException when null, shorter than 1 ms or longer than {@link #MAX_TIMEOUT 1 hour}
         */
        public Builder greetingTimeout(Duration timeout) {
            this.greetingTimeout = Arguments.requireTimeout(timeout, MAX_TIMEOUT, "greetingTimeout");
            return this;
        }

        /**
         * The wait for the 220 banner after connecting (default 15 s).
         *
         * @throws IllegalArgumentException when the unit is null, or the value is shorter than 1 ms or longer than
         *                                  {@link #MAX_TIMEOUT 1 hour} (however large the amount)
         */
        public Builder greetingTimeout(long timeout, TimeUnit unit) {
            this.greetingTimeout = Arguments.requireTimeout(timeout, unit, MAX_TIMEOUT, "greetingTimeout");
            return this;
        }

        /**
         * The wait for each later reply and for a TLS handshake (default 15 s).
         *
         * @throws IllegalArgumentException when null, shorter than 1 ms or longer than {@link #MAX_TIMEOUT 1 hour}
         */
        public Builder replyTimeout(Duration timeout) {
            this.replyTimeout = Arguments.requireTimeout(timeout, MAX_TIMEOUT, "replyTimeout");
            return this;
        }

        /**
         * The wait for each later reply and for a TLS handshake (default 15 s).
         *
         * @throws IllegalArgumentException when the unit is null, or the value is shorter than 1 ms or longer than
         *                                  {@link #MAX_TIMEOUT 1 hour} (however large the amount)
         */
        public Builder replyTimeout(long timeout, TimeUnit unit) {
            this.replyTimeout = Arguments.requireTimeout(timeout, unit, MAX_TIMEOUT, "replyTimeout");
            return this;
        }

        /**
         * The limit for the whole probe, all attempts included (default 60 s).
         *
         * @throws IllegalArgumentException when null, shorter than 1 ms or longer than {@link #MAX_TIMEOUT 1 hour}
         */
        public Builder deadline(Duration deadline) {
            this.deadline = Arguments.requireTimeout(deadline, MAX_TIMEOUT, "deadline");
            return this;
        }

        /**
         * The limit for the whole probe, all attempts included (default 60 s).
         *
         * @throws IllegalArgumentException when the unit is null, or the value is shorter than 1 ms or longer than
         *                                  {@link #MAX_TIMEOUT 1 hour} (however large the amount)
         */
        public Builder deadline(long deadline, TimeUnit unit) {
            this.deadline = Arguments.requireTimeout(deadline, unit, MAX_TIMEOUT, "deadline");
            return this;
        }

        /**
         * The name sent with EHLO (default: this machine's fully qualified name, else the connection's address
         * literal): a domain name in ASCII (letters, digits, hyphens and underscores; labels of 1 to 63 octets, at
         * most 255 octets in all, no trailing dot) or an address literal, {@code [192.0.2.1]} or
         * {@code [IPv6:2001:db8::1]} (RFC 5321 §4.1.3).
         *
         * @throws IllegalArgumentException when null, blank, or neither such a domain nor such a literal
         */
        public Builder ehloName(String name) {
            this.ehloName = EhloName.check(name, "ehloName");
            return this;
        }

        /**
         * Validates the server's chain with this trust manager instead of the JDK's default trust store.
         *
         * @throws IllegalArgumentException when null
         */
        public Builder trustManager(X509TrustManager trustManager) {
            this.trustManager = Arguments.requireNonNull(trustManager, "trustManager");
            return this;
        }

        /**
         * Validates the server's chain against the trusted certificates of this key store.
         *
         * @throws IllegalArgumentException when null or not loaded
         */
        public Builder trustStore(KeyStore trustStore) {
            this.trustManager = TrustMaterial.fromKeyStore(Arguments.requireNonNull(trustStore, "trustStore"));
            return this;
        }

        /**
         * Validates the server's chain against the CA certificates in this PEM file, read at once. At most 4 MiB
         * are read: a larger file, or an endless one such as {@code /dev/zero}, is rejected without reading
         * further.
         *
         * @throws IllegalArgumentException naming {@code trustedCertificates} when null, when the file cannot be
         *                                  read, is larger than the limit or holds no certificate
         */
        public Builder trustedCertificates(Path pemFile) {
            this.trustManager = TrustMaterial.fromPem(Arguments.requireNonNull(pemFile, "trustedCertificates"));
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

        /**
         * The local address to connect from (default: the kernel's choice).
         *
         * @throws IllegalArgumentException when null
         */
        public Builder sourceAddress(InetAddress address) {
            this.sourceAddress = Arguments.requireNonNull(address, "sourceAddress");
            return this;
        }

        /**
         * The local address to connect from, as an address literal: {@code 192.0.2.5}, {@code 2001:db8::5},
         * {@code [192.0.2.5]} or {@code [IPv6:2001:db8::5]}. A host name is rejected without any DNS lookup.
         *
         * @throws IllegalArgumentException when null, or not an IPv4 or IPv6 address literal
         */
        public Builder sourceAddress(String address) {
            Arguments.requireToken(address, "sourceAddress");
            Optional<InetAddress> literal = Addresses.parseLiteral(address);
            Arguments.requireArgument(literal.isPresent(),
                    "sourceAddress must be an IP address literal, not a host name: %s", address);
            return sourceAddress(literal.get());
        }

        /**
         * The transport to use (default: the one found with {@link java.util.ServiceLoader}).
         *
         * @throws IllegalArgumentException when null
         */
        public Builder transport(Transport transport) {
            this.transport = Arguments.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * Receives progress events (default {@link ProbeListener#NONE}).
         *
         * @throws IllegalArgumentException when null
         */
        public Builder listener(ProbeListener listener) {
            this.listener = Arguments.requireNonNull(listener, "listener");
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

        /**
         * The clock for timestamps (default UTC system clock); a seam for tests.
         *
         * @throws IllegalArgumentException when null
         */
        public Builder clock(Clock clock) {
            this.clock = Arguments.requireNonNull(clock, "clock");
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
         * @throws IllegalArgumentException when the username is null, blank, holds a control character
         *                                  or surrounding whitespace, or is longer than 255 octets in UTF-8, or the password
         *                                  is null, empty or holds NUL
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
         * @throws IllegalArgumentException when the username is null, blank, holds a control character
         *                                  or surrounding whitespace, or is longer than 255 octets in UTF-8, or the supplier
         *                                  is null
         */
        public Builder auth(String username, Supplier<char[]> password) {
            this.credentials = Credentials.supplied(Credentials.Kind.PASSWORD, username, password, "password");
            return this;
        }

        /**
         * Authenticates with an OAuth2 access token (XOAUTH2, as Gmail and Microsoft 365 offer it). The array is
         * copied.
         *
         * @throws IllegalArgumentException when the username is null, blank, holds a control character
         *                                  or surrounding whitespace, or is longer than 255 octets in UTF-8, or the token is
         *                                  null, empty or holds control characters
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
         * @throws IllegalArgumentException when the username is null, blank, holds a control character
         *                                  or surrounding whitespace, or is longer than 255 octets in UTF-8, or the supplier
         *                                  is null
         */
        public Builder oauth2(String username, Supplier<char[]> token) {
            this.credentials = Credentials.supplied(Credentials.Kind.OAUTH2_TOKEN, username, token, "token");
            return this;
        }

        /**
         * Uses this mechanism instead of the best one offered; a server that does not offer it ends the probe with
         * {@link Verdict#AUTH_UNAVAILABLE}. {@link AuthMechanism#XOAUTH2} needs {@link #oauth2} credentials, the
         * others a password ({@link #build()} checks).
         *
         * @throws IllegalArgumentException when null
         */
        public Builder authMechanism(AuthMechanism mechanism) {
            this.authMechanism = Arguments.requireNonNull(mechanism, "authMechanism");
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
         * <p>Addresses are used as given, never trimmed or repaired. Each is a bare address with an {@code @} (or
         * {@code postmaster}), without whitespace, control characters or angle brackets, within RFC 5321 §4.5.3.1's
         * limits in UTF-8: a local part of at most 64 octets, a domain of at most 255 and the whole at most 254 (a
         * path of 256 with its angle brackets).
         *
         * @param from       the sender; exactly {@code ""} for the null sender {@code <>}
         * @param recipients one to 100 recipients, bare addresses like {@code bob@example.net}
         * @throws IllegalArgumentException naming the argument ({@code from}, {@code recipients},
         *                                  {@code recipients[i]}) when it is null or an address is unusable
         */
        public Builder envelope(String from, String... recipients) {
            return envelope(from, Arrays.asList(Arguments.requireNonNull(recipients, "recipients")));
        }

        /**
         * {@link #envelope(String, String...)} with a list of recipients.
         *
         * @throws IllegalArgumentException naming the argument when an address is unusable, as there
         */
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
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder messageSize(long bytes) {
            Arguments.requireArgument(bytes > 0, "messageSize must be positive: %d", bytes);
            this.messageSize = bytes;
            return this;
        }

        /**
         * Where hints read the machine's facts (default: {@link HostEnvironment#system()}); a seam for tests and
         * for callers that know better (a container runtime that hides {@code /.dockerenv}).
         *
         * @throws IllegalArgumentException when null
         */
        public Builder environment(HostEnvironment environment) {
            this.environment = Arguments.requireNonNull(environment, "environment");
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
                Arguments.requireArgument(credentials != null,
                        "authMechanism %s needs credentials: call auth(...) or oauth2(...)", authMechanism);
                boolean token = credentials.kind() == Credentials.Kind.OAUTH2_TOKEN;
                Arguments.requireArgument(authMechanism.usesToken() == token, "authMechanism %s cannot carry %s",
                        authMechanism, token ? "an OAuth2 token (use XOAUTH2)" : "a password (use PLAIN or LOGIN, or oauth2(...))");
            }
            Arguments.requireArgument(messageSize == 0 || envelopeSender != null, "messageSize needs an envelope(...)");
            Optional<InetAddress> literal = Addresses.parseLiteral(host);
            Arguments.requireArgument(literal.isEmpty() || ipVersion.allows(literal.get()),
                    "ipVersion %s excludes the address literal %s", ipVersion, host);
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
    }
}
