package dev.smtpprobe;

import dev.smtpprobe.internal.Prober;
import dev.smtpprobe.internal.TrustMaterial;
import dev.smtpprobe.spi.Transport;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509TrustManager;

/**
 * A configured SMTP probe: resolves, connects, reads the banner, speaks EHLO and STARTTLS, and returns a
 * {@link ProbeResult} whose {@link Verdict} names the failing layer.
 *
 * <pre>{@code
 * ProbeResult result = SmtpProbe.to("mx.example.net").port(587).run();
 * System.out.println(result.summary());
 * }</pre>
 *
 * <p>{@link #to(String)} returns a {@link Builder}; every setter validates its argument at once and throws
 * {@link IllegalArgumentException} naming it. {@link Builder#build()} copies the configuration, so a built probe
 * never changes. Every timeout has a bounded default; {@link Builder#deadline} bounds the whole probe.
 *
 * <p>This class is immutable and threadsafe: one probe may run many times, concurrently.
 */
public final class SmtpProbe {

    /** Default TCP connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default wait for the 220 banner after connecting. */
    public static final Duration DEFAULT_GREETING_TIMEOUT = Duration.ofSeconds(15);
    /** Default wait for each reply after the greeting (and for a TLS handshake). */
    public static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(15);
    /** Default limit for the whole probe, every attempt included. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);

    private final String host;
    private final int port;
    private final TlsMode tlsMode;
    private final Duration connectTimeout;
    private final Duration greetingTimeout;
    private final Duration replyTimeout;
    private final Duration deadline;
    private final String ehloName;
    private final X509TrustManager trustManager;
    private final boolean verifyHostname;
    private final InetAddress sourceAddress;
    private final Transport transport;
    private final ProbeListener listener;
    private final boolean confirmTlsMode;
    private final Clock clock;
    private final HostEnvironment environment;

    private SmtpProbe(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.tlsMode = b.tlsMode != null ? b.tlsMode : TlsMode.defaultFor(b.port);
        this.connectTimeout = b.connectTimeout;
        this.greetingTimeout = b.greetingTimeout;
        this.replyTimeout = b.replyTimeout;
        this.deadline = b.deadline;
        this.ehloName = b.ehloName;
        this.trustManager = b.trustManager;
        this.verifyHostname = b.verifyHostname;
        this.sourceAddress = b.sourceAddress;
        this.transport = b.transport;
        this.listener = b.listener;
        this.confirmTlsMode = b.confirmTlsMode;
        this.clock = b.clock;
        this.environment = b.environment;
    }

    /**
     * Starts configuring a probe of one SMTP host: a host name or an address literal ({@code 192.0.2.1},
     * {@code ::1}, {@code [192.0.2.1]}, {@code [IPv6:::1]}).
     *
     * @throws IllegalArgumentException when {@code host} is null or blank
     */
    public static Builder to(String host) {
        return new Builder(host);
    }

    /** Runs the probe and waits for its result. Network outcomes never throw: they are in the result. */
    public ProbeResult run() {
        return runAsync().join();
    }

    /**
     * Runs the probe without blocking. The future completes with the result (never exceptionally for a network
     * outcome) on a transport thread; do not block inside its callbacks.
     *
     * @throws IllegalStateException at once when no {@link Transport} is configured or on the class path
     */
    public CompletableFuture<ProbeResult> runAsync() {
        return Prober.start(this);
    }

    /** The host as given. */
    public String host() {
        return host;
    }

    /** The port. */
    public int port() {
        return port;
    }

    /** The TLS mode (the port's default when none was set). */
    public TlsMode tlsMode() {
        return tlsMode;
    }

    /** The TCP connect timeout. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The wait for the 220 banner. */
    public Duration greetingTimeout() {
        return greetingTimeout;
    }

    /** The wait for each later reply and TLS handshake. */
    public Duration replyTimeout() {
        return replyTimeout;
    }

    /** The limit for the whole probe. */
    public Duration deadline() {
        return deadline;
    }

    /** The EHLO name, or {@code null} for the local host name. */
    public String ehloName() {
        return ehloName;
    }

    /** The trust manager for the server's chain, or {@code null} for the JDK's default trust store. */
    public X509TrustManager trustManager() {
        return trustManager;
    }

    /** Whether the certificate must match the host name. */
    public boolean verifyHostname() {
        return verifyHostname;
    }

    /** The local address to bind, or {@code null} for the kernel's choice. */
    public InetAddress sourceAddress() {
        return sourceAddress;
    }

    /** The transport, or {@code null} for the one found with {@link java.util.ServiceLoader}. */
    public Transport transport() {
        return transport;
    }

    /** The listener ({@link ProbeListener#NONE} by default). */
    public ProbeListener listener() {
        return listener;
    }

    /** Whether a suspected TLS-mode mismatch is confirmed by a quick second attempt in the other mode. */
    public boolean confirmTlsMode() {
        return confirmTlsMode;
    }

    /** The clock for timestamps. */
    public Clock clock() {
        return clock;
    }

    /** The machine facts hints read. */
    public HostEnvironment environment() {
        return environment;
    }

    @Override
    public String toString() {
        return "SmtpProbe{" + host + ":" + port + ", tls=" + tlsMode + ", connectTimeout=" + connectTimeout
                + ", greetingTimeout=" + greetingTimeout + ", replyTimeout=" + replyTimeout + ", deadline=" + deadline
                + (sourceAddress != null ? ", source=" + sourceAddress.getHostAddress() : "") + "}";
    }

    /**
     * Configures a {@link SmtpProbe}. Setters validate at once; {@link #build()} copies. Not threadsafe; the
     * probes it builds are.
     */
    public static final class Builder {
        private final String host;
        private int port = 25;
        private TlsMode tlsMode;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration greetingTimeout = DEFAULT_GREETING_TIMEOUT;
        private Duration replyTimeout = DEFAULT_REPLY_TIMEOUT;
        private Duration deadline = DEFAULT_DEADLINE;
        private String ehloName;
        private X509TrustManager trustManager;
        private boolean verifyHostname = true;
        private InetAddress sourceAddress;
        private Transport transport;
        private ProbeListener listener = ProbeListener.NONE;
        private boolean confirmTlsMode = true;
        private Clock clock = Clock.systemUTC();
        private HostEnvironment environment = HostEnvironment.system();

        private Builder(String host) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            this.host = host.strip();
        }

        /** The TCP port, 1 to 65535 (default 25). Also picks the default TLS mode: implicit for 465. */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535: " + port);
            }
            this.port = port;
            return this;
        }

        /** How TLS is used (default: {@link TlsMode#defaultFor(int)} of the port). */
        public Builder tls(TlsMode mode) {
            this.tlsMode = Objects.requireNonNull(mode, "tls mode must not be null");
            return this;
        }

        /** The TCP connect timeout (default 10 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** The TCP connect timeout (default 10 s). */
        public Builder connectTimeout(long timeout, TimeUnit unit) {
            return connectTimeout(duration(timeout, unit, "connectTimeout"));
        }

        /** The wait for the 220 banner after connecting (default 15 s). */
        public Builder greetingTimeout(Duration timeout) {
            this.greetingTimeout = positive(timeout, "greetingTimeout");
            return this;
        }

        /** The wait for the 220 banner after connecting (default 15 s). */
        public Builder greetingTimeout(long timeout, TimeUnit unit) {
            return greetingTimeout(duration(timeout, unit, "greetingTimeout"));
        }

        /** The wait for each later reply and for a TLS handshake (default 15 s). */
        public Builder replyTimeout(Duration timeout) {
            this.replyTimeout = positive(timeout, "replyTimeout");
            return this;
        }

        /** The wait for each later reply and for a TLS handshake (default 15 s). */
        public Builder replyTimeout(long timeout, TimeUnit unit) {
            return replyTimeout(duration(timeout, unit, "replyTimeout"));
        }

        /** The limit for the whole probe, all attempts included (default 60 s). */
        public Builder deadline(Duration deadline) {
            this.deadline = positive(deadline, "deadline");
            return this;
        }

        /** The limit for the whole probe, all attempts included (default 60 s). */
        public Builder deadline(long deadline, TimeUnit unit) {
            return deadline(duration(deadline, unit, "deadline"));
        }

        /** The name sent with EHLO: a domain name or an address literal like {@code [192.0.2.1]}. */
        public Builder ehloName(String name) {
            if (name == null || name.isBlank() || name.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
                throw new IllegalArgumentException("ehloName must be a domain or address literal without spaces: " + name);
            }
            this.ehloName = name;
            return this;
        }

        /** Validates the server's chain with this trust manager instead of the JDK's default trust store. */
        public Builder trustManager(X509TrustManager trustManager) {
            this.trustManager = Objects.requireNonNull(trustManager, "trustManager must not be null");
            return this;
        }

        /** Validates the server's chain against the trusted certificates of this key store. */
        public Builder trustStore(KeyStore trustStore) {
            this.trustManager = TrustMaterial.fromKeyStore(Objects.requireNonNull(trustStore, "trustStore must not be null"));
            return this;
        }

        /**
         * Validates the server's chain against the CA certificates in this PEM file.
         *
         * @throws IllegalArgumentException when the file cannot be read or holds no certificate
         */
        public Builder trustedCertificates(Path pemFile) {
            this.trustManager = TrustMaterial.fromPem(Objects.requireNonNull(pemFile, "trustedCertificates must not be null"));
            return this;
        }

        /**
         * Whether the certificate must match the host name (default true). Turning it off is for diagnosis only;
         * chain validation still applies.
         */
        public Builder verifyHostname(boolean verify) {
            this.verifyHostname = verify;
            return this;
        }

        /** The local address to connect from (default: the kernel's choice). */
        public Builder sourceAddress(InetAddress address) {
            this.sourceAddress = Objects.requireNonNull(address, "sourceAddress must not be null");
            return this;
        }

        /**
         * The local address to connect from, as an address literal.
         *
         * @throws IllegalArgumentException when it is not an IPv4 or IPv6 address literal
         */
        public Builder sourceAddress(String address) {
            if (address == null || address.isBlank() || !address.matches("[0-9A-Fa-f:.%a-zA-Z]+")
                    || !(address.contains(".") || address.contains(":"))) {
                throw new IllegalArgumentException("sourceAddress must be an IP address literal: " + address);
            }
            try {
                // An address literal: InetAddress.getByName does not query DNS for those.
                return sourceAddress(InetAddress.getByName(address));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("sourceAddress must be an IP address literal: " + address, e);
            }
        }

        /** The transport to use (default: the one found with {@link java.util.ServiceLoader}). */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport must not be null");
            return this;
        }

        /** Receives progress events (default {@link ProbeListener#NONE}). */
        public Builder listener(ProbeListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener must not be null");
            return this;
        }

        /**
         * Whether a suspected TLS-mode mismatch (no banner on a plain connection, or a plain banner answering a
         * TLS hello) is confirmed by a quick second attempt in the other mode (default true).
         */
        public Builder confirmTlsMode(boolean confirm) {
            this.confirmTlsMode = confirm;
            return this;
        }

        /** The clock for timestamps (default UTC system clock); a seam for tests. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /**
         * Where hints read the machine's facts (default: {@link HostEnvironment#system()}); a seam for tests and
         * for callers that know better (a container runtime that hides {@code /.dockerenv}).
         */
        public Builder environment(HostEnvironment environment) {
            this.environment = Objects.requireNonNull(environment, "environment must not be null");
            return this;
        }

        /** An immutable probe with this configuration. */
        public SmtpProbe build() {
            return new SmtpProbe(this);
        }

        /** {@code build().run()}. */
        public ProbeResult run() {
            return build().run();
        }

        /** {@code build().runAsync()}. */
        public CompletableFuture<ProbeResult> runAsync() {
            return build().runAsync();
        }

        private static Duration positive(Duration d, String name) {
            if (d == null) {
                throw new IllegalArgumentException(name + " must not be null");
            }
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            if (d.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException(name + " must be at most 1 hour: " + d);
            }
            return d;
        }

        private static Duration duration(long amount, TimeUnit unit, String name) {
            if (unit == null) {
                throw new IllegalArgumentException(name + " unit must not be null");
            }
            if (amount <= 0) {
                throw new IllegalArgumentException(name + " must be positive: " + amount + " " + unit);
            }
            return Duration.of(amount, unit.toChronoUnit());
        }
    }
}
