package dev.smtpprobe.netty.proxy;


/** {@link ProbeThroughProxyTest} with {@code runAsync()}: every connection on Netty's event loops. */
class ProbeThroughProxyAsyncTest extends ProbeThroughProxyTest {

    @Override
    boolean async() {
        return true;
    }
}
