package dev.smtpprobe.netty.proxy;

import org.junit.jupiter.api.Disabled;

/** {@link ProbeThroughProxyTest} with {@code runAsync()}: every connection on Netty's event loops. */
@Disabled("runs once the event-loop path is on Connection (p1-netty)")
class ProbeThroughProxyAsyncTest extends ProbeThroughProxyTest {

    @Override
    boolean async() {
        return true;
    }
}
