package dev.smtpprobe.internal.mail;

import dev.smtpprobe.ConfigFinding;
import dev.smtpprobe.ConfigFinding.Code;
import dev.smtpprobe.HostEnvironment;
import dev.smtpprobe.ProxyConfig;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.internal.ConfiguredTrust;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Reads Jakarta Mail / Angus {@code mail.smtp(s).*} properties the way Angus Mail reads them, and configures the
 * probe the application's library would make: the same host and port, TLS mode, trust decision, host name rule,
 * EHLO name and timeouts (bounded where the library's are infinite). What it reads wrong or risky becomes a
 * {@link ConfigFinding}. No Jakarta Mail on the class path: plain JDK {@link Properties}.
 *
 * <p>SMTP credentials are never read: {@code mail.smtp.password} is not a Jakarta Mail key (it is reported, its
 * value masked); the caller passes the password for {@link #user()} to the builder. An HTTP proxy's
 * {@code proxy.password} is read into the probe's {@link ProxyConfig}, which never shows it. An instance is
 * immutable apart from the certificate findings a run adds; threadsafe.
 */
public final class MailPropertiesMapping {

    private static final String MASK = "****";

    private final String protocol;
    private final String prefix;
    private final String host;
    private final int port;
    private final TlsMode tlsMode;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final String ehloName;
    private final InetAddress localAddress;
    private final String user;
    private final String from;
    private final boolean trustsServer;
    private final boolean checkServerIdentity;
    private final ProxySetting proxy;
    private final ProxyConfig proxyConfig;
    private final List<ConfigFinding> findings;
    private final List<ConfigFinding> observed = new CopyOnWriteArrayList<>();

    private MailPropertiesMapping(MailReader r) {
        this.protocol = r.protocol;
        this.prefix = r.prefix;
        this.host = r.host;
        this.port = r.port;
        this.tlsMode = r.tlsMode;
        this.connectTimeout = r.connectTimeout;
        this.readTimeout = r.readTimeout;
        this.ehloName = r.ehloName;
        this.localAddress = r.localAddress;
        this.user = r.user;
        this.from = r.from;
        this.trustsServer = r.trustsServer;
        this.checkServerIdentity = r.checkServerIdentity;
        this.proxy = r.proxy;
        this.proxyConfig = r.proxyConfig;
        this.findings = List.copyOf(r.findings);
    }

    /**
     * Reads {@code properties} (defaults included; values may be strings or, as Jakarta Mail allows, other objects
     * such as {@code Boolean.TRUE}).
     *
     * @param environment where a container is detected (for {@link Code#LOOPBACK_IN_CONTAINER})
     * @throws IllegalArgumentException naming the property when the host cannot be probed even as meant (after its
     *                                  scheme, port and whitespace are set aside), or naming {@code properties}
     *                                  when it is null
     */
    public static MailPropertiesMapping read(Properties properties, HostEnvironment environment) {
        if (properties == null) {
            throw new IllegalArgumentException("properties must not be null");
        }
        if (environment == null) {
            throw new IllegalArgumentException("environment must not be null");
        }
        return new MailPropertiesMapping(new MailReader(properties, environment));
    }

    /**
     * A builder for the probe the application's library would make. Its trust manager adds a
     * {@link Code#CERTIFICATE_ACCEPTED_BY_TRUST} finding to {@link #findings()} when a run meets a certificate that
     * only the configured trust accepts.
     */
    public SmtpProbe.Builder configure() {
        SmtpProbe.Builder b = SmtpProbe.to(host).port(port).tls(tlsMode).verifyHostname(checkServerIdentity);
        if (connectTimeout != null) {
            b.connectTimeout(connectTimeout);
        }
        if (readTimeout != null) {
            b.greetingTimeout(readTimeout).replyTimeout(readTimeout);
        }
        if (ehloName != null) {
            b.ehloName(ehloName);
        }
        if (localAddress != null) {
            b.sourceAddress(localAddress);
        }
        if (proxyConfig != null) {
            b.proxy(proxyConfig);
        }
        if (trustsServer) {
            b.trustManager(new ConfiguredTrust(host, checkServerIdentity, this::observeCertificate, Clock.systemUTC()));
        }
        return b;
    }

    /** The findings: those of the configuration, in a fixed order, then those runs observed. */
    public List<ConfigFinding> findings() {
        if (observed.isEmpty()) {
            return findings;
        }
        List<ConfigFinding> all = new ArrayList<>(findings);
        all.addAll(observed);
        return List.copyOf(all);
    }

    private void observeCertificate(String problem) {
        ConfigFinding finding = new ConfigFinding(Code.CERTIFICATE_ACCEPTED_BY_TRUST, prefix + "ssl.trust", "",
                "The server's certificate passed only because the configuration trusts it: " + problem + ".",
                "Fix the server's certificate, or trust its CA in a trust store, then remove " + prefix + "ssl.trust.");
        synchronized (observed) {
            if (!observed.contains(finding)) {
                observed.add(finding);
            }
        }
    }

    /** {@code smtp} or {@code smtps}. */
    public String protocol() {
        return protocol;
    }

    /** The host probed: as configured, or as meant when it held a scheme, port or whitespace. */
    public String host() {
        return host;
    }

    /** The port: as configured, else Angus's default (465 with implicit TLS, smtps or ssl.enable; 25 otherwise). */
    public int port() {
        return port;
    }

    /** The TLS mode the library would use. */
    public TlsMode tlsMode() {
        return tlsMode;
    }

    /** The connect timeout as configured (bounded), empty when the library's would be infinite. */
    public Optional<Duration> connectTimeout() {
        return Optional.ofNullable(connectTimeout);
    }

    /** The read timeout as configured (bounded), empty when the library's would be infinite. */
    public Optional<Duration> readTimeout() {
        return Optional.ofNullable(readTimeout);
    }

    /** The configured EHLO name ({@code localhost} key), empty for the machine's name. */
    public Optional<String> ehloName() {
        return Optional.ofNullable(ehloName);
    }

    /** The user to authenticate as when {@code auth=true}; the caller supplies its password. */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /** Whether {@code auth=true} and a user are configured, so the application authenticates. */
    public boolean authenticates() {
        return user != null;
    }

    /** The envelope sender ({@code from} key), empty when not configured. */
    public Optional<String> from() {
        return Optional.ofNullable(from);
    }

    /** Whether the configured trust accepts the server whatever its certificate. */
    public boolean trustsServer() {
        return trustsServer;
    }

    /** Whether the library checks the certificate's host name. */
    public boolean checksServerIdentity() {
        return checkServerIdentity;
    }

    /**
     * The proxy the application connects through ({@code proxy.host/port}, else {@code socks.host/port}), which
     * {@link #configure()} gives the probe (with {@code proxy.user} and {@code proxy.password} for an HTTP proxy).
     */
    Optional<ProxySetting> proxy() {
        return Optional.ofNullable(proxy);
    }

    /**
     * A proxy as the mail properties configure it.
     *
     * @param type {@code HTTP} for {@code proxy.*} (HTTP CONNECT), {@code SOCKS} for {@code socks.*}
     * @param host the proxy's host
     * @param port the proxy's port (Angus's defaults: 80 for HTTP, 1080 for SOCKS)
     * @param user the proxy user ({@code proxy.user}), or null; its password is never read here
     */
    record ProxySetting(Type type, String host, int port, String user) {
        enum Type { HTTP, SOCKS }
    }

    /** Masks a value whose key names a secret. */
    static String shown(String key, String value) {
        String k = key.toLowerCase(Locale.ROOT);
        return value == null ? "" : k.contains("pass") || k.contains("secret") || k.contains("token") ? MASK : value;
    }
}
