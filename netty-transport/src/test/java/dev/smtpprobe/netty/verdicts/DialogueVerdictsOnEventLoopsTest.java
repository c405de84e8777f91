package dev.smtpprobe.netty.verdicts;

/** {@link DialogueVerdictsTest} with every connection on Netty's event loops (not the JDK-socket path {@code run()} takes). */
class DialogueVerdictsOnEventLoopsTest extends DialogueVerdictsTest {

    @Override
    boolean onEventLoops() {
        return true;
    }
}
