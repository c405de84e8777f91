package dev.smtpprobe;

import dev.smtpprobe.internal.Addresses;
import dev.smtpprobe.internal.Arguments;
import dev.smtpprobe.internal.dns.DnsNames;
import dev.smtpprobe.internal.proxy.ProxySecrets;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * A SOCKS5, SOCKS4a or HTTP CONNECT proxy that a probe connects through, with optional credentials.
 *
 * <pre>{@code
 * ProxyConfig proxy = ProxyConfig.socks5("proxy.corp.example", 1080).withCredentials("alice", password);
 * ProbeResult result = SmtpProbe.to("smtp.example.net").port(587).proxy(proxy).run();
 * }</pre>
 *
 * <p>The probe connects to the proxy and asks it for a tunnel to the target; the proxy's failures are their own
 * verdicts ({@link Verdict#PROXY_UNREACHABLE}, {@link Verdict#PROXY_AUTH_FAILED}, {@link Verdict#PROXY_DENIED}),
 * and what the proxy reports about the target (refused, unreachable, timed out) is the usual TCP verdict with the
 * proxy named in the detail.
 *
 * <p>The password is copied on the way in and never leaves this object through the public API: not in
 * {@link #toString()}, not in exceptions. {@link #fromProperties(Properties)} reads the proxy that Jakarta Mail
 * properties or the JVM's {@code socksProxyHost} configure.
 *
 * <p>Immutable and threadsafe; {@code withCredentials} returns a new instance.
 */
public final class ProxyConfig {

    /** The longest username and password SOCKS5 carries (RFC 1929: one length octet each), in UTF-8 octets. */
    public static final int MAX_CREDENTIAL_OCTETS = 255;
    /** The SOCKS port when none is configured (RFC 1928). */
    public static final int DEFAULT_SOCKS_PORT = 1080;
    /** The HTTP proxy port when Jakarta Mail's {@code mail.smtp.proxy.port} is not set. */
    public static final int DEFAULT_HTTP_PORT = 80;

    /** The proxy protocol. */
    public enum Type {
        /** SOCKS version 5 (RFC 1928), with no authentication or username/password (RFC 1929). */
        SOCKS5("SOCKS5"),
        /** SOCKS version 4 with the 4a extension: the proxy resolves a target given by name. */
        SOCKS4A("SOCKS4a"),
        /** An HTTP proxy's CONNECT method (RFC 9110 §9.3.6), with optional Basic authentication. */
        HTTP_CONNECT("HTTP");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        /** {@return the name used in details and reports, for example {@code "SOCKS5"}} */
        public String label() {
            return label;
        }
    }

    static {
        ProxySecrets.install(proxy -> proxy.password == null ? null : proxy.password.clone());
    }

    private final Type type;
    private final String host;
    private final int port;
    private final String username;
    private final char[] password;

    private ProxyConfig(Type type, String host, int port, String username, char[] password) {
        this.type = type;
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
    }

    /**
     * A SOCKS5 proxy without credentials (add them with {@link #withCredentials}).
     *
     * @param host a host name or an address literal ({@code 192.0.2.1}, {@code ::1}, {@code [::1]})
     * @param port the proxy's port, 1 to 65535
     * @return a SOCKS5 proxy configuration
     * @throws IllegalArgumentException naming {@code host} or {@code port} when unusable
     */
    public static ProxyConfig socks5(String host, int port) {
        return of(Type.SOCKS5, host, port);
    }

    /**
     * A SOCKS4a proxy. SOCKS4 carries a user id but no password: see {@link #withUserId(String)}.
     *
     * @param host a host name or an address literal
     * @param port the proxy's port, 1 to 65535
     * @return a SOCKS4a proxy configuration
     * @throws IllegalArgumentException naming {@code host} or {@code port} when unusable
     */
    public static ProxyConfig socks4a(String host, int port) {
        return of(Type.SOCKS4A, host, port);
    }

    /**
     * An HTTP proxy, asked for a tunnel with CONNECT.
     *
     * @param host a host name or an address literal
     * @param port the proxy's port, 1 to 65535
     * @return an HTTP CONNECT proxy configuration
     * @throws IllegalArgumentException naming {@code host} or {@code port} when unusable
     */
    public static ProxyConfig httpConnect(String host, int port) {
        return of(Type.HTTP_CONNECT, host, port);
    }

    /**
     * A proxy of this type.
     *
     * @param type the proxy protocol
     * @param host a host name or an address literal
     * @param port the proxy's port, 1 to 65535
     * @return a proxy configuration of that type, without credentials
     * @throws IllegalArgumentException naming {@code type}, {@code host} or {@code port} when unusable
     */
    public static ProxyConfig of(Type type, String host, int port) {
        Arguments.requireNonNull(type, "type");
        Arguments.requireToken(host, "host");
        String bare = host;
        if (Addresses.parseLiteral(host).isPresent()) {
            bare = Addresses.stripBrackets(host);
        } else {
            DnsNames.toAscii(host, "host"); // validates now, so that a connection never meets a bad name
        }
        Arguments.requireArgument(port >= 1 && port <= 65535, "port must be 1..65535: %d", port);
        return new ProxyConfig(type, bare, port, null, null);
    }

    /**
     * This proxy with a username and password: RFC 1929 username/password for SOCKS5, Basic authentication
     * (RFC 7617) for HTTP. The array is copied: clear yours whenever you like.
     *
     * @param username the username presented to the proxy
     * @param password the password presented to the proxy; copied
     * @return a new configuration with these credentials; this one is unchanged
     * @throws IllegalArgumentException naming {@code username} or {@code password} when null, empty, longer than
     *                                  {@value #MAX_CREDENTIAL_OCTETS} octets in UTF-8 or holding a control character
     *                                  (a username with a colon for HTTP, where Basic uses it as the separator); or
     *                                  naming {@code type} for a SOCKS4a proxy, which carries no password
     */
    public ProxyConfig withCredentials(String username, char[] password) {
        Arguments.requireArgument(type != Type.SOCKS4A,
                "type SOCKS4a carries no password: use withUserId(username) for its user id");
        String user = checkUsername(username);
        Arguments.requireNonNull(password, "password");
        Arguments.requireArgument(password.length > 0, "password must not be empty");
        for (char c : password) {
            Arguments.requireArgument(!Character.isISOControl(c), "password must not contain control characters");
        }
        int octets = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password)).remaining();
        Arguments.requireArgument(octets <= MAX_CREDENTIAL_OCTETS, "password must be at most %d octets in UTF-8: %d",
                MAX_CREDENTIAL_OCTETS, octets);
        return new ProxyConfig(type, host, port, user, password.clone());
    }

    /**
     * This SOCKS4a proxy with a user id (SOCKS4's USERID field, often checked against identd), no password.
     *
     * @param username the SOCKS4 user id
     * @return a new configuration with this user id; this one is unchanged
     * @throws IllegalArgumentException naming {@code username} when unusable, or {@code type} for another proxy type
     */
    public ProxyConfig withUserId(String username) {
        Arguments.requireArgument(type == Type.SOCKS4A, "type %s authenticates with withCredentials(username, password)",
                type.label());
        return new ProxyConfig(type, host, port, checkUsername(username), null);
    }

    private String checkUsername(String value) {
        Arguments.requireToken(value, "username");
        int octets = value.getBytes(StandardCharsets.UTF_8).length;
        Arguments.requireArgument(octets <= MAX_CREDENTIAL_OCTETS, "username must be at most %d octets in UTF-8: %d",
                MAX_CREDENTIAL_OCTETS, octets);
        Arguments.requireArgument(type != Type.HTTP_CONNECT || value.indexOf(':') < 0,
                "username must not contain ':' for an HTTP proxy (Basic authentication separates with it)");
        return value;
    }

    /**
     * The proxy that these properties configure, read the way Jakarta Mail and the JDK read them: Jakarta Mail's
     * HTTP proxy ({@code mail.smtp.proxy.host}, {@code .port} default 80, {@code .user}, {@code .password}), else
     * its SOCKS proxy ({@code mail.smtp.socks.host}, {@code .port} default 1080), else the JVM's SOCKS proxy
     * ({@code socksProxyHost}, {@code socksProxyPort} default 1080, {@code socksProxyVersion} 5 or 4,
     * {@code java.net.socks.username} and {@code java.net.socks.password}). A host may carry its port
     * ({@code proxy.example:3128}), as Jakarta Mail allows. Pass {@link System#getProperties()} for the JVM's own.
     *
     * @param properties Jakarta Mail properties, or the JVM's system properties
     * @return the proxy, or empty when none of these properties names one
     * @throws IllegalArgumentException naming the property whose value is unusable (a bad host, port or version)
     */
    public static Optional<ProxyConfig> fromProperties(Properties properties) {
        Arguments.requireNonNull(properties, "properties");
        String http = properties.getProperty("mail.smtp.proxy.host");
        if (http != null && !http.isBlank()) {
            ProxyConfig proxy = parse(Type.HTTP_CONNECT, http.strip(), properties.getProperty("mail.smtp.proxy.port"),
                    DEFAULT_HTTP_PORT, "mail.smtp.proxy");
            return Optional.of(proxy.credentialsFrom(properties, "mail.smtp.proxy.user", "mail.smtp.proxy.password"));
        }
        String socks = properties.getProperty("mail.smtp.socks.host");
        if (socks != null && !socks.isBlank()) {
            ProxyConfig proxy = parse(Type.SOCKS5, socks.strip(), properties.getProperty("mail.smtp.socks.port"),
                    DEFAULT_SOCKS_PORT, "mail.smtp.socks");
            return Optional.of(proxy.credentialsFrom(properties, "java.net.socks.username", "java.net.socks.password"));
        }
        String jvm = properties.getProperty("socksProxyHost");
        if (jvm != null && !jvm.isBlank()) {
            String version = properties.getProperty("socksProxyVersion", "5").strip();
            Arguments.requireArgument(version.equals("5") || version.equals("4"),
                    "socksProxyVersion must be 5 or 4: %s", version);
            Type type = version.equals("4") ? Type.SOCKS4A : Type.SOCKS5;
            ProxyConfig proxy = parse(type, jvm.strip(), properties.getProperty("socksProxyPort"), DEFAULT_SOCKS_PORT,
                    "socksProxy");
            return Optional.of(proxy.credentialsFrom(properties, "java.net.socks.username", "java.net.socks.password"));
        }
        return Optional.empty();
    }

    private static ProxyConfig parse(Type type, String host, String portProperty, int defaultPort, String prefix) {
        String name = host;
        String port = portProperty == null || portProperty.isBlank() ? null : portProperty.strip();
        int colon = host.lastIndexOf(':');
        boolean bracketed = host.startsWith("[");
        if (colon > 0 && (bracketed ? host.lastIndexOf(']') < colon : host.indexOf(':') == colon)) {
            name = host.substring(0, colon);
            port = host.substring(colon + 1);
        }
        String hostProperty = prefix.equals("socksProxy") ? "socksProxyHost" : prefix + ".host";
        String portName = prefix.equals("socksProxy") ? "socksProxyPort" : prefix + ".port";
        int number = defaultPort;
        if (port != null) {
            Arguments.requireArgument(port.matches("[0-9]{1,5}"), "%s must be a port number: %s", portName, port);
            number = Integer.parseInt(port);
        }
        try {
            return of(type, name, number);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((e.getMessage().startsWith("port") ? portName : hostProperty) + ": "
                    + e.getMessage());
        }
    }

    private ProxyConfig credentialsFrom(Properties properties, String userKey, String passwordKey) {
        String user = properties.getProperty(userKey);
        if (user == null || user.isEmpty()) {
            return this;
        }
        try {
            if (type == Type.SOCKS4A) {
                return withUserId(user);
            }
            String secret = properties.getProperty(passwordKey);
            // A username without a password is a SOCKS4-style identity; SOCKS5 and HTTP need both to authenticate.
            return secret == null || secret.isEmpty() ? this : withCredentials(user, secret.toCharArray());
        } catch (IllegalArgumentException e) {
            // The message names username or password and never quotes the secret.
            throw new IllegalArgumentException(userKey + "/" + passwordKey + ": " + e.getMessage());
        }
    }

    /** {@return the proxy protocol} */
    public Type type() {
        return type;
    }

    /** {@return the proxy's host name or address, as given (an IPv6 literal without brackets)} */
    public String host() {
        return host;
    }

    /** {@return the proxy's port} */
    public int port() {
        return port;
    }

    /** {@return the username (or SOCKS4a user id), if one is configured; not a secret} */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /** {@return whether a password is configured (SOCKS5 or HTTP credentials)} */
    public boolean hasPassword() {
        return password != null;
    }

    /**
     * {@return the proxy as a detail names it: {@code "SOCKS5 proxy 127.0.0.1:1080"}, {@code "HTTP proxy [::1]:3128"}}
     */
    public String describe() {
        return type.label() + " proxy " + authority();
    }

    /**
     * {@code host:port}, the host bracketed when it is an IPv6 literal.
     *
     * @return the host and port as {@code host:port}, e.g. {@code [::1]:1080}
     */
    public String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** A lower-case URI-like form without the password: {@code socks5://alice@proxy.example:1080}. */
    @Override
    public String toString() {
        return "ProxyConfig[" + type.name().toLowerCase(Locale.ROOT).replace("_connect", "") + "://"
                + (username != null ? username + (password != null ? ":<redacted>" : "") + "@" : "") + authority() + "]";
    }

    /** Equal when type, host, port, username and password are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ProxyConfig p && p.type == type && p.host.equals(host) && p.port == port
                && Objects.equals(p.username, username) && Arrays.equals(p.password, password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, host, port, username);
    }
}
