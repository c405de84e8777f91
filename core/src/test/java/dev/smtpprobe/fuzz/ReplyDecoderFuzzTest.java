package dev.smtpprobe.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.spi.ReplyDecoder;
import dev.smtpprobe.spi.SmtpProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes {@link ReplyDecoder} with Jazzer. Without {@code JAZZER_FUZZ} these run as regression tests over the
 * inputs in {@code src/test/resources/dev/smtpprobe/fuzz/ReplyDecoderFuzzTestInputs/<method>/} (and an empty
 * input); with {@code JAZZER_FUZZ=1} they fuzz for real (see the README, "Testing").
 *
 * <p>What must hold for any bytes a server may send, split at any points: the decoder only ever throws
 * {@link SmtpProtocolException} (nothing undeclared), it never holds more than its limits allow, every reply it
 * returns is well formed, and the replies and the failure do not depend on how the input was split into reads
 * (counting the replies a failure carries in {@link SmtpProtocolException#repliesBefore()}: the first run of this
 * test found them lost, input "reply-then-overlong-line-in-one-read").
 */
class ReplyDecoderFuzzTest {

    /** Small limits, so the fuzzer reaches them quickly. */
    private static final int MAX_LINE = 64;
    private static final int MAX_LINES = 8;

    @FuzzTest(maxDuration = "30s")
    void anyInputInAnySplitsIsDecodedSafelyAndTheSame(FuzzedDataProvider data) {
        int splits = data.consumeInt(0, 32);
        List<Integer> cuts = new ArrayList<>();
        for (int i = 0; i < splits; i++) {
            cuts.add(data.consumeInt(1, 256));
        }
        byte[] input = data.consumeRemainingAsBytes();

        Outcome whole = decode(input, List.of());
        Outcome split = decode(input, cuts);
        assertThat(split).as("the same bytes split differently").isEqualTo(whole);
    }

    @FuzzTest(maxDuration = "30s")
    void defaultLimitsHoldForAnyInput(FuzzedDataProvider data) {
        ReplyDecoder decoder = new ReplyDecoder();
        int chunk = data.consumeInt(1, 8192);
        byte[] input = data.consumeRemainingAsBytes();
        long bound = (ReplyDecoder.DEFAULT_MAX_LINE_LENGTH + 1L) * (ReplyDecoder.DEFAULT_MAX_LINES + 1L);
        for (int at = 0; at < input.length; at += chunk) {
            try {
                for (SmtpReply reply : decoder.decode(ByteBuffer.wrap(input, at, Math.min(chunk, input.length - at)))) {
                    assertWellFormed(reply, ReplyDecoder.DEFAULT_MAX_LINES);
                }
            } catch (SmtpProtocolException e) {
                assertThat(e.kind()).isNotNull();
                return;
            }
            assertThat((long) decoder.bufferedBytes()).isLessThanOrEqualTo(bound);
        }
    }

    /** What decoding produced: the replies, then the failure kind or {@code null}. */
    record Outcome(List<String> replies, SmtpProtocolException.Kind failure) {
    }

    private static Outcome decode(byte[] input, List<Integer> cuts) {
        ReplyDecoder decoder = new ReplyDecoder(MAX_LINE, MAX_LINES);
        List<String> replies = new ArrayList<>();
        int at = 0;
        int next = 0;
        long bound = (MAX_LINE + 1L) * (MAX_LINES + 1L);
        while (at < input.length) {
            int len = next < cuts.size() ? Math.min(cuts.get(next++), input.length - at) : input.length - at;
            ByteBuffer chunk = ByteBuffer.wrap(input, at, len);
            try {
                for (SmtpReply reply : decoder.decode(chunk)) {
                    assertWellFormed(reply, MAX_LINES);
                    replies.add(reply.toString());
                }
            } catch (SmtpProtocolException e) {
                // Replies completed in the same read before the invalid part are not lost.
                for (SmtpReply reply : e.repliesBefore()) {
                    assertWellFormed(reply, MAX_LINES);
                    replies.add(reply.toString());
                }
                // A failed decoder refuses further input instead of guessing.
                assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(new byte[] {'2'})))
                        .isInstanceOf(IllegalStateException.class);
                return new Outcome(replies, e.kind());
            }
            assertThat(chunk.hasRemaining()).as("decode consumes all input").isFalse();
            assertThat((long) decoder.bufferedBytes()).as("bytes held").isLessThanOrEqualTo(bound);
            at += len;
        }
        return new Outcome(replies, null);
    }

    private static void assertWellFormed(SmtpReply reply, int maxLines) {
        assertThat(reply.code()).isBetween(200, 599);
        assertThat(reply.lines()).isNotEmpty().hasSizeLessThanOrEqualTo(maxLines);
    }
}
