package dev.smtpprobe;

import dev.smtpprobe.internal.Addresses;
import dev.smtpprobe.internal.Arguments;
import dev.smtpprobe.internal.Credentials;
import dev.smtpprobe.internal.EhloName;
import dev.smtpprobe.internal.Envelope;
import dev.smtpprobe.internal.ProbeConfigBuilder;
import dev.smtpprobe.internal.ReplyKnowledge;
import dev.smtpprobe.internal.Ticker;
import dev.smtpprobe.spi.Transport;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The options of {@link SmtpProbe.Builder} that say how to speak with the server: the TLS mode, timeouts, the
 * client's identity, authentication, the envelope, and the hooks ({@link TlsOptions} has how TLS is judged). Not part of the API: its setters are
 * {@link SmtpProbe.Builder}'s. Each validates its argument at once.
 */
abstract sealed class SessionOptions extends TlsOptions permits SmtpProbe.Builder {

    SessionOptions(ProbeConfigBuilder config) {
        super(config);
    }

    /**
     * How TLS is used (default: {@link TlsMode#defaultFor(int)} of the port).
     *
     * @param mode the TLS mode for every port probed
     * @return this builder
     * @throws IllegalArgumentException when null
     */
    public SmtpProbe.Builder tls(TlsMode mode) {
        config.tls(Arguments.requireNonNull(mode, "tls"));
        return self();
    }

    /**
     * The TCP connect timeout (default 10 s).
     *
     * @param timeout the connect timeout, 1 ms to 1 hour
     * @return this builder
     * @throws IllegalArgumentException when null, shorter than 1 ms or longer than {@link SmtpProbe#MAX_TIMEOUT 1 hour}
     */
    public SmtpProbe.Builder connectTimeout(Duration timeout) {
        config.connectTimeout(Arguments.requireTimeout(timeout, SmtpProbe.MAX_TIMEOUT, "connectTimeout"));
        return self();
    }

    /**
     * The TCP connect timeout (default 10 s).
     *
     * @param timeout the amount of {@code unit}
     * @param unit the unit of {@code timeout}
     * @return this builder
     * @throws IllegalArgumentException when the unit is null, or the value is shorter than 1 ms or longer than
     *                                  {@link SmtpProbe#MAX_TIMEOUT 1 hour} (however large the amount)
     */
    public SmtpProbe.Builder connectTimeout(long timeout, TimeUnit unit) {
        config.connectTimeout(Arguments.requireTimeout(timeout, unit, SmtpProbe.MAX_TIMEOUT, "connectTimeout"));
        return self();
    }

    /**
     * The wait for the 220 banner after connecting (default 15 s).
     *
     * @param timeout the banner wait, 1 ms to 1 hour
     * @return this builder
     * @throws IllegalArgumentException when null, shorter than 1 ms or longer than {@link SmtpProbe#MAX_TIMEOUT 1 hour}
     */
    public SmtpProbe.Builder greetingTimeout(Duration timeout) {
        config.greetingTimeout(Arguments.requireTimeout(timeout, SmtpProbe.MAX_TIMEOUT, "greetingTimeout"));
        return self();
    }

    /**
     * The wait for the 220 banner after connecting (default 15 s).
     *
     * @param timeout the amount of {@code unit}
     * @param unit the unit of {@code timeout}
     * @return this builder
     * @throws IllegalArgumentException when the unit is null, or the value is shorter than 1 ms or longer than
     *                                  {@link SmtpProbe#MAX_TIMEOUT 1 hour} (however large the amount)
     */
    public SmtpProbe.Builder greetingTimeout(long timeout, TimeUnit unit) {
        config.greetingTimeout(Arguments.requireTimeout(timeout, unit, SmtpProbe.MAX_TIMEOUT, "greetingTimeout"));
        return self();
    }

    /**
     * The wait for each later reply and for a TLS handshake (default 15 s).
     *
     * @param timeout the wait for each reply or handshake, 1 ms to 1 hour
     * @return this builder
     * @throws IllegalArgumentException when null, shorter than 1 ms or longer than {@link SmtpProbe#MAX_TIMEOUT 1 hour}
     */
    public SmtpProbe.Builder replyTimeout(Duration timeout) {
        config.replyTimeout(Arguments.requireTimeout(timeout, SmtpProbe.MAX_TIMEOUT, "replyTimeout"));
        return self();
    }

    /**
     * The wait for each later reply and for a TLS handshake (default 15 s).
     *
     * @param timeout the amount of {@code unit}
     * @param unit the unit of {@code timeout}
     * @return this builder
     * @throws IllegalArgumentException when the unit is null, or the value is shorter than 1 ms or longer than
     *                                  {@link SmtpProbe#MAX_TIMEOUT 1 hour} (however large the amount)
     */
    public SmtpProbe.Builder replyTimeout(long timeout, TimeUnit unit) {
        config.replyTimeout(Arguments.requireTimeout(timeout, unit, SmtpProbe.MAX_TIMEOUT, "replyTimeout"));
        return self();
    }

    /**
     * The limit for the whole probe, all attempts included (default 60 s).
     *
     * @param deadline the limit for the whole probe, 1 ms to 1 hour
     * @return this builder
     * @throws IllegalArgumentException when null, shorter than 1 ms or longer than {@link SmtpProbe#MAX_TIMEOUT 1 hour}
     */
    public SmtpProbe.Builder deadline(Duration deadline) {
        config.deadline(Arguments.requireTimeout(deadline, SmtpProbe.MAX_TIMEOUT, "deadline"));
        return self();
    }

    /**
     * The limit for the whole probe, all attempts included (default 60 s).
     *
     * @param deadline the amount of {@code unit}
     * @param unit the unit of {@code deadline}
     * @return this builder
     * @throws IllegalArgumentException when the unit is null, or the value is shorter than 1 ms or longer than
     *                                  {@link SmtpProbe#MAX_TIMEOUT 1 hour} (however large the amount)
     */
    public SmtpProbe.Builder deadline(long deadline, TimeUnit unit) {
        config.deadline(Arguments.requireTimeout(deadline, unit, SmtpProbe.MAX_TIMEOUT, "deadline"));
        return self();
    }

    /**
     * The name sent with EHLO (default: this machine's fully qualified name, else the connection's address
     * literal): a domain name in ASCII (letters, digits, hyphens and underscores; labels of 1 to 63 octets, at
     * most 255 octets in all, no trailing dot) or an address literal, {@code [192.0.2.1]} or
     * {@code [IPv6:2001:db8::1]} (RFC 5321 §4.1.3).
     *
     * @param name the EHLO name: an ASCII domain name or an address literal in brackets
     * @return this builder
     * @throws IllegalArgumentException when null, blank, or neither such a domain nor such a literal
     */
    public SmtpProbe.Builder ehloName(String name) {
        config.ehloName(EhloName.check(name, "ehloName"));
        return self();
    }

    /**
     * Adds the entries of a table of known replies (the format of the built-in one, see the README) before the
     * built-in entries, so that they win: a rejection that matches one is explained with its cause, owner and fix
     * ({@link Attempt#knownReply()}). The file is read and checked now.
     *
     * @param file a table of known replies in the built-in table's format, at most 1 MiB
     * @return this builder
     * @throws IllegalArgumentException naming {@code knownReplies} when null, unreadable, over 1 MiB, without the
     *                                  schema line, or with a malformed entry (its line is named)
     */
    public SmtpProbe.Builder knownReplies(Path file) {
        config.knownReplies(ReplyKnowledge.fromFile(file, "knownReplies").then(ReplyKnowledge.builtIn()));
        return self();
    }

    /**
     * Retries an attempt that greylisting deferred (a 4xx the server words as greylisting, at any phase), once,
     * after the delay the server names ("try again in 60 seconds") or else {@code maxWait}, whichever is shorter,
     * and only when the retry fits in the {@link #deadline(Duration) deadline}: an accepted retry is reported as
     * deliverable after greylisting ({@link HintCode#GREYLISTED_THEN_ACCEPTED}). Off by default.
     *
     * @param maxWait the longest wait before the retry when the server names no delay (or a longer one)
     * @return this builder
     * @throws IllegalArgumentException when null, shorter than 1 ms or longer than {@link SmtpProbe#MAX_TIMEOUT 1 hour}
     */
    public SmtpProbe.Builder greylistRetry(Duration maxWait) {
        config.greylistRetry(Arguments.requireTimeout(maxWait, SmtpProbe.MAX_TIMEOUT, "greylistRetry"));
        return self();
    }

    /**
     * The local address to connect from (default: the kernel's choice).
     *
     * @param address a local address of this machine to bind before connecting
     * @return this builder
     * @throws IllegalArgumentException when null
     */
    public SmtpProbe.Builder sourceAddress(InetAddress address) {
        config.sourceAddress(Arguments.requireNonNull(address, "sourceAddress"));
        return self();
    }

    /**
     * The local address to connect from, as an address literal: {@code 192.0.2.5}, {@code 2001:db8::5},
     * {@code [192.0.2.5]} or {@code [IPv6:2001:db8::5]}. A host name is rejected without any DNS lookup.
     *
     * @param address an IPv4 or IPv6 address literal, bracketed or not
     * @return this builder
     * @throws IllegalArgumentException when null, or not an IPv4 or IPv6 address literal
     */
    public SmtpProbe.Builder sourceAddress(String address) {
        Arguments.requireToken(address, "sourceAddress");
        Optional<InetAddress> literal = Addresses.parseLiteral(address);
        Arguments.requireArgument(literal.isPresent(),
                "sourceAddress must be an IP address literal, not a host name: %s", address);
        return sourceAddress(literal.get());
    }

    /**
     * The transport to use (default: the one found with {@link java.util.ServiceLoader}).
     *
     * @param transport the transport that opens the probe's connections
     * @return this builder
     * @throws IllegalArgumentException when null
     */
    public SmtpProbe.Builder transport(Transport transport) {
        config.transport(Arguments.requireNonNull(transport, "transport"));
        return self();
    }

    /**
     * Adds a listener of progress events (none by default). Each call adds one more: every event goes to every
     * listener, in the order they were added, each one's call returning before the next one's starts. A
     * listener that throws is logged and skipped; the others still receive the event, and the probe goes on
     * (see {@link ProbeListener}).
     *
     * @param listener a listener added after those already added
     * @return this builder
     * @throws IllegalArgumentException when null
     */
    public SmtpProbe.Builder listener(ProbeListener listener) {
        config.listener(Arguments.requireNonNull(listener, "listener"));
        return self();
    }

    /**
     * Whether a suspected TLS-mode mismatch (no banner on a plain connection, or a plain banner answering a
     * TLS hello) is confirmed by a quick second attempt in the other mode (default true). The same switch confirms
     * AUTH offered only after STARTTLS (with credentials, no AUTH in plain text beside STARTTLS): a second attempt
     * upgrades and reads the EHLO again. A confirmation never sends credentials or an envelope; a silent port's
     * is bounded to a quarter of the greeting timeout (500 ms at least).
     *
     * @param confirm {@code false} to report a suspected mismatch without a second attempt
     * @return this builder
     */
    public SmtpProbe.Builder confirmTlsMode(boolean confirm) {
        config.confirmTlsMode(confirm);
        return self();
    }

    /**
     * The clock for timestamps (default UTC system clock); a seam for tests.
     *
     * @param clock the clock read for every timestamp of the result
     * @return this builder
     * @throws IllegalArgumentException when null
     */
    public SmtpProbe.Builder clock(Clock clock) {
        config.clock(Arguments.requireNonNull(clock, "clock"));
        return self();
    }

    /** The monotonic clock for every duration, timer and deadline (default the system's); a seam for tests. */
    SmtpProbe.Builder ticker(Ticker ticker) {
        config.ticker(ticker);
        return self();
    }

    /**
     * Authenticates with a password after EHLO (and STARTTLS), with the best mechanism the server offers
     * (PLAIN, then LOGIN). The array is copied: clear yours whenever you like. Credentials are only sent over TLS
     * unless {@link SmtpProbe.Builder#allowPlaintextAuth()} is set; they never appear in the transcript, the
     * report, logs, {@code toString()} or exceptions.
     *
     * <pre>{@code
     * ProbeResult r = SmtpProbe.to("smtp.example.net").port(587).auth("alice@example.net", password).run();
     * }</pre>
     *
     * @param username the username sent to the server
     * @param password the password; copied
     * @return this builder
     * @throws IllegalArgumentException when the username is null, blank, holds a control character
     *                                  or surrounding whitespace, or is longer than 255 octets in UTF-8, or the password
     *                                  is null, empty or holds NUL
     */
    public SmtpProbe.Builder auth(String username, char[] password) {
        config.credentials(Credentials.of(Credentials.Kind.PASSWORD, username, password, "password"));
        return self();
    }

    /**
     * Authenticates with a password asked from {@code password} each time a connection reaches AUTH, so that it
     * is held in memory only as long as needed. Each call must return a new array: the probe clears it once the
     * credentials are encoded. It is called on a transport thread and must return quickly (no network I/O:
     * fetch from a vault before the probe). A supplier that throws or returns null ends the attempt with
     * {@link Verdict#AUTH_FAILED} and nothing sent.
     *
     * @param username the username sent to the server
     * @param password supplies a new password array at each AUTH; the probe clears each after use
     * @return this builder
     * @throws IllegalArgumentException when the username is null, blank, holds a control character
     *                                  or surrounding whitespace, or is longer than 255 octets in UTF-8, or the supplier
     *                                  is null
     */
    public SmtpProbe.Builder auth(String username, Supplier<char[]> password) {
        config.credentials(Credentials.supplied(Credentials.Kind.PASSWORD, username, password, "password"));
        return self();
    }

    /**
     * Authenticates with an OAuth2 access token (XOAUTH2, as Gmail and Microsoft 365 offer it). The array is
     * copied.
     *
     * @param username the account the token was issued for
     * @param token the OAuth2 access token; copied
     * @return this builder
     * @throws IllegalArgumentException when the username is null, blank, holds a control character
     *                                  or surrounding whitespace, or is longer than 255 octets in UTF-8, or the token is
     *                                  null, empty or holds control characters
     */
    public SmtpProbe.Builder oauth2(String username, char[] token) {
        config.credentials(Credentials.of(Credentials.Kind.OAUTH2_TOKEN, username, token, "token"));
        return self();
    }

    /**
     * Authenticates with an OAuth2 access token asked from {@code token} each time a connection reaches AUTH;
     * each call must return a new array, which the probe clears after use. Like the password supplier, it runs
     * on a transport thread and must return quickly.
     *
     * @param username the account the token was issued for
     * @param token supplies a new token array at each AUTH; the probe clears each after use
     * @return this builder
     * @throws IllegalArgumentException when the username is null, blank, holds a control character
     *                                  or surrounding whitespace, or is longer than 255 octets in UTF-8, or the supplier
     *                                  is null
     */
    public SmtpProbe.Builder oauth2(String username, Supplier<char[]> token) {
        config.credentials(Credentials.supplied(Credentials.Kind.OAUTH2_TOKEN, username, token, "token"));
        return self();
    }

    /**
     * Uses this mechanism instead of the best one offered; a server that does not offer it ends the probe with
     * {@link Verdict#AUTH_UNAVAILABLE}. {@link AuthMechanism#XOAUTH2} needs {@link SmtpProbe.Builder#oauth2}
     * credentials, the others a password ({@link SmtpProbe.Builder#build()} checks).
     *
     * @param mechanism the SASL mechanism to use
     * @return this builder
     * @throws IllegalArgumentException when null
     */
    public SmtpProbe.Builder authMechanism(AuthMechanism mechanism) {
        config.authMechanism(Arguments.requireNonNull(mechanism, "authMechanism"));
        return self();
    }

    /**
     * Allows sending credentials over a connection without TLS. Without it, a session that is not encrypted
     * stops before AUTH with {@link Verdict#AUTH_REQUIRES_TLS} and the credentials are not sent. For test
     * servers on a trusted network only.
     *
     * @return this builder
     */
    public SmtpProbe.Builder allowPlaintextAuth() {
        config.allowPlaintextAuth(true);
        return self();
    }

    /**
     * Tries an envelope after EHLO (and AUTH): {@code MAIL FROM:<from>}, {@code RCPT TO:<r>} for each recipient,
     * then RSET and QUIT. No DATA, so no mail is ever sent. Each recipient's reply is classified
     * ({@link ProbeResult#recipients()}); any rejection makes the verdict a rejection at {@link Phase#ENVELOPE}.
     * Addresses with non-ASCII characters are sent with SMTPUTF8 when the server offers it.
     *
     * <pre>{@code
     * ProbeResult r = SmtpProbe.to("mx.example.net").envelope("probe@example.org", "bob@example.net").run();
     * }</pre>
     *
     * <p>Addresses are used as given, never trimmed or repaired. Each is a bare address with an {@code @} (or
     * {@code postmaster}), without whitespace, control characters or angle brackets, within RFC 5321 §4.5.3.1's
     * limits in UTF-8: a local part of at most 64 octets, a domain of at most 255 and the whole at most 254 (a
     * path of 256 with its angle brackets).
     *
     * @param from       the sender; exactly {@code ""} for the null sender {@code <>}
     * @param recipients one to 100 recipients, bare addresses like {@code bob@example.net}
     * @return this builder
     * @throws IllegalArgumentException naming the argument ({@code from}, {@code recipients},
     *                                  {@code recipients[i]}) when it is null or an address is unusable
     */
    public SmtpProbe.Builder envelope(String from, String... recipients) {
        return envelope(from, Arrays.asList(Arguments.requireNonNull(recipients, "recipients")));
    }

    /**
     * {@link SmtpProbe.Builder#envelope(String, String...)} with a list of recipients.
     *
     * @param from the reverse-path for MAIL FROM; empty for the null sender {@code <>}
     * @param recipients one to 100 recipient addresses, in order
     * @return this builder
     * @throws IllegalArgumentException naming the argument when an address is unusable, as there
     */
    public SmtpProbe.Builder envelope(String from, List<String> recipients) {
        config.envelope(Envelope.of(from, recipients, config.messageSize()));
        return self();
    }

    /**
     * The size in bytes of the mail the application means to send: declared with {@code SIZE=} in MAIL FROM when
     * the server offers SIZE (RFC 1870), so that a server with a smaller limit says so. Needs an
     * {@link SmtpProbe.Builder#envelope}.
     *
     * @param bytes the message size in bytes, positive
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public SmtpProbe.Builder messageSize(long bytes) {
        Arguments.requireArgument(bytes > 0, "messageSize must be positive: %d", bytes);
        config.messageSize(bytes);
        return self();
    }

    /**
     * Connects through this SOCKS5, SOCKS4a or HTTP CONNECT proxy: TCP goes to the proxy, which opens a tunnel to
     * each target address. The proxy's own failures are {@link Verdict#PROXY_UNREACHABLE},
     * {@link Verdict#PROXY_AUTH_FAILED} and {@link Verdict#PROXY_DENIED}; what it reports about the target is the
     * usual TCP verdict, with the proxy named in the detail. Without this setter, a probe takes the JVM's SOCKS
     * proxy ({@code socksProxyHost}) when one is set, as the application's plain sockets do.
     *
     * <pre>{@code
     * SmtpProbe.to("smtp.example.net").port(587).proxy(ProxyConfig.socks5("proxy.corp.example", 1080)).run();
     * }</pre>
     *
     * @param proxy the proxy to connect through
     * @return this builder
     * @throws IllegalArgumentException when null
     */
    public SmtpProbe.Builder proxy(ProxyConfig proxy) {
        config.proxy(Arguments.requireNonNull(proxy, "proxy"));
        return self();
    }

    /**
     * Stops the dialogue after {@code phase}, politely with QUIT, instead of going on to STARTTLS, AUTH or the
     * envelope: the attempt is {@link Verdict#OK} when every step up to there passed (like {@code swaks
     * --quit-after}). A later step is never begun, so a later problem (no STARTTLS offered under
     * {@link TlsMode#STARTTLS_REQUIRED}, rejected credentials) is not found. A step that does not apply is skipped
     * as usual. The default is the whole dialogue.
     *
     * <pre>{@code
     * ProbeResult r = SmtpProbe.to("mx.example.net").quitAfter(Phase.EHLO).run(); // banner and EHLO only
     * }</pre>
     *
     * @param phase {@link Phase#GREETING}, {@link Phase#EHLO}, {@link Phase#STARTTLS}, {@link Phase#AUTH} or
     *              {@link Phase#ENVELOPE}
     * @return this builder
     * @throws IllegalArgumentException when null or another phase
     */
    public SmtpProbe.Builder quitAfter(Phase phase) {
        Arguments.requireNonNull(phase, "quitAfter");
        Arguments.requireArgument(phase != Phase.RESOLVE && phase != Phase.CONNECT && phase != Phase.QUIT,
                "quitAfter must be GREETING, EHLO, STARTTLS, AUTH or ENVELOPE, not %s", phase);
        config.quitAfter(phase);
        return self();
    }

    /**
     * Where hints read the machine's facts (default: {@link HostEnvironment#system()}); a seam for tests and
     * for callers that know better (a container runtime that hides {@code /.dockerenv}).
     *
     * @param environment the source of the machine's files, variables and local addresses
     * @return this builder
     * @throws IllegalArgumentException when null
     */
    public SmtpProbe.Builder environment(HostEnvironment environment) {
        config.environment(Arguments.requireNonNull(environment, "environment"));
        return self();
    }
}
