package dev.smtpprobe.netty.verdicts;

/** {@link ConnectionVerdictsTest} with every connection on Netty's event loops (not the JDK-socket path {@code run()} takes). */
class ConnectionVerdictsOnEventLoopsTest extends ConnectionVerdictsTest {

    @Override
    boolean onEventLoops() {
        return true;
    }
}
