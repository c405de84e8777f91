package dev.smtpprobe.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * One thing the {@link MockSmtpServer} does on a connection: send a reply, send raw bytes, wait, upgrade to TLS,
 * or end the connection in a particular way. A {@link Script} answers the greeting and every command with a
 * sequence of effects; the server performs them in order and stops at the first one that ends the connection
 * ({@link #STALL}, {@link #CLOSE}, {@link #RESET}, {@link #abortTlsHandshake}).
 *
 * <pre>{@code
 * // half a greeting, then FIN
 * Script.greeting(Effect.raw("220 mx.te"), Effect.CLOSE);
 * // "220 Ready" to STARTTLS, then bytes that are not TLS, then silence
 * script.on("STARTTLS", Effect.reply("220 2.0.0 Ready"), Effect.garbage(64), Effect.STALL);
 * }</pre>
 *
 * <p>Effects are immutable and threadsafe; one instance may be used by many scripts and connections.
 */
public final class Effect {

    /** Never answer again: keep reading (and recording) what the client sends until it or the server closes. */
    public static final Effect STALL = new Effect("STALL", (session, command) -> {
        session.stall();
        return false;
    });

    /** Close the connection gracefully: a FIN (after a TLS close_notify when TLS is active). */
    public static final Effect CLOSE = new Effect("CLOSE", (session, command) -> {
        session.closeGracefully();
        return false;
    });

    /** Abort the connection with a TCP RST ({@code SO_LINGER} 0, then close). */
    public static final Effect RESET = new Effect("RESET", (session, command) -> {
        session.reset();
        return false;
    });

    /** What an effect does; returns {@code false} once the connection is finished. */
    @FunctionalInterface
    interface Action {
        boolean perform(Session session, String command) throws IOException, InterruptedException;
    }

    private final String description;
    private final Action action;

    private Effect(String description, Action action) {
        this.description = description;
        this.action = action;
    }

    boolean perform(Session session, String command) throws IOException, InterruptedException {
        return action.perform(session, command);
    }

    /**
     * Sends reply lines, each followed by CRLF, encoded as UTF-8 (so a multi-line reply is
     * {@code reply("250-mx.test", "250 SIZE 1000")}).
     *
     * @param lines the lines without terminator
     * @return the effect
     */
    public static Effect reply(String... lines) {
        byte[] bytes = crlfLines(lines, "lines");
        return new Effect("reply" + Arrays.toString(lines), (session, command) -> {
            session.write(bytes);
            return true;
        });
    }

    /**
     * Sends these bytes verbatim, nothing added (NUL, invalid UTF-8, a partial line: anything).
     *
     * @param bytes the bytes
     * @return the effect
     */
    public static Effect raw(byte[] bytes) {
        requireArgument(bytes != null, "bytes must not be null");
        byte[] copy = bytes.clone();
        return new Effect("raw(" + copy.length + " bytes)", (session, command) -> {
            session.write(copy);
            return true;
        });
    }

    /**
     * Sends this text verbatim as UTF-8, with no CRLF added.
     *
     * @param text the text, e.g. {@code "220 mx.te"} for half a greeting
     * @return the effect
     */
    public static Effect raw(String text) {
        requireArgument(text != null, "text must not be null");
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new Effect("raw(\"" + text.replace("\r", "\\r").replace("\n", "\\n") + "\")", (session, command) -> {
            session.write(bytes);
            return true;
        });
    }

    /**
     * Sends {@code length} bytes of binary garbage: control characters and bytes above 0x7F, no CR or LF, the same
     * bytes on every run. It is neither text nor a TLS record: the first byte is a control character below 0x12,
     * so no TLS reader can take it for a record header (a first byte above 0x7F would read as an SSLv2 header
     * announcing a record of kilobytes, and a reader would wait for it).
     *
     * @param length how many bytes, at least 1
     * @return the effect
     */
    public static Effect garbage(int length) {
        requireArgument(length > 0, "length must be positive: " + length);
        byte[] bytes = garbageBytes(length);
        return new Effect("garbage(" + length + ")", (session, command) -> {
            session.write(bytes);
            return true;
        });
    }

    /**
     * Sends reply lines (each followed by CRLF) one byte at a time, pausing {@code perByte} after each byte.
     *
     * @param perByte the pause after each byte, not negative
     * @param lines   the lines without terminator
     * @return the effect
     */
    public static Effect drip(Duration perByte, String... lines) {
        requireArgument(perByte != null && !perByte.isNegative(), "perByte must be zero or positive: " + perByte);
        byte[] bytes = crlfLines(lines, "lines");
        return new Effect("drip(" + perByte + ", " + Arrays.toString(lines) + ")", (session, command) -> {
            for (byte b : bytes) {
                session.write(new byte[] {b});
                session.pause(perByte);
            }
            return true;
        });
    }

    /**
     * Sends {@code length} bytes that never end a line ({@code "250-"} followed by 'x'), as fast as the client
     * reads them. Follow it with {@link #STALL} or {@link #CLOSE}.
     *
     * @param length how many bytes, at least 5; e.g. 8 MiB to prove the client bounds its line buffer
     * @return the effect
     */
    public static Effect endlessLine(long length) {
        requireArgument(length >= 5, "length must be at least 5: " + length);
        return new Effect("endlessLine(" + length + ")", (session, command) -> {
            byte[] chunk = new byte[16384];
            Arrays.fill(chunk, (byte) 'x');
            session.write("250-".getBytes(StandardCharsets.US_ASCII));
            long left = length - 4;
            while (left > 0) {
                int n = (int) Math.min(chunk.length, left);
                session.writeUnflushed(chunk, n);
                left -= n;
            }
            session.flush();
            return true;
        });
    }

    /**
     * Sends one reply with {@code count} continuation lines ({@code "250-line 1"} ...) and a last line
     * {@code "250 end"}: a reply far bigger than any real one.
     *
     * @param count how many continuation lines, at least 1; e.g. 100,000
     * @return the effect
     */
    public static Effect continuationLines(int count) {
        requireArgument(count > 0, "count must be positive: " + count);
        return new Effect("continuationLines(" + count + ")", (session, command) -> {
            for (int i = 1; i <= count; i++) {
                byte[] line = ("250-line " + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
                session.writeUnflushed(line, line.length);
            }
            session.write("250 end\r\n".getBytes(StandardCharsets.US_ASCII));
            return true;
        });
    }

    /**
     * Waits, then goes on with the next effect (e.g. a slow greeting).
     *
     * @param duration how long, not negative
     * @return the effect
     */
    public static Effect pause(Duration duration) {
        requireArgument(duration != null && !duration.isNegative(), "duration must be zero or positive: " + duration);
        return new Effect("pause(" + duration + ")", (session, command) -> {
            session.pause(duration);
            return true;
        });
    }

    /**
     * Turns the connection into a TLS server connection and completes the handshake, then goes on reading
     * commands over TLS. Used after a {@code 220} to STARTTLS (see {@link Script#onStartTls(ServerTls)}). If the
     * handshake fails, the failure is recorded ({@link RecordedConnection#tlsFailure()}) and the connection ends.
     *
     * @param tls the server's TLS configuration
     * @return the effect
     */
    public static Effect startTls(ServerTls tls) {
        Objects.requireNonNull(tls, "tls");
        return new Effect("startTls(" + tls + ")", (session, command) -> session.upgradeToTls(tls));
    }

    /**
     * Waits for the client's first TLS record (its hello after STARTTLS, or on connect) and consumes it, so that
     * the next effect answers the hello: {@code Effect.awaitTlsHello(), Effect.garbage(64)} is a server answering a
     * TLS hello with bytes that are not TLS. Without it, bytes sent right after {@code 220 Ready} may reach the
     * client before it starts TLS, and a careful client discards them. Ends the connection if the client closes
     * or sends something that is not a TLS handshake record.
     *
     * @return the effect
     */
    public static Effect awaitTlsHello() {
        return new Effect("awaitTlsHello", (session, command) -> session.readTlsRecord() != null);
    }

    /**
     * A TLS server that gives up mid-handshake: reads the client's hello, sends only the first half of its own
     * first handshake flight (ServerHello ...) and closes the connection (FIN). Ends the connection.
     *
     * @param tls the configuration used to produce the server's flight
     * @return the effect
     */
    public static Effect abortTlsHandshake(ServerTls tls) {
        Objects.requireNonNull(tls, "tls");
        return new Effect("abortTlsHandshake", (session, command) -> {
            session.abortTlsHandshake(tls);
            return false;
        });
    }

    /**
     * Runs an AUTH exchange the way a real server does, then sends {@code outcome}. {@code AUTH PLAIN} without an
     * initial response gets {@code "334 "} and reads one line; {@code AUTH LOGIN} gets {@code 334} prompts for the
     * user name and the password (skipping the first if given as initial response); {@code AUTH XOAUTH2} (Gmail and
     * Microsoft 365 style) gets {@code "334 "} first when it has no initial response, and when the outcome is a
     * failure, a {@code 334} challenge carrying the base64 JSON error ({@link #XOAUTH2_ERROR}) that the client answers
     * with an empty line before the outcome; {@code "*"} from the client cancels with 501; any other mechanism gets
     * 504. Every line the client sends is recorded.
     *
     * @param outcome the final reply lines, e.g. {@code "235 2.7.0 Authentication successful"} or
     *                {@code "535 5.7.8 Authentication credentials invalid"}
     * @return the effect
     */
    public static Effect authExchange(String... outcome) {
        byte[] outcomeBytes = crlfLines(outcome, "outcome");
        return new Effect("authExchange" + Arrays.toString(outcome), (session, command) -> {
            String[] words = command.trim().split("\\s+");
            String mechanism = words.length > 1 ? words[1].toUpperCase(java.util.Locale.ROOT) : "";
            boolean initialResponse = words.length > 2;
            String[] prompts;
            if (mechanism.equals("PLAIN")) {
                prompts = initialResponse ? new String[0] : new String[] {"334 "};
            } else if (mechanism.equals("LOGIN")) {
                prompts = initialResponse
                        ? new String[] {"334 UGFzc3dvcmQ6"}
                        : new String[] {"334 VXNlcm5hbWU6", "334 UGFzc3dvcmQ6"};
            } else if (mechanism.equals("XOAUTH2")) {
                boolean failure = outcome[0].startsWith("4") || outcome[0].startsWith("5");
                String error = "334 " + java.util.Base64.getEncoder().encodeToString(
                        XOAUTH2_ERROR.getBytes(StandardCharsets.UTF_8));
                prompts = initialResponse
                        ? (failure ? new String[] {error} : new String[0])
                        : (failure ? new String[] {"334 ", error} : new String[] {"334 "});
            } else {
                session.write(crlfLines(new String[] {"504 5.5.4 Unrecognized authentication type"}, "reply"));
                return true;
            }
            for (String prompt : prompts) {
                session.write(crlfLines(new String[] {prompt}, "prompt"));
                String answer = session.readLine();
                if (answer == null) {
                    return false;
                }
                if (answer.equals("*")) {
                    session.write(crlfLines(new String[] {"501 5.0.0 Authentication cancelled"}, "reply"));
                    return true;
                }
            }
            session.write(outcomeBytes);
            return true;
        });
    }

    /** The JSON error an XOAUTH2 server sends, base64-encoded in a 334 challenge, before a failed outcome. */
    public static final String XOAUTH2_ERROR = "{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"https://mail.test/\"}";

    /** @return an effect sending what an HTTP server says to a request it does not understand */
    public static Effect httpResponse() {
        return raw("HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n");
    }

    /** @return an effect sending an SSH server's identification line, which SSH servers send first */
    public static Effect sshBanner() {
        return raw("SSH-2.0-OpenSSH_9.6p1 Debian-4\r\n");
    }

    /** @return an effect sending a TLS record: a fatal handshake_failure alert, as a TLS-only port might */
    public static Effect tlsAlert() {
        return new Effect("tlsAlert", raw(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28}).action);
    }

    /** Answers RCPT with the reply scripted for its address, or the default. */
    static Effect rcptByAddress() {
        return new Effect("rcptByAddress", (session, command) -> {
            session.write(crlfLines(session.script().rcptReply(command).toArray(String[]::new), "reply"));
            return true;
        });
    }

    static byte[] crlfLines(String[] lines, String name) {
        requireArgument(lines != null && lines.length > 0, name + " must not be empty");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String line : lines) {
            requireArgument(line != null, name + " must not contain null");
            requireArgument(line.indexOf('\r') < 0 && line.indexOf('\n') < 0,
                    name + " must not contain CR or LF (use raw): " + line);
            out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        return out.toByteArray();
    }

    static byte[] garbageBytes(int length) {
        // Control characters and high bytes only: no printable text, no CR/LF, and a first byte that is not a
        // TLS record type (0x14..0x18), so a reader can only call it binary.
        byte[] alphabet = new byte[9 + 4 + 128];
        int k = 0;
        for (int b = 0x00; b <= 0x08; b++) {
            alphabet[k++] = (byte) b;
        }
        for (int b = 0x0E; b <= 0x11; b++) {
            alphabet[k++] = (byte) b;
        }
        for (int b = 0x80; b <= 0xFF; b++) {
            alphabet[k++] = (byte) b;
        }
        SplittableRandom random = new SplittableRandom(length);
        byte[] bytes = new byte[length];
        bytes[0] = alphabet[random.nextInt(13)]; // 0x00..0x08, 0x0E..0x11 only
        for (int i = 1; i < length; i++) {
            bytes[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return bytes;
    }

    static List<Effect> list(Effect... effects) {
        requireArgument(effects != null && effects.length > 0, "effects must not be empty");
        for (Effect effect : effects) {
            requireArgument(effect != null, "effects must not contain null");
        }
        return List.of(effects);
    }

    static void requireArgument(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
