package dev.smtpprobe.internal;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.CertificateInfo;
import dev.smtpprobe.Hint;
import dev.smtpprobe.HintCode;
import dev.smtpprobe.SmtpReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Who answered: the names a server gives of itself (the banner's host, the EHLO host, the certificate's names)
 * compared with the name probed and with the PTR of the address connected to. When the server's names all point
 * to another operator than the target's, a {@link HintCode#DIFFERENT_OPERATOR} hint lists each name as evidence:
 * an outsourced or hosted mail service, or something in the path (a hosting network redirecting port 25/587 to its
 * own MTA, a corporate or antivirus SMTP proxy). Pure code.
 *
 * <p>The operator of a name is its registrable domain, approximated without the public suffix list: the last two
 * labels, or three under a two-letter country code whose second level is a generic one ({@code co.uk},
 * {@code com.au}). Good enough to tell {@code mx.example.net} from {@code smtp.isp.example}; names it cannot tell
 * apart are never claimed different.
 */
final class PeerNames {

    private static final Set<String> GENERIC_SECOND_LEVEL = Set.of("co", "com", "net", "org", "ac", "gov", "edu",
            "ne", "or", "go", "gen", "ltd", "plc", "sch", "mil");

    private PeerNames() {
    }

    /** The name the attempt's server should be: the probe's TLS server name when set, else the host. */
    static String target(ProbeConfig probe, Attempt a) {
        return probe.tlsServerName() != null ? probe.tlsServerName() : a.host();
    }

    /**
     * The PTR name of the deciding attempt's address, looked up only when the server's own names point to another
     * operator than the target's (the evidence the hint needs; no query otherwise), bounded by {@code timeout};
     * completed on {@code caller} when given (a blocking caller's thread). {@code null} when not looked up or
     * not found.
     */
    static CompletableFuture<String> ptrIfElsewhere(List<Attempt> attempts, ProbeConfig probe, Duration timeout,
                                                    boolean stopped, Executor caller) {
        int index = attempts.isEmpty() ? -1 : Decision.decidingIndex(attempts);
        if (index < 0 || stopped || timeout.isZero() || timeout.isNegative()) {
            return CompletableFuture.completedFuture(null);
        }
        Attempt deciding = attempts.get(index);
        if (!pointsElsewhere(target(probe, deciding), deciding)
                || probe.resolvers().isEmpty() && deciding.remote().getAddress().isLoopbackAddress()) {
            // A loopback address's PTR from the system's resolver says "localhost" at best: no query for it.
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<String> ptr = PtrLookup.lookup(deciding.remote().getAddress(), probe.resolvers(), timeout);
        return caller == null ? ptr : ptr.thenApplyAsync(name -> name, caller);
    }

    /** The names the server gave of itself, by source ("banner", "EHLO", "certificate"), in that order. */
    static Map<String, List<String>> serverNames(Attempt a) {
        Map<String, List<String>> names = new LinkedHashMap<>();
        firstHost(a.greeting()).ifPresent(h -> names.put("banner", List.of(h)));
        firstHost(a.ehlo()).ifPresent(h -> names.put("EHLO", List.of(h)));
        if (a.tls() != null && a.tls().leaf() != null) {
            List<String> cert = certificateNames(a.tls().leaf());
            if (!cert.isEmpty()) {
                names.put("certificate", cert);
            }
        }
        return names;
    }

    /**
     * Whether the server's names point away from the target: at least one names another operator and none names
     * the target's. This is the cheap test that decides whether the PTR of the address is worth a query.
     */
    static boolean pointsElsewhere(String target, Attempt a) {
        String own = operator(target);
        if (own == null) {
            return false;
        }
        boolean other = false;
        for (List<String> names : serverNames(a).values()) {
            for (String n : names) {
                String op = operator(n);
                if (own.equals(op)) {
                    return false;
                }
                other |= op != null;
            }
        }
        return other;
    }

    /**
     * The hint, when {@link #pointsElsewhere}: each name with its operator, and the PTR of the address when known
     * ({@code ptr} null: not looked up or no answer).
     */
    static Optional<Hint> differentOperator(String target, Attempt a, String ptr) {
        if (!pointsElsewhere(target, a)) {
            return Optional.empty();
        }
        String own = operator(target);
        List<String> evidence = new ArrayList<>();
        evidence.add("target " + target + " (operator " + own + ")");
        List<String> others = new ArrayList<>();
        serverNames(a).forEach((source, names) -> {
            for (String n : names) {
                String op = operator(n);
                evidence.add(source + " " + n + (op != null ? " (operator " + op + ")" : ""));
                if (op != null && !others.contains(op)) {
                    others.add(op);
                }
            }
        });
        String address = TlsFacts.ipText(a.remote().getAddress());
        String ptrOperator = ptr == null ? null : operator(ptr);
        evidence.add(ptr == null ? "PTR of " + address + ": none found"
                : "PTR of " + address + " " + ptr + (ptrOperator != null ? " (operator " + ptrOperator + ")" : ""));
        String who = String.join(", ", others);
        String message;
        if (own.equals(ptrOperator)) {
            message = "The address " + address + " belongs to " + own + " (its PTR is " + ptr + "), yet the server "
                    + "that answered names itself under " + who + ": something in the path answers instead of "
                    + target + ", such as a network that transparently redirects port " + a.remote().getPort()
                    + " to its own MTA, or a corporate or antivirus SMTP proxy. Probe from another network to compare.";
        } else {
            message = "The server at " + address + " names itself under " + who + ", not " + own + ": " + target
                    + " is served by another operator (an outsourced or hosted mail service, which is expected if "
                    + "you chose one), or something in the path (a network redirecting port " + a.remote().getPort()
                    + ", an SMTP proxy) answers instead. Check the names against the provider you expect.";
        }
        return Optional.of(new Hint(HintCode.DIFFERENT_OPERATOR, message, evidence));
    }

    /**
     * The registrable domain of a host name (see the class comment), lower case without the trailing dot, or
     * {@code null} for an address literal, a single label or text that is not a host name.
     */
    static String operator(String name) {
        if (name == null) {
            return null;
        }
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (n.startsWith("*.")) {
            n = n.substring(2);
        }
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        int lastDot = n.lastIndexOf('.');
        // A host name's last label starts with a letter: an address literal or a single label ends here, cheaply.
        if (lastDot < 0 || lastDot == n.length() - 1 || !isAsciiLetter(n.charAt(lastDot + 1))
                || !isHostName(n) || Addresses.parseLiteral(n).isPresent()) {
            return null;
        }
        String[] labels = n.split("\\.");
        if (labels.length < 2) {
            return null;
        }
        int keep = 2;
        String tld = labels[labels.length - 1];
        if (labels.length >= 3 && tld.length() == 2 && GENERIC_SECOND_LEVEL.contains(labels[labels.length - 2])) {
            keep = 3;
        }
        return String.join(".", List.of(labels).subList(labels.length - keep, labels.length));
    }

    /** The host a reply's first line names after its code ({@code 220 mx.example.net ESMTP}), if it is one. */
    static Optional<String> firstHost(SmtpReply reply) {
        if (reply == null || reply.lines().isEmpty()) {
            return Optional.empty();
        }
        String text = reply.lines().get(0).strip();
        int end = 0;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        String first = text.substring(0, end);
        return operator(first) != null ? Optional.of(first) : Optional.empty();
    }

    /** The DNS names of the certificate's subjectAltName, else its subject's CN. */
    private static List<String> certificateNames(CertificateInfo leaf) {
        List<String> dns = leaf.subjectAlternativeNames().stream().filter(n -> operator(n) != null).toList();
        if (!dns.isEmpty()) {
            return dns;
        }
        for (String rdn : leaf.subject().split(",")) {
            String r = rdn.strip();
            if (r.regionMatches(true, 0, "CN=", 0, 3) && operator(r.substring(3)) != null) {
                return List.of(r.substring(3));
            }
        }
        return List.of();
    }

    /**
     * Whether {@code n} (lower case, without a trailing dot) is a host name of at least two labels, at most 253
     * characters: labels of 1 to 63 letters, digits and inner hyphens (an underscore may start a label other than
     * the last), the last label starting with a letter. A loop, not a regular expression: it runs on every probe of
     * a name, and compiling a pattern costs an application's first probe.
     */
    static boolean isHostName(String n) {
        int length = n.length();
        if (length == 0 || length > 253) {
            return false;
        }
        int labels = 0;
        int start = 0;
        while (start <= length) {
            int end = n.indexOf('.', start);
            if (end < 0) {
                end = length;
            }
            int size = end - start;
            boolean last = end == length;
            if (size < 1 || size > 63) {
                return false;
            }
            char first = n.charAt(start);
            if (last ? !isAsciiLetter(first) : !(isAsciiLetterOrDigit(first) || first == '_')) {
                return false;
            }
            for (int i = start + 1; i < end; i++) {
                char c = n.charAt(i);
                if (!(isAsciiLetterOrDigit(c) || c == '-' && i < end - 1)) {
                    return false;
                }
            }
            labels++;
            start = end + 1;
        }
        return labels >= 2;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return isAsciiLetter(c) || c >= '0' && c <= '9';
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }
}
