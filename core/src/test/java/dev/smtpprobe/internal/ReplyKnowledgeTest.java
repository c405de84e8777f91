package dev.smtpprobe.internal;

import static dev.smtpprobe.internal.PoliciesTest.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.smtpprobe.KnownReply;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.SmtpReply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The built-in table of known replies, entry by entry, each with a reply as the provider words it; the table's
 * format; and the user's own entries.
 */
class ReplyKnowledgeTest {

    /** Provider, the entry's rule as the table writes it, the reply verbatim (lines separated by "\n"). */
    static Stream<Arguments> knownReplies() {
        return Stream.of(
                Arguments.of("Gmail", "534 5.7.9 \"application-specific password\"",
                        "534-5.7.9 Application-specific password required. Learn more at\n"
                                + "534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor d9-20020a05600c34c900b003fe1c332810sm4011574wmq.33 - gsmtp"),
                Arguments.of("Gmail", "535 5.7.8 \"username and password not accepted|badcredentials\"",
                        "535-5.7.8 Username and Password not accepted. Learn more at\n"
                                + "535 5.7.8  https://support.google.com/mail/?p=BadCredentials lf4-20020a170902fb4400b0019b4ee071ddsm4794plb.2999 - gsmtp"),
                Arguments.of("Gmail", "534 5.7.14 \"web browser|continue?\"",
                        "534-5.7.14 <https://accounts.google.com/signin/continue?sarp=1&scc=1&plt=AKgnsbt>\n"
                                + "534-5.7.14 Please log in via your web browser and then try again.\n"
                                + "534-5.7.14  Learn more at\n"
                                + "534 5.7.14  https://support.google.com/mail/answer/78754 t7sm1385476wrm.41 - gsmtp"),
                Arguments.of("Gmail", "421 4.7.0 \"tls required\"",
                        "421-4.7.0 TLS required for RCPT domain, closing connection. For more information, go to\n"
                                + "421 4.7.0  https://support.google.com/mail/?p=tls q8si1234567qkj.123 - gsmtp"),
                Arguments.of("Gmail", "421 4.7.28 *",
                        "421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your IP\n"
                                + "421-4.7.28 address. To protect our users from spam, mail sent from your IP address\n"
                                + "421 4.7.28 has been temporarily rate limited. a1si2227262plb.66 - gsmtp"),
                Arguments.of("Gmail", "550 5.7.26 \"dmarc\"",
                        "550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's\n"
                                + "550-5.7.26 DMARC policy. Please contact the administrator of example.com domain if\n"
                                + "550 5.7.26 this was a legitimate mail. y6si7011947wrn.123 - gsmtp"),
                Arguments.of("Gmail", "550 5.7.26 *",
                        "550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail\n"
                                + "550-5.7.26 requires all senders to authenticate with either SPF or DKIM.\n"
                                + "550 5.7.26  Authentication results: DKIM = did not pass SPF [example.com] with ip: [192.0.2.10] = did not pass - gsmtp"),
                Arguments.of("Gmail", "550 5.7.1 \"not authorized to send email directly\"",
                        "550-5.7.1 [192.0.2.10] The IP you're using to send mail is not authorized to\n"
                                + "550-5.7.1 send email directly to our servers. Please use the SMTP relay at your\n"
                                + "550 5.7.1 service provider instead. u2si1290403wra.12 - gsmtp"),
                Arguments.of("Gmail", "550 5.7.1 \"unsolicited mail & gsmtp|spam & gsmtp\"",
                        "550-5.7.1 [192.0.2.10] Our system has detected that this message is likely\n"
                                + "550-5.7.1 unsolicited mail. To reduce the amount of spam sent to Gmail, this\n"
                                + "550 5.7.1 message has been blocked. z3si4415830wrs.303 - gsmtp"),
                Arguments.of("Gmail", "550 5.7.1 \"gsmtp\"",
                        "550-5.7.1 This message does not meet IPv6 sending guidelines regarding PTR records\n"
                                + "550 5.7.1 and authentication. b17si61513wrc.1 - gsmtp"),
                Arguments.of("Microsoft 365", "5xx 5.7.57 *",
                        "530 5.7.57 Client not authenticated to send mail. Error: 535 5.7.139 Authentication unsuccessful"
                                + " [AM0PR02CA0001.eurprd02.prod.outlook.com 2026-12-03T06:00:00.000Z 08DB]"),
                Arguments.of("Microsoft 365", "535 5.7.139 \"smtpclientauthentication is disabled|basic authentication"
                                + " is disabled|basic authentication is not supported\"",
                        "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant."
                                + " Visit https://aka.ms/smtp_auth_disabled for more information."
                                + " [LO4P265CA0001.GBRP265.PROD.OUTLOOK.COM]"),
                Arguments.of("Microsoft 365", "535 5.7.139 *",
                        "535 5.7.139 Authentication unsuccessful, the user credentials were incorrect."
                                + " [DM6PR02CA0055.namprd02.prod.outlook.com]"),
                Arguments.of("Microsoft 365", "5xx 5.7.30 *",
                        "535 5.7.30 Authentication unsuccessful, basic authentication is not allowed for this account."
                                + " [SN4PR0501CA0123.namprd05.prod.outlook.com]"),
                Arguments.of("Microsoft 365", "535 5.7.3 *",
                        "535 5.7.3 Authentication unsuccessful [MW4PR03CA0100.namprd03.prod.outlook.com]"),
                Arguments.of("Microsoft 365", "5xx 5.7.708 *",
                        "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP. For more"
                                + " information please go to http://go.microsoft.com/fwlink/?LinkId=526653 AS(7230)"
                                + " [AM4PEPF00027A64.eurprd04.prod.outlook.com]"),
                Arguments.of("Microsoft 365", "550 5.7.606-649 *",
                        "550 5.7.606 Access denied, banned sending IP [192.0.2.10]. To request removal from this list"
                                + " please visit https://sender.office.com/ and follow the directions. For more"
                                + " information please go to http://go.microsoft.com/fwlink/?LinkID=526655 AS(1430)"),
                Arguments.of("Microsoft 365", "451 4.7.500-699 *",
                        "451 4.7.500 Server busy. Please try again later from [192.0.2.10]. (S77719)"
                                + " [VI1EUR06FT050.eop-eur06.prod.protection.outlook.com]"),
                Arguments.of("Yahoo", "4xx * \"[tss04]\"",
                        "421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or"
                                + " user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes"),
                Arguments.of("Yahoo", "* * \"[ts01]|[ts02]|[ts03]\"",
                        "421 4.7.0 [TS01] Messages from 192.0.2.10 temporarily deferred due to user complaints -"
                                + " 4.16.55.1; see http://postmaster.yahoo.com/421-ts01.html"),
                Arguments.of("Spamhaus (blocklist)", "* * \"spamhaus\"",
                        "554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org;"
                                + " https://www.spamhaus.org/query/ip/192.0.2.10"),
                Arguments.of("Barracuda (blocklist)", "* * \"barracuda\"",
                        "554 Service unavailable; Client host [192.0.2.10] blocked using Barracuda Reputation;"
                                + " http://www.barracudanetworks.com/reputation/?pr=1&ip=192.0.2.10"),
                Arguments.of("SpamCop (blocklist)", "* * \"spamcop\"",
                        "554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using bl.spamcop.net;"
                                + " Blocked - see https://www.spamcop.net/bl.shtml?192.0.2.10"),
                Arguments.of("Proofpoint (blocklist)", "* * \"proofpoint\"",
                        "554 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.10"),
                Arguments.of("Mimecast", "* * \"mimecast\"",
                        "554 Email rejected due to security policies - https://community.mimecast.com/docs/DOC-1369#554"
                                + " [kF4aHbJ3OIe-M8-xYr9hvA.uk89]"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("knownReplies")
    void every_entry_explains_its_reply_verbatim(String provider, String rule, String reply) {
        Optional<KnownReply> known = ReplyKnowledge.builtIn().match(wire(reply));

        assertThat(known).as(reply).isPresent();
        assertThat(known.get().provider()).isEqualTo(provider);
        assertThat(known.get().rule()).isEqualTo(rule);
        assertThat(known.get().cause()).isNotBlank();
        assertThat(known.get().fix()).isNotBlank();
        assertThat(known.get().source()).startsWith("https://");
        assertThat(known.get().checked()).matches("\\d{4}-\\d{2}-\\d{2}");
    }

    @Test
    void every_built_in_entry_has_a_verbatim_reply_in_this_test() {
        Set<String> tested = new HashSet<>();
        knownReplies().forEach(a -> tested.add(a.get()[0] + " " + a.get()[1]));
        List<String> untested = new ArrayList<>();
        for (KnownReply k : ReplyKnowledge.builtIn().entries()) {
            if (!tested.contains(k.provider() + " " + k.rule())) {
                untested.add(k.provider() + " " + k.rule());
            }
        }
        assertThat(untested).isEmpty();
        assertThat(ReplyKnowledge.builtIn().size()).isGreaterThanOrEqualTo(25);
    }

    @Test
    void the_issues_providers_are_all_covered() {
        Set<String> providers = new HashSet<>();
        ReplyKnowledge.builtIn().entries().forEach(k -> providers.add(k.provider()));
        assertThat(providers).contains("Gmail", "Microsoft 365", "Yahoo", "Spamhaus (blocklist)",
                "Barracuda (blocklist)", "SpamCop (blocklist)", "Proofpoint (blocklist)", "Mimecast");
    }

    @Test
    void owners_are_the_three_the_table_knows() {
        KnownReply gmail = ReplyKnowledge.builtIn().match(wire("534 5.7.9 Application-specific password required."))
                .orElseThrow();
        KnownReply banned = ReplyKnowledge.builtIn().match(wire("550 5.7.606 Access denied, banned sending IP"))
                .orElseThrow();
        KnownReply mimecast = ReplyKnowledge.builtIn().match(wire("554 rejected, see mimecast.com")).orElseThrow();

        assertThat(gmail.owner()).isEqualTo(KnownReply.Owner.YOU);
        assertThat(banned.owner()).isEqualTo(KnownReply.Owner.YOUR_PROVIDER);
        assertThat(mimecast.owner().text()).isEqualTo("the recipient's admin");
        assertThat(gmail.summary()).contains("Who fixes it: you.").contains("app password");
    }

    @Test
    void ranges_of_enhanced_codes_match_inside_and_not_outside() {
        ReplyKnowledge table = ReplyKnowledge.builtIn();

        assertThat(table.match(wire("550 5.7.649 Access denied")).map(KnownReply::provider)).hasValue("Microsoft 365");
        assertThat(table.match(wire("550 5.7.650 Access denied"))).isEmpty();
        assertThat(table.match(wire("451 4.7.699 busy")).map(KnownReply::rule)).hasValue("451 4.7.500-699 *");
        assertThat(table.match(wire("451 4.7.499 busy"))).isEmpty();
        // The code must match too: a 5.7.606 in a 554 is not the entry.
        assertThat(table.match(wire("554 5.7.606 Access denied"))).isEmpty();
    }

    @Test
    void a_reply_no_entry_knows_matches_nothing() {
        assertThat(ReplyKnowledge.builtIn().match(wire("550 5.1.1 <nobody@example.com>: Recipient address rejected:"
                + " User unknown in virtual mailbox table"))).isEmpty();
        assertThat(ReplyKnowledge.builtIn().match(null)).isEmpty();
    }

    @Test
    void a_known_reason_refines_only_what_the_classifier_left_as_other() {
        SmtpReply dmarc = wire("550 5.7.26 Unauthenticated email is not accepted due to domain's DMARC policy - gsmtp");
        SmtpReply gmailTls = wire("421 4.7.0 TLS required for RCPT domain, closing connection. - gsmtp");

        assertThat(ReplyKnowledge.builtIn().reasonFor(wire("550 5.7.606 Access denied, banned sending IP [192.0.2.1]")))
                .isEqualTo(PolicyReason.BLOCKLIST);
        assertThat(ReplyKnowledge.builtIn().reasonFor(dmarc)).isNull();
        assertThat(Policies.reasonFor(gmailTls)).isEqualTo(PolicyReason.TLS_REQUIRED);
    }

    /** 2 MiB in 500 lines, the provider's words first: the match reads a bounded prefix, once. */
    @Test
    void a_2_MiB_rejection_is_matched_from_its_bounded_prefix() {
        List<String> lines = new ArrayList<>();
        lines.add("Access denied, banned sending IP [192.0.2.10]. To request removal from this list please visit"
                + " https://sender.office.com/");
        for (int i = 0; i < 499; i++) {
            lines.add("y".repeat(4200));
        }
        SmtpReply huge = new SmtpReply(550, new dev.smtpprobe.EnhancedStatus(5, 7, 606), lines);

        assertThat(ReplyKnowledge.builtIn().match(huge).map(KnownReply::provider)).hasValue("Microsoft 365");
        assertThat(Policies.reasonFor(huge)).isEqualTo(PolicyReason.BLOCKLIST);
    }

    // ---- the format -------------------------------------------------------------------------------------------

    @Test
    void a_table_without_the_schema_line_is_refused() {
        assertThatIllegalArgumentException().isThrownBy(() -> ReplyKnowledge.parse("Acme\t550\t*\t*\t-\tyou\tc\tf\ts\td",
                "test")).withMessageContaining("schema line 'smtp-probe-known-replies 1'");
        assertThatIllegalArgumentException().isThrownBy(() -> ReplyKnowledge.parse("smtp-probe-known-replies 2\n",
                "test")).withMessageContaining("schema");
    }

    @Test
    void a_malformed_entry_is_refused_naming_its_line() {
        String head = "smtp-probe-known-replies 1\n# comment\n\n";
        assertThatIllegalArgumentException().isThrownBy(() -> ReplyKnowledge.parse(head + "Acme\t550\t*\t*\n", "t"))
                .withMessageContaining("t line 4").withMessageContaining("10 tab-separated fields");
        assertThatIllegalArgumentException().isThrownBy(() -> ReplyKnowledge.parse(
                head + "Acme\t5x0\t*\t*\t-\tyou\tc\tf\ts\td\n", "t")).withMessageContaining("code");
        assertThatIllegalArgumentException().isThrownBy(() -> ReplyKnowledge.parse(
                head + "Acme\t550\t5.7\t*\t-\tyou\tc\tf\ts\td\n", "t")).withMessageContaining("enhanced code");
        assertThatIllegalArgumentException().isThrownBy(() -> ReplyKnowledge.parse(
                head + "Acme\t550\t*\ta&&b\t-\tyou\tc\tf\ts\td\n", "t")).withMessageContaining("empty word");
        assertThatIllegalArgumentException().isThrownBy(() -> ReplyKnowledge.parse(
                head + "Acme\t550\t*\t*\tNOPE\tyou\tc\tf\ts\td\n", "t")).withMessageContaining("unknown reason 'NOPE'");
        assertThatIllegalArgumentException().isThrownBy(() -> ReplyKnowledge.parse(
                head + "Acme\t550\t*\t*\t-\tsomeone\tc\tf\ts\td\n", "t")).withMessageContaining("owner must be");
        assertThatIllegalArgumentException().isThrownBy(() -> ReplyKnowledge.parse(
                head + "Acme\t550\t*\t*\t-\tyou\t \tf\ts\td\n", "t")).withMessageContaining("field 7 is empty");
    }

    @Test
    void text_rules_need_every_word_of_one_alternative() {
        ReplyKnowledge t = ReplyKnowledge.parse("smtp-probe-known-replies 1\n"
                + "Acme\t5xx\tx.7.1\tquota & daily|ACME-7\tRATE_LIMIT\tyour provider\tcause\tfix\thttps://acme.test/\t2026-12-03\n",
                "t");

        assertThat(t.match(wire("550 5.7.1 Daily QUOTA reached"))).isPresent();
        assertThat(t.match(wire("450 4.7.1 daily quota"))).isEmpty(); // 4xx is not 5xx
        assertThat(t.match(wire("554 5.7.1 ref acme-7"))).isPresent();
        assertThat(t.match(wire("550 5.7.1 daily limit"))).isEmpty();
        assertThat(t.match(wire("550 5.7.2 quota daily"))).isEmpty();
        assertThat(t.match(wire("550 quota daily"))).isEmpty(); // no enhanced code where one is required
        assertThat(t.reasonFor(wire("550 5.7.1 daily quota"))).isEqualTo(PolicyReason.RATE_LIMIT);
    }

    @Test
    void the_users_file_comes_first_and_is_read_with_a_size_cap(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mine.tsv");
        Files.writeString(file, "smtp-probe-known-replies 1\n"
                + "Our relay\t550\t5.7.606\t*\t-\tyou\tOur own relay bans this IP.\tCall the help desk.\thttps://intranet.test/\t2026-12-01\n",
                StandardCharsets.UTF_8);
        ReplyKnowledge table = ReplyKnowledge.fromFile(file, "knownReplies").then(ReplyKnowledge.builtIn());

        assertThat(table.match(wire("550 5.7.606 Access denied, banned sending IP")).map(KnownReply::provider))
                .hasValue("Our relay");
        assertThat(table.match(wire("535 5.7.3 Authentication unsuccessful")).map(KnownReply::provider))
                .hasValue("Microsoft 365");
        assertThatIllegalArgumentException().isThrownBy(() -> ReplyKnowledge.fromFile(dir.resolve("none.tsv"),
                "knownReplies")).withMessageStartingWith("knownReplies: cannot read");
        Path big = dir.resolve("big.tsv");
        Files.write(big, new byte[ReplyKnowledge.MAX_FILE_BYTES + 1]);
        assertThatIllegalArgumentException().isThrownBy(() -> ReplyKnowledge.fromFile(big, "knownReplies"))
                .withMessageContaining("larger than 1 MiB");
    }
}
