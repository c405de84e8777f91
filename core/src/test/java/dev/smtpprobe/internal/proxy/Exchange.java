package dev.smtpprobe.internal.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Verdict;
import dev.smtpprobe.internal.proxy.ProxyHandshake.Done;
import dev.smtpprobe.internal.proxy.ProxyHandshake.Failed;
import dev.smtpprobe.internal.proxy.ProxyHandshake.NeedMore;
import dev.smtpprobe.internal.proxy.ProxyHandshake.Send;
import dev.smtpprobe.internal.proxy.ProxyHandshake.Step;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Drives a handshake the way a connection does, over everything the proxy sends cut into chunks: after a
 * {@link Send} the rest of the chunk is handed over again; after {@link Done} the rest is the target's.
 */
record Exchange(List<byte[]> sent, Step end, byte[] leftover) {

    /** Runs {@code handshake} over {@code stream} cut at {@code cuts} (ascending offsets). */
    static Exchange run(ProxyHandshake handshake, byte[] stream, int... cuts) {
        List<byte[]> sent = new ArrayList<>();
        sent.add(handshake.start());
        int from = 0;
        ByteBuffer pending = ByteBuffer.allocate(0);
        int[] ends = Arrays.copyOf(cuts, cuts.length + 1);
        ends[cuts.length] = stream.length;
        for (int end : ends) {
            ByteBuffer in = ByteBuffer.allocate(pending.remaining() + end - from);
            in.put(pending).put(stream, from, end - from).flip();
            from = end;
            while (true) {
                Step step = handshake.onBytes(in);
                if (step instanceof Send s) {
                    sent.add(s.bytes());
                    if (in.hasRemaining()) {
                        continue;
                    }
                    break;
                }
                if (step instanceof NeedMore) {
                    assertThat(in.hasRemaining()).as("NeedMore consumes the whole buffer").isFalse();
                    break;
                }
                ByteArrayOutputStream rest = new ByteArrayOutputStream();
                while (in.hasRemaining()) {
                    rest.write(in.get());
                }
                rest.write(stream, from, stream.length - from);
                return new Exchange(sent, step, rest.toByteArray());
            }
            pending = in;
        }
        return new Exchange(sent, new NeedMore(), new byte[0]);
    }

    /**
     * Runs a fresh handshake over {@code stream} in one chunk, cut once at every offset, and byte by byte; asserts
     * that every way gives the same exchange, and returns it.
     */
    static Exchange everySplit(Supplier<? extends ProxyHandshake> handshake, byte[] stream) {
        Exchange whole = run(handshake.get(), stream);
        for (int cut = 1; cut < stream.length; cut++) {
            whole.assertSameAs(run(handshake.get(), stream, cut), "cut at " + cut);
        }
        int[] every = new int[Math.max(0, stream.length - 1)];
        for (int i = 0; i < every.length; i++) {
            every[i] = i + 1;
        }
        whole.assertSameAs(run(handshake.get(), stream, every), "byte by byte");
        return whole;
    }

    private void assertSameAs(Exchange other, String how) {
        assertThat(other.sent).as(how).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(other.sent.get(i)).as(how + ", message " + i).isEqualTo(sent.get(i));
        }
        assertThat(other.end.getClass()).as(how).isEqualTo(end.getClass());
        if (end instanceof Failed f) {
            assertThat(((Failed) other.end).failure().verdict()).as(how).isEqualTo(f.failure().verdict());
            // What a message quotes of an unexpected answer is what had arrived when it was decided.
            assertThat(withoutQuote(((Failed) other.end).failure().getMessage())).as(how)
                    .isEqualTo(withoutQuote(f.failure().getMessage()));
        }
        assertThat(other.leftover).as(how).isEqualTo(leftover);
    }

    private static String withoutQuote(String message) {
        int quote = message.indexOf("; it sent ");
        return quote < 0 ? message : message.substring(0, quote);
    }

    boolean done() {
        return end instanceof Done;
    }

    Verdict verdict() {
        assertThat(end).isInstanceOf(Failed.class);
        return ((Failed) end).failure().verdict();
    }

    String message() {
        assertThat(end).isInstanceOf(Failed.class);
        return ((Failed) end).failure().getMessage();
    }

    String leftoverText() {
        return new String(leftover, StandardCharsets.ISO_8859_1);
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

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
