package dev.smtpprobe.internal.mail;

import dev.smtpprobe.ConfigFinding;
import dev.smtpprobe.ConfigFinding.Code;
import dev.smtpprobe.HostEnvironment;
import dev.smtpprobe.ProxyConfig;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.internal.Addresses;
import dev.smtpprobe.internal.EhloName;
import dev.smtpprobe.internal.mail.MailPropertiesMapping.ProxySetting;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * One reading of mail properties as Angus Mail reads them: the values {@link MailPropertiesMapping} keeps and the
 * findings, in a fixed order (protocol, keys, timeouts, host, port and TLS, auth, trust, the rest). Pure apart from
 * the container facts of its {@link HostEnvironment}.
 */
final class MailReader {

    /** Ports that start in plain text (STARTTLS), for the port vs TLS mode finding. */
    private static final Set<Integer> STARTTLS_PORTS = Set.of(25, 587, 2525);

    final Properties properties;
    final List<ConfigFinding> findings = new ArrayList<>();
    String protocol = "smtp";
    String prefix;
    String host;
    int port;
    TlsMode tlsMode;
    Duration connectTimeout;
    Duration readTimeout;
    String ehloName;
    InetAddress localAddress;
    String user;
    String from;
    boolean trustsServer;
    boolean checkServerIdentity;
    ProxySetting proxy;
    /** The proxy the probe connects through, or null when none is configured or it is unusable. */
    ProxyConfig proxyConfig;

    MailReader(Properties properties, HostEnvironment environment) {
        this.properties = properties;
        readProtocol();
        unknownKeys();
        readTimeouts();
        readHost(environment);
        readPortAndTls();
        readAuth();
        readTrust();
        readRest();
    }

    private void add(Code code, String key, String why, String fix) {
        findings.add(new ConfigFinding(code, key, MailPropertiesMapping.shown(key, raw(key)), why, fix));
    }

    /** The value as Jakarta Mail sees it: any object's text, defaults included; null when unset. */
    private String raw(String key) {
        Object value = properties.get(key);
        return value != null ? value.toString() : properties.getProperty(key);
    }

    private String value(String suffix) {
        return raw(prefix + suffix);
    }

    /** Angus's boolean: true only for "true" in any case; surrounding whitespace makes it false, and a finding. */
    private boolean flag(String suffix, boolean byDefault) {
        String v = value(suffix);
        if (v == null) {
            return byDefault;
        }
        if (!v.equals(v.strip()) && v.strip().equalsIgnoreCase(String.valueOf(!byDefault))) {
            add(Code.INVALID_VALUE, prefix + suffix, "The value has surrounding whitespace: Jakarta Mail reads it as "
                    + byDefault + ", not " + v.strip() + ".", "Remove the whitespace after the value.");
            return byDefault;
        }
        return v.equalsIgnoreCase("true") || (!v.equalsIgnoreCase("false") && byDefault);
    }

    private void readProtocol() {
        String p = raw("mail.transport.protocol");
        if (p != null && !p.equals("smtp") && !p.equals("smtps")) {
            add(Code.INVALID_VALUE, "mail.transport.protocol", "Jakarta Mail has no transport named '" + p
                    + "' (names are exact): sending fails with NoSuchProviderException.",
                    "Set mail.transport.protocol=smtp (STARTTLS or plain) or smtps (implicit TLS).");
        } else if (p != null) {
            protocol = p;
        }
        prefix = "mail." + protocol + ".";
    }

    private void unknownKeys() {
        String other = protocol.equals("smtp") ? "mail.smtps." : "mail.smtp.";
        Set<String> keys = new TreeSet<>(properties.stringPropertyNames());
        properties.keySet().forEach(k -> keys.add(String.valueOf(k)));
        for (String key : keys) {
            String suffix = key.startsWith(prefix) ? key.substring(prefix.length())
                    : key.startsWith(other) ? key.substring(other.length()) : null;
            if (suffix == null) {
                continue;
            }
            boolean known = AngusKeys.isKnown(suffix);
            if (known && key.startsWith(other)) {
                add(Code.KEY_IGNORED, key, "The library reads only " + prefix + "* keys while "
                        + "mail.transport.protocol is " + protocol + ", so this key has no effect.",
                        "Rename it to " + prefix + suffix + ".");
            } else if (!known && suffix.equals("password")) {
                add(Code.UNKNOWN_KEY, key, "Jakarta Mail never reads a password from properties.",
                        "Pass the password to Transport.connect or an Authenticator (the probe takes it from you "
                                + "the same way), and remove this key.");
            } else if (!known) {
                String nearest = AngusKeys.nearest(suffix).map(s -> key.substring(0, key.length() - suffix.length()) + s)
                        .orElse(null);
                add(Code.UNKNOWN_KEY, key, "Angus Mail does not know this key and ignores it"
                                + (nearest != null ? "; it is probably a misspelling of " + nearest + "." : "."),
                        nearest != null ? "Rename it to " + nearest + "." : "Remove it, or check the Angus Mail "
                                + "SMTP documentation for the key you meant.");
            }
        }
    }

    private void readTimeouts() {
        connectTimeout = timeout("connectiontimeout", "connecting waits");
        readTimeout = timeout("timeout", "a reply is awaited");
        timeout("writetimeout", "a write waits");
    }

    /** A timeout in ms as the library reads it; null (and a finding) when it would be infinite. */
    private Duration timeout(String suffix, String what) {
        String key = prefix + suffix;
        String v = value(suffix);
        long ms;
        try {
            ms = v == null ? -1 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            add(Code.INVALID_VALUE, key, "Not a whole number of milliseconds: the library ignores it, so "
                    + what + " forever.", "Set " + key + "=10000 (milliseconds, digits only).");
            return null;
        }
        if (ms <= 0) {
            add(Code.TIMEOUT_MISSING, key, "Jakarta Mail's default is infinite: when the server or the network "
                            + "goes silent, " + what + " forever and the sending thread hangs. The probe uses its "
                            + "own bounded timeout instead.",
                    "Set " + key + "=10000 (milliseconds).");
            return null;
        }
        return Duration.ofMillis(Math.min(ms, SmtpProbe.MAX_TIMEOUT.toMillis()));
    }

    private void readHost(HostEnvironment environment) {
        String key = prefix + "host";
        String configured = value("host");
        if (configured == null && raw("mail.host") != null) {
            key = "mail.host";
            configured = raw("mail.host");
        }
        if (configured == null || configured.isBlank()) {
            add(Code.NO_HOST, prefix + "host", "No host is configured: the library sends to localhost:25.",
                    "Set " + prefix + "host to your mail server.");
            host = "localhost";
        } else {
            host = HostText.asMeant(configured);
            if (!host.equals(configured)) {
                add(Code.HOST_MALFORMED, key, "The host holds " + HostText.whatIsWrong(configured)
                                + ": the library looks the whole text up as a name and fails (UnknownHostException)."
                                + " The probe tried " + host + ", as meant.",
                        "Set the bare name, " + key + "=" + host + ", and the port in " + prefix + "port.");
            }
            try {
                SmtpProbe.to(host);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + " is not a host name even without scheme, port and "
                        + "whitespace: " + e.getMessage(), e);
            }
        }
        boolean loopback = host.equalsIgnoreCase("localhost")
                || Addresses.parseLiteral(host).map(InetAddress::isLoopbackAddress).orElse(false);
        List<String> container = loopback ? Containers.evidence(environment) : List.of();
        if (!container.isEmpty()) {
            add(Code.LOOPBACK_IN_CONTAINER, key, "The application runs in a container (" + String.join(", ", container)
                            + "): there " + host + " is the container itself, not the machine or the mail server.",
                    "Use the mail server's service name, host.docker.internal (Docker Desktop) or the host's "
                            + "gateway address.");
        }
    }

    private void readPortAndTls() {
        boolean ssl = protocol.equals("smtps") || flag("ssl.enable", false);
        boolean startTls = flag("starttls.enable", false);
        boolean required = flag("starttls.required", false);
        String p = value("port");
        port = ssl ? 465 : 25; // Angus's default port follows ssl.enable, as smtps's does
        if (p != null) {
            try {
                int parsed = Integer.parseInt(p);
                if (parsed < 1 || parsed > 65535) {
                    throw new NumberFormatException();
                }
                port = parsed;
            } catch (NumberFormatException e) {
                add(Code.INVALID_VALUE, prefix + "port", "Not a port number: the library ignores it and uses "
                        + port + ".", "Set " + prefix + "port to a number from 1 to 65535.");
            }
        }
        tlsMode = ssl ? TlsMode.IMPLICIT : required ? TlsMode.STARTTLS_REQUIRED
                : startTls ? TlsMode.STARTTLS : TlsMode.NONE;
        String tlsKey = protocol.equals("smtps") ? "mail.transport.protocol" : prefix + "ssl.enable";
        if (ssl && STARTTLS_PORTS.contains(port)) {
            add(Code.PORT_TLS_MISMATCH, tlsKey, "Implicit TLS on port " + port + ", a port that starts in plain "
                            + "text: the TLS hello meets a plain banner and the connection fails or hangs.",
                    "Use port 465 for implicit TLS, or remove the implicit TLS setting and set " + prefix
                            + "starttls.enable=true for port " + port + ".");
        } else if (!ssl && port == 465) {
            add(Code.PORT_TLS_MISMATCH, prefix + "port", "Port 465 speaks TLS from the first byte, but the "
                            + "configuration starts in plain text: the library waits for a banner that never comes.",
                    "Set " + prefix + "ssl.enable=true, or use port 587 with " + prefix + "starttls.enable=true.");
        }
        if (required && !startTls && !ssl) {
            add(Code.STARTTLS_REQUIRED_WITHOUT_ENABLE, prefix + "starttls.required", "STARTTLS is required but "
                            + prefix + "starttls.enable is not set: the intent is unclear to readers and to other "
                            + "mail libraries, which ignore the requirement without it.",
                    "Set " + prefix + "starttls.enable=true as well.");
        }
        boolean loopback = host.equalsIgnoreCase("localhost")
                || Addresses.parseLiteral(host).map(InetAddress::isLoopbackAddress).orElse(false);
        if (tlsMode == TlsMode.NONE && !loopback) {
            add(Code.NO_TLS, prefix + "starttls.enable", "Neither STARTTLS nor implicit TLS is configured: mail "
                            + "and any credentials cross the network in plain text, and many servers refuse AUTH.",
                    "Set " + prefix + "starttls.enable=true (port 587) or " + prefix + "ssl.enable=true (465).");
        }
    }

    private void readAuth() {
        boolean auth = flag("auth", false);
        String u = value("user");
        if (u == null) {
            u = raw("mail.user");
        }
        if (auth && (u == null || u.isBlank())) {
            add(Code.AUTH_WITHOUT_USER, prefix + "auth", "auth=true but no user is configured: the library does "
                            + "not authenticate unless the application passes a user to Transport.connect.",
                    "Set " + prefix + "user, or pass the user and password when connecting.");
        } else if (auth) {
            user = u.strip();
        }
        from = value("from");
    }

    private void readTrust() {
        // Angus Mail 2 (2.0.3 reads it with default true) checks the identity unless told otherwise; JavaMail 1.6
        // and Jakarta Mail 2.0 defaulted to false.
        checkServerIdentity = flag("ssl.checkserveridentity", true);
        if (!checkServerIdentity) {
            add(Code.SERVER_IDENTITY_NOT_CHECKED, prefix + "ssl.checkserveridentity", "A certificate issued for "
                            + "another host is accepted: anyone on the path can present their own.",
                    "Remove the key (the default checks the identity) and fix the host name or the certificate.");
        }
        String trust = value("ssl.trust");
        if (trust != null) {
            List<String> hosts = List.of(trust.strip().split("\\s+"));
            trustsServer = trust.strip().equals("*") || hosts.stream().anyMatch(h -> h.equalsIgnoreCase(host));
            if (trustsServer) {
                add(Code.TRUST_ALL, prefix + "ssl.trust", "The server is trusted whatever certificate it shows: an "
                                + "expired, self-signed or intercepting certificate passes. The probe trusts the same "
                                + "way and reports a certificate that only this setting accepts.",
                        "Add the server's CA to a trust store (javax.net.ssl.trustStore) and remove this key.");
            }
        }
    }

    private void readRest() {
        String name = value("localhost");
        if (name != null) {
            try {
                ehloName = EhloName.check(name, prefix + "localhost");
            } catch (IllegalArgumentException e) {
                add(Code.INVALID_VALUE, prefix + "localhost", "Not a valid EHLO name: " + e.getMessage()
                        + "; servers may reject the EHLO. The probe uses the machine's name.",
                        "Set a fully qualified domain name of this machine, or remove the key.");
            }
        }
        String local = value("localaddress");
        if (local != null) {
            Optional<InetAddress> literal = Addresses.parseLiteral(local.strip());
            if (literal.isPresent()) {
                localAddress = literal.get();
            } else {
                add(Code.LIBRARY_DIFFERS, prefix + "localaddress", "The probe binds only an address literal, not a "
                        + "name, so it connects from the kernel's choice of address.", "Set an IP address.");
            }
        }
        for (String suffix : List.of("ssl.protocols", "ssl.ciphersuites")) {
            if (value(suffix) != null) {
                add(Code.LIBRARY_DIFFERS, prefix + suffix, "The application offers only these; the probe offers "
                                + "the JDK's defaults, so a server that needs something else fails for the "
                                + "application although the probe's handshake succeeds.",
                        "Compare with the protocols and ciphers the probe's TLS facts show.");
            }
        }
        for (String suffix : List.of("socketFactory", "socketFactory.class", "ssl.socketFactory",
                "ssl.socketFactory.class")) {
            if (value(suffix) != null) {
                add(Code.LIBRARY_DIFFERS, prefix + suffix, "A custom socket factory decides the connection, TLS and "
                        + "trust in the application; the probe cannot use it.", "Probe with the factory's trust "
                        + "material (a trust store) to compare.");
            }
        }
        proxy = ProxyKeys.read(this::value);
        if (proxy != null) {
            String key = prefix + (proxy.type() == ProxySetting.Type.HTTP ? "proxy.host" : "socks.host");
            try {
                proxyConfig = proxyConfig(proxy);
            } catch (IllegalArgumentException e) {
                add(Code.LIBRARY_DIFFERS, key, "The application connects through this " + proxy.type() + " proxy ("
                        + proxy.host() + ":" + proxy.port() + "), which the probe cannot use (" + e.getMessage()
                        + "); the probe connects directly.", "Fix the proxy's host, user or password.");
            }
        }
    }

    /**
     * The proxy as Angus Mail uses it: {@code proxy.*} is HTTP CONNECT with Basic authentication from
     * {@code proxy.user} and {@code proxy.password}; {@code socks.*} goes through the JDK's SOCKS5 socket, which takes
     * no credentials from the mail properties.
     */
    private ProxyConfig proxyConfig(ProxySetting setting) {
        if (setting.type() == ProxySetting.Type.SOCKS) {
            return ProxyConfig.socks5(setting.host(), setting.port());
        }
        ProxyConfig http = ProxyConfig.httpConnect(setting.host(), setting.port());
        String secret = value("proxy.password");
        if (setting.user() == null || setting.user().isEmpty() || secret == null || secret.isEmpty()) {
            return http;
        }
        char[] password = secret.toCharArray();
        try {
            return http.withCredentials(setting.user(), password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}
