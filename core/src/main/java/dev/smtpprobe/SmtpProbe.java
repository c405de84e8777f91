package dev.smtpprobe;

import dev.smtpprobe.internal.Addresses;
import dev.smtpprobe.internal.Arguments;
import dev.smtpprobe.internal.CallerLoop;
import dev.smtpprobe.internal.ProbeConfig;
import dev.smtpprobe.internal.Prober;
import dev.smtpprobe.internal.dns.DnsNames;
import dev.smtpprobe.internal.mail.MailPropertiesMapping;
import dev.smtpprobe.spi.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

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
    /** Default {@link Builder#certificateExpiryWarning(Duration)}: 14 days. */
    public static final Duration DEFAULT_CERTIFICATE_EXPIRY_WARNING = Duration.ofDays(14);
    /** Default limit for each DNS query to one resolver. */
    public static final Duration DEFAULT_DNS_TIMEOUT = Duration.ofSeconds(5);
    /** The most ports one probe sweeps. */
    public static final int MAX_PORTS = 16;
    /** The longest connect, greeting and reply timeout and deadline a probe accepts (the shortest is 1 ms). */
    public static final Duration MAX_TIMEOUT = Duration.ofHours(1);
    /** The longest {@link Builder#dnsTimeout DNS timeout} a probe accepts. */
    public static final Duration MAX_DNS_TIMEOUT = Duration.ofMinutes(1);

    /** Everything the engine reads, copied once by {@link Builder#build()}. */
    private final ProbeConfig config;

    private SmtpProbe(ProbeConfig config) {
        this.config = config;
    }

    /**
     * Starts configuring a probe of one SMTP host: a host name or an address literal ({@code 192.0.2.1},
     * {@code ::1}, {@code [192.0.2.1]}, {@code [IPv6:::1]}). A name has labels of at most 63 octets and at most
     * 253 octets in all (in its ASCII form); nothing is stripped.
     *
     * @param host the SMTP host: a host name or an address literal
     * @return a builder for a probe of that host, on port 25 unless set otherwise
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
     * @param domain the mail domain whose MX hosts are probed
     * @return a builder for a probe of that domain's mail hosts
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
     * infinite). What is wrong or risky in the properties is in {@link #configFindings()}; each result carries them
     * ({@link ProbeResult#configFindings()}), with a finding when the run shows the application would fail where
     * the probe did not (its library connects to the first address of the host only).
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
     * @param properties the application's Jakarta Mail or Angus Mail properties
     * @return a builder configured as the application's mail library would connect, with its findings
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
     * @param properties the application's Jakarta Mail or Angus Mail properties
     * @param environment the machine's facts
     * @return a builder configured as the application's mail library would connect, with its findings
     * @throws IllegalArgumentException naming the argument when one is null, or naming the host key as there
     */
    public static Builder fromMailProperties(Properties properties, HostEnvironment environment) {
        MailPropertiesMapping mapping = MailPropertiesMapping.read(properties, environment);
        Builder builder = mapping.configure().environment(environment);
        builder.config.configFindings(mapping::findings);
        builder.config.firstAddressOnly("mail." + mapping.protocol() + ".host"); // one Socket to the name
        return builder;
    }

    /**
     * Probes these targets concurrently, at most {@link ProbeBatch#concurrency(int)} at a time, and summarises
     * the scope of the failures.
     *
     * @param probes the probes to run, at least one
     * @return a batch to configure and run
     * @throws IllegalArgumentException when {@code probes} is null, empty or holds null
     */
    public static ProbeBatch batch(Collection<SmtpProbe> probes) {
        return new ProbeBatch(probes);
    }

    /**
     * {@link #batch(Collection)} of these probes.
     *
     * @param probes the probes to run, at least one
     * @return a batch to configure and run
     */
    public static ProbeBatch batch(SmtpProbe... probes) {
        return new ProbeBatch(Arrays.asList(Arguments.requireNonNull(probes, "probes")));
    }

    /**
     * A batch of one probe per target, each configured by {@code configure}, for example
     * {@code SmtpProbe.batch(domains, d -> SmtpProbe.mx(d).ports(25))}.
     *
     * @param targets the targets, at least one, in order
     * @param configure makes the builder of one target's probe
     * @return a batch to configure and run
     * @throws IllegalArgumentException when {@code targets} is null, empty or holds null, or {@code configure} is
     *                                  null or returns null
     */
    public static ProbeBatch batch(Collection<String> targets, Function<String, Builder> configure) {
        return ProbeBatch.of(targets, configure);
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
     * @return the result; never {@code null}
     * @throws ProbeInterruptedException when the calling thread is interrupted
     * @throws IllegalStateException     at once when no {@link Transport} is configured or on the class path, or
     *                                   when a sweep of several ports is run on a thread that delivers probe results
     *                                   (a {@code runAsync()} callback): that would wait for itself
     */
    public ProbeResult run() {
        if (Thread.currentThread().isInterrupted()) {
            throw new ProbeInterruptedException("the probe of " + config.host(), new InterruptedException());
        }
        // The caller waits anyway: its connections run on its own thread (Transport.runPipeOnCallingThread), with no
        // hand-off to another thread, which keeps an application's first probe cheap.
        CallerLoop caller = new CallerLoop();
        return caller.runUntil(Prober.start(config, caller), config.host());
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
     * @return a future of the result that completes by the deadline + 250 ms; cancelling it stops the probe
     * @throws IllegalStateException at once when no {@link Transport} is configured or on the class path
     */
    public CompletableFuture<ProbeResult> runAsync() {
        return Prober.start(config);
    }

    /** {@return the host as given} */
    public String host() {
        return config.host();
    }

    /** {@return the port, or the first port of a sweep} */
    public int port() {
        return config.port();
    }

    /** {@return the TLS mode of {@link #port()} (the port's default when none was set)} */
    public TlsMode tlsMode() {
        return config.tlsMode();
    }

    /**
     * {@return whether the target is a mail domain ({@link Resolution.Kind#MX}) or a host ({@link
     * Resolution.Kind#HOST})}
     */
    public Resolution.Kind kind() {
        return config.kind();
    }

    /** {@return the ports to probe, in order (one unless {@link Builder#ports(int...)} set several)} */
    public List<Integer> ports() {
        return config.ports();
    }

    /**
     * The TLS mode used on {@code port}: the one set with {@link Builder#tls}, otherwise the port's default.
     *
     * @param port a TCP port
     * @return the TLS mode this probe uses on it
     */
    public TlsMode tlsModeFor(int port) {
        return config.tlsModeFor(port);
    }

    /** {@return the resolvers to ask, in order; empty for the system's resolvers} */
    public List<InetSocketAddress> resolvers() {
        return config.resolvers();
    }

    /** {@return the resolvers to compare, or empty when no comparison was asked} */
    public List<InetSocketAddress> comparedResolvers() {
        return config.comparedResolvers();
    }

    /** {@return the limit for each DNS query to one resolver} */
    public Duration dnsTimeout() {
        return config.dnsTimeout();
    }

    /** {@return which address families are used, in which order} */
    public IpVersion ipVersion() {
        return config.ipVersion();
    }

    /** {@return whether every host, address and port is probed, rather than stopping at the first OK of each port} */
    public boolean allAttempts() {
        return config.allAttempts();
    }

    /** {@return the seed of the order of equal-preference MX hosts, if one was set} */
    public OptionalLong shuffleSeed() {
        return config.shuffleSeed();
    }

    /** {@return the search domains set with {@link Builder#searchDomains}, or empty for the system's (resolv.conf)} */
    public Optional<List<String>> searchDomains() {
        return config.searchDomains();
    }

    /** {@return the ndots set with {@link Builder#ndots}, or empty for the system's (resolv.conf)} */
    public OptionalInt ndots() {
        return config.ndots();
    }

    /** {@return the hosts file set with {@link Builder#hostsFile}, or empty for the default} */
    public Optional<Path> hostsFile() {
        return config.hostsFile();
    }

    /** {@return the TCP connect timeout} */
    public Duration connectTimeout() {
        return config.connectTimeout();
    }

    /** {@return the wait for the 220 banner} */
    public Duration greetingTimeout() {
        return config.greetingTimeout();
    }

    /** {@return the wait for each later reply and TLS handshake} */
    public Duration replyTimeout() {
        return config.replyTimeout();
    }

    /** {@return the limit for the whole probe} */
    public Duration deadline() {
        return config.deadline();
    }

    /** {@return the EHLO name, or {@code null} for the local host name} */
    public @Nullable String ehloName() {
        return config.ehloName();
    }

    /** {@return the trust manager for the server's chain, or {@code null} for the JDK's default trust store} */
    public @Nullable X509TrustManager trustManager() {
        return config.trustManager();
    }

    /** {@return whether the certificate must match the host name} */
    public boolean verifyHostname() {
        return config.verifyHostname();
    }

    /** {@return the name the certificate is verified as and SNI names, or {@code null} for the host connected to} */
    public @Nullable String tlsServerName() {
        return config.tlsServerName();
    }

    /** {@return how soon before the server's certificate expires an OK result gets a hint} */
    public Duration certificateExpiryWarning() {
        return config.certificateExpiryWarning();
    }

    /** {@return the oldest TLS version that is not a finding, as the JDK names it: {@code "TLSv1.2"} by default} */
    public String minTlsVersion() {
        return config.minTlsVersion();
    }

    /** {@return the local address to bind, or {@code null} for the kernel's choice} */
    public @Nullable InetAddress sourceAddress() {
        return config.sourceAddress();
    }

    /** {@return the transport, or {@code null} for the one found with {@link java.util.ServiceLoader}} */
    public @Nullable Transport transport() {
        return config.transport();
    }

    /** {@return the listeners, in the order added and so in the order called; empty by default} */
    public List<ProbeListener> listeners() {
        return config.listeners();
    }

    /** {@return whether a suspected TLS-mode mismatch is confirmed by a quick second attempt in the other mode} */
    public boolean confirmTlsMode() {
        return config.confirmTlsMode();
    }

    /** {@return the clock for timestamps} */
    public Clock clock() {
        return config.clock();
    }

    /** {@return the username to authenticate as, or {@code null} when no credentials were configured} */
    public @Nullable String authUsername() {
        return config.authUsername();
    }

    /** {@return whether the credentials are an OAuth2 token (XOAUTH2) rather than a password} */
    public boolean usesOAuth2() {
        return config.usesOAuth2();
    }

    /** {@return the mechanism forced by the caller, or {@code null} for the best one the server offers} */
    public @Nullable AuthMechanism authMechanism() {
        return config.authMechanism();
    }

    /** {@return whether credentials may be sent without TLS} */
    public boolean allowPlaintextAuth() {
        return config.allowPlaintextAuth();
    }

    /** {@return the envelope sender ({@code ""} for {@code <>}), or {@code null} when no envelope is tried} */
    public @Nullable String envelopeSender() {
        return config.envelopeSender();
    }

    /** {@return the envelope recipients, empty when no envelope is tried} */
    public List<String> envelopeRecipients() {
        return config.envelopeRecipients();
    }

    /** {@return the declared message size in bytes ({@code SIZE=}), 0 when none} */
    public long messageSize() {
        return config.messageSize();
    }

    /** {@return the machine facts hints read} */
    public HostEnvironment environment() {
        return config.environment();
    }

    /**
     * The proxy set with {@link Builder#proxy}, or empty when none was set (then the connection may still use the
     * one that {@link ProxyConfig#fromProperties} reads from the JVM's properties).
     *
     * @return the proxy set on the builder, or empty
     */
    public Optional<ProxyConfig> proxy() {
        return config.proxy();
    }

    /**
     * What is wrong or risky in the mail properties this probe was made from ({@link #fromMailProperties}), in a
     * fixed order; empty for a probe configured otherwise. After a run that trusted a certificate only because the
     * properties trust the server, it also holds a {@link ConfigFinding.Code#CERTIFICATE_ACCEPTED_BY_TRUST} finding.
     *
     * @return the configuration findings in a fixed order; possibly empty
     */
    public List<ConfigFinding> configFindings() {
        return config.configFindings();
    }

    @Override
    public String toString() {
        return config.toString();
    }

    /** The engine's copy of the configuration. */
    ProbeConfig config() {
        return config;
    }

    /**
     * Configures a {@link SmtpProbe}. Setters validate at once; {@link #build()} copies. Not threadsafe; the
     * probes it builds are.
     */
    public static final class Builder extends SessionOptions {

        private Builder(String host, Resolution.Kind kind) {
            super(ProbeConfig.builder(checkedTarget(host, kind), kind));
        }

        /** The host or domain, validated now so that {@code run()} never meets a bad name. */
        private static String checkedTarget(String host, Resolution.Kind kind) {
            String argument = kind == Resolution.Kind.MX ? "domain" : "host";
            Arguments.requireToken(host, argument);
            if (Addresses.parseLiteral(host).isEmpty()) {
                DnsNames.toAscii(host, argument);
            }
            return host;
        }

        /**
         * An immutable probe with this configuration.
         *
         * @return a new probe
         * @throws IllegalArgumentException when options contradict each other (a forced mechanism without
         *                                  credentials or of the wrong kind, a message size without an envelope), or
         *                                  when the target is an address literal that {@link #ipVersion} excludes
         */
        public SmtpProbe build() {
            return new SmtpProbe(config.build());
        }

        /**
         * {@code build().run()}.
         *
         * @return the result; never {@code null}
         */
        public ProbeResult run() {
            return build().run();
        }

        /**
         * {@code build().runAsync()}.
         *
         * @return a future of the result that completes by the deadline + 250 ms; cancelling it stops the probe
         */
        public CompletableFuture<ProbeResult> runAsync() {
            return build().runAsync();
        }
    }
}
