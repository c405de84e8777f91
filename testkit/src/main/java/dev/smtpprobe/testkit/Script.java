package dev.smtpprobe.testkit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * What a {@link MockSmtpServer} does on each connection: the greeting (or none, or a failure effect), the TLS
 * mode, and the answer to each SMTP command. Immutable: every method returns a changed copy, so a base script can
 * be shared and varied per test.
 *
 * <pre>{@code
 * Script script = Script.greeting("220 mx.test ESMTP")
 *         .ehlo("mx.test", "PIPELINING", "STARTTLS", "AUTH PLAIN LOGIN")
 *         .onStartTls(TestCertificates.shared().valid().tls())
 *         .onAuth("235 2.7.0 Authentication successful")
 *         .rcpt("nobody@mx.test", "550 5.1.1 User unknown");
 * Script stall = Script.effect(Effect.STALL);
 * Script tarpit = Script.greeting("220 mx.test ESMTP").on("EHLO", Effect.STALL);
 * }</pre>
 *
 * <p>Defaults, unless changed: EHLO answers {@code 250-mx.test / 250-PIPELINING / 250 8BITMIME} (after TLS the
 * same list without STARTTLS), HELO {@code 250 mx.test}, MAIL {@code 250 2.1.0 Ok}, RCPT {@code 250 2.1.5 Ok},
 * RSET and NOOP {@code 250 2.0.0 Ok}, QUIT {@code 221 2.0.0 Bye} and a FIN, and anything else (STARTTLS and AUTH
 * included, until scripted) {@code 500 5.5.2 Error: command not recognized}. Commands are matched by their first
 * word, case-insensitively.
 *
 * <p>This class is threadsafe.
 */
public final class Script {

    private static final String DEFAULT_DOMAIN = "mx.test";

    private final List<Effect> greeting;
    private final ServerTls tlsOnConnect;
    private final Map<String, List<Effect>> replies;
    private final Map<String, List<Effect>> repliesAfterTls;
    private final Set<String> explicitAfterTls;
    private final Map<String, List<String>> recipients;
    private final List<Effect> unknown;

    private Script(List<Effect> greeting, ServerTls tlsOnConnect, Map<String, List<Effect>> replies,
            Map<String, List<Effect>> repliesAfterTls, Set<String> explicitAfterTls,
            Map<String, List<String>> recipients, List<Effect> unknown) {
        this.greeting = greeting;
        this.tlsOnConnect = tlsOnConnect;
        this.replies = Map.copyOf(replies);
        this.repliesAfterTls = Map.copyOf(repliesAfterTls);
        this.explicitAfterTls = Set.copyOf(explicitAfterTls);
        this.recipients = Map.copyOf(recipients);
        this.unknown = unknown;
    }

    private static Script withGreeting(List<Effect> greeting) {
        Map<String, List<Effect>> replies = new HashMap<>();
        replies.put("HELO", List.of(Effect.reply("250 " + DEFAULT_DOMAIN)));
        replies.put("MAIL", List.of(Effect.reply("250 2.1.0 Ok")));
        replies.put("RCPT", List.of(Effect.rcptByAddress()));
        replies.put("RSET", List.of(Effect.reply("250 2.0.0 Ok")));
        replies.put("NOOP", List.of(Effect.reply("250 2.0.0 Ok")));
        replies.put("QUIT", List.of(Effect.reply("221 2.0.0 Bye"), Effect.CLOSE));
        Script script = new Script(greeting, null, replies, Map.of(), Set.of(), Map.of(),
                List.of(Effect.reply("500 5.5.2 Error: command not recognized")));
        return script.ehlo(DEFAULT_DOMAIN, "PIPELINING", "8BITMIME");
    }

    /**
     * A script whose greeting is these reply lines, e.g. {@code greeting("220 mx.test ESMTP")} or the multi-line
     * {@code greeting("220-mx.test ESMTP", "220 welcome")}, or any text at all ({@code "421 busy"},
     * {@code "554 5.7.1 blocked using zen.spamhaus.org"}). CRLF is added to each line.
     *
     * @param lines the greeting lines
     * @return the script
     */
    public static Script greeting(String... lines) {
        return withGreeting(List.of(Effect.reply(lines)));
    }

    /**
     * A script whose greeting is made of these effects, e.g. half a greeting then FIN:
     * {@code greeting(Effect.raw("220 mx.te"), Effect.CLOSE)}; or a greeting followed by an unsolicited reply
     * the client never asked for: {@code greeting(Effect.reply("220 mx.test"), Effect.reply("250 early"))}.
     *
     * @param effects what to do on connect
     * @return the script
     */
    public static Script greeting(Effect... effects) {
        return withGreeting(Effect.list(effects));
    }

    /**
     * A script that does these effects instead of a greeting: {@code effect(Effect.STALL)} (never greet),
     * {@code effect(Effect.RESET)}, {@code effect(Effect.sshBanner())}. Same as {@link #greeting(Effect...)}, named
     * for the failure cases.
     *
     * @param effects what to do on connect
     * @return the script
     */
    public static Script effect(Effect... effects) {
        return greeting(effects);
    }

    /**
     * A script that sends no greeting at all but answers commands (the default answers) if the client speaks
     * first.
     *
     * @return the script
     */
    public static Script noGreeting() {
        return withGreeting(List.of());
    }

    /**
     * Returns a copy that speaks TLS from the first byte (implicit TLS, port 465 style): each connection first
     * completes a TLS handshake as server, then greets over TLS. A failed handshake is recorded and ends the
     * connection.
     *
     * @param tls the server's TLS configuration
     * @return the copy
     */
    public Script tlsOnConnect(ServerTls tls) {
        Objects.requireNonNull(tls, "tls");
        return new Script(greeting, tls, replies, repliesAfterTls, explicitAfterTls, recipients, unknown);
    }

    /**
     * Same as {@link #tlsOnConnect(ServerTls)} with the context's default protocols and ciphers.
     *
     * @param context the server's SSL context
     * @return the copy
     */
    public Script tlsOnConnect(SSLContext context) {
        return tlsOnConnect(ServerTls.of(context));
    }

    /**
     * Returns a copy answering EHLO with {@code 250} naming {@code domain} and listing {@code capabilities} (one
     * per line, e.g. {@code "SIZE 35882577"}, {@code "STARTTLS"}, {@code "AUTH PLAIN LOGIN"}). After a TLS
     * upgrade the same list without STARTTLS is sent, unless {@link #ehloAfterTls} says otherwise.
     *
     * @param domain       the domain in the first line
     * @param capabilities the EHLO keywords with their parameters
     * @return the copy
     */
    public Script ehlo(String domain, String... capabilities) {
        List<Effect> plain = List.of(Effect.reply(ehloLines(domain, capabilities, false)));
        Map<String, List<Effect>> after = new HashMap<>(repliesAfterTls);
        if (!explicitAfterTls.contains("EHLO")) {
            after.put("EHLO", List.of(Effect.reply(ehloLines(domain, capabilities, true))));
        }
        return with("EHLO", plain, after);
    }

    /**
     * Returns a copy answering EHLO this way once TLS is active (after STARTTLS or on an implicit-TLS connection).
     *
     * @param domain       the domain in the first line
     * @param capabilities the EHLO keywords with their parameters
     * @return the copy
     */
    public Script ehloAfterTls(String domain, String... capabilities) {
        return onAfterTls("EHLO", Effect.reply(ehloLines(domain, capabilities, false)));
    }

    /**
     * Returns a copy answering HELO with {@code 250 domain}.
     *
     * @param domain the domain
     * @return the copy
     */
    public Script helo(String domain) {
        return on("HELO", "250 " + requireText(domain, "domain"));
    }

    /**
     * Returns a copy answering STARTTLS with {@code 220 2.0.0 Ready to start TLS} and then completing a TLS
     * handshake as server; the dialogue goes on over TLS.
     *
     * @param tls the server's TLS configuration
     * @return the copy
     */
    public Script onStartTls(ServerTls tls) {
        return on("STARTTLS", Effect.reply("220 2.0.0 Ready to start TLS"), Effect.startTls(tls));
    }

    /**
     * Same as {@link #onStartTls(ServerTls)} with the context's default protocols and ciphers.
     *
     * @param context the server's SSL context
     * @return the copy
     */
    public Script onStartTls(SSLContext context) {
        return onStartTls(ServerTls.of(context));
    }

    /**
     * Returns a copy answering AUTH with a real exchange ({@link Effect#authExchange}) ending in {@code outcome}:
     * {@code "235 2.7.0 Authentication successful"}, {@code "535 5.7.8 Authentication credentials invalid"},
     * {@code "534 5.7.9 Application-specific password required"}, {@code "454 4.7.0 Temporary authentication
     * failure"}. For a refusal before any exchange ({@code 530 5.7.0 Must issue a STARTTLS command first},
     * {@code 538}), use {@code on("AUTH", "530 5.7.0 ...")}.
     *
     * @param outcome the final reply lines
     * @return the copy
     */
    public Script onAuth(String... outcome) {
        return on("AUTH", Effect.authExchange(outcome));
    }

    /**
     * Returns a copy answering {@code RCPT TO:<address>} with these lines (other recipients keep the default or
     * their own reply). The address is matched case-insensitively, without angle brackets.
     *
     * @param address    the recipient, e.g. {@code "nobody@mx.test"}
     * @param replyLines the reply, e.g. {@code "550 5.1.1 User unknown"}
     * @return the copy
     */
    public Script rcpt(String address, String... replyLines) {
        Effect.crlfLines(replyLines, "replyLines");
        Map<String, List<String>> copy = new HashMap<>(recipients);
        copy.put(requireText(address, "address").toLowerCase(Locale.ROOT), List.of(replyLines));
        return new Script(greeting, tlsOnConnect, replies, repliesAfterTls, explicitAfterTls, copy, unknown);
    }

    /**
     * Returns a copy answering the command {@code verb} (its first word: {@code "EHLO"}, {@code "MAIL"}, ...) with
     * these reply lines, before and after TLS.
     *
     * @param verb       the command's first word, case-insensitive
     * @param replyLines the reply lines, CRLF added to each
     * @return the copy
     */
    public Script on(String verb, String... replyLines) {
        return on(verb, Effect.reply(replyLines));
    }

    /**
     * Returns a copy answering the command {@code verb} with these effects, before and after TLS (unless scripted
     * separately with {@link #onAfterTls}). For example {@code on("EHLO", Effect.STALL)} (reply timeout),
     * {@code on("EHLO", Effect.CLOSE)}, {@code on("EHLO", Effect.endlessLine(8 << 20), Effect.STALL)}.
     *
     * @param verb    the command's first word, case-insensitive
     * @param effects what to do
     * @return the copy
     */
    public Script on(String verb, Effect... effects) {
        String key = verb(verb);
        Map<String, List<Effect>> after = new HashMap<>(repliesAfterTls);
        if (!explicitAfterTls.contains(key)) {
            after.remove(key);
        }
        return with(key, Effect.list(effects), after);
    }

    /**
     * Returns a copy answering {@code verb} with these reply lines only once TLS is active.
     *
     * @param verb       the command's first word, case-insensitive
     * @param replyLines the reply lines
     * @return the copy
     */
    public Script onAfterTls(String verb, String... replyLines) {
        return onAfterTls(verb, Effect.reply(replyLines));
    }

    /**
     * Returns a copy answering {@code verb} with these effects only once TLS is active.
     *
     * @param verb    the command's first word, case-insensitive
     * @param effects what to do
     * @return the copy
     */
    public Script onAfterTls(String verb, Effect... effects) {
        String key = verb(verb);
        Map<String, List<Effect>> after = new HashMap<>(repliesAfterTls);
        after.put(key, Effect.list(effects));
        Set<String> explicit = new HashSet<>(explicitAfterTls);
        explicit.add(key);
        return new Script(greeting, tlsOnConnect, replies, after, explicit, recipients, unknown);
    }

    /**
     * Returns a copy answering commands that are not scripted with these effects (default: 500).
     *
     * @param effects what to do
     * @return the copy
     */
    public Script onUnknown(Effect... effects) {
        return new Script(greeting, tlsOnConnect, replies, repliesAfterTls, explicitAfterTls, recipients,
                Effect.list(effects));
    }

    List<Effect> greetingEffects() {
        return greeting;
    }

    ServerTls tlsOnConnect() {
        return tlsOnConnect;
    }

    List<Effect> effectsFor(String command, boolean tlsActive) {
        String word = command.trim();
        int space = word.indexOf(' ');
        String key = (space < 0 ? word : word.substring(0, space)).toUpperCase(Locale.ROOT);
        if (tlsActive && repliesAfterTls.containsKey(key)) {
            return repliesAfterTls.get(key);
        }
        return replies.getOrDefault(key, unknown);
    }

    List<String> rcptReply(String command) {
        int open = command.indexOf('<');
        int close = command.indexOf('>', open + 1);
        if (open >= 0 && close > open) {
            List<String> reply = recipients.get(command.substring(open + 1, close).toLowerCase(Locale.ROOT));
            if (reply != null) {
                return reply;
            }
        }
        return List.of("250 2.1.5 Ok");
    }

    private Script with(String key, List<Effect> effects, Map<String, List<Effect>> after) {
        Map<String, List<Effect>> copy = new HashMap<>(replies);
        copy.put(key, effects);
        return new Script(greeting, tlsOnConnect, copy, after, explicitAfterTls, recipients, unknown);
    }

    private static String[] ehloLines(String domain, String[] capabilities, boolean afterTls) {
        requireText(domain, "domain");
        Effect.requireArgument(capabilities != null, "capabilities must not be null");
        List<String> keywords = new ArrayList<>();
        for (String capability : capabilities) {
            requireText(capability, "capabilities");
            if (!(afterTls && capability.trim().equalsIgnoreCase("STARTTLS"))) {
                keywords.add(capability);
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add((keywords.isEmpty() ? "250 " : "250-") + domain);
        for (int i = 0; i < keywords.size(); i++) {
            lines.add((i == keywords.size() - 1 ? "250 " : "250-") + keywords.get(i));
        }
        return lines.toArray(String[]::new);
    }

    private static String verb(String verb) {
        String text = requireText(verb, "verb").trim();
        Effect.requireArgument(text.indexOf(' ') < 0, "verb must be one word: " + verb);
        return text.toUpperCase(Locale.ROOT);
    }

    private static String requireText(String value, String name) {
        Effect.requireArgument(value != null && !value.isBlank(), name + " must not be blank");
        return value;
    }

    @Override
    public String toString() {
        return "Script{greeting=" + greeting + (tlsOnConnect != null ? ", tlsOnConnect" : "")
                + ", replies=" + replies.keySet() + ", afterTls=" + repliesAfterTls.keySet() + "}";
    }
}
