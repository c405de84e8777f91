package dev.smtpprobe.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.List;

/**
 * The ceiling: what this machine can do with no SMTP at all. One thread, one selector, a non-blocking connect,
 * then wait for the sink to close (it closes at once on its {@code bare} ports), close, and start the next, keeping
 * {@code concurrency} connections open. Any SMTP client is slower than this loop.
 */
final class Ceiling {

    /** What a run did: how many connections ended with the sink's close, and each one's latency. */
    record Run(int ok, int failed, long[] latenciesNanos, String firstFailure) {
    }

    private Ceiling() {
    }

    static Run run(List<InetSocketAddress> targets, int total, int concurrency) throws IOException {
        long[] latencies = new long[total];
        ByteBuffer scratch = ByteBuffer.allocateDirect(256);
        int started = 0;
        int done = 0;
        int ok = 0;
        String firstFailure = null;
        try (Selector selector = Selector.open()) {
            while (done < total) {
                while (started < total && started - done < concurrency) {
                    SocketChannel ch = SocketChannel.open();
                    ch.configureBlocking(false);
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    long[] slot = {started, System.nanoTime()};
                    if (ch.connect(targets.get(started % targets.size()))) {
                        ch.register(selector, SelectionKey.OP_READ, slot);
                    } else {
                        ch.register(selector, SelectionKey.OP_CONNECT, slot);
                    }
                    started++;
                }
                selector.select(1000);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    SocketChannel ch = (SocketChannel) key.channel();
                    long[] slot = (long[]) key.attachment();
                    try {
                        if (key.isConnectable()) {
                            ch.finishConnect();
                            key.interestOps(SelectionKey.OP_READ);
                            continue;
                        }
                        scratch.clear();
                        int n = ch.read(scratch);
                        if (n >= 0) {
                            continue;
                        }
                        ok++;
                    } catch (IOException e) {
                        if (firstFailure == null) {
                            firstFailure = e.toString();
                        }
                    }
                    latencies[(int) slot[0]] = System.nanoTime() - slot[1];
                    key.cancel();
                    ch.close();
                    done++;
                }
            }
        }
        return new Run(ok, total - ok, latencies, firstFailure);
    }
}
