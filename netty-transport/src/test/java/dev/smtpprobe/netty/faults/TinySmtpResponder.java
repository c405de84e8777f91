package dev.smtpprobe.netty.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal SMTP server, run as a child JVM inside a target namespace: listens on every port given (dual stack),
 * greets with 220, answers EHLO with a short capability list, QUIT with 221 and anything else with 250. Prints
 * {@code READY} once every port is bound. It exists so the fault tests need nothing but {@code ip} and
 * {@code iptables} on the machine.
 */
public final class TinySmtpResponder {

    private TinySmtpResponder() {
    }

    /** @param args the ports to listen on */
    public static void main(String[] args) throws IOException {
        for (String arg : args) {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            // The IPv6 wildcard accepts IPv4 too (dual stack), so one socket serves both address families.
            server.bind(new InetSocketAddress(InetAddress.getByName("::"), Integer.parseInt(arg)), 128);
            Thread t = new Thread(() -> acceptLoop(server), "accept-" + arg);
            t.start();
        }
        System.out.println("READY");
        System.out.flush();
    }

    private static void acceptLoop(ServerSocket server) {
        while (true) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            s.setSoTimeout(10_000);
            write(out, "220 target.test ESMTP tiny responder\r\n");
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != -1) {
                if (b != '\n') {
                    if (line.length() < 1024) {
                        line.append((char) b);
                    }
                    continue;
                }
                String cmd = line.toString().trim().toUpperCase();
                line.setLength(0);
                if (cmd.startsWith("EHLO")) {
                    write(out, "250-target.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 8BITMIME\r\n");
                } else if (cmd.startsWith("QUIT")) {
                    write(out, "221 2.0.0 bye\r\n");
                    return;
                } else {
                    write(out, "250 2.0.0 ok\r\n");
                }
            }
        } catch (IOException e) {
            // The client went away; nothing to do.
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
