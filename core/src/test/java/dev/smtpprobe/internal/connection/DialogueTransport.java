package dev.smtpprobe.internal.connection;

import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.spi.PipeHandler;
import dev.smtpprobe.spi.PipeRequest;
import dev.smtpprobe.spi.Transport;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSession;

/**
 * A scripted transport for tests of what sits above {@link Connection} (the conversation, the prober's safety
 * nets): it is handed core's {@link Dialogue} and drives it directly, in place of a pipe and core's connection
 * rules. Core always opens a pipe with a {@link Connection} as its handler; this takes the dialogue out of it.
 */
public abstract class DialogueTransport implements Transport {

    /** Opens one connection and drives {@code dialogue} (the test's script). */
    public abstract void open(ConnectRequest request, Dialogue dialogue);

    /**
     * Runs one connection on the calling thread; by default {@link #open}, then waits for {@code onClosed} (at most
     * the request's lifetime plus 5 s), closing the link when interrupted.
     */
    public void runOnCallingThread(ConnectRequest request, Dialogue dialogue) {
        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<Link> connected = new AtomicReference<>();
        open(request, new Dialogue() {
            @Override
            public void onConnected(Link link) {
                connected.set(link);
                dialogue.onConnected(link);
            }

            @Override
            public void onTlsEstablished(SSLSession session) {
                dialogue.onTlsEstablished(session);
            }

            @Override
            public void onReply(SmtpReply reply) {
                dialogue.onReply(reply);
            }

            @Override
            public void onFailure(Throwable cause) {
                dialogue.onFailure(cause);
            }

            @Override
            public void onClosed() {
                try {
                    dialogue.onClosed();
                } finally {
                    closed.countDown();
                }
            }
        });
        try {
            closed.await(request.maxLifetime().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Link link = connected.get();
            if (link != null) {
                link.close();
            }
        }
    }

    @Override
    public final void openPipe(PipeRequest request, PipeHandler handler) {
        Connection connection = (Connection) handler;
        open(connection.request(), connection.dialogue());
    }

    @Override
    public final void runPipeOnCallingThread(PipeRequest request, PipeHandler handler) {
        Connection connection = (Connection) handler;
        runOnCallingThread(connection.request(), connection.dialogue());
    }
}
