package dev.smtpprobe.internal;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.ProxyConfig;
import dev.smtpprobe.TranscriptLine;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.internal.connection.ConnectRequest;
import dev.smtpprobe.internal.connection.Connection;
import dev.smtpprobe.internal.proxy.ProxyFailure;
import dev.smtpprobe.internal.proxy.ProxyHandshakes;
import dev.smtpprobe.spi.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

/**
 * How a probe's attempts reach their targets, decided once per probe: directly, or through a proxy whose address
 * was resolved once. Every attempt's connection is made by {@link #connection}, on both paths ({@code run()} and
 * {@code runAsync()}), so that no path connects directly when a proxy is configured.
 *
 * <p>Which proxy: the one set with {@code SmtpProbe.Builder.proxy}, else the JVM's SOCKS proxy
 * ({@code socksProxyHost}, {@code socksProxyPort}, {@code socksProxyVersion}, {@code java.net.socks.username} and
 * {@code .password}), because an application's mail library connects with plain {@link java.net.Socket}s, which use
 * it: the probe then takes the application's path. Jakarta Mail's {@code mail.smtp.proxy.*} and {@code socks.*} are
 * session properties, not JVM ones: they apply through {@code fromMailProperties}.
 *
 * <p>Through a proxy, TCP goes to the proxy, and the proxy is asked for a tunnel to the attempt's address (the probe
 * resolved the target itself, so each attempt names one address, as an address literal: the proxy resolves
 * nothing). Immutable and threadsafe.
 */
final class ProxyRoute {

    private static final LazyLogger log = new LazyLogger(ProxyRoute.class);
    /** How the first note of an attempt names its proxy. */
    private static final String THROUGH = " through the ";

    /** Straight to the target. */
    static final ProxyRoute DIRECT = new ProxyRoute(null, null, null, false);

    private final ProxyConfig proxy;
    /** The proxy's address and port, or {@code null} when its name did not resolve ({@link #unresolved}). */
    private final InetSocketAddress address;
    /** Why the proxy's name did not resolve, or {@code null}. */
    private final String unresolved;
    private final boolean fromJvm;

    private ProxyRoute(ProxyConfig proxy, InetSocketAddress address, String unresolved, boolean fromJvm) {
        this.proxy = proxy;
        this.address = address;
        this.unresolved = unresolved;
        this.fromJvm = fromJvm;
    }

    /** A route through {@code proxy} at {@code address}. */
    static ProxyRoute through(ProxyConfig proxy, InetSocketAddress address, boolean fromJvm) {
        return new ProxyRoute(Arguments.requireNonNull(proxy, "proxy"), Arguments.requireNonNull(address, "address"),
                null, fromJvm);
    }

    /**
     * The route of a probe: resolves the proxy's host name with the JVM's resolver (as the application's socket
     * would), once, on the resolution pool, within {@code limit}. The future never completes exceptionally: a
     * proxy name that does not resolve is a route whose every attempt is {@link Verdict#PROXY_UNREACHABLE}.
     */
    static CompletableFuture<ProxyRoute> of(ProbeConfig probe, Duration limit, Ticker ticker) {
        Optional<ProxyConfig> explicit = probe.proxy();
        Optional<ProxyConfig> chosen = explicit.isPresent() ? explicit : jvmSocksProxy(System.getProperties());
        if (chosen.isEmpty()) {
            return CompletableFuture.completedFuture(DIRECT);
        }
        ProxyConfig proxy = chosen.get();
        boolean fromJvm = explicit.isEmpty();
        Optional<InetAddress> literal = Addresses.parseLiteral(proxy.host());
        if (literal.isPresent()) {
            return CompletableFuture.completedFuture(
                    through(proxy, new InetSocketAddress(literal.get(), proxy.port()), fromJvm));
        }
        return JvmResolution.lookup(proxy.host(), limit, ticker).thenApply(answer -> {
            if (answer != null && !answer.addresses().isEmpty()) {
                return through(proxy, new InetSocketAddress(answer.addresses().get(0), proxy.port()), fromJvm);
            }
            String why = answer == null ? "no answer within " + limit.toMillis() + " ms" : answer.error();
            return new ProxyRoute(proxy, null, "cannot resolve the proxy host " + proxy.host() + ": " + why, fromJvm);
        });
    }

    /**
     * The JVM's SOCKS proxy, read from {@code socksProxyHost} and its companions only (never Jakarta Mail's keys,
     * which configure a session, not the JVM). A value the JDK could not use either is logged and ignored.
     */
    static Optional<ProxyConfig> jvmSocksProxy(Properties system) {
        if (system.getProperty("socksProxyHost") == null) {
            return Optional.empty(); // the common case, on every probe: nothing to copy
        }
        Properties jvm = new Properties();
        for (String key : new String[] {"socksProxyHost", "socksProxyPort", "socksProxyVersion",
                "java.net.socks.username", "java.net.socks.password"}) {
            String value = system.getProperty(key);
            if (value != null) {
                jvm.setProperty(key, value);
            }
        }
        try {
            return ProxyConfig.fromProperties(jvm);
        } catch (IllegalArgumentException e) {
            log.get().warn("ignoring the JVM's SOCKS proxy: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The proxy an attempt went through, as its first transcript note names it ({@code "SOCKS5 proxy
     * 127.0.0.1:1080"}), or {@code null} for a direct attempt.
     */
    static String named(Attempt attempt) {
        return attempt.transcript().stream().filter(l -> l.direction() == TranscriptLine.Direction.INFO).findFirst()
                .map(TranscriptLine::text).filter(t -> t.startsWith("connecting to ") && t.contains(THROUGH))
                .map(t -> t.substring(t.indexOf(THROUGH) + THROUGH.length())).orElse(null);
    }

    /** Whether attempts connect straight to their targets. */
    boolean isDirect() {
        return proxy == null;
    }

    /** The proxy, or {@code null} for a direct route. */
    ProxyConfig proxy() {
        return proxy;
    }

    /** What TCP connects to for {@code target}: the proxy, or the target itself. */
    InetSocketAddress connectTo(InetSocketAddress target) {
        return address != null ? address : target;
    }

    /** Why no attempt can be made through this route (the proxy's name did not resolve), or {@code null}. */
    ProxyFailure failure() {
        return unresolved == null ? null : ProxyHandshakes.unreachable(proxy, unresolved);
    }

    /** For the transcript: {@code " through the SOCKS5 proxy 127.0.0.1:1080 [::1]"}, or empty when direct. */
    String describe() {
        if (proxy == null) {
            return "";
        }
        String at = address == null || address.getAddress().getHostAddress().equals(proxy.host()) ? ""
                : " (" + address.getAddress().getHostAddress() + ")";
        return THROUGH + proxy.describe() + at + (fromJvm ? ", the JVM's socksProxyHost" : "");
    }

    /**
     * Core's connection for an attempt: through a proxy, it runs the proxy's handshake first and reports to the
     * attempt's {@link ProxyHop}, which passes everything on to {@code conversation}.
     */
    Connection connection(ConnectRequest request, Conversation conversation) {
        if (proxy == null) {
            return new Connection(request, conversation, null);
        }
        ProxyHop hop = hop(conversation);
        return new Connection(request, hop, hop);
    }

    /** The proxy's part of one attempt: its handshake, and the dialogue that sees the proxy's failures as such. */
    ProxyHop hop(Conversation conversation) {
        AttemptPlan plan = conversation.plan();
        InetSocketAddress target = plan.remote();
        return new ProxyHop(conversation, ProxyHandshakes.create(proxy, target.getAddress().getHostAddress(),
                target.getPort()), plan.deadline().cap(plan.probe().connectTimeout()));
    }

    @Override
    public String toString() {
        return proxy == null ? "ProxyRoute[direct]" : "ProxyRoute[" + proxy + describe() + "]";
    }
}
