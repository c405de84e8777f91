package dev.smtpprobe.netty.internal.socket;

import dev.smtpprobe.spi.NotTlsException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Proxy;
import java.net.Socket;
import java.util.Arrays;

/**
 * A plain socket whose input stream can copy the first {@value NotTlsException#MAX_KEPT_BYTES} bytes received
 * after {@link #startRecording()}. The TLS layer ({@link SocketTls}) reads through that stream, so when a peer answers
 * our ClientHello with plain text (an SMTP {@code 220} on a STARTTLS port), the bytes it sent are kept for
 * {@link NotTlsException}: the JDK's "unrecognized SSL message" does not keep them.
 */
final class RecordingSocket extends Socket {

    private final byte[] recorded = new byte[NotTlsException.MAX_KEPT_BYTES];
    private volatile boolean recording;
    private int length;
    private Recorder in;

    /**
     * A direct socket ({@link Proxy#NO_PROXY}), as Netty's channels are: the probe routes through a proxy itself
     * ({@code ProxyRoute}, the JVM's {@code socksProxyHost} included), so the JDK's own SOCKS layer must not wrap
     * the connection a second time. It also skips the JDK's proxy selection on every connect.
     */
    RecordingSocket() {
        super(Proxy.NO_PROXY);
    }

    /** Copies what arrives from now on (until {@link #stopRecording()}), up to the limit. */
    void startRecording() {
        length = 0;
        recording = true;
    }

    void stopRecording() {
        recording = false;
    }

    /** The bytes recorded (a copy). */
    byte[] recorded() {
        return Arrays.copyOf(recorded, length);
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (in == null) {
            in = new Recorder(super.getInputStream());
        }
        return in;
    }

    /**
     * Copies what is read while recording. The first read after {@link #startRecording()} asks the socket for a
     * whole buffer, not just what the caller wants (a TLS reader may ask for a 5-byte record header first), so the
     * recording holds the peer's first segment, as the Netty path's does, and serves the caller from it.
     */
    private final class Recorder extends FilterInputStream {
        private final byte[] ahead = new byte[NotTlsException.MAX_KEPT_BYTES];
        private int aheadPos;
        private int aheadEnd;

        Recorder(InputStream socketInput) {
            super(socketInput);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (aheadPos < aheadEnd) {
                int n = Math.min(len, aheadEnd - aheadPos);
                System.arraycopy(ahead, aheadPos, b, off, n);
                aheadPos += n;
                return n;
            }
            if (recording && length < recorded.length) {
                int n = super.read(ahead, 0, recorded.length - length);
                if (n <= 0) {
                    return n;
                }
                System.arraycopy(ahead, 0, recorded, length, n);
                length += n;
                aheadPos = 0;
                aheadEnd = n;
                return read(b, off, len);
            }
            return super.read(b, off, len);
        }

        @Override
        public long skip(long n) throws IOException {
            // A reader that skips what is "available" (as TLS readers do after a fatal error) skips the bytes read ahead.
            if (aheadPos < aheadEnd) {
                int k = (int) Math.min(n, aheadEnd - aheadPos);
                aheadPos += Math.max(0, k);
                return Math.max(0, k);
            }
            return super.skip(n);
        }

        @Override
        public int available() throws IOException {
            return (aheadEnd - aheadPos) + super.available();
        }
    }
}
