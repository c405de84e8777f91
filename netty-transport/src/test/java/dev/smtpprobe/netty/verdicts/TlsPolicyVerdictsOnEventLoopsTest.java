package dev.smtpprobe.netty.verdicts;

/** {@link TlsPolicyVerdictsTest} with every connection on Netty's event loops. */
class TlsPolicyVerdictsOnEventLoopsTest extends TlsPolicyVerdictsTest {

    @Override
    boolean onEventLoops() {
        return true;
    }
}
