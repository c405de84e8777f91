package dev.smtpprobe.netty.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.netty.internal.ReplyFrameDecoder;
import dev.smtpprobe.spi.ReplyDecoder;
import dev.smtpprobe.spi.SmtpProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The framing handler in an {@link EmbeddedChannel}: chunking, the STARTTLS discard, bounds, end of input. */
@ExtendWith(LeakCheck.class)
class ReplyFrameDecoderTest {

    static final String INPUT = "220-mx.test ESMTP\r\n220 ready\r\n250-2.0.0 mx.test\n250-2.0.0 SIZE 1000\r\n250 2.0.0 OK\r\n";

    @Test
    void decodesTheSameRepliesWhereverTheInputIsSplit() {
        byte[] bytes = INPUT.getBytes(StandardCharsets.US_ASCII);
        List<SmtpReply> whole = decodeChunks(List.of(bytes));
        assertThat(whole).hasSize(2);
        assertThat(whole.get(0).lines()).containsExactly("mx.test ESMTP", "ready");
        assertThat(whole.get(1).lines()).containsExactly("mx.test", "SIZE 1000", "OK");
        assertThat(whole.get(1).enhancedStatus()).hasToString("2.0.0");

        for (int split = 1; split < bytes.length; split++) {
            List<byte[]> chunks = List.of(Arrays.copyOfRange(bytes, 0, split),
                    Arrays.copyOfRange(bytes, split, bytes.length));
            assertThat(decodeChunks(chunks)).as("split at " + split).isEqualTo(whole);
        }
        List<byte[]> single = new ArrayList<>();
        for (byte b : bytes) {
            single.add(new byte[] {b});
        }
        assertThat(decodeChunks(single)).as("byte by byte").isEqualTo(whole);
    }

    private static List<SmtpReply> decodeChunks(List<byte[]> chunks) {
        EmbeddedChannel ch = new EmbeddedChannel(new ReplyFrameDecoder());
        List<SmtpReply> out = new ArrayList<>();
        for (byte[] chunk : chunks) {
            ch.writeInbound(Unpooled.wrappedBuffer(chunk));
            for (Object o; (o = ch.readInbound()) != null; ) {
                out.add((SmtpReply) o);
            }
        }
        assertThat(ch.finish()).isFalse();
        return out;
    }

    @Test
    void discardingOnStartTlsDropsWhatFollowedTheReplyInTheSameRead() {
        ReplyFrameDecoder decoder = new ReplyFrameDecoder();
        List<SmtpReply> seen = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                SmtpReply reply = (SmtpReply) msg;
                seen.add(reply);
                if (reply.code() == 220) {
                    decoder.discardBuffered(); // what the bridge does in startTls
                }
            }
        });
        ch.writeInbound(ascii("220 go ahead\r\n250 injected\r\n250-half"));
        assertThat(seen).extracting(SmtpReply::text).containsExactly("go ahead");
        assertThat(decoder.bufferedBytes()).isZero();

        ch.writeInbound(ascii("250 after TLS\r\n"));
        assertThat(seen).extracting(SmtpReply::text).containsExactly("go ahead", "after TLS");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void anEndlessLineFailsAfterTheLineLimitAndLaterInputIsDroppedInBoundedMemory() {
        ReplyFrameDecoder decoder = new ReplyFrameDecoder();
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        chunk[0] = '2';
        chunk[1] = '2';
        chunk[2] = '0';
        chunk[3] = ' ';
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(chunk)))
                .isInstanceOf(DecoderException.class)
                .cause().isInstanceOfSatisfying(SmtpProtocolException.class,
                        e -> assertThat(e.kind()).isEqualTo(SmtpProtocolException.Kind.LINE_TOO_LONG));
        assertThat(decoder.bufferedBytes()).isZero();
        for (int i = 0; i < 160; i++) { // 10 MiB more: read and dropped, never held
            ByteBuf more = Unpooled.wrappedBuffer(chunk);
            ch.writeInbound(more);
            assertThat(more.refCnt()).isZero();
            assertThat(decoder.bufferedBytes()).isZero();
        }
        Object nothing = ch.readInbound();
        assertThat(nothing).isNull();
        ch.finish();
    }

    @Test
    void partialInputNeverExceedsOneLine() {
        ReplyFrameDecoder decoder = new ReplyFrameDecoder();
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        byte[] line = new byte[ReplyDecoder.DEFAULT_MAX_LINE_LENGTH];
        Arrays.fill(line, (byte) 'y');
        System.arraycopy("250 ".getBytes(StandardCharsets.US_ASCII), 0, line, 0, 4);
        for (int i = 0; i < line.length; i += 100) {
            ch.writeInbound(Unpooled.wrappedBuffer(line, i, Math.min(100, line.length - i)));
            assertThat(decoder.bufferedBytes()).isLessThanOrEqualTo(ReplyDecoder.DEFAULT_MAX_LINE_LENGTH);
        }
        ch.writeInbound(ascii("\r\n"));
        SmtpReply reply = ch.readInbound();
        assertThat(reply.code()).isEqualTo(250);
        assertThat(decoder.bufferedBytes()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void aPeerClosingMidLineIsNotSmtpOnlyWhenTheTextCannotBeSmtp() {
        EmbeddedChannel notSmtp = new EmbeddedChannel(new ReplyFrameDecoder());
        notSmtp.writeInbound(ascii("hello"));
        assertThatThrownBy(notSmtp::finish).isInstanceOf(DecoderException.class)
                .cause().isInstanceOfSatisfying(SmtpProtocolException.class,
                        e -> assertThat(e.kind()).isEqualTo(SmtpProtocolException.Kind.NOT_SMTP));

        EmbeddedChannel maybeSmtp = new EmbeddedChannel(new ReplyFrameDecoder());
        maybeSmtp.writeInbound(ascii("220 mx.test ESM"));
        assertThat(maybeSmtp.finish()).isFalse();
    }

    @Test
    void anotherProtocolIsRecognisedFromItsFirstBytes() {
        EmbeddedChannel ch = new EmbeddedChannel(new ReplyFrameDecoder());
        assertThatThrownBy(() -> ch.writeInbound(ascii("SSH-2.0-OpenSSH_9.6\r\n")))
                .cause().isInstanceOfSatisfying(SmtpProtocolException.class,
                        e -> assertThat(e).hasMessageContaining("SSH"));
        ch.finish();
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }
}
