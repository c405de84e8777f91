package dev.smtpprobe.examples.cli;

import dev.smtpprobe.Layer;
import dev.smtpprobe.Verdict;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit status of the {@code smtp-probe} command: one code per layer of the mail path, so a script can tell a
 * DNS problem from a refused port, a certificate problem, a policy rejection or a bad password without parsing
 * the output. 64 and 70 follow the BSD {@code sysexits.h} convention.
 */
public enum ExitCode {
    /** The probe succeeded (or, for --demo, every case was diagnosed as expected). */
    OK(0, "OK: the path and the service work"),
    /** A DNS verdict. */
    DNS(2, "DNS: no such domain, no mail host, null MX, or resolution failed"),
    /** A TCP verdict. */
    TCP(3, "TCP: refused, timed out, unreachable, blocked by this host, a proxy failure, or reset before the banner"),
    /** A TLS verdict. */
    TLS(4, "TLS: mode mismatch, no STARTTLS, handshake failed, bad certificate"),
    /** An SMTP verdict. */
    SMTP(5, "SMTP: no banner, not SMTP, a 4xx/5xx rejection, or a protocol error"),
    /** An AUTH verdict. */
    AUTH(6, "AUTH: credentials rejected, AUTH unavailable, or AUTH requires TLS"),
    /** An INTERNAL verdict: the probe or a plug-in Transport failed; says nothing about the network. */
    INTERNAL_VERDICT(7, "INTERNAL: the probe or its Transport failed (a bug, not a network diagnosis)"),
    /** A batch, or a sweep under {@code --require all}, whose failures are in several layers. */
    MIXED(8, "batch, or sweep with --require all: failures in several layers (each verdict is in the output)"),
    /** Bad command-line input. */
    USAGE(64, "usage error: unknown option, bad value, missing HOST, unreadable file"),
    /** A bug or an environment problem in the tool itself (for --demo: a case not diagnosed as expected). */
    INTERNAL(70, "internal error of smtp-probe itself");

    private final int code;
    private final String description;

    ExitCode(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /** The process exit status. */
    public int code() {
        return code;
    }

    /** One line for {@code --help} and the README. */
    public String description() {
        return description;
    }

    /** The exit code of a layer. */
    public static ExitCode of(Layer layer) {
        return switch (layer) {
            case NONE -> OK;
            case DNS -> DNS;
            case TCP -> TCP;
            case TLS -> TLS;
            case SMTP -> SMTP;
            case AUTH -> AUTH;
            case INTERNAL -> INTERNAL_VERDICT;
        };
    }

    /** The exit code of a verdict: the code of its layer. */
    public static ExitCode of(Verdict verdict) {
        return of(verdict.layer());
    }

    /** Code to description, in code order, as picocli's usage help shows it. */
    static Map<String, String> helpList() {
        Map<String, String> list = new LinkedHashMap<>();
        for (ExitCode exit : values()) {
            list.put(String.format("%3d", exit.code), exit.description);
        }
        return list;
    }
}
