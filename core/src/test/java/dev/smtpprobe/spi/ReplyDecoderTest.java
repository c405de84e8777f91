package dev.smtpprobe.spi;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.EnhancedStatus;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.spi.SmtpProtocolException.Kind;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReplyDecoderTest {

    /** What decoding a whole input produced: the replies completed, then the failure if any. */
    record Outcome(List<SmtpReply> replies, Kind failure, String message, int bufferedAtEnd) {
    }

    /** Decodes {@code input} fed in the given chunks, collecting replies until the end or the first failure. */
    static Outcome decode(ReplyDecoder decoder, List<byte[]> chunks) {
        List<SmtpReply> replies = new ArrayList<>();
        for (byte[] chunk : chunks) {
            try {
                replies.addAll(decoder.decode(ByteBuffer.wrap(chunk)));
            } catch (SmtpProtocolException e) {
                replies.addAll(e.repliesBefore());
                return new Outcome(replies, e.kind(), e.getMessage(), decoder.bufferedBytes());
            }
        }
        return new Outcome(replies, null, null, decoder.bufferedBytes());
    }

    /** As {@link #decode(ReplyDecoder, List)} through the sink variant of the decoder. */
    static Outcome decodeToSink(ReplyDecoder decoder, List<byte[]> chunks) {
        List<SmtpReply> replies = new ArrayList<>();
        for (byte[] chunk : chunks) {
            try {
                decoder.decode(ByteBuffer.wrap(chunk), replies::add);
            } catch (SmtpProtocolException e) {
                assertThat(e.repliesBefore()).as("the sink already has them").isEmpty();
                return new Outcome(replies, e.kind(), e.getMessage(), decoder.bufferedBytes());
            }
        }
        return new Outcome(replies, null, null, decoder.bufferedBytes());
    }

    static Outcome decodeWhole(byte[] input) {
        return decode(new ReplyDecoder(), List.of(input));
    }

    static Outcome decodeWhole(String input) {
        return decodeWhole(input.getBytes(UTF_8));
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static SmtpReply reply(int code, String status, String... lines) {
        return new SmtpReply(code, status == null ? null : EnhancedStatus.parse(status).orElseThrow(), List.of(lines));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Every input of this table is decoded whole, split in two at every byte position, byte by byte, and in
    // chunks of three: all must give the same outcome, which must be the expected one.

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("single line greeting",
                        "220 mx.example.net ESMTP Postfix\r\n".getBytes(UTF_8),
                        List.of(reply(220, null, "mx.example.net ESMTP Postfix")), null),
                Arguments.of("code only, no text",
                        "250\r\n".getBytes(UTF_8),
                        List.of(reply(250, null, "")), null),
                Arguments.of("code and space, no text",
                        "250 \r\n".getBytes(UTF_8),
                        List.of(reply(250, null, "")), null),
                Arguments.of("multi-line EHLO reply",
                        ("250-mx.example.net Hello [192.0.2.5]\r\n250-SIZE 52428800\r\n250-PIPELINING\r\n"
                                + "250-STARTTLS\r\n250 SMTPUTF8\r\n").getBytes(UTF_8),
                        List.of(reply(250, null, "mx.example.net Hello [192.0.2.5]", "SIZE 52428800", "PIPELINING",
                                "STARTTLS", "SMTPUTF8")), null),
                Arguments.of("empty continuation lines",
                        "250-\r\n250-\r\n250 end\r\n".getBytes(UTF_8),
                        List.of(reply(250, null, "", "", "end")), null),
                Arguments.of("bare LF endings",
                        "220-first\n220 second\n".getBytes(UTF_8),
                        List.of(reply(220, null, "first", "second")), null),
                Arguments.of("mixed CRLF and bare LF endings",
                        "250-a\r\n250-b\n250 c\r\n".getBytes(UTF_8),
                        List.of(reply(250, null, "a", "b", "c")), null),
                Arguments.of("enhanced status code on a single line",
                        "550 5.7.1 Relaying denied\r\n".getBytes(UTF_8),
                        List.of(reply(550, "5.7.1", "Relaying denied")), null),
                Arguments.of("enhanced status code alone",
                        "250 2.0.0\r\n".getBytes(UTF_8),
                        List.of(reply(250, "2.0.0", "")), null),
                Arguments.of("enhanced status code repeated on every line (Gmail style)",
                        ("550-5.7.1 [192.0.2.5] Our system has detected that this message is\r\n"
                                + "550-5.7.1 likely unsolicited mail.\r\n"
                                + "550 5.7.1  https://support.google.com/mail/?p=UnsolicitedMessageError\r\n")
                                .getBytes(UTF_8),
                        List.of(reply(550, "5.7.1", "[192.0.2.5] Our system has detected that this message is",
                                "likely unsolicited mail.", " https://support.google.com/mail/?p=UnsolicitedMessageError")),
                        null),
                Arguments.of("enhanced status code only on the first line",
                        "421-4.7.0 Try again later,\r\n421 closing connection.\r\n".getBytes(UTF_8),
                        List.of(reply(421, "4.7.0", "Try again later,", "closing connection.")), null),
                Arguments.of("a longer code on a continuation is not a repeat",
                        "550-5.7.1 first\r\n550 5.7.10 second\r\n".getBytes(UTF_8),
                        List.of(reply(550, "5.7.1", "first", "5.7.10 second")), null),
                Arguments.of("enhanced status code of another class stays text",
                        "250 4.0.0 not a status of a 2xx reply\r\n".getBytes(UTF_8),
                        List.of(reply(250, null, "4.0.0 not a status of a 2xx reply")), null),
                Arguments.of("three-part version number that is not a status code stays text",
                        "220 10.2.3 server\r\n".getBytes(UTF_8),
                        List.of(reply(220, null, "10.2.3 server")), null),
                Arguments.of("several replies in one buffer",
                        "220 hi\r\n250-a\r\n250 b\r\n221 2.0.0 Bye\r\n".getBytes(UTF_8),
                        List.of(reply(220, null, "hi"), reply(250, null, "a", "b"), reply(221, "2.0.0", "Bye")),
                        null),
                Arguments.of("NUL and control bytes inside text are kept (lenient)",
                        concat("220 mx".getBytes(UTF_8), bytes(0, 1, 0x7f), " ok\r\n".getBytes(UTF_8)),
                        List.of(reply(220, null, "mx\u0000\u0001\u007f ok")), null),
                Arguments.of("non-UTF-8 bytes inside text are replaced (lenient)",
                        concat("220 caf".getBytes(UTF_8), bytes(0xe9), " ".getBytes(UTF_8), bytes(0xff, 0xfe),
                                "\r\n".getBytes(UTF_8)),
                        List.of(reply(220, null, "caf\ufffd \ufffd\ufffd")), null),
                Arguments.of("valid UTF-8 text",
                        "220 Grüße aus Köln 🙂\r\n".getBytes(UTF_8),
                        List.of(reply(220, null, "Grüße aus Köln 🙂")), null),
                Arguments.of("a lone CR inside a line is text",
                        "220 a\rb\r\n".getBytes(UTF_8),
                        List.of(reply(220, null, "a\rb")), null),
                Arguments.of("TLS handshake record",
                        bytes(0x16, 0x03, 0x03, 0x00, 0x5a, 0x02, 0x00, 0x00, 0x56, 0x03, 0x03),
                        List.of(), Kind.NOT_SMTP),
                Arguments.of("TLS alert record",
                        bytes(0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x28),
                        List.of(), Kind.NOT_SMTP),
                Arguments.of("SSH banner",
                        "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n".getBytes(UTF_8),
                        List.of(), Kind.NOT_SMTP),
                Arguments.of("HTTP response",
                        "HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\n\r\n".getBytes(UTF_8),
                        List.of(), Kind.NOT_SMTP),
                Arguments.of("POP3 greeting",
                        "+OK POP3 server ready\r\n".getBytes(UTF_8),
                        List.of(), Kind.NOT_SMTP),
                Arguments.of("IMAP greeting",
                        "* OK [CAPABILITY IMAP4rev1] Dovecot ready.\r\n".getBytes(UTF_8),
                        List.of(), Kind.NOT_SMTP),
                Arguments.of("NUL bytes",
                        bytes(0, 0, 0, 0, 0, 0, 0, 0),
                        List.of(), Kind.NOT_SMTP),
                Arguments.of("high binary bytes",
                        bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a),
                        List.of(), Kind.NOT_SMTP),
                Arguments.of("reply code below 200 before any reply",
                        "199 hello\r\n".getBytes(UTF_8),
                        List.of(), Kind.NOT_SMTP),
                Arguments.of("garbage after a first valid reply is MALFORMED",
                        "220 mx ESMTP\r\nhello there\r\n".getBytes(UTF_8),
                        List.of(reply(220, null, "mx ESMTP")), Kind.MALFORMED),
                Arguments.of("SSH banner after a first valid reply is MALFORMED",
                        "220 mx ESMTP\r\nSSH-2.0-OpenSSH_9.2\r\n".getBytes(UTF_8),
                        List.of(reply(220, null, "mx ESMTP")), Kind.MALFORMED),
                Arguments.of("reply code out of range after a first reply",
                        "220 mx\r\n600 what\r\n".getBytes(UTF_8),
                        List.of(reply(220, null, "mx")), Kind.MALFORMED),
                Arguments.of("fourth character neither space nor hyphen",
                        "220 mx\r\n250:x\r\n".getBytes(UTF_8),
                        List.of(reply(220, null, "mx")), Kind.MALFORMED),
                Arguments.of("code mismatch in a continuation",
                        "250-mx.example.net\r\n251 SIZE 100\r\n".getBytes(UTF_8),
                        List.of(), Kind.MALFORMED),
                Arguments.of("garbage inside the first multi-line reply is MALFORMED",
                        "220-welcome\r\nHTTP/1.1 200 OK\r\n".getBytes(UTF_8),
                        List.of(), Kind.MALFORMED),
                Arguments.of("a short line after a reply",
                        "220 mx\r\n25\r\n".getBytes(UTF_8),
                        List.of(reply(220, null, "mx")), Kind.MALFORMED),
                Arguments.of("an unfinished reply stays buffered, not failed",
                        "220 mx\r\n250-a\r\n250 b".getBytes(UTF_8),
                        List.of(reply(220, null, "mx")), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decodes_the_same_at_every_chunking(String name, byte[] input, List<SmtpReply> expected, Kind failure) {
        Outcome whole = decodeWhole(input);

        assertThat(whole.replies()).as("replies").isEqualTo(expected);
        assertThat(whole.failure()).as("failure").isEqualTo(failure);
        for (int split = 0; split <= input.length; split++) {
            Outcome two = decode(new ReplyDecoder(),
                    List.of(Arrays.copyOfRange(input, 0, split), Arrays.copyOfRange(input, split, input.length)));
            assertThat(two).as("split at %d", split).isEqualTo(whole);
        }
        assertThat(decode(new ReplyDecoder(), chunks(input, 1))).as("byte by byte").isEqualTo(whole);
        assertThat(decode(new ReplyDecoder(), chunks(input, 3))).as("chunks of 3").isEqualTo(whole);
        assertThat(decodeToSink(new ReplyDecoder(), List.of(input))).as("sink, whole").isEqualTo(whole);
        assertThat(decodeToSink(new ReplyDecoder(), chunks(input, 1))).as("sink, byte by byte").isEqualTo(whole);
    }

    static List<byte[]> chunks(byte[] input, int size) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < input.length; i += size) {
            out.add(Arrays.copyOfRange(input, i, Math.min(input.length, i + size)));
        }
        return out;
    }

    @Test
    void every_pair_of_split_points_gives_the_same_replies() {
        byte[] input = "220-mx.example.net\r\n220 ESMTP\r\n250-a\n250-5.0.0 b\r\n250 c\r\n550 5.7.1 no\r\n"
                .getBytes(UTF_8);
        Outcome whole = decodeWhole(input);
        assertThat(whole.replies()).hasSize(3);
        for (int i = 0; i <= input.length; i++) {
            for (int j = i; j <= input.length; j++) {
                Outcome three = decode(new ReplyDecoder(), List.of(Arrays.copyOfRange(input, 0, i),
                        Arrays.copyOfRange(input, i, j), Arrays.copyOfRange(input, j, input.length)));
                assertThat(three).as("splits at %d and %d", i, j).isEqualTo(whole);
            }
        }
    }

    @Test
    void returns_each_reply_from_the_call_that_completes_it() throws Exception {
        ReplyDecoder decoder = new ReplyDecoder();

        assertThat(decoder.decode(ByteBuffer.wrap("250-mx\r\n250 SI".getBytes(UTF_8)))).isEmpty();
        assertThat(decoder.bufferedBytes()).isEqualTo("250-mx".length() + "250 SI".length());
        assertThat(decoder.decode(ByteBuffer.wrap("ZE 10\r\n220".getBytes(UTF_8))))
                .containsExactly(reply(250, null, "mx", "SIZE 10"));
        assertThat(decoder.bufferedBytes()).isEqualTo(3);
    }

    @Test
    void replies_before_invalid_input_in_the_same_buffer_ride_on_the_exception() {
        ReplyDecoder decoder = new ReplyDecoder();

        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap("220 a\r\n250 b\r\nnonsense\r\n".getBytes(UTF_8))))
                .isInstanceOfSatisfying(SmtpProtocolException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
                    assertThat(e.repliesBefore()).containsExactly(reply(220, null, "a"), reply(250, null, "b"));
                });
    }

    @Test
    void the_sink_gets_each_reply_before_the_failure() {
        ReplyDecoder decoder = new ReplyDecoder();
        List<SmtpReply> seen = new ArrayList<>();

        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap("220 a\r\n250-b\r\n251 c\r\n".getBytes(UTF_8)),
                seen::add)).isInstanceOf(SmtpProtocolException.class);
        assertThat(seen).containsExactly(reply(220, null, "a"));
    }

    @Test
    void consumes_the_whole_buffer() throws Exception {
        ByteBuffer in = ByteBuffer.wrap("220 a\r\n250 b\r\n25".getBytes(UTF_8));

        new ReplyDecoder().decode(in);

        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    void an_empty_buffer_completes_nothing() throws Exception {
        assertThat(new ReplyDecoder().decode(ByteBuffer.allocate(0))).isEmpty();
    }

    @Nested
    class NotSmtp {

        @Test
        void names_tls() {
            assertThat(decodeWhole(bytes(0x16, 0x03, 0x01)).message()).contains("TLS");
            assertThat(decodeWhole(bytes(0x15, 0x03, 0x03, 0x00, 0x02)).message()).contains("TLS");
            assertThat(decodeWhole(bytes(0x17, 0x03, 0x03)).message()).contains("TLS");
        }

        @Test
        void tls_is_named_as_soon_as_two_bytes_arrive_byte_by_byte() throws Exception {
            ReplyDecoder decoder = new ReplyDecoder();

            assertThat(decoder.decode(ByteBuffer.wrap(bytes(0x16)))).isEmpty();
            assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(bytes(0x03))))
                    .isInstanceOfSatisfying(SmtpProtocolException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.NOT_SMTP))
                    .hasMessageContaining("TLS");
        }

        @Test
        void a_tls_content_type_not_followed_by_version_3_is_binary() {
            Outcome o = decodeWhole(bytes(0x16, 0x41, 0x42));

            assertThat(o.failure()).isEqualTo(Kind.NOT_SMTP);
            assertThat(o.message()).contains("binary");
        }

        @Test
        void names_ssh_from_the_first_four_bytes_without_waiting_for_the_line_end() {
            Outcome o = decodeWhole("SSH-".getBytes(UTF_8));

            assertThat(o.failure()).isEqualTo(Kind.NOT_SMTP);
            assertThat(o.message()).contains("SSH");
        }

        @Test
        void names_http_from_the_first_five_bytes() {
            Outcome o = decodeWhole("HTTP/".getBytes(UTF_8));

            assertThat(o.failure()).isEqualTo(Kind.NOT_SMTP);
            assertThat(o.message()).contains("HTTP");
        }

        @Test
        void names_html_at_the_line_end() {
            assertThat(decodeWhole("<html><body>hello</body></html>\n").message()).contains("HTTP");
        }

        @Test
        void names_pop3_and_imap() {
            assertThat(decodeWhole("+OK POP3 ready\r\n").message()).contains("POP3");
            assertThat(decodeWhole("* OK IMAP4rev1 ready\r\n").message()).contains("IMAP");
        }

        @Test
        void names_binary_data_at_the_first_byte() {
            Outcome o = decodeWhole(bytes(0));

            assertThat(o.failure()).isEqualTo(Kind.NOT_SMTP);
            assertThat(o.message()).contains("binary data");
        }

        @Test
        void an_unknown_text_line_is_not_smtp_and_is_quoted_safely() {
            Outcome o = decodeWhole("hello\u0007 world\r\n");

            assertThat(o.failure()).isEqualTo(Kind.NOT_SMTP);
            assertThat(o.message()).contains("hello");
        }

        @Test
        void a_long_quote_is_abbreviated() {
            Outcome o = decodeWhole("x".repeat(1000) + "\r\n");

            assertThat(o.failure()).isEqualTo(Kind.NOT_SMTP);
            assertThat(o.message()).hasSizeLessThan(200).endsWith("...");
        }

        @Test
        void an_empty_first_line_is_not_smtp() {
            assertThat(decodeWhole("\r\n").failure()).isEqualTo(Kind.NOT_SMTP);
        }

        @Test
        void a_first_line_with_digits_then_garbage_is_not_smtp() {
            assertThat(decodeWhole("22x hello\r\n").failure()).isEqualTo(Kind.NOT_SMTP);
        }

        @Test
        void a_text_line_longer_than_the_limit_before_any_reply_is_not_smtp() {
            Outcome o = decodeWhole("A".repeat(5000));

            assertThat(o.failure()).isEqualTo(Kind.NOT_SMTP);
        }

        @Test
        void sniffing_stops_after_the_first_reply() throws Exception {
            ReplyDecoder decoder = new ReplyDecoder();
            decoder.decode(ByteBuffer.wrap("220 mx\r\n".getBytes(UTF_8)));

            // After a valid reply, TLS bytes are no longer a sign of another protocol: they stay buffered.
            assertThat(decoder.decode(ByteBuffer.wrap(bytes(0x16, 0x03, 0x01)))).isEmpty();
            assertThat(decoder.describePartialInput()).isNull();
        }
    }

    @Nested
    class PartialInput {

        @Test
        void nothing_buffered_is_nothing_to_describe() {
            assertThat(new ReplyDecoder().describePartialInput()).isNull();
        }

        @Test
        void digits_could_still_be_smtp() throws Exception {
            ReplyDecoder decoder = new ReplyDecoder();
            decoder.decode(ByteBuffer.wrap("22".getBytes(UTF_8)));

            assertThat(decoder.describePartialInput()).isNull();
        }

        @Test
        void text_that_cannot_be_smtp_is_described() throws Exception {
            ReplyDecoder decoder = new ReplyDecoder();
            decoder.decode(ByteBuffer.wrap("+OK".getBytes(UTF_8)));

            assertThat(decoder.describePartialInput()).isEqualTo("an unknown text protocol");
        }

        @Test
        void a_lone_tls_content_type_byte_is_binary() throws Exception {
            ReplyDecoder decoder = new ReplyDecoder();
            decoder.decode(ByteBuffer.wrap(bytes(0x16)));

            assertThat(decoder.describePartialInput()).isEqualTo("binary data");
        }
    }

    @Nested
    class Limits {

        @Test
        void a_line_of_exactly_the_limit_is_accepted_with_either_ending() {
            int limit = 64;
            String line = "250 " + "x".repeat(limit - 4);
            for (String ending : List.of("\r\n", "\n")) {
                Outcome o = decode(new ReplyDecoder(limit, 4), chunks((line + ending).getBytes(UTF_8), 1));

                assertThat(o.failure()).as(ending).isNull();
                assertThat(o.replies()).as(ending).containsExactly(reply(250, null, "x".repeat(limit - 4)));
            }
        }

        @Test
        void a_line_one_byte_over_the_limit_fails() {
            int limit = 64;
            Outcome o = decodeLimited(limit, 4, "220 ok\r\n250 " + "x".repeat(limit - 3) + "\r\n");

            assertThat(o.failure()).isEqualTo(Kind.LINE_TOO_LONG);
            assertThat(o.message()).contains("64");
            assertThat(o.replies()).containsExactly(reply(220, null, "ok"));
        }

        @Test
        void a_line_with_two_crs_at_the_limit_fails() {
            int limit = 16;
            Outcome o = decodeLimited(limit, 4, "250 " + "x".repeat(limit - 4) + "\r\r\n");

            assertThat(o.failure()).isEqualTo(Kind.LINE_TOO_LONG);
        }

        private Outcome decodeLimited(int maxLine, int maxLines, String input) {
            return decode(new ReplyDecoder(maxLine, maxLines), List.of(input.getBytes(UTF_8)));
        }

        @Test
        void eight_mib_without_a_line_end_fails_at_the_limit_in_bounded_memory() throws Exception {
            ReplyDecoder decoder = new ReplyDecoder();
            ByteBuffer chunk = ByteBuffer.allocate(1024);
            long fed = 0;
            int maxBuffered = 0;
            SmtpProtocolException failure = null;
            chunk.put("220 ".getBytes(UTF_8));
            while (fed < 8L * 1024 * 1024 && failure == null) {
                while (chunk.hasRemaining()) {
                    chunk.put((byte) 'a');
                }
                chunk.flip();
                int before = chunk.remaining();
                try {
                    decoder.decode(chunk);
                } catch (SmtpProtocolException e) {
                    failure = e;
                }
                fed += before - chunk.remaining();
                maxBuffered = Math.max(maxBuffered, decoder.bufferedBytes());
                chunk.clear();
            }

            assertThat(failure).isNotNull();
            assertThat(failure.kind()).isEqualTo(Kind.LINE_TOO_LONG);
            // It fails on the first byte past the limit, not after reading all 8 MiB.
            assertThat(fed).isEqualTo(ReplyDecoder.DEFAULT_MAX_LINE_LENGTH + 1);
            assertThat(maxBuffered).isLessThanOrEqualTo(ReplyDecoder.DEFAULT_MAX_LINE_LENGTH);
        }

        @Test
        void eight_mib_byte_by_byte_after_a_reply_never_buffers_past_the_limit() throws Exception {
            ReplyDecoder decoder = new ReplyDecoder();
            decoder.decode(ByteBuffer.wrap("220 mx\r\n250 ".getBytes(UTF_8)));
            ByteBuffer one = ByteBuffer.allocate(1);
            SmtpProtocolException failure = null;
            int i = 0;
            for (; i < 8 * 1024 * 1024 && failure == null; i++) {
                one.clear();
                one.put((byte) 'z').flip();
                try {
                    decoder.decode(one);
                } catch (SmtpProtocolException e) {
                    failure = e;
                }
                assertThat(decoder.bufferedBytes()).isLessThanOrEqualTo(ReplyDecoder.DEFAULT_MAX_LINE_LENGTH);
            }

            assertThat(failure).isNotNull();
            assertThat(failure.kind()).isEqualTo(Kind.LINE_TOO_LONG);
            assertThat(i).isEqualTo(ReplyDecoder.DEFAULT_MAX_LINE_LENGTH - 4 + 1);
        }

        @Test
        void one_hundred_thousand_continuation_lines_fail_after_the_line_limit() {
            StringBuilder sb = new StringBuilder("220 mx\r\n");
            for (int i = 0; i < 100_000; i++) {
                sb.append("250-line ").append(i).append("\r\n");
            }
            sb.append("250 end\r\n");
            ReplyDecoder decoder = new ReplyDecoder();
            byte[] input = sb.toString().getBytes(UTF_8);
            int maxBuffered = 0;
            Outcome outcome = null;
            for (byte[] chunk : chunks(input, 4096)) {
                outcome = decode(decoder, List.of(chunk));
                maxBuffered = Math.max(maxBuffered, decoder.bufferedBytes());
                if (outcome.failure() != null) {
                    break;
                }
            }

            assertThat(outcome.failure()).isEqualTo(Kind.TOO_MANY_LINES);
            assertThat(outcome.message()).contains(String.valueOf(ReplyDecoder.DEFAULT_MAX_LINES));
            // 512 lines of at most "250-line 99999" each: bounded by lines x line length, far below the input.
            assertThat(maxBuffered).isLessThan(ReplyDecoder.DEFAULT_MAX_LINES * 20);
        }

        @Test
        void a_ten_megabyte_reply_of_the_longest_lines_fails_holding_at_most_two_mebibytes() throws Exception {
            ReplyDecoder decoder = new ReplyDecoder();
            byte[] line = ("250-" + "x".repeat(ReplyDecoder.DEFAULT_MAX_LINE_LENGTH - 4) + "\r\n").getBytes(UTF_8);
            long bound = (long) ReplyDecoder.DEFAULT_MAX_LINES * ReplyDecoder.DEFAULT_MAX_LINE_LENGTH;
            long fed = 0;
            int maxBuffered = 0;
            SmtpProtocolException failure = null;
            while (fed < 10_000_000 && failure == null) {
                try {
                    decoder.decode(ByteBuffer.wrap(line));
                } catch (SmtpProtocolException e) {
                    failure = e;
                }
                fed += line.length;
                maxBuffered = Math.max(maxBuffered, decoder.bufferedBytes());
            }

            assertThat(failure).isNotNull();
            assertThat(failure.kind()).isEqualTo(Kind.TOO_MANY_LINES);
            assertThat(fed).isLessThan(3L * 1024 * 1024);
            assertThat((long) maxBuffered).isEqualTo(bound); // 512 full lines of 4096 bytes: the most a reply may hold
        }

        @Test
        void exactly_the_line_limit_is_accepted() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                sb.append("250-l").append(i).append("\r\n");
            }
            sb.append("250 last\r\n");

            Outcome ok = decode(new ReplyDecoder(64, 4), List.of(sb.toString().getBytes(UTF_8)));
            Outcome tooMany = decode(new ReplyDecoder(64, 3), List.of(sb.toString().getBytes(UTF_8)));

            assertThat(ok.replies()).singleElement().satisfies(r -> assertThat(r.lines()).hasSize(4));
            assertThat(tooMany.failure()).isEqualTo(Kind.TOO_MANY_LINES);
        }

        @Test
        void buffered_bytes_count_bytes_not_chars() throws Exception {
            ReplyDecoder decoder = new ReplyDecoder();
            byte[] first = "250-Grüße\r\n".getBytes(UTF_8);

            decoder.decode(ByteBuffer.wrap(first));

            assertThat(decoder.bufferedBytes()).isEqualTo(first.length - 2);
        }

        @Test
        void rejects_unusable_limits_naming_them() {
            assertThatIllegalArgumentException().isThrownBy(() -> new ReplyDecoder(7, 10))
                    .withMessageContaining("maxLineLength");
            assertThatIllegalArgumentException().isThrownBy(() -> new ReplyDecoder(512, 0))
                    .withMessageContaining("maxLines");
        }
    }

    @Nested
    class Lifecycle {

        @Test
        void reset_forgets_a_partial_line_and_a_partial_reply() throws Exception {
            ReplyDecoder decoder = new ReplyDecoder();
            decoder.decode(ByteBuffer.wrap("220 ready\r\n250-a\r\n250-b\r\n25".getBytes(UTF_8)));
            assertThat(decoder.bufferedBytes()).isPositive();

            decoder.reset();

            assertThat(decoder.bufferedBytes()).isZero();
            assertThat(decoder.decode(ByteBuffer.wrap("250-mx\r\n250 8BITMIME\r\n".getBytes(UTF_8))))
                    .containsExactly(reply(250, null, "mx", "8BITMIME"));
        }

        @Test
        void reset_forgets_the_code_of_a_partial_reply() throws Exception {
            ReplyDecoder decoder = new ReplyDecoder();
            decoder.decode(ByteBuffer.wrap("220 ready\r\n250-5.0.0 a\r\n".getBytes(UTF_8)));

            decoder.reset();

            assertThat(decoder.decode(ByteBuffer.wrap("554 5.7.1 nope\r\n".getBytes(UTF_8))))
                    .containsExactly(reply(554, "5.7.1", "nope"));
        }

        @Test
        void after_reset_garbage_is_malformed_not_another_protocol() throws Exception {
            ReplyDecoder decoder = new ReplyDecoder();
            decoder.decode(ByteBuffer.wrap("220 ready\r\n".getBytes(UTF_8)));
            decoder.reset();

            assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap("SSH-2.0-x\r\n".getBytes(ISO_8859_1))))
                    .isInstanceOfSatisfying(SmtpProtocolException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED));
        }

        @Test
        void a_failed_decoder_refuses_more_input_and_holds_nothing() {
            ReplyDecoder decoder = new ReplyDecoder();
            Outcome o = decode(decoder, List.of("220-a\r\n221 b\r\n".getBytes(UTF_8)));
            assertThat(o.failure()).isEqualTo(Kind.MALFORMED);

            assertThat(decoder.bufferedBytes()).isZero();
            assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap("220 x\r\n".getBytes(UTF_8))))
                    .isInstanceOf(IllegalStateException.class);
        }
    }
}
