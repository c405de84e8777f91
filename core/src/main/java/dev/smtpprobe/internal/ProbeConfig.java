package dev.smtpprobe.internal;

import dev.smtpprobe.AuthMechanism;
import dev.smtpprobe.ConfigFinding;
import dev.smtpprobe.HostEnvironment;
import dev.smtpprobe.IpVersion;
import dev.smtpprobe.Phase;
import dev.smtpprobe.ProbeListener;
import dev.smtpprobe.ProxyConfig;
import dev.smtpprobe.Resolution;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.internal.dns.DnsResolver;
import dev.smtpprobe.spi.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Supplier;
import javax.net.ssl.X509TrustManager;

/**
 * What the engine reads of a probe: an immutable copy of its configuration, made once by
 * {@link ProbeConfigBuilder#build()}.
 * Unlike {@link SmtpProbe}, it holds the {@link Credentials} and the {@link Ticker}, which the public API never hands
 * out. Its accessors have the names and types of {@link SmtpProbe}'s.
 *
 * <p>The {@link ProbeConfigBuilder} checks only what depends on several options at once; each option's own value is
 * checked by the public setter that takes it ({@link Arguments}).
 *
 * <p>Immutable and threadsafe; {@link #toString()} never shows a secret.
 */
public final class ProbeConfig {

    private final String host;
    private final Resolution.Kind kind;
    /**
     * The resolution of the host when it is an address literal (parsed once, by the builder), {@code null} for a
     * name: the same for every run of the built probe, so made once, here.
     */
    private final Resolution literalResolution;
    private final List<Integer> ports;
    /** The mode set for every port, or {@code null} for each port's default. */
    private final TlsMode tls;
    private final Duration connectTimeout;
    private final Duration greetingTimeout;
    private final Duration replyTimeout;
    private final Duration deadline;
    private final String ehloName;
    private final ReplyKnowledge knownReplies;
    private final Duration greylistRetry;
    private final X509TrustManager trustManager;
    private final boolean verifyHostname;
    private final String tlsServerName;
    private final Duration certificateExpiryWarning;
    private final String minTlsVersion;
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
    // The last phase of the dialogue before QUIT (SmtpProbe.Builder#quitAfter), or null for the whole dialogue.
    private final Phase quitAfter;

    ProbeConfig(ProbeConfigBuilder b) {
        host = b.host;
        kind = b.kind;
        ports = List.copyOf(b.ports);
        tls = b.tls;
        connectTimeout = b.connectTimeout;
        greetingTimeout = b.greetingTimeout;
        replyTimeout = b.replyTimeout;
        deadline = b.deadline;
        ehloName = b.ehloName;
        knownReplies = b.knownReplies;
        greylistRetry = b.greylistRetry;
        trustManager = b.trustManager;
        verifyHostname = b.verifyHostname;
        tlsServerName = b.tlsServerName;
        certificateExpiryWarning = b.certificateExpiryWarning;
        minTlsVersion = b.minTlsVersion;
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
        literalResolution = b.literalAddress == null ? null
                : DnsResolver.resolveLiteral(host, b.literalAddress, ipVersion);
        allAttempts = b.allAttempts;
        shuffleSeed = b.shuffleSeed;
        searchDomains = b.searchDomains == null ? null : List.copyOf(b.searchDomains);
        ndots = b.ndots;
        hostsFile = b.hostsFile;
        proxy = b.proxy;
        configFindings = b.configFindings;
        firstAddressOnlyKey = b.firstAddressOnlyKey;
        quitAfter = b.quitAfter;
    }

    /** A builder with every default of {@link SmtpProbe}, for a host ({@code HOST}) or a mail domain ({@code MX}). */
    public static ProbeConfigBuilder builder(String host, Resolution.Kind kind) {
        return new ProbeConfigBuilder(host, kind);
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

    /** The resolution of the address literal (no DNS), or {@code null} when the host is a name. */
    public Resolution literalResolution() {
        return literalResolution;
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

    /** The last phase of the dialogue before QUIT, or {@code null} for the whole dialogue. */
    public Phase quitAfter() {
        return quitAfter;
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

    /** The table of known replies: the user's entries, then the built-in ones. */
    public ReplyKnowledge knownReplies() {
        return knownReplies;
    }

    /** The longest wait before retrying a greylisted attempt, or {@code null} when greylisting is not retried. */
    public Duration greylistRetry() {
        return greylistRetry;
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

    /** The oldest TLS version that is not a finding, as the JDK names it ({@code "TLSv1.2"}). */
    public String minTlsVersion() {
        return minTlsVersion;
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
}
