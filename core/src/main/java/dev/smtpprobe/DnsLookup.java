package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;
import java.time.Duration;
import java.util.List;

/**
 * One DNS query a probe sent to one resolver, and what came back: the raw evidence behind a DNS verdict.
 *
 * @param name     the name asked, lower case, without the trailing dot
 * @param type     the type asked: {@code MX}, {@code A} or {@code AAAA}
 * @param resolver the resolver asked: {@code 192.0.2.53:53}, or {@code hosts file}
 * @param outcome  what came back
 * @param answers  the records of the answer section (CNAMEs included), in the order received
 * @param detail   the error text for a failed query (e.g. the exception of a timeout), otherwise empty
 * @param sent     when the query was sent, from the start of resolution
 * @param elapsed  how long the query took
 */
public record DnsLookup(String name, String type, String resolver, Outcome outcome, List<DnsRecord> answers,
                        String detail, Duration sent, Duration elapsed) {

    /** What a DNS query produced. */
    public enum Outcome {
        /** Records of the asked type (possibly behind a CNAME). */
        ANSWER("answer"),
        /** The name exists but has no record of that type (NOERROR, empty answer). */
        NO_DATA("no records"),
        /** The name does not exist (NXDOMAIN). */
        NO_SUCH_DOMAIN("NXDOMAIN"),
        /** The resolver could not resolve (SERVFAIL). */
        SERVER_FAILURE("SERVFAIL"),
        /** The resolver refused to answer (REFUSED). */
        REFUSED("REFUSED"),
        /** No answer within the DNS timeout. */
        TIMEOUT("timeout"),
        /** The resolver could not be reached (ICMP port unreachable, connection refused, no route). */
        UNREACHABLE("unreachable"),
        /** Another error: a malformed answer, a CNAME loop, an unexpected response code. */
        ERROR("error");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        /** {@return a short label: {@code NXDOMAIN}, {@code SERVFAIL}, {@code timeout}, ..} */
        public String label() {
            return label;
        }

        /**
         * Whether this outcome means resolution is broken rather than the data missing: a server failure, a
         * refusal, a timeout, an unreachable resolver or another error. Those lead to {@link Verdict#DNS_FAILURE}.
         *
         * @return {@code true} for a failure of resolution, {@code false} for an answer (even an empty one)
         */
        public boolean isFailure() {
            return this != ANSWER && this != NO_DATA && this != NO_SUCH_DOMAIN;
        }
    }

    /**
     * Checks and copies the components.
     *
     * @param name the name asked, lower case, without the trailing dot
     * @param type the type asked: {@code MX}, {@code A} or {@code AAAA}
     * @param resolver the resolver asked: {@code 192.0.2.53:53}, or {@code hosts file}
     * @param outcome what came back
     * @param answers the records of the answer section (CNAMEs included), in the order received
     * @param detail the error text for a failed query (e.g. the exception of a timeout), otherwise empty
     * @param sent when the query was sent, from the start of resolution
     * @param elapsed how long the query took
     */
    public DnsLookup {
        Arguments.requireNonNull(name, "name");
        Arguments.requireNonNull(type, "type");
        Arguments.requireNonNull(resolver, "resolver");
        Arguments.requireNonNull(outcome, "outcome");
        answers = List.copyOf(Arguments.requireNonNull(answers, "answers"));
        detail = detail == null ? "" : detail;
        Arguments.requireNonNull(sent, "sent");
        Arguments.requireNonNull(elapsed, "elapsed");
    }

    /** {@code "MX example.com @192.0.2.53:53 -> answer: 10 mx1.example.com (ttl 300) in 3 ms"}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(type).append(' ').append(name).append(" @").append(resolver)
                .append(" -> ").append(outcome.label());
        if (!answers.isEmpty()) {
            sb.append(": ");
            for (int i = 0; i < answers.size(); i++) {
                DnsRecord r = answers.get(i);
                if (i > 0) {
                    sb.append(", ");
                }
                if (!r.type().equals(type)) {
                    sb.append(r.name()).append(' ').append(r.type()).append(' ');
                }
                sb.append(r.value()).append(" (ttl ").append(r.ttl()).append(')');
            }
        }
        if (!detail.isEmpty()) {
            sb.append(" (").append(detail).append(')');
        }
        return sb.append(" in ").append(elapsed.toMillis()).append(" ms").toString();
    }
}
