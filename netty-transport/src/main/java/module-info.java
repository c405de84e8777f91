/**
 * The Netty (4.1 or 4.2) {@link dev.smtpprobe.spi.Transport} for smtp-probe:
 * {@link dev.smtpprobe.netty.NettyTransport}.
 * Found by core through {@link java.util.ServiceLoader}; only the {@code dev.smtpprobe.netty} package is exported,
 * the pipeline handlers in {@code dev.smtpprobe.netty.internal} are not.
 */
module dev.smtpprobe.netty {
    requires transitive dev.smtpprobe; // Transport, PipeRequest, PipeHandler appear in our API
    requires org.slf4j;
    requires static org.jspecify; // the @NullMarked package annotation
    requires io.netty.common;
    requires io.netty.buffer;
    requires transitive io.netty.transport; // EventLoopGroup appears in a public constructor
    requires io.netty.transport.unix.common; // only for epoll's NativeIoException type, matched by errno
    requires io.netty.codec;
    requires io.netty.handler;
    requires static io.netty.transport.classes.epoll; // optional: native epoll when the application adds it

    exports dev.smtpprobe.netty;

    provides dev.smtpprobe.spi.Transport with dev.smtpprobe.netty.NettyTransport;
}
