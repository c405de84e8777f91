package dev.smtpprobe.netty.transport;

import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.netty.NettyTransport;
import io.netty.util.Version;

/**
 * An application whose Netty is older than the supported range: run in a child JVM by {@link UnsupportedNettyTest}.
 * Prints the netty-transport version it runs, then what {@code runAsync()}, {@code run()} and the transport's
 * constructors do (the exception's class and message).
 */
public final class UnsupportedNettyMain {

    private UnsupportedNettyMain() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        System.out.println("netty-transport=" + Version.identify(UnsupportedNettyMain.class.getClassLoader())
                .get("netty-transport").artifactVersion());
        SmtpProbe probe = SmtpProbe.to("127.0.0.1").port(port).tls(TlsMode.STARTTLS).ehloName("probe.test").build();
        report("runAsync", () -> System.out.println("result=" + probe.runAsync().join().verdict()));
        report("run", () -> System.out.println("result=" + probe.run().verdict()));
        report("withOwnThreads", () -> NettyTransport.withOwnThreads(1).close());
        System.out.flush();
    }

    private static void report(String what, Runnable call) {
        try {
            call.run();
            System.out.println(what + "=returned");
        } catch (Throwable t) {
            System.out.println(what + "=" + t.getClass().getName() + ": " + t.getMessage());
        }
    }
}
