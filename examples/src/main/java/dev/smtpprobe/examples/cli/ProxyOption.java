package dev.smtpprobe.examples.cli;

import dev.smtpprobe.ProxyConfig;
import java.io.Console;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value of {@code --proxy}: {@code socks5://[user@]host[:port]}, {@code socks4a://[user@]host[:port]} or
 * {@code http://[user@]host[:port]} (default port 1080 for SOCKS, 80 for HTTP; an IPv6 host in brackets). The
 * password of a SOCKS5 or HTTP user comes from {@link #PASSWORD_VARIABLE} or is typed on the terminal, never from
 * the command line, where every user of the machine can read it; a SOCKS4a user is a user id without password.
 */
final class ProxyOption {

    /** The environment variable the proxy password is read from. */
    static final String PASSWORD_VARIABLE = "SMTP_PROBE_PROXY_PASSWORD";

    private static final Pattern URI = Pattern.compile(
            "^([A-Za-z0-9]+)://(?:([^@:/]+)(:[^@/]*)?@)?(\\[[^\\]/]+\\]|[^:@/\\[\\]]+)(?::([0-9]{1,5}))?/?$");

    private ProxyOption() {
    }

    /**
     * The proxy this value names.
     *
     * @param console the terminal to ask for a password on, or {@code null} when there is none
     * @throws IllegalArgumentException with a one-line message for the usage error
     */
    static ProxyConfig parse(String value, Map<String, String> env, Supplier<Console> console) {
        Matcher m = URI.matcher(value.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("--proxy looks like socks5://[user@]host:port, socks4a://host:port or "
                    + "http://[user@]host:port, not " + (value.contains("@") ? "the value given (not shown: it may "
                    + "hold a password)" : "'" + value + "'"));
        }
        if (m.group(3) != null) {
            throw new IllegalArgumentException("--proxy must not carry a password: set " + PASSWORD_VARIABLE
                    + " or type it when asked");
        }
        ProxyConfig.Type type = switch (m.group(1).toLowerCase(Locale.ROOT)) {
            case "socks5", "socks", "socks5h" -> ProxyConfig.Type.SOCKS5;
            case "socks4a", "socks4" -> ProxyConfig.Type.SOCKS4A;
            case "http" -> ProxyConfig.Type.HTTP_CONNECT;
            default -> throw new IllegalArgumentException("--proxy scheme is one of socks5, socks4a and http, not '"
                    + m.group(1) + "'");
        };
        int port = type == ProxyConfig.Type.HTTP_CONNECT ? ProxyConfig.DEFAULT_HTTP_PORT : ProxyConfig.DEFAULT_SOCKS_PORT;
        ProxyConfig proxy;
        try {
            if (m.group(5) != null) {
                port = Converters.parsePort(m.group(5));
            }
            proxy = ProxyConfig.of(type, m.group(4), port);
        } catch (IllegalArgumentException | picocli.CommandLine.TypeConversionException e) {
            throw new IllegalArgumentException("--proxy: " + e.getMessage());
        }
        String user = m.group(2);
        if (user == null) {
            return proxy;
        }
        try {
            if (type == ProxyConfig.Type.SOCKS4A) {
                return proxy.withUserId(user);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--proxy: " + e.getMessage());
        }
        char[] password = password(user, proxy, env, console);
        try {
            return proxy.withCredentials(user, password);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--proxy: " + e.getMessage()); // names the argument, never the secret
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    private static char[] password(String user, ProxyConfig proxy, Map<String, String> env, Supplier<Console> console) {
        String fromEnvironment = env.get(PASSWORD_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return fromEnvironment.toCharArray();
        }
        Console terminal = console.get();
        if (terminal == null) {
            throw new IllegalArgumentException("--proxy with user " + user + " needs the password in the environment "
                    + "variable " + PASSWORD_VARIABLE + ", or a terminal to type it on");
        }
        char[] typed = terminal.readPassword("Password for %s at the %s: ", user, proxy.describe());
        if (typed == null || typed.length == 0) {
            throw new IllegalArgumentException("no password given for the proxy user " + user);
        }
        return typed;
    }
}
