package dev.smtpprobe.internal;

import static dev.smtpprobe.PolicyReason.AUTH_REQUIRED;
import static dev.smtpprobe.PolicyReason.BLOCKLIST;
import static dev.smtpprobe.PolicyReason.GREYLISTED;
import static dev.smtpprobe.PolicyReason.MAILBOX_FULL;
import static dev.smtpprobe.PolicyReason.OTHER;
import static dev.smtpprobe.PolicyReason.RATE_LIMIT;
import static dev.smtpprobe.PolicyReason.RELAY_DENIED;
import static dev.smtpprobe.PolicyReason.REPUTATION;
import static dev.smtpprobe.PolicyReason.TLS_REQUIRED;
import static dev.smtpprobe.PolicyReason.USER_UNKNOWN;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.smtpprobe.Phase;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.spi.ReplyDecoder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PoliciesTest {

    /** Parses a reply as it comes off the wire (lines separated by "\n"), through the real decoder. */
    static SmtpReply wire(String reply) {
        try {
            List<SmtpReply> replies = new ReplyDecoder()
                    .decode(ByteBuffer.wrap((reply.replace("\n", "\r\n") + "\r\n").getBytes(UTF_8)));
            assertThat(replies).hasSize(1);
            return replies.get(0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Real rejections, as servers send them (addresses replaced by documentation addresses). */
    static Stream<Arguments> realReplies() {
        return Stream.of(
                // Blocklists: the text names the list, whatever the code.
                Arguments.of("Postfix reject_rbl_client", BLOCKLIST,
                        "554 5.7.1 Service unavailable; Client host [192.0.2.5] blocked using zen.spamhaus.org;"
                                + " https://www.spamhaus.org/query/ip/192.0.2.5"),
                Arguments.of("Spamhaus without 'blocked using'", BLOCKLIST,
                        "550 5.7.1 Rejected: 192.0.2.5 listed at zen.spamhaus.org"),
                Arguments.of("Exim dnslists", BLOCKLIST,
                        "550 Rejected because 192.0.2.5 is in a black list at bl.example.org"),
                Arguments.of("SpamCop", BLOCKLIST,
                        "554 5.7.1 Service unavailable; Client host [192.0.2.5] blocked using bl.spamcop.net;"
                                + " Blocked - see https://www.spamcop.net/bl.shtml?192.0.2.5"),
                Arguments.of("Barracuda, whose list is called a reputation", BLOCKLIST,
                        "554 Service unavailable; Client host [192.0.2.5] blocked using Barracuda Reputation;"
                                + " http://www.barracudanetworks.com/reputation/?r=1&ip=192.0.2.5"),
                Arguments.of("generic RBL", BLOCKLIST, "550 5.7.1 Message rejected by RBL check"),
                Arguments.of("generic DNSBL", BLOCKLIST, "554 5.7.1 Your IP is listed in a DNSBL"),
                Arguments.of("Outlook.com block list", BLOCKLIST,
                        "550 5.7.1 Unfortunately, messages from [192.0.2.5] weren't sent. Please contact your"
                                + " Internet service provider since part of their network is on our block list"
                                + " (S3150)."),
                Arguments.of("Microsoft banned sending IP", BLOCKLIST,
                        "550 5.7.606 Access denied, banned sending IP [192.0.2.5]. To request removal from this"
                                + " list please visit https://sender.office.com/ and follow the directions."),
                Arguments.of("Yahoo blocklist", BLOCKLIST,
                        "553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.5, because the ip is in"
                                + " Spamhaus's list; see https://postmaster.yahooinc.com/error-codes"),
                Arguments.of("a blocklist on a 421 wins over the code", BLOCKLIST,
                        "421 4.7.0 Too many connections; 192.0.2.5 is listed on dnsbl.sorbs.net"),
                Arguments.of("blocklist named on a continuation line", BLOCKLIST,
                        "554-mx.example.net\n554-Your address is rejected.\n554 See https://check.spamhaus.org/"),
                Arguments.of("upper case", BLOCKLIST, "554 5.7.1 BLOCKED USING ZEN.SPAMHAUS.ORG"),
                Arguments.of("Proofpoint", BLOCKLIST,
                        "554 5.7.1 [192.0.2.5] Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.5"),

                // Reputation, without a named list.
                Arguments.of("Gmail unsolicited (421 4.7.28)", REPUTATION,
                        "421-4.7.28 [192.0.2.5] Our system has detected an unusual rate of\n"
                                + "421-4.7.28 unsolicited mail originating from your IP address. To protect our\n"
                                + "421-4.7.28 users from spam, mail sent from your IP address has been temporarily\n"
                                + "421 4.7.28 rate limited."),
                Arguments.of("Gmail very low reputation", REPUTATION,
                        "550-5.7.1 [192.0.2.5] Our system has detected that this message is likely suspicious\n"
                                + "550 5.7.1 due to the very low reputation of the sending IP address."),
                Arguments.of("Gmail direct-to-MX from a dynamic IP (names a relay, is not relaying)", REPUTATION,
                        "550-5.7.1 [192.0.2.5] The IP you're using to send mail is not authorized to send email\n"
                                + "550-5.7.1 directly to our servers. Please use the SMTP relay at your service\n"
                                + "550 5.7.1 provider instead."),
                Arguments.of("Microsoft 5.7.708", REPUTATION,
                        "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP."),
                Arguments.of("Microsoft rate limited due to IP reputation", REPUTATION,
                        "451 4.7.650 The mail server [192.0.2.5] has been temporarily rate limited due to IP"
                                + " reputation."),
                Arguments.of("Yahoo TSS04", REPUTATION,
                        "421 4.7.0 [TSS04] Messages from 192.0.2.5 temporarily deferred due to unexpected volume"
                                + " or user complaints - 4.16.55.1"),
                Arguments.of("poor reputation", REPUTATION, "554 5.7.1 Rejected due to poor sender reputation"),

                // Rate limiting.
                Arguments.of("Postfix too many connections", RATE_LIMIT,
                        "421 4.7.0 mx.example.net Error: too many connections from 192.0.2.5"),
                Arguments.of("Exim too many concurrent", RATE_LIMIT,
                        "421 mx.example.net Too many concurrent SMTP connections from this IP address; please"
                                + " try again later."),
                Arguments.of("Postfix all ports busy", RATE_LIMIT, "421 4.3.2 All server ports are busy"),
                Arguments.of("Gmail try again later", RATE_LIMIT, "421 4.7.0 Try again later, closing connection."),
                Arguments.of("Outlook server busy", RATE_LIMIT,
                        "451 4.7.500 Server busy. Please try again later from [192.0.2.5]. (AS761)"),
                Arguments.of("Gmail receiving rate", RATE_LIMIT,
                        "450-4.2.1 The user you are trying to contact is receiving mail at a rate that\n"
                                + "450 4.2.1 prevents additional messages from being delivered."),
                Arguments.of("a word containing 'rate' is not a rate", OTHER,
                        "554 5.6.0 Message generated separately is corrupt"),
                Arguments.of("sending limit", RATE_LIMIT, "550 5.4.5 Daily user sending limit exceeded."),
                Arguments.of("throttling", RATE_LIMIT, "451 4.7.1 Throttled: slow down"),

                // Relaying.
                Arguments.of("Postfix relay access denied", RELAY_DENIED,
                        "554 5.7.1 <user@example.org>: Relay access denied"),
                Arguments.of("Exim relay not permitted", RELAY_DENIED, "550 relay not permitted"),
                Arguments.of("Sendmail relaying denied", RELAY_DENIED,
                        "550 5.7.1 <user@example.org>... Relaying denied"),
                Arguments.of("Microsoft 5.7.54", RELAY_DENIED,
                        "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain"),
                Arguments.of("Microsoft 5.7.64", RELAY_DENIED, "550 5.7.64 TenantAttribution; Relay Access Denied"),
                Arguments.of("5.7.1 mentioning relay", RELAY_DENIED, "550 5.7.1 we are not an open relay for you"),
                Arguments.of("temporary relay denial", RELAY_DENIED, "454 4.7.1 <user@example.org>: Relay access denied"),

                // Unknown users.
                Arguments.of("Gmail does not exist", USER_UNKNOWN,
                        "550-5.1.1 The email account that you tried to reach does not exist. Please try\n"
                                + "550-5.1.1 double-checking the recipient's email address for typos or\n"
                                + "550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser"),
                Arguments.of("Postfix user unknown", USER_UNKNOWN,
                        "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in virtual"
                                + " mailbox table"),
                Arguments.of("Exim unrouteable", USER_UNKNOWN, "550 Unrouteable address"),
                Arguments.of("no such user", USER_UNKNOWN, "550 No such user here"),
                Arguments.of("Microsoft 5.1.10", USER_UNKNOWN,
                        "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"),
                Arguments.of("the code alone", USER_UNKNOWN, "550 5.1.1 Rejected"),
                Arguments.of("Domino: 'not listed' is a directory, not a blocklist", USER_UNKNOWN,
                        "550 User's mailbox is not listed in Domino Directory"),
                Arguments.of("the RFC 5321 generic 550 text is not an unknown user", OTHER,
                        "550 Requested action not taken: mailbox unavailable"),
                Arguments.of("temporary unverified address", USER_UNKNOWN,
                        "450 4.1.1 <x@example.org>: Recipient address rejected: unverified address: host"
                                + " mx.example.org said: 550 user unknown"),

                // Greylisting.
                Arguments.of("Postgrey", GREYLISTED,
                        "450 4.2.0 <user@example.org>: Recipient address rejected: Greylisted, see"
                                + " https://postgrey.schweikert.ch/help/example.org.html"),
                Arguments.of("milter-greylist", GREYLISTED,
                        "451 4.7.1 Greylisting in action, please come back in 00:05:00"),
                Arguments.of("graylisted spelling", GREYLISTED, "450 Graylisted, try again in 5 minutes"),
                Arguments.of("451 4.7.1 try again later without the word", GREYLISTED, "451 4.7.1 Please try again later"),
                Arguments.of("450 4.2.0 deferred", GREYLISTED, "450 4.2.0 Temporarily deferred, please retry"),
                Arguments.of("4.7.1 with 'later' but about load is a rate limit", RATE_LIMIT,
                        "451 4.7.1 Too many messages, try later"),
                Arguments.of("Postfix 450 4.7.1 reverse DNS is not greylisting", OTHER,
                        "450 4.7.1 Client host rejected: cannot find your hostname, [192.0.2.5]"),

                // Mailbox full.
                Arguments.of("Gmail over quota (452)", MAILBOX_FULL,
                        "452-4.2.2 The email account that you tried to reach is over quota. Please direct\n"
                                + "452 4.2.2 the recipient to https://support.google.com/mail/?p=OverQuotaTemp"),
                Arguments.of("Gmail over quota (552)", MAILBOX_FULL,
                        "552-5.2.2 The email account that you tried to reach is over quota and inactive.\n"
                                + "552 5.2.2 https://support.google.com/mail/?p=OverQuotaPerm"),
                Arguments.of("mailbox full", MAILBOX_FULL, "552 Mailbox is full"),
                Arguments.of("452 storage", MAILBOX_FULL, "452 4.3.1 Insufficient system storage"),
                Arguments.of("452 without text", MAILBOX_FULL, "452 Requested action not taken"),
                Arguments.of("452 4.5.3 is too many recipients, not storage", OTHER, "452 4.5.3 Too many recipients"),

                // TLS required.
                Arguments.of("RFC 3207 / Gmail", TLS_REQUIRED, "530 5.7.0 Must issue a STARTTLS command first."),
                Arguments.of("Microsoft 451 5.7.3", TLS_REQUIRED, "451 5.7.3 STARTTLS is required to send mail"),
                Arguments.of("RFC 4954 538 encryption required", TLS_REQUIRED,
                        "538 5.7.11 Encryption required for requested authentication mechanism"),
                Arguments.of("5.7.10 encryption needed", TLS_REQUIRED, "523 5.7.10 Encryption Needed"),
                Arguments.of("TLS required", TLS_REQUIRED, "530 TLS required"),

                // Authentication required.
                Arguments.of("Gmail authentication required", AUTH_REQUIRED,
                        "530-5.7.0 Authentication Required. For more information, go to\n"
                                + "530 5.7.0  https://support.google.com/mail/?p=WantAuthError"),
                Arguments.of("Microsoft 5.7.57", AUTH_REQUIRED,
                        "530 5.7.57 Client not authenticated to send mail. [192.0.2.5]"),
                Arguments.of("Exchange client was not authenticated", AUTH_REQUIRED,
                        "530 5.7.1 Client was not authenticated"),
                Arguments.of("Postfix sender login maps", AUTH_REQUIRED,
                        "553 5.7.1 <me@example.org>: Sender address rejected: not logged in"),
                Arguments.of("authentication required for relay is about authentication", AUTH_REQUIRED,
                        "550 5.7.1 Relaying denied. Proper authentication required."),
                Arguments.of("STARTTLS wins over AUTH when both are named", TLS_REQUIRED,
                        "530 5.7.0 Must issue a STARTTLS command first; authentication required"),

                // Anything else.
                Arguments.of("Gmail DMARC", OTHER,
                        "550-5.7.26 Unauthenticated email from example.org is not accepted due to domain's\n"
                                + "550 5.7.26 DMARC policy."),
                Arguments.of("message too big", OTHER, "552 5.3.4 Message size exceeds fixed limit"),
                Arguments.of("service not available", OTHER, "421 4.3.2 Service not available, closing channel"),
                Arguments.of("syntax error", OTHER, "500 5.5.1 Command unrecognized"),
                Arguments.of("TLS unavailable is not TLS required", OTHER, "454 4.7.0 TLS not available due to local problem"),
                Arguments.of("authentication failed is not authentication required", OTHER,
                        "535 5.7.8 Authentication credentials invalid"),
                Arguments.of("no text at all", OTHER, "554"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("realReplies")
    void derives_the_reason_from_real_replies(String name, PolicyReason expected, String reply) {
        assertThat(Policies.reasonFor(wire(reply))).isEqualTo(expected);
    }

    @Test
    void every_reason_is_reachable_by_the_table() {
        List<PolicyReason> seen = realReplies().map(a -> (PolicyReason) a.get()[1]).distinct().toList();

        assertThat(seen).containsExactlyInAnyOrder(PolicyReason.values());
    }

    @Test
    void the_text_decides_whatever_the_case() {
        for (String text : List.of("Greylisted", "GREYLISTED", "greylisted")) {
            assertThat(Policies.reasonFor(SmtpReply.of(450, text))).as(text).isEqualTo(GREYLISTED);
        }
        assertThat(Policies.reasonFor(SmtpReply.of(550, "Relay Access DENIED"))).isEqualTo(RELAY_DENIED);
    }

    @Test
    void refuses_a_reply_that_is_not_a_rejection() {
        assertThatIllegalArgumentException().isThrownBy(() -> Policies.reasonFor(SmtpReply.of(250, "OK")))
                .withMessageContaining("reply");
        assertThatIllegalArgumentException().isThrownBy(() -> Policies.reasonFor(SmtpReply.of(354, "go")))
                .withMessageContaining("reply");
        assertThatIllegalArgumentException().isThrownBy(() -> Policies.reasonFor(null))
                .withMessageContaining("reply");
    }

    @Test
    void describes_a_554_at_the_greeting_as_a_refused_session() {
        String detail = Policies.describe(Phase.GREETING, wire("554 mx.example.net ESMTP not accepting messages"));

        assertThat(detail).isEqualTo("554 at the greeting: the server refused the session itself (usually IP"
                + " reputation or a blocklist); server said: \"mx.example.net ESMTP not accepting messages\"");
    }

    @Test
    void describes_a_blocklist_rejection_with_the_status_and_what_to_check() {
        String detail = Policies.describe(Phase.GREETING,
                wire("554 5.7.1 Service unavailable; Client host [192.0.2.5] blocked using zen.spamhaus.org"));

        assertThat(detail).startsWith("554 5.7.1 at the greeting: the server refused the session itself")
                .contains("the reply names a blocklist: check the listing for the source IP first")
                .endsWith("server said: \"Service unavailable; Client host [192.0.2.5] blocked using zen.spamhaus.org\"");
    }

    @Test
    void describes_a_421_at_the_greeting_as_try_later() {
        String detail = Policies.describe(Phase.GREETING, wire("421 4.7.0 mx Error: too many connections from 192.0.2.5"));

        assertThat(detail).startsWith("421 4.7.0 at the greeting: the server is not accepting sessions now")
                .contains("rate limiting or busy");
    }

    @Test
    void describes_every_phase_and_reason_without_failing() {
        for (Phase phase : Phase.values()) {
            for (Arguments args : realReplies().toList()) {
                SmtpReply reply = wire((String) args.get()[2]);
                String detail = Policies.describe(phase, reply);
                assertThat(detail).as("%s %s", phase, reply).startsWith(String.valueOf(reply.code()))
                        .doesNotContain("\r", "\n");
            }
        }
        assertThat(Policies.describe(Phase.EHLO, SmtpReply.of(550, "no")))
                .isEqualTo("550 to EHLO: the server rejected the greeting (often the EHLO name or the client's"
                        + " address); server said: \"no\"");
        assertThat(Policies.describe(Phase.ENVELOPE, wire("550 5.1.1 <a@example.org>: User unknown")))
                .contains("to the envelope").contains("the mailbox does not exist");
        assertThat(Policies.describe(Phase.STARTTLS, wire("454 4.7.0 TLS not available")))
                .startsWith("454 4.7.0 to STARTTLS: ");
    }

    @Test
    void describes_an_unexpected_positive_reply_without_a_reason() {
        assertThat(Policies.describe(Phase.EHLO, SmtpReply.of(354, "go ahead")))
                .isEqualTo("354 to EHLO: an unexpected reply; server said: \"go ahead\"");
    }

    @Test
    void keeps_the_detail_short_and_free_of_control_characters() {
        SmtpReply huge = SmtpReply.of(554, "x".repeat(5000) + "\u0000");

        String detail = Policies.describe(Phase.GREETING, huge);

        assertThat(detail.length()).isLessThan(500);
        assertThat(detail).endsWith("...\"").doesNotContain("\u0000");
        assertThat(detail.toLowerCase(Locale.ROOT)).contains("greeting");
    }

    /** 499 lines of 4,000 characters that name no cause: with the real reply first, about 2 MiB. */
    private static SmtpReply paddedTo2MiB(SmtpReply reply) {
        String filler = "lorem ipsum dolor sit amet ".repeat(150).substring(0, 4000);
        List<String> lines = new ArrayList<>(reply.lines());
        while (lines.size() < 500) {
            lines.add(filler);
        }
        return new SmtpReply(reply.code(), reply.enhancedStatus(), lines);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("realReplies")
    void a_real_reply_padded_to_2_MiB_after_its_words_is_classified_the_same(String name, PolicyReason expected,
                                                                             String reply) {
        assertThat(Policies.reasonFor(paddedTo2MiB(wire(reply)))).as(name).isEqualTo(expected);
    }

    @Test
    void a_2_MiB_reply_is_classified_from_a_bounded_prefix() {
        String filler = "lorem ipsum dolor sit amet ".repeat(150).substring(0, 4000);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 499; i++) {
            lines.add(filler);
        }
        lines.add("relaying denied");
        SmtpReply huge = new SmtpReply(550, null, lines);
        // The words that name the cause come after 2 MiB: beyond what the classifier reads.
        assertThat(Policies.reasonFor(huge)).isEqualTo(OTHER);
        assertThat(Policies.reasonFor(SmtpReply.of(550, "relaying denied"))).isEqualTo(RELAY_DENIED);
        // Right at the end of the prefix it reads, they still count.
        String before = "x".repeat(Texts.MAX_CLASSIFIED - "relaying denied".length());
        assertThat(Policies.reasonFor(new SmtpReply(550, null, List.of(before + "relaying denied", filler))))
                .isEqualTo(RELAY_DENIED);
    }

    @Test
    void a_gap_between_two_words_is_bounded_so_matching_stays_linear() {
        // "relaying to <domain> denied": the domain between the words is short in every real reply.
        assertThat(Policies.reasonFor(SmtpReply.of(550, "relaying to example.net denied"))).isEqualTo(RELAY_DENIED);
        assertThat(Policies.reasonFor(SmtpReply.of(550, "relaying to " + "x".repeat(500) + " denied")))
                .isEqualTo(OTHER);
    }

    @Test
    void a_description_with_the_reason_given_is_the_same_as_without() {
        SmtpReply reply = wire("550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown");
        assertThat(Policies.describe(Phase.ENVELOPE, reply, Policies.reasonFor(reply)))
                .isEqualTo(Policies.describe(Phase.ENVELOPE, reply));
    }

    @Test
    void rejects_missing_arguments_naming_them() {
        assertThatIllegalArgumentException().isThrownBy(() -> Policies.describe(null, SmtpReply.of(554, "no")))
                .withMessageContaining("phase");
        assertThatIllegalArgumentException().isThrownBy(() -> Policies.describe(Phase.GREETING, null))
                .withMessageContaining("reply");
    }
}
