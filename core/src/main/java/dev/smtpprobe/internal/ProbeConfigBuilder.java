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
import dev.smtpprobe.spi.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.X509TrustManager;

/**
 * The options while they are being set. The public setters validate each value before they store it here;
 * {@link #build()} checks the combination and copies. Not threadsafe.
 */
public final class ProbeConfigBuilder {
    final String host;
    /** The host's address when it is an address literal, else {@code null}: parsed once, here. */
    final InetAddress literalAddress;
    final Resolution.Kind kind;
    List<Integer> ports = List.of(25);
    TlsMode tls;
    Duration connectTimeout = SmtpProbe.DEFAULT_CONNECT_TIMEOUT;
    Duration greetingTimeout = SmtpProbe.DEFAULT_GREETING_TIMEOUT;
    Duration replyTimeout = SmtpProbe.DEFAULT_REPLY_TIMEOUT;
    Duration deadline = SmtpProbe.DEFAULT_DEADLINE;
    String ehloName;
    ReplyKnowledge knownReplies = ReplyKnowledge.builtIn();
    Duration greylistRetry;
    X509TrustManager trustManager;
    boolean verifyHostname = true;
    String tlsServerName;
    Duration certificateExpiryWarning = SmtpProbe.DEFAULT_CERTIFICATE_EXPIRY_WARNING;
    String minTlsVersion = TlsVersions.DEFAULT_MINIMUM;
    dev.smtpprobe.internal.tls.TlsPolicySettings tlsPolicy = dev.smtpprobe.internal.tls.TlsPolicySettings.DEFAULT;
    InetAddress sourceAddress;
    Transport transport;
    final List<ProbeListener> listeners = new ArrayList<>();
    boolean confirmTlsMode = true;
    Clock clock = Clock.systemUTC();
    Ticker ticker = Ticker.SYSTEM;
    Credentials credentials;
    AuthMechanism authMechanism;
    boolean allowPlaintextAuth;
    String envelopeSender;
    List<String> envelopeRecipients;
    long messageSize;
    HostEnvironment environment = HostEnvironment.system();
    final List<InetSocketAddress> resolvers = new ArrayList<>();
    List<InetSocketAddress> comparedResolvers = List.of();
    Duration dnsTimeout = SmtpProbe.DEFAULT_DNS_TIMEOUT;
    IpVersion ipVersion = IpVersion.ANY;
    boolean allAttempts;
    Long shuffleSeed;
    List<String> searchDomains;
    Integer ndots;
    Path hostsFile;
    ProxyConfig proxy;
    Supplier<List<ConfigFinding>> configFindings = List::of;
    String firstAddressOnlyKey;
    Phase quitAfter;

    ProbeConfigBuilder(String host, Resolution.Kind kind) {
        this.host = Arguments.requireNonNull(host, "host");
        this.literalAddress = Addresses.parseLiteral(host).orElse(null);
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

    public void knownReplies(ReplyKnowledge table) {
        this.knownReplies = table;
    }

    public void greylistRetry(Duration wait) {
        this.greylistRetry = wait;
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

    public void minTlsVersion(String version) {
        this.minTlsVersion = version;
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

    public void quitAfter(Phase phase) {
        this.quitAfter = phase;
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
        Arguments.requireArgument(literalAddress == null || ipVersion.allows(literalAddress),
                "ipVersion %s excludes the address literal %s", ipVersion, host);
        return new ProbeConfig(this);
    }
}
