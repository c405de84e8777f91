package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;

/**
 * What is known about a rejection a provider sends: who sent it, what causes it, who can fix it and how, and where
 * that was read. Matched against the reply that decided an attempt ({@link Attempt#knownReply()}), from the
 * built-in table of known replies and the user's own file ({@code SmtpProbe.Builder#knownReplies}).
 *
 * @param provider who sends the reply: "Gmail", "Microsoft 365", "Spamhaus (blocklist)"
 * @param rule     the entry's matching rule as written in the table, e.g. {@code 534 5.7.9 "application-specific
 *     password"}
 * @param cause    what causes the reply, one sentence
 * @param owner    who can fix it
 * @param fix      what to do, one or two sentences
 * @param source   where the entry was checked (a URL)
 * @param checked  when the source was checked, {@code YYYY-MM-DD}
 */
public record KnownReply(String provider, String rule, String cause, Owner owner, String fix, String source,
                         String checked) {

    /** Who can fix the cause. */
    public enum Owner {
        /** The sender: the account, the credentials, the client's settings. */
        YOU("you"),
        /** The sending IP's operator or the mail provider in the path: hosting, ISP, relay. */
        YOUR_PROVIDER("your provider"),
        /** Whoever runs the recipient's mail system. */
        RECIPIENT_ADMIN("the recipient's admin");

        private final String text;

        Owner(String text) {
            this.text = text;
        }

        /**
         * {@code "you"}, {@code "your provider"} or {@code "the recipient's admin"}, as the table writes it.
         *
         * @return the owner as the table's text writes it
         */
        public String text() {
            return text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * Checks the components.
     *
     * @param provider who sends the reply: "Gmail", "Microsoft 365", "Spamhaus (blocklist)"
     * @param rule the entry's matching rule as written in the table, e.g. {@code 534 5.7.9 "application-specific
     *     password"}
     * @param cause what causes the reply, one sentence
     * @param owner who can fix it
     * @param fix what to do, one or two sentences
     * @param source where the entry was checked (a URL)
     * @param checked when the source was checked, {@code YYYY-MM-DD}
     * @throws IllegalArgumentException naming the first null or blank value
     */
    public KnownReply {
        Arguments.requireToken(provider, "provider");
        Arguments.requireToken(rule, "rule");
        Arguments.requireToken(cause, "cause");
        Arguments.requireNonNull(owner, "owner");
        Arguments.requireToken(fix, "fix");
        Arguments.requireToken(source, "source");
        Arguments.requireToken(checked, "checked");
    }

    /**
     * {@code "Gmail: <cause> Owner: you. Fix: <fix>"}.
     *
     * @return the provider, cause, owner and fix on one line
     */
    public String summary() {
        return provider + ": " + cause + " Who fixes it: " + owner.text() + ". Fix: " + fix;
    }
}
