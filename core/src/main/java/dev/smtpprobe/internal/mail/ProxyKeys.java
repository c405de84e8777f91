package dev.smtpprobe.internal.mail;

import dev.smtpprobe.internal.mail.MailPropertiesMapping.ProxySetting;
import java.util.function.Function;

/**
 * The proxy keys as Angus Mail reads them: {@code proxy.host} (an HTTP CONNECT proxy, {@code host} or
 * {@code host:port}, port 80 by default) wins over {@code socks.host} (SOCKS, port 1080 by default). Pure.
 */
final class ProxyKeys {

    private ProxyKeys() {
    }

    /** The proxy, or null when none is configured or its host is blank. */
    static ProxySetting read(Function<String, String> value) {
        String http = value.apply("proxy.host");
        if (http != null && !http.isBlank()) {
            String host = http.strip();
            int port = port(value.apply("proxy.port"), 80);
            int colon = host.lastIndexOf(':');
            if (colon > 0 && host.indexOf(':') == colon) {
                port = port(host.substring(colon + 1), port);
                host = host.substring(0, colon);
            }
            return new ProxySetting(ProxySetting.Type.HTTP, host, port, value.apply("proxy.user"));
        }
        String socks = value.apply("socks.host");
        if (socks != null && !socks.isBlank()) {
            return new ProxySetting(ProxySetting.Type.SOCKS, socks.strip(), port(value.apply("socks.port"), 1080), null);
        }
        return null;
    }

    private static int port(String text, int byDefault) {
        try {
            int p = text == null ? byDefault : Integer.parseInt(text.strip());
            return p >= 1 && p <= 65535 ? p : byDefault;
        } catch (NumberFormatException e) {
            return byDefault;
        }
    }
}
