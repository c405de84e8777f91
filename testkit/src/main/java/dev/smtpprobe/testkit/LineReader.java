package dev.smtpprobe.testkit;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads CRLF- or LF-terminated lines from a client, bounded, and keeps the bytes it read ahead so that a TLS
 * upgrade can see exactly what the client had already sent. Not threadsafe: one per connection thread.
 */
final class LineReader {

    /** A client line longer than this is cut and recorded as it is; the fixture must never buffer unbounded. */
    static final int MAX_LINE = 1 << 20;

    private final InputStream in;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private IOException pendingFailure;

    LineReader(InputStream in) {
        this.in = in;
    }

    /**
     * Returns the next line with its terminator, or the bytes before end of stream if the client closed in the
     * middle of a line, or {@code null} at end of stream.
     */
    byte[] readLine() throws IOException {
        if (pendingFailure != null) {
            IOException failure = pendingFailure;
            pendingFailure = null;
            throw failure;
        }
        byte[] line = new byte[128];
        int length = 0;
        while (true) {
            boolean more;
            try {
                more = position < limit || fill();
            } catch (IOException e) {
                if (length == 0) {
                    throw e;
                }
                // A reset after part of a line: hand out what arrived (a test may want it), fail on the next call.
                pendingFailure = e;
                return Arrays.copyOf(line, length);
            }
            if (!more) {
                return length == 0 ? null : Arrays.copyOf(line, length);
            }
            byte b = buffer[position++];
            if (length == line.length) {
                line = Arrays.copyOf(line, line.length * 2);
            }
            line[length++] = b;
            if (b == '\n' || length >= MAX_LINE) {
                return Arrays.copyOf(line, length);
            }
        }
    }

    /** Reads exactly {@code count} bytes (buffered ones first). */
    byte[] readFully(int count) throws IOException {
        byte[] out = new byte[count];
        int done = 0;
        while (done < count) {
            if (position == limit && !fill()) {
                throw new EOFException("client closed after " + done + " of " + count + " bytes");
            }
            int n = Math.min(count - done, limit - position);
            System.arraycopy(buffer, position, out, done, n);
            position += n;
            done += n;
        }
        return out;
    }

    /** Removes and returns the bytes read ahead but not consumed yet. */
    byte[] takeBuffered() {
        byte[] rest = Arrays.copyOfRange(buffer, position, limit);
        position = limit;
        return rest;
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }
}
