package dev.smtpprobe.netty.transport;

import dev.smtpprobe.internal.connection.ConnectRequest;
import dev.smtpprobe.netty.NettyTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@code main} that opens a connection with the default transport and returns while it is still open, closing
 * nothing: run in a child JVM by {@link DaemonThreadsTest} to show the transport's threads never keep a JVM alive.
 */
public final class ProbeInMain {

    private ProbeInMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        CountDownLatch connected = new CountDownLatch(1);
        RecordingDialogue dialogue = new RecordingDialogue().whenConnected(link -> connected.countDown());
        Dialogues.open(new NettyTransport(), new ConnectRequest(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                null, Duration.ofSeconds(2), null, Duration.ofMinutes(5)), dialogue);
        if (!connected.await(5, TimeUnit.SECONDS)) {
            System.exit(3);
        }
        System.out.println("connected; main returns with the connection open; epoll="
                + dev.smtpprobe.netty.internal.EventLoops.nativeEpoll());
    }
}
