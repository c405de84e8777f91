package dev.smtpprobe.netty.internal;

import dev.smtpprobe.spi.NotTlsException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Arrays;

/**
 * Copies the first {@value NotTlsException#MAX_KEPT_BYTES} raw bytes received after a TLS handshake begins, in
 * front of the {@code SslHandler}. When the peer answers our ClientHello with plain text (an SMTP {@code 220}
 * from a STARTTLS port), Netty's {@code NotSslRecordException} does not keep those bytes in a usable form;
 * {@link NotTlsException} needs them so core can tell a TLS-mode mismatch from garbage.
 *
 * <p>Passes every message on untouched (no retain, no release); copies at most 64 bytes in total; removed by
 * the bridge once the handshake is over.
 */
final class TlsFirstBytes extends ChannelInboundHandlerAdapter {

    private final byte[] bytes = new byte[NotTlsException.MAX_KEPT_BYTES];
    private int length;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf && length < bytes.length) {
            ByteBuf buf = (ByteBuf) msg;
            int n = Math.min(bytes.length - length, buf.readableBytes());
            buf.getBytes(buf.readerIndex(), bytes, length, n);
            length += n;
        }
        ctx.fireChannelRead(msg);
    }

    /** The bytes seen so far (a copy). */
    public byte[] firstBytes() {
        return Arrays.copyOf(bytes, length);
    }
}
