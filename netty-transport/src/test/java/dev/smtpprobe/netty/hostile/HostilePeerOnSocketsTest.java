package dev.smtpprobe.netty.hostile;

import dev.smtpprobe.netty.NettyTransport;

/**
 * {@link HostilePeerTest} on the shared default transport, whose {@code run()} is served on a JDK socket with a
 * thread of its own: the same bounds (deadline, bytes held, nothing left open) on that path.
 */
class HostilePeerOnSocketsTest extends HostilePeerTest {

    @Override
    NettyTransport newTransport() {
        return new NettyTransport();
    }
}
