package dev.smtpprobe.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads an application's mail configuration for {@code --mail-properties} (Jakarta Mail properties) and
 * {@code --spring-config} (the {@code spring.mail.*} part of an {@code application.yml} or
 * {@code application.properties}), as the Jakarta Mail properties the application's {@code JavaMailSender} ends up
 * with. Passwords are never read: {@code spring.mail.password} is skipped.
 */
final class MailConfigFiles {

    /** The largest configuration file read. */
    static final long MAX_BYTES = 1 << 20;

    /** A whole value that is a placeholder: {@code ${NAME}} or {@code ${NAME:default}}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("^\\$\\{([^:}]+)(?::([^}]*))?}$");

    private MailConfigFiles() {
    }

    /** A {@code .properties} file of Jakarta Mail properties. */
    static Properties mailProperties(Path file) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = open(file)) {
            properties.load(in);
        }
        return properties;
    }

    /**
     * The Jakarta Mail properties of a Spring Boot configuration file ({@code .yml}, {@code .yaml} or
     * {@code .properties}); placeholders that are a whole value are resolved from {@code env} or their default.
     */
    static Properties springConfig(Path file, Map<String, String> env) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        Map<String, String> flat = new LinkedHashMap<>();
        if (name.endsWith(".yml") || name.endsWith(".yaml")) {
            try (Reader in = new java.io.InputStreamReader(open(file), StandardCharsets.UTF_8)) {
                // SafeConstructor: plain maps, lists and scalars only; a configuration file never creates objects.
                Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
                for (Object document : yaml.loadAll(in)) { // later documents override earlier ones, profiles aside
                    flatten("", document, flat);
                }
            }
        } else {
            mailProperties(file).forEach((k, v) -> flat.put(String.valueOf(k), String.valueOf(v)));
        }
        flat.replaceAll((k, v) -> resolve(v, env));
        return fromSpring(flat);
    }

    /**
     * The Jakarta Mail properties Spring Boot's mail auto-configuration makes of {@code spring.mail.*}: host,
     * port, username (with which {@code JavaMailSender} authenticates), protocol, {@code ssl.enabled}, and every
     * {@code spring.mail.properties.*} as is. Keys given in {@code properties.*} win.
     */
    static Properties fromSpring(Map<String, String> spring) {
        String protocol = spring.getOrDefault("spring.mail.protocol", "smtp");
        String prefix = "mail." + protocol + ".";
        Properties mail = new Properties();
        mail.setProperty("mail.transport.protocol", protocol);
        copy(spring, "spring.mail.host", mail, prefix + "host");
        copy(spring, "spring.mail.port", mail, prefix + "port");
        if (spring.containsKey("spring.mail.username")) {
            copy(spring, "spring.mail.username", mail, prefix + "user");
            mail.setProperty(prefix + "auth", "true");
        }
        if ("true".equalsIgnoreCase(spring.get("spring.mail.ssl.enabled"))) {
            mail.setProperty(prefix + "ssl.enable", "true");
        }
        String properties = "spring.mail.properties.";
        spring.forEach((key, value) -> {
            if (key.startsWith(properties)) {
                mail.setProperty(stripBrackets(key.substring(properties.length())), value);
            } else if (key.startsWith("spring.mail.properties[")) {
                mail.setProperty(stripBrackets(key.substring("spring.mail.properties".length())), value);
            }
        });
        return mail;
    }

    /** The user the application authenticates as: {@code mail.<protocol>.user} when {@code auth=true}. */
    static Optional<String> user(Properties mail) {
        String prefix = "mail." + mail.getProperty("mail.transport.protocol", "smtp") + ".";
        Object auth = mail.get(prefix + "auth");
        Object user = mail.get(prefix + "user");
        return auth != null && "true".equalsIgnoreCase(auth.toString()) && user != null && !user.toString().isBlank()
                ? Optional.of(user.toString().strip()) : Optional.empty();
    }

    private static void copy(Map<String, String> from, String key, Properties to, String target) {
        String value = from.get(key);
        if (value != null) {
            to.setProperty(target, value);
        }
    }

    /** YAML maps to dotted keys, Spring's way: {@code spring: mail: host: x} is {@code spring.mail.host}. */
    private static void flatten(String prefix, Object node, Map<String, String> flat) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                String key = String.valueOf(k);
                flatten(prefix.isEmpty() ? key : key.startsWith("[") ? prefix + key : prefix + "." + key, v, flat);
            });
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                flatten(prefix + "[" + i + "]", list.get(i), flat);
            }
        } else if (node != null && !prefix.isEmpty()) {
            flat.put(prefix, String.valueOf(node));
        }
    }

    /** {@code [mail.smtp.auth]} (Spring's notation for a map key with dots) as {@code mail.smtp.auth}. */
    private static String stripBrackets(String key) {
        return key.startsWith("[") && key.endsWith("]") ? key.substring(1, key.length() - 1) : key;
    }

    private static String resolve(String value, Map<String, String> env) {
        Matcher m = PLACEHOLDER.matcher(value.strip());
        if (!m.matches()) {
            return value;
        }
        String variable = env.get(m.group(1).replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT));
        return variable != null ? variable : m.group(2) != null ? m.group(2) : value;
    }

    private static InputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IOException("cannot read " + file);
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException(file + " is larger than 1 MiB");
        }
        return Files.newInputStream(file);
    }
}
