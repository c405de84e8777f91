package dev.smtpprobe.netty.verdicts;

/** {@link TlsVerdictsTest} with every connection on Netty's event loops (not the JDK-socket path {@code run()} takes). */
class TlsVerdictsOnEventLoopsTest extends TlsVerdictsTest {

    @Override
    boolean onEventLoops() {
        return true;
    }
}
