package dev.smtpprobe.netty.transport;

import dev.smtpprobe.internal.connection.ConnectRequest;
import dev.smtpprobe.internal.connection.Connection;
import dev.smtpprobe.internal.connection.Dialogue;
import dev.smtpprobe.spi.Transport;

/** Opens a connection the way core does: core's {@link Connection} rules on a transport's pipe. */
public final class Dialogues {

    private Dialogues() {
    }

    /** Opens a pipe on {@code transport} driving {@code dialogue} through core's connection rules. */
    public static void open(Transport transport, ConnectRequest request, Dialogue dialogue) {
        Connection connection = new Connection(request, dialogue, null);
        transport.openPipe(connection.pipeRequest(), connection);
    }

    /** Like {@link #open}, on the calling thread, as {@code SmtpProbe.run()} does. */
    public static void runOnCallingThread(Transport transport, ConnectRequest request, Dialogue dialogue) {
        Connection connection = new Connection(request, dialogue, null);
        transport.runPipeOnCallingThread(connection.pipeRequest(), connection);
    }
}
