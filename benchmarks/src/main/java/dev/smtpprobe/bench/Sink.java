package dev.smtpprobe.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The loopback SMTP sink every benchmark probes: a separate JVM (so its heap and CPU are not the client's) with one
 * Netty NIO event-loop thread serving several listening ports in four groups.
 *
 * <ul>
 *   <li>{@code smtp}: greets 220 at once, answers EHLO with a four-line 250, QUIT with 221 and then closes first,
 *       so TIME_WAIT lands on the sink's side and the client never runs short of ephemeral ports.</li>
 *   <li>{@code bare}: accepts and closes at once, no bytes: the ceiling's target.</li>
 *   <li>{@code hold}: holds the 220 greeting until {@code RELEASE} is read on standard input, to keep probes in
 *       flight for the memory figures.</li>
 *   <li>{@code tls}: greets at once, offers STARTTLS, and after the handshake holds the second EHLO's reply until
 *       {@code RELEASE}: probes held in flight with a TLS session.</li>
 * </ul>
 *
 * <p>Replies are preallocated and written as retained slices: the sink allocates nearly nothing per connection
 * beyond Netty's channel, so its CPU share stays small (the suite reports it for every run).
 *
 * <p>Protocol on standard output: one line {@code READY smtp=p,p.. bare=p,.. hold=p,.. tls=p,.. ca=/path}.
 * Commands on standard input: {@code STATS} (answers {@code STATS accepted=N held=N}), {@code RELEASE},
 * {@code EXIT}.
 */
public final class Sink {

    private static final ByteBuf GREETING = constant("220 sink.bench ESMTP ready\r\n");
    private static final ByteBuf EHLO = constant("250-sink.bench greets you\r\n250-PIPELINING\r\n250-8BITMIME\r\n"
            + "250 SIZE 10240000\r\n");
    private static final ByteBuf EHLO_STARTTLS = constant("250-sink.bench greets you\r\n250-PIPELINING\r\n"
            + "250-STARTTLS\r\n250 SIZE 10240000\r\n");
    private static final ByteBuf READY_TLS = constant("220 2.0.0 ready to start TLS\r\n");
    private static final ByteBuf OK = constant("250 2.0.0 ok\r\n");
    private static final ByteBuf BYE = constant("221 2.0.0 bye\r\n");
    private static final ByteBuf UNKNOWN = constant("502 5.5.2 command not recognized\r\n");

    private final AtomicLong accepted = new AtomicLong();
    /** Channels waiting for RELEASE with the reply they are owed; touched only on the event loop. */
    private final List<Held> held = new ArrayList<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final SslContext sslContext;
    private final Path caFile;

    private Sink() throws Exception {
        X509Bundle cert = new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost")
                .addSanIpAddress("127.0.0.1").setIsCertificateAuthority(true).ecp256()
                .notBefore(Instant.now().minusSeconds(3600)).notAfter(Instant.now().plusSeconds(86_400))
                .buildSelfSigned();
        this.sslContext = SslContextBuilder.forServer(cert.toKeyManagerFactory()).sslProvider(SslProvider.JDK).build();
        this.caFile = Files.createTempFile("smtp-probe-bench-ca", ".pem");
        Files.writeString(caFile, cert.getCertificatePEM());
        caFile.toFile().deleteOnExit();
    }

    private static ByteBuf constant(String s) {
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(s.length()).writeBytes(s.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Starts the sink: {@code Sink ports-per-group}. */
    public static void main(String[] args) throws Exception {
        int perGroup = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        Sink sink = new Sink();
        PrintStream out = System.out;
        String line = "READY smtp=" + sink.listen(Mode.SMTP, perGroup) + " bare=" + sink.listen(Mode.BARE, perGroup)
                + " hold=" + sink.listen(Mode.HOLD, perGroup) + " tls=" + sink.listen(Mode.TLS, perGroup)
                + " ca=" + sink.caFile;
        out.println(line);
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        for (String cmd; (cmd = in.readLine()) != null; ) {
            switch (cmd.strip()) {
                case "STATS" -> {
                    int heldNow = sink.group.next().submit(sink.held::size).get();
                    out.println("STATS accepted=" + sink.accepted.get() + " held=" + heldNow);
                    out.flush();
                }
                case "RELEASE" -> {
                    int n = sink.group.next().submit(sink::release).get();
                    out.println("RELEASED " + n);
                    out.flush();
                }
                case "EXIT" -> {
                    sink.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
                    return;
                }
                default -> {
                    out.println("ERROR unknown command " + cmd);
                    out.flush();
                }
            }
        }
        // The harness died: do not linger.
        sink.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private enum Mode { SMTP, BARE, HOLD, TLS }

    /** A connection waiting for RELEASE and the reply it is owed. */
    private record Held(Channel channel, ByteBuf reply) {
    }

    private String listen(Mode mode, int count) throws InterruptedException {
        StringBuilder ports = new StringBuilder();
        for (int i = 0; i < count; i++) {
            Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            accepted.incrementAndGet();
                            if (mode == Mode.BARE) {
                                c.pipeline().addLast(CLOSE_ON_ACTIVE);
                            } else {
                                c.pipeline().addLast(new LineBasedFrameDecoder(1024), new Smtp(mode));
                            }
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            if (i > 0) {
                ports.append(',');
            }
            ports.append(((InetSocketAddress) ch.localAddress()).getPort());
        }
        return ports.toString();
    }

    private int release() {
        int n = held.size();
        for (Held h : held) {
            if (h.channel().isActive()) {
                h.channel().writeAndFlush(h.reply().retainedSlice());
            }
        }
        held.clear();
        return n;
    }

    private static final ChannelHandler CLOSE_ON_ACTIVE = new CloseOnActive();

    /** The ceiling's server side: accept and close, first. */
    @ChannelHandler.Sharable
    private static final class CloseOnActive extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.close();
        }
    }

    /** One SMTP connection of the sink. */
    private final class Smtp extends ChannelInboundHandlerAdapter {
        private final Mode mode;
        private boolean tls;

        Smtp(Mode mode) {
            this.mode = mode;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (mode == Mode.HOLD) {
                held.add(new Held(ctx.channel(), GREETING));
            } else {
                ctx.writeAndFlush(GREETING.retainedSlice());
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf line = (ByteBuf) msg;
            try {
                String verb = line.toString(line.readerIndex(), Math.min(4, line.readableBytes()), StandardCharsets.US_ASCII)
                        .toUpperCase(java.util.Locale.ROOT);
                switch (verb) {
                    case "EHLO", "HELO" -> {
                        if (mode == Mode.TLS && tls) {
                            held.add(new Held(ctx.channel(), EHLO));
                        } else {
                            ctx.writeAndFlush((mode == Mode.TLS ? EHLO_STARTTLS : EHLO).retainedSlice());
                        }
                    }
                    case "STAR" -> {
                        if (mode == Mode.TLS && !tls) {
                            tls = true;
                            // In place before the client's hello can arrive; startTls leaves the 220 in clear text.
                            SslHandler ssl = new SslHandler(sslContext.newEngine(ctx.alloc()), true);
                            // 10k handshakes queue up on this one thread: Netty's 10 s default would cut them off.
                            ssl.setHandshakeTimeoutMillis(TimeUnit.MINUTES.toMillis(5));
                            ctx.pipeline().addFirst(ssl);
                            ctx.writeAndFlush(READY_TLS.retainedSlice());
                        } else {
                            ctx.writeAndFlush(UNKNOWN.retainedSlice());
                        }
                    }
                    case "QUIT" -> ctx.writeAndFlush(BYE.retainedSlice()).addListener(ChannelFutureListener.CLOSE);
                    case "RSET", "NOOP" -> ctx.writeAndFlush(OK.retainedSlice());
                    default -> ctx.writeAndFlush(UNKNOWN.retainedSlice());
                }
            } finally {
                line.release();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
