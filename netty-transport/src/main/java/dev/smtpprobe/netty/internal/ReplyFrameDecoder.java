package dev.smtpprobe.netty.internal;

import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.spi.ReplyDecoder;
import dev.smtpprobe.spi.SmtpProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import java.util.List;

/**
 * Frames and decodes the server's bytes into {@link SmtpReply} messages with core's {@link ReplyDecoder}.
 *
 * <p>Bounded: every byte handed in is consumed at once into the {@code ReplyDecoder}, which holds at most one
 * line of {@code maxLineLength} bytes and one reply of {@code maxLines} lines and fails with
 * {@link SmtpProtocolException} beyond that. So the cumulation buffer of this handler never holds more than one
 * socket read, whatever the peer sends.
 *
 * <p>At most one reply is produced per {@link #decode} call, so the dialogue sees (and may act on) each reply
 * before the next line is even looked at. That is what makes {@link #discardBuffered()} work for STARTTLS: when
 * the dialogue starts TLS while handling the {@code 220}, whatever plain text followed that reply in the same
 * read is still undecoded here and is dropped (RFC 3207 §4.2), never delivered as a reply.
 *
 * <p>After a failure, further input is discarded: the connection is being closed.
 */
public final class ReplyFrameDecoder extends ByteToMessageDecoder {

    private final ReplyDecoder decoder;
    private boolean failed;

    public ReplyFrameDecoder() {
        this(new ReplyDecoder());
    }

    public ReplyFrameDecoder(ReplyDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws SmtpProtocolException {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.isReadable()) {
            int lf = in.forEachByte(ByteProcessor.FIND_LF);
            int length = lf < 0 ? in.readableBytes() : lf - in.readerIndex() + 1;
            List<SmtpReply> replies;
            try {
                replies = decoder.decode(in.nioBuffer(in.readerIndex(), length));
            } catch (SmtpProtocolException e) {
                failed = true;
                in.skipBytes(in.readableBytes());
                throw e;
            } finally {
                if (!failed) {
                    in.skipBytes(length);
                }
            }
            if (!replies.isEmpty()) {
                // One line in gives at most one reply out.
                out.addAll(replies);
                return;
            }
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (in.isReadable()) {
            decode(ctx, in, out);
        }
        // The peer closed mid-line: when the partial input is recognisably another protocol, say so (a peer that
        // sends "hello" and hangs up is not an SMTP server that closed before its greeting).
        if (!failed && out.isEmpty()) {
            String other = decoder.describePartialInput();
            if (other != null) {
                failed = true;
                throw new SmtpProtocolException(SmtpProtocolException.Kind.NOT_SMTP,
                        "peer speaks " + other + ", not SMTP (closed mid-line)");
            }
        }
    }

    /**
     * Forgets every byte received and not yet decoded, here and in the {@code ReplyDecoder}: called when TLS
     * starts, so plain text sent before the handshake can never be read as a reply after it.
     */
    public void discardBuffered() {
        ByteBuf buffered = internalBuffer();
        buffered.skipBytes(buffered.readableBytes());
        decoder.reset();
    }

    /**
     * What the partial input held now looks like: another protocol's name, or {@code null} when it could still
     * be SMTP. Asked when a reply timer fires.
     */
    public String describePartialInput() {
        return failed ? null : decoder.describePartialInput();
    }

    /** Bytes held now: the cumulation buffer plus the {@code ReplyDecoder}'s partial line and reply. */
    public int bufferedBytes() {
        return actualReadableBytes() + decoder.bufferedBytes();
    }
}
