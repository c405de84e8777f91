package dev.smtpprobe.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --known-replies}, {@code --greylist-retry}, and what the CLI shows of known replies and the EHLO name, in
 * text and JSON, against a scripted server on loopback.
 */
class KnownRepliesCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return SmtpProbeCli.execute(args, new PrintWriter(out), new PrintWriter(err), Map.of(), Style.PLAIN);
    }

    @Test
    void a_known_rejection_is_explained_in_text_and_in_json() throws Exception {
        Script gmail = Script.greeting("220 mx.test ESMTP").rcpt("a@mx.test",
                "550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail",
                "550 5.7.26 requires all senders to authenticate with either SPF or DKIM. - gsmtp");
        try (MockSmtpServer server = new MockSmtpServer().start(gmail)) {
            int text = run("--tls", "none", "--ehlo", "client.test", "--from", "me@client.test", "--rcpt", "a@mx.test",
                    "127.0.0.1:" + server.port());
            assertThat(text).as(err.toString()).isNotZero();
            assertThat(out.toString()).contains("Gmail: Gmail rejects mail that is not authenticated")
                    .contains("who fixes").contains("ehlo name").contains("client.test");

            out.getBuffer().setLength(0);
            run("--json", "--tls", "none", "--ehlo", "client.test", "--from", "me@client.test", "--rcpt", "a@mx.test",
                    "127.0.0.1:" + server.port());
        }
        JsonNode attempt = JsonSchemas.valid(out.toString()).get("attempts").get(0);
        assertThat(attempt.get("ehloName").asText()).isEqualTo("client.test");
        assertThat(attempt.get("knownReply").get("provider").asText()).isEqualTo("Gmail");
        assertThat(attempt.get("knownReply").get("owner").asText()).isEqualTo("YOU");
        assertThat(attempt.get("knownReply").get("source").asText()).startsWith("https://");
    }

    @Test
    void the_users_file_is_read_and_a_bad_one_is_a_usage_error(@TempDir Path dir) throws Exception {
        Path mine = dir.resolve("mine.tsv");
        Files.writeString(mine, "smtp-probe-known-replies 1\nOur relay\t554\t*\tquota-7\t-\tyour provider"
                + "\tThe relay's daily quota is used up.\tWait for midnight UTC.\thttps://relay.test/\t2026-12-01\n",
                StandardCharsets.UTF_8);
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting("554 5.7.1 QUOTA-7 reached"))) {
            run("--known-replies", mine.toString(), "--tls", "none", "--ehlo", "client.test",
                    "127.0.0.1:" + server.port());
        }
        assertThat(out.toString()).contains("Our relay: The relay's daily quota is used up.", "your provider");

        Path bad = dir.resolve("bad.tsv");
        Files.writeString(bad, "not a table\n", StandardCharsets.UTF_8);
        out.getBuffer().setLength(0);
        int status = run("--known-replies", bad.toString(), "127.0.0.1");
        assertThat(status).isEqualTo(64);
        assertThat(err.toString()).contains("--known-replies: ").contains("schema line");
    }

    @Test
    void greylist_retry_is_checked() {
        int status = run("--greylist-retry", "2h", "127.0.0.1");

        assertThat(status).isEqualTo(64);
    }
}
