package dev.smtpprobe.internal;

import dev.smtpprobe.AuthMechanism;
import dev.smtpprobe.ConfigFinding;
import dev.smtpprobe.HostEnvironment;
import dev.smtpprobe.IpVersion;
import dev.smtpprobe.ProbeListener;
import dev.smtpprobe.ProxyConfig;
import dev.smtpprobe.Resolution;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.spi.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Supplier;
import javax.net.ssl.X509TrustManager;

/**
 * What the engine reads of a probe: an immutable copy of its configuration, made once by {@link Builder#build()}.
 * Unlike {@link SmtpProbe}, it holds the {@link Credentials} and the {@link Ticker}, which the public API never hands
 * out. Its accessors have the names and types of {@link SmtpProbe}'s.
 *
 * <p>The {@link Builder} checks only what depends on several options at once; each option's own value is checked by
 * the public setter that takes it ({@link Arguments}).
 *
 * <p>Immutable and threadsafe; {@link #toString()} never shows a secret.
 */
public final class ProbeConfig {

    private final String host;
    private final Resolution.Kind kind;
    private final List<Integer> ports;
    /** The mode set for every port, or {@code null} for each port's default. */
    private final TlsMode tls;
    private final Duration connectTimeout;
    private final Duration greetingTimeout;
    private final Duration replyTimeout;
    private final Duration deadline;
    private final String ehloName;
    private final X509TrustManager trustManager;
    private final boolean verifyHostname;
    private final String tlsServerName;
    private final Duration certificateExpiryWarning;
    private final dev.smtpprobe.internal.tls.TlsPolicySettings tlsPolicy;
    private final InetAddress sourceAddress;
    private final Transport transport;
    private final List<ProbeListener> listeners;
    private final boolean confirmTlsMode;
    private final Clock clock;
    private final Ticker ticker;
    private final Credentials credentials;
    private final AuthMechanism authMechanism;
    private final boolean allowPlaintextAuth;
    private final Envelope envelope;
    private final HostEnvironment environment;
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
    // The host property of a library that connects to the first address only (Jakarta Mail), or null.
    private final String firstAddressOnlyKey;

    private ProbeConfig(Builder b) {
        host = b.host;
        kind = b.kind;
        ports = List.copyOf(b.ports);
        tls = b.tls;
        connectTimeout = b.connectTimeout;
        greetingTimeout = b.greetingTimeout;
        replyTimeout = b.replyTimeout;
        deadline = b.deadline;
        ehloName = b.ehloName;
        trustManager = b.trustManager;
        verifyHostname = b.verifyHostname;
        tlsServerName = b.tlsServerName;
        certificateExpiryWarning = b.certificateExpiryWarning;
        tlsPolicy = b.tlsPolicy;
        sourceAddress = b.sourceAddress;
        transport = b.transport;
        listeners = List.copyOf(b.listeners);
        confirmTlsMode = b.confirmTlsMode;
        clock = b.clock;
        ticker = b.ticker;
        credentials = b.credentials;
        authMechanism = b.authMechanism;
        allowPlaintextAuth = b.allowPlaintextAuth;
        envelope = b.envelopeSender == null ? null : Envelope.of(b.envelopeSender, b.envelopeRecipients, b.messageSize);
        environment = b.environment;
        resolvers = List.copyOf(b.resolvers);
        comparedResolvers = List.copyOf(b.comparedResolvers);
        dnsTimeout = b.dnsTimeout;
        ipVersion = b.ipVersion;
        allAttempts = b.allAttempts;
        shuffleSeed = b.shuffleSeed;
        searchDomains = b.searchDomains == null ? null : List.copyOf(b.searchDomains);
        ndots = b.ndots;
        hostsFile = b.hostsFile;
        proxy = b.proxy;
        configFindings = b.configFindings;
        firstAddressOnlyKey = b.firstAddressOnlyKey;
    }

    /** A builder with every default of {@link SmtpProbe}, for a host ({@code HOST}) or a mail domain ({@code MX}). */
    public static Builder builder(String host, Resolution.Kind kind) {
        return new Builder(host, kind);
    }

    /** The host or mail domain as given. */
    public String host() {
        return host;
    }

    /** The first port of the sweep (the only one, usually). */
    public int port() {
        return ports.get(0);
    }

    /** The TLS mode of {@link #port()}. */
    public TlsMode tlsMode() {
        return tlsModeFor(port());
    }

    /** A mail domain or a host. */
    public Resolution.Kind kind() {
        return kind;
    }

    /** The ports, in order, without repeats. */
    public List<Integer> ports() {
        return ports;
    }

    /** The mode set for every port, otherwise {@link TlsMode#defaultFor(int) the port's default}. */
    public TlsMode tlsModeFor(int port) {
        return tls != null ? tls : TlsMode.defaultFor(port);
    }

    public List<InetSocketAddress> resolvers() {
        return resolvers;
    }

    public List<InetSocketAddress> comparedResolvers() {
        return comparedResolvers;
    }

    public Duration dnsTimeout() {
        return dnsTimeout;
    }

    public IpVersion ipVersion() {
        return ipVersion;
    }

    public boolean allAttempts() {
        return allAttempts;
    }

    public OptionalLong shuffleSeed() {
        return shuffleSeed == null ? OptionalLong.empty() : OptionalLong.of(shuffleSeed);
    }

    public Optional<List<String>> searchDomains() {
        return Optional.ofNullable(searchDomains);
    }

    public OptionalInt ndots() {
        return ndots == null ? OptionalInt.empty() : OptionalInt.of(ndots);
    }

    public Optional<Path> hostsFile() {
        return Optional.ofNullable(hostsFile);
    }

    /** The proxy set explicitly, or empty. */
    public Optional<ProxyConfig> proxy() {
        return Optional.ofNullable(proxy);
    }

    /** What is wrong or risky in the mail properties the probe was made from; empty otherwise. */
    public List<ConfigFinding> configFindings() {
        return configFindings.get();
    }

    /**
     * The property naming the host when the configured library connects to its first address only (so a run
     * reports where that changes the outcome), or {@code null}.
     */
    public String firstAddressOnlyKey() {
        return firstAddressOnlyKey;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration greetingTimeout() {
        return greetingTimeout;
    }

    public Duration replyTimeout() {
        return replyTimeout;
    }

    public Duration deadline() {
        return deadline;
    }

    /** The EHLO name, or {@code null} for the local host's. */
    public String ehloName() {
        return ehloName;
    }

    /** The trust manager, or {@code null} for the JDK's default trust store. */
    public X509TrustManager trustManager() {
        return trustManager;
    }

    public boolean verifyHostname() {
        return verifyHostname;
    }

    /** The name sent in SNI and checked against the certificate, or {@code null} for the host connected to. */
    public String tlsServerName() {
        return tlsServerName;
    }

    /** An OK result gets a hint when the server's certificate expires sooner than this. */
    public Duration certificateExpiryWarning() {
        return certificateExpiryWarning;
    }

    /** The TLS policy settings: policy (null for the default), DNSSEC mode, MTA-STS trust and port. */
    public dev.smtpprobe.internal.tls.TlsPolicySettings tlsPolicy() {
        return tlsPolicy;
    }

    /** The local address to bind, or {@code null} for the kernel's choice. */
    public InetAddress sourceAddress() {
        return sourceAddress;
    }

    /** The transport, or {@code null} for the one found with {@link java.util.ServiceLoader}. */
    public Transport transport() {
        return transport;
    }

    public List<ProbeListener> listeners() {
        return listeners;
    }

    public boolean confirmTlsMode() {
        return confirmTlsMode;
    }

    /** The wall clock, for timestamps. */
    public Clock clock() {
        return clock;
    }

    /** The monotonic clock, for every duration, timer and deadline. */
    public Ticker ticker() {
        return ticker;
    }

    /** The credentials, or {@code null} when the probe does not authenticate. */
    public Credentials credentials() {
        return credentials;
    }

    public String authUsername() {
        return credentials == null ? null : credentials.username();
    }

    public boolean usesOAuth2() {
        return credentials != null && credentials.kind() == Credentials.Kind.OAUTH2_TOKEN;
    }

    /** The forced mechanism, or {@code null} for the best one offered. */
    public AuthMechanism authMechanism() {
        return authMechanism;
    }

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

    /** The declared message size, 0 when none. */
    public long messageSize() {
        return envelope == null ? 0 : envelope.messageSize();
    }

    public HostEnvironment environment() {
        return environment;
    }

    /** The options a reader needs to tell probes apart; never a secret (the username is not one). */
    @Override
    public String toString() {
        return "SmtpProbe{" + (kind == Resolution.Kind.MX ? "mx " : "") + host + ":"
                + (ports.size() == 1 ? String.valueOf(port()) : ports.toString()) + ", tls=" + tlsMode()
                + ", connectTimeout=" + connectTimeout + ", greetingTimeout=" + greetingTimeout
                + ", replyTimeout=" + replyTimeout + ", deadline=" + deadline
                + (sourceAddress != null ? ", source=" + sourceAddress.getHostAddress() : "")
                + (credentials != null ? ", auth=" + (usesOAuth2() ? "oauth2" : "password") + " as "
                        + credentials.username() + (authMechanism != null ? " with " + authMechanism : "")
                        + (allowPlaintextAuth ? " (plaintext allowed)" : "") : "")
                + (envelope != null ? ", envelope=" + envelope.recipients().size() + " recipient(s)" : "") + "}";
    }

    /**
     * The options while they are being set. The public setters validate each value before they store it here;
     * {@link #build()} checks the combination and copies. Not threadsafe.
     */
    public static final class Builder {
        private final String host;
        private final Resolution.Kind kind;
        private List<Integer> ports = List.of(25);
        private TlsMode tls;
        private Duration connectTimeout = SmtpProbe.DEFAULT_CONNECT_TIMEOUT;
        private Duration greetingTimeout = SmtpProbe.DEFAULT_GREETING_TIMEOUT;
        private Duration replyTimeout = SmtpProbe.DEFAULT_REPLY_TIMEOUT;
        private Duration deadline = SmtpProbe.DEFAULT_DEADLINE;
        private String ehloName;
        private X509TrustManager trustManager;
        private boolean verifyHostname = true;
        private String tlsServerName;
        private Duration certificateExpiryWarning = SmtpProbe.DEFAULT_CERTIFICATE_EXPIRY_WARNING;
        private dev.smtpprobe.internal.tls.TlsPolicySettings tlsPolicy =
                dev.smtpprobe.internal.tls.TlsPolicySettings.DEFAULT;
        private InetAddress sourceAddress;
        private Transport transport;
        private final List<ProbeListener> listeners = new ArrayList<>();
        private boolean confirmTlsMode = true;
        private Clock clock = Clock.systemUTC();
        private Ticker ticker = Ticker.SYSTEM;
        private Credentials credentials;
        private AuthMechanism authMechanism;
        private boolean allowPlaintextAuth;
        private String envelopeSender;
        private List<String> envelopeRecipients;
        private long messageSize;
        private HostEnvironment environment = HostEnvironment.system();
        private final List<InetSocketAddress> resolvers = new ArrayList<>();
        private List<InetSocketAddress> comparedResolvers = List.of();
        private Duration dnsTimeout = SmtpProbe.DEFAULT_DNS_TIMEOUT;
        private IpVersion ipVersion = IpVersion.ANY;
        private boolean allAttempts;
        private Long shuffleSeed;
        private List<String> searchDomains;
        private Integer ndots;
        private Path hostsFile;
        private ProxyConfig proxy;
        private Supplier<List<ConfigFinding>> configFindings = List::of;
        private String firstAddressOnlyKey;

        private Builder(String host, Resolution.Kind kind) {
            this.host = Arguments.requireNonNull(host, "host");
            this.kind = Arguments.requireNonNull(kind, "kind");
        }

        public void ports(List<Integer> ports) {
            this.ports = List.copyOf(ports);
        }

        public void tls(TlsMode mode) {
            this.tls = mode;
        }

        public void connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
        }

        public void greetingTimeout(Duration timeout) {
            this.greetingTimeout = timeout;
        }

        public void replyTimeout(Duration timeout) {
            this.replyTimeout = timeout;
        }

        public void deadline(Duration deadline) {
            this.deadline = deadline;
        }

        public void ehloName(String name) {
            this.ehloName = name;
        }

        public void trustManager(X509TrustManager trustManager) {
            this.trustManager = trustManager;
        }

        public void verifyHostname(boolean verify) {
            this.verifyHostname = verify;
        }

        public void tlsServerName(String name) {
            this.tlsServerName = name;
        }

        public void certificateExpiryWarning(Duration warning) {
            this.certificateExpiryWarning = warning;
        }

        public dev.smtpprobe.internal.tls.TlsPolicySettings tlsPolicy() {
            return tlsPolicy;
        }

        public void tlsPolicy(dev.smtpprobe.internal.tls.TlsPolicySettings settings) {
            this.tlsPolicy = settings;
        }

        public void sourceAddress(InetAddress address) {
            this.sourceAddress = address;
        }

        public void transport(Transport transport) {
            this.transport = transport;
        }

        public void listener(ProbeListener listener) {
            listeners.add(listener);
        }

        public void confirmTlsMode(boolean confirm) {
            this.confirmTlsMode = confirm;
        }

        public void clock(Clock clock) {
            this.clock = clock;
        }

        /**
         * The monotonic clock (default {@link Ticker#SYSTEM}): a seam for tests only.
         *
         * @throws IllegalArgumentException when null
         */
        public void ticker(Ticker ticker) {
            this.ticker = Arguments.requireNonNull(ticker, "ticker");
        }

        public void credentials(Credentials credentials) {
            this.credentials = credentials;
        }

        public void authMechanism(AuthMechanism mechanism) {
            this.authMechanism = mechanism;
        }

        public void allowPlaintextAuth(boolean allow) {
            this.allowPlaintextAuth = allow;
        }

        /** The envelope, without its size: {@link #messageSize} may be set before or after it. */
        public void envelope(Envelope envelope) {
            this.envelopeSender = envelope.sender();
            this.envelopeRecipients = envelope.recipients();
        }

        public void messageSize(long bytes) {
            this.messageSize = bytes;
        }

        public long messageSize() {
            return messageSize;
        }

        public void environment(HostEnvironment environment) {
            this.environment = environment;
        }

        public void addResolver(InetSocketAddress resolver) {
            this.resolvers.add(resolver);
        }

        public void comparedResolvers(List<InetSocketAddress> resolvers) {
            this.comparedResolvers = List.copyOf(resolvers);
        }

        public void dnsTimeout(Duration timeout) {
            this.dnsTimeout = timeout;
        }

        public void ipVersion(IpVersion version) {
            this.ipVersion = version;
        }

        public void allAttempts(boolean all) {
            this.allAttempts = all;
        }

        public void shuffleSeed(long seed) {
            this.shuffleSeed = seed;
        }

        public void searchDomains(List<String> domains) {
            this.searchDomains = List.copyOf(domains);
        }

        public void ndots(int ndots) {
            this.ndots = ndots;
        }

        public void hostsFile(Path file) {
            this.hostsFile = file;
        }

        public void proxy(ProxyConfig proxy) {
            this.proxy = proxy;
        }

        public void configFindings(Supplier<List<ConfigFinding>> findings) {
            this.configFindings = findings;
        }

        public void firstAddressOnly(String hostKey) {
            this.firstAddressOnlyKey = hostKey;
        }

        /**
         * An immutable copy of the options.
         *
         * @throws IllegalArgumentException when options contradict each other: a forced mechanism without credentials
         *                                  or of the wrong kind, a message size without an envelope, or an address
         *                                  literal that {@code ipVersion} excludes
         */
        public ProbeConfig build() {
            if (authMechanism != null) {
                Arguments.requireArgument(credentials != null,
                        "authMechanism %s needs credentials: call auth(...) or oauth2(...)", authMechanism);
                boolean token = credentials.kind() == Credentials.Kind.OAUTH2_TOKEN;
                Arguments.requireArgument(authMechanism.usesToken() == token, "authMechanism %s cannot carry %s",
                        authMechanism, token ? "an OAuth2 token (use XOAUTH2)"
                                : "a password (use PLAIN or LOGIN, or oauth2(...))");
            }
            Arguments.requireArgument(messageSize == 0 || envelopeSender != null, "messageSize needs an envelope(...)");
            Optional<InetAddress> literal = Addresses.parseLiteral(host);
            Arguments.requireArgument(literal.isEmpty() || ipVersion.allows(literal.get()),
                    "ipVersion %s excludes the address literal %s", ipVersion, host);
            return new ProbeConfig(this);
        }
    }
}
