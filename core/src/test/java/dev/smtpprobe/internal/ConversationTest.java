package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.AttemptId;
import dev.smtpprobe.EnhancedStatus;
import dev.smtpprobe.Phase;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.ProbeListener;
import dev.smtpprobe.ProbeRun;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TestAccess;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.TranscriptLine;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.internal.connection.ConnectRequest;
import dev.smtpprobe.internal.connection.Dialogue;
import dev.smtpprobe.internal.connection.DialogueTransport;
import dev.smtpprobe.internal.connection.Link;
import dev.smtpprobe.internal.proxy.ProxyFailure;
import dev.smtpprobe.spi.NotTlsException;
import dev.smtpprobe.spi.ReplyTimeoutException;
import dev.smtpprobe.spi.SmtpProtocolException;
import dev.smtpprobe.spi.TlsParameters;
import dev.smtpprobe.spi.TransportException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

/**
 * The dialogue state machine driven event by event, without a socket: the transport here is a pure seam that
 * hands the dialogue to the test. Verdicts against real sockets are proven in netty-transport's tests.
 */
class ConversationTest {

    private static final InetSocketAddress REMOTE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 2525);
    private static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);

    /** Captures what the dialogue asks of its link. */
    static final class RecordingLink implements Link {
        final List<String> sent = new ArrayList<>();
        final List<Duration> timers = new ArrayList<>();
        TlsParameters startTls;
        boolean closed;

        @Override
        public InetSocketAddress localAddress() {
            return LOCAL;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return REMOTE;
        }

        @Override
        public void expectReply(Duration timeout) {
            timers.add(timeout);
        }

        @Override
        public void send(String line, Duration replyTimeout) {
            sent.add(line);
            timers.add(replyTimeout);
        }

        @Override
        public void startTls(TlsParameters tls) {
            startTls = tls;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Keeps the dialogue and request instead of connecting. */
    static final class HandOverTransport extends DialogueTransport {

        /** The test drives the dialogue right after {@code start()}: it needs {@code open} on that thread. */
        @Override
        public boolean opensAtOnce() {
            return true;
        }
        Dialogue dialogue;
        ConnectRequest request;

        @Override
        public void open(ConnectRequest request, Dialogue dialogue) {
            this.request = request;
            this.dialogue = dialogue;
        }
    }

    private final HandOverTransport transport = new HandOverTransport();
    private final RecordingLink link = new RecordingLink();

    private CompletableFuture<Attempt> start(SmtpProbe.Builder builder) {
        return start(builder, ProbeListener.NONE);
    }

    private CompletableFuture<Attempt> start(SmtpProbe.Builder builder, ProbeListener... listeners) {
        for (ProbeListener l : listeners) {
            builder.listener(l);
        }
        SmtpProbe probe = builder.transport(transport).ehloName("probe.test").build();
        AttemptPlan plan = new AttemptPlan("mx.test", REMOTE, probe.tlsMode(), TestAccess.config(probe), probe.greetingTimeout(),
                Deadline.after(System.nanoTime(), probe.deadline()), System.nanoTime(), transport,
                guarded(listeners), 0);
        return new Conversation(plan).start();
    }

    /** The listener of one attempt's run, guarded as the engine guards it. */
    static SafeListener guarded(ProbeListener... listeners) {
        return new SafeListener(new ProbeRun(1, "mx.test", List.of(REMOTE.getPort())), List.of(listeners));
    }

    private static SmtpReply reply(int code, String... lines) {
        return new SmtpReply(code, null, List.of(lines));
    }

    private Attempt finish(CompletableFuture<Attempt> future) {
        transport.dialogue.onClosed();
        assertThat(future).isDone();
        return future.join();
    }

    @Test
    void plainDialogueEndsOkAndSaysGoodbye() {
        var future = start(SmtpProbe.to("mx.test").port(2525).tls(TlsMode.NONE));
        Dialogue d = transport.dialogue;
        assertThat(transport.request.implicitTls()).isNull();
        d.onConnected(link);
        assertThat(link.timers).hasSize(1);
        d.onReply(reply(220, "mx.test ESMTP ready"));
        assertThat(link.sent).containsExactly("EHLO probe.test");
        d.onReply(reply(250, "mx.test Hello", "PIPELINING", "SIZE 1000", "STARTTLS", "AUTH PLAIN LOGIN"));
        assertThat(link.sent).containsExactly("EHLO probe.test", "QUIT");
        d.onReply(reply(221, "bye"));
        assertThat(link.closed).isTrue();

        Attempt a = finish(future);
        assertThat(a.verdict()).isEqualTo(Verdict.OK);
        assertThat(a.local()).isEqualTo(LOCAL);
        assertThat(a.greeting().text()).isEqualTo("mx.test ESMTP ready");
        assertThat(a.capabilities().serverName()).isEqualTo("mx.test");
        assertThat(a.capabilities().pipelining()).isTrue();
        assertThat(a.capabilities().maxSize()).contains(1000L);
        assertThat(a.capabilities().authMechanisms()).containsExactly("PLAIN", "LOGIN");
        assertThat(a.timings()).containsKeys(Phase.CONNECT, Phase.GREETING, Phase.EHLO, Phase.QUIT);
        assertThat(a.transcript()).extracting(TranscriptLine::text)
                .contains("220 mx.test ESMTP ready", "EHLO probe.test", "250-mx.test Hello", "250 AUTH PLAIN LOGIN", "QUIT");
    }

    @Test
    void startTlsUpgradesThenSpeaksEhloAgain() throws Exception {
        var future = start(SmtpProbe.to("mx.test").port(587).tls(TlsMode.STARTTLS_REQUIRED));
        Dialogue d = transport.dialogue;
        d.onConnected(link);
        d.onReply(reply(220, "mx.test ESMTP"));
        d.onReply(reply(250, "mx.test", "STARTTLS"));
        assertThat(link.sent).containsExactly("EHLO probe.test", "STARTTLS");
        d.onReply(reply(220, "Ready to start TLS"));
        assertThat(link.startTls).isNotNull();
        assertThat(link.startTls.peerHost()).isEqualTo("mx.test");
        assertThat(link.startTls.verifyHostname()).isTrue();
        d.onTlsEstablished(session("TLSv1.3", "TLS_AES_128_GCM_SHA256"));
        assertThat(link.sent).containsExactly("EHLO probe.test", "STARTTLS", "EHLO probe.test");
        d.onReply(reply(250, "mx.test", "AUTH PLAIN"));
        d.onReply(reply(221, "bye"));

        Attempt a = finish(future);
        assertThat(a.verdict()).isEqualTo(Verdict.OK);
        assertThat(a.tls().protocol()).isEqualTo("TLSv1.3");
        assertThat(a.capabilities().startTls()).isFalse();
        assertThat(a.capabilities().authMechanisms()).containsExactly("PLAIN");
        assertThat(a.timings()).containsKey(Phase.STARTTLS);
    }

    /**
     * STARTTLS hands the transport one trust manager per trust configuration, not one per handshake: a transport
     * caches its TLS context per trust manager, so a new one each time would build a context for every probe.
     */
    @Test
    void startTlsOfTheSameTrustConfigurationUsesTheSameTrustManager() throws Exception {
        X509TrustManager custom = TrustMaterial.jdkDefault();
        X509TrustManager other = TrustMaterial.jdkDefault();

        TlsParameters first = startTlsParameters(SmtpProbe.to("mx.test").port(587).trustManager(custom));
        TlsParameters second = startTlsParameters(SmtpProbe.to("mx.test").port(587).trustManager(custom));
        TlsParameters third = startTlsParameters(SmtpProbe.to("mx.test").port(587).trustManager(other));
        TlsParameters byDefault = startTlsParameters(SmtpProbe.to("mx.test").port(587));
        TlsParameters byDefaultAgain = startTlsParameters(SmtpProbe.to("mx.test").port(587));

        assertThat(second.trustManager()).isSameAs(first.trustManager());
        assertThat(third.trustManager()).isNotSameAs(first.trustManager());
        assertThat(byDefaultAgain.trustManager()).isSameAs(byDefault.trustManager())
                .isNotSameAs(first.trustManager());
    }

    /** Runs a STARTTLS dialogue up to the upgrade; what the conversation asked the transport for. */
    private TlsParameters startTlsParameters(SmtpProbe.Builder builder) {
        start(builder.tls(TlsMode.STARTTLS_REQUIRED));
        RecordingLink upgrade = new RecordingLink();
        Dialogue d = transport.dialogue;
        d.onConnected(upgrade);
        d.onReply(reply(220, "mx.test ESMTP"));
        d.onReply(reply(250, "mx.test", "STARTTLS"));
        d.onReply(reply(220, "Ready to start TLS"));
        assertThat(upgrade.startTls).isNotNull();
        return upgrade.startTls;
    }

    @Test
    void requiredStartTlsNotAdvertised() {
        var future = start(SmtpProbe.to("mx.test").port(587).tls(TlsMode.STARTTLS_REQUIRED));
        Dialogue d = transport.dialogue;
        d.onConnected(link);
        d.onReply(reply(220, "mx.test ESMTP"));
        d.onReply(reply(250, "mx.test", "PIPELINING"));
        assertThat(link.sent).containsExactly("EHLO probe.test", "QUIT");
        d.onReply(reply(221, "bye"));
        Attempt a = finish(future);
        assertThat(a.verdict()).isEqualTo(Verdict.STARTTLS_UNAVAILABLE);
        assertThat(a.phase()).isEqualTo(Phase.STARTTLS);
        assertThat(a.detail()).contains("does not advertise");
    }

    @Test
    void opportunisticStartTlsContinuesInPlainText() {
        var future = start(SmtpProbe.to("mx.test").port(25));
        Dialogue d = transport.dialogue;
        d.onConnected(link);
        d.onReply(reply(220, "mx.test ESMTP"));
        d.onReply(reply(250, "mx.test", "PIPELINING"));
        d.onReply(reply(221, "bye"));
        Attempt a = finish(future);
        assertThat(a.verdict()).isEqualTo(Verdict.OK);
        assertThat(a.tls()).isNull();
        assertThat(a.detail()).contains("plain text");
    }

    @Test
    void startTls454IsUnavailable() {
        var future = start(SmtpProbe.to("mx.test").port(587));
        Dialogue d = transport.dialogue;
        d.onConnected(link);
        d.onReply(reply(220, "mx.test ESMTP"));
        d.onReply(reply(250, "mx.test", "STARTTLS"));
        d.onReply(new SmtpReply(454, new EnhancedStatus(4, 7, 0), List.of("TLS not available due to temporary reason")));
        Attempt a = finish(future);
        assertThat(a.verdict()).isEqualTo(Verdict.STARTTLS_UNAVAILABLE);
        assertThat(a.detail()).contains("454");
    }

    @Test
    void blocklistRejectionAtGreeting() {
        var future = start(SmtpProbe.to("mx.test").tls(TlsMode.NONE));
        Dialogue d = transport.dialogue;
        d.onConnected(link);
        d.onReply(new SmtpReply(554, new EnhancedStatus(5, 7, 1),
                List.of("Service unavailable; Client host [192.0.2.24] blocked using zen.spamhaus.org")));
        assertThat(link.sent).containsExactly("QUIT");
        Attempt a = finish(future);
        assertThat(a.verdict()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
        assertThat(a.phase()).isEqualTo(Phase.GREETING);
        assertThat(a.policyReason()).isEqualTo(PolicyReason.BLOCKLIST);
        assertThat(a.transcript()).extracting(TranscriptLine::text).anyMatch(t -> t.startsWith("554 5.7.1 Service unavailable"));
    }

    @Test
    void busyAtGreetingIsTransient() {
        var future = start(SmtpProbe.to("mx.test").tls(TlsMode.NONE));
        transport.dialogue.onConnected(link);
        transport.dialogue.onReply(reply(421, "mx.test too many connections, try later"));
        Attempt a = finish(future);
        assertThat(a.verdict()).isEqualTo(Verdict.SMTP_TRANSIENT_REJECTION);
        assertThat(a.policyReason()).isEqualTo(PolicyReason.RATE_LIMIT);
    }

    @Test
    void ehloRejectedFallsBackToHeloOnlyFor500And502() {
        var future = start(SmtpProbe.to("mx.test").tls(TlsMode.NONE));
        Dialogue d = transport.dialogue;
        d.onConnected(link);
        d.onReply(reply(220, "old.test SMTP"));
        d.onReply(reply(502, "command not implemented"));
        assertThat(link.sent).containsExactly("EHLO probe.test", "HELO probe.test");
        d.onReply(reply(250, "old.test"));
        d.onReply(reply(221, "bye"));
        Attempt a = finish(future);
        assertThat(a.verdict()).isEqualTo(Verdict.OK);
        assertThat(a.capabilities().extensions()).isEmpty();
    }

    @Test
    void ehloPolicyRejection() {
        var future = start(SmtpProbe.to("mx.test").tls(TlsMode.NONE));
        Dialogue d = transport.dialogue;
        d.onConnected(link);
        d.onReply(reply(220, "mx.test ESMTP"));
        d.onReply(new SmtpReply(550, new EnhancedStatus(5, 7, 1), List.of("Client host rejected: poor reputation")));
        Attempt a = finish(future);
        assertThat(a.verdict()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
        assertThat(a.phase()).isEqualTo(Phase.EHLO);
        assertThat(a.policyReason()).isEqualTo(PolicyReason.REPUTATION);
    }

    @Test
    void connectFailuresMapToDistinctVerdicts() {
        assertThat(connectFailure(new ConnectException("Connection refused"))).isEqualTo(Verdict.CONNECTION_REFUSED);
        assertThat(connectFailure(new SocketTimeoutException("connect timed out"))).isEqualTo(Verdict.CONNECTION_TIMED_OUT);
        assertThat(connectFailure(new NoRouteToHostException("No route to host"))).isEqualTo(Verdict.NO_ROUTE_TO_HOST);
        assertThat(connectFailure(new ConnectException("Network is unreachable"))).isEqualTo(Verdict.NETWORK_UNREACHABLE);
    }

    @Test
    void connectFailuresThatAreNotTheNetworkNeverClaimRouting() {
        Attempt bind = connectAttempt(new java.net.BindException("Cannot assign requested address"));
        assertThat(bind.verdict()).isEqualTo(Verdict.BLOCKED_LOCALLY);
        assertThat(bind.detail()).contains("not an address of this host").contains("Cannot assign requested address")
                .doesNotContain("null").doesNotContain("unreachable");

        Attempt unknown = connectAttempt(new java.net.SocketException("No buffer space available"));
        assertThat(unknown.verdict()).isEqualTo(Verdict.INTERNAL_ERROR);
        assertThat(unknown.detail()).contains("unclassified").contains("No buffer space available")
                .doesNotContain("null");

        Attempt silent = connectAttempt(new java.net.SocketException());
        assertThat(silent.detail()).contains("unclassified").contains("SocketException").doesNotContain("null");
    }

    @Test
    void epermOnConnectIsBlockedLocally() {
        // EPERM is what a cgroup/eBPF connect hook returns; the network never answers with it. REMOTE is loopback,
        // whose route is not a reject route, so the detail names the hook or a security module.
        Attempt a = connectAttempt(new java.net.SocketException("Operation not permitted (EPERM)"));
        assertThat(a.verdict()).isEqualTo(Verdict.BLOCKED_LOCALLY);
        assertThat(a.detail()).contains("EPERM after").contains("before any packet left").doesNotContain("null");
    }

    @Test
    void eaccesOnConnectToIpv4IsBlockedLocally() {
        // IPv4 reports an ICMP administratively-prohibited answer as EHOSTUNREACH, never as EACCES.
        Attempt a = connectAttempt(new java.net.BindException("Permission denied"));
        assertThat(a.verdict()).isEqualTo(Verdict.BLOCKED_LOCALLY);
        assertThat(a.detail()).contains("EACCES after").doesNotContain("source address").doesNotContain("null");
    }

    @Test
    void typedConnectFailuresAreClassifiedByTheirKindNeverByText() {
        // Messages that would mislead a text match: only the kind may decide.
        Attempt refused = connectAttempt(typed(TransportException.Kind.REFUSED, "network is unreachable"));
        assertThat(refused.verdict()).isEqualTo(Verdict.CONNECTION_REFUSED);
        assertThat(refused.failure().type()).isEqualTo(java.net.ConnectException.class.getName());
        assertThat(connectAttempt(typed(TransportException.Kind.NETWORK_UNREACHABLE, "refused")).verdict())
                .isEqualTo(Verdict.NETWORK_UNREACHABLE);
        assertThat(connectAttempt(typed(TransportException.Kind.HOST_UNREACHABLE, "timed out")).verdict())
                .isEqualTo(Verdict.NO_ROUTE_TO_HOST);
        assertThat(connectAttempt(typed(TransportException.Kind.CONNECT_TIMEOUT, "reset")).verdict())
                .isEqualTo(Verdict.CONNECTION_TIMED_OUT);
        Attempt source = connectAttempt(typed(TransportException.Kind.ADDRESS_UNAVAILABLE,
                "Cannot assign requested address (EADDRNOTAVAIL)"));
        assertThat(source.verdict()).isEqualTo(Verdict.BLOCKED_LOCALLY);
        assertThat(source.detail()).contains("not an address of this host").contains("EADDRNOTAVAIL");
        assertThat(source.failure().type()).isEqualTo(java.net.BindException.class.getName());
        Attempt eperm = connectAttempt(typed(TransportException.Kind.NOT_PERMITTED, "refused"));
        assertThat(eperm.verdict()).isEqualTo(Verdict.BLOCKED_LOCALLY);
        assertThat(eperm.detail()).contains("EPERM after");
        Attempt other = connectAttempt(typed(TransportException.Kind.OTHER, "No buffer space available"));
        assertThat(other.verdict()).isEqualTo(Verdict.INTERNAL_ERROR);
        assertThat(other.detail()).contains("unclassified").contains("No buffer space available");
    }

    @Test
    void aProxyFailureDecidesTheVerdictItCarries() {
        Attempt a = connectAttempt(new ProxyFailure(Verdict.NO_ROUTE_TO_HOST,
                "the SOCKS5 proxy 192.0.2.7:1080 reports the target unreachable"));
        assertThat(a.verdict()).isEqualTo(Verdict.NO_ROUTE_TO_HOST);
        assertThat(a.detail()).isEqualTo("the SOCKS5 proxy 192.0.2.7:1080 reports the target unreachable");
    }

    private static TransportException typed(TransportException.Kind kind, String message) {
        return new TransportException(kind, true, message, null);
    }

    private Attempt connectAttempt(Exception cause) {
        HandOverTransport t = new HandOverTransport();
        SmtpProbe probe = SmtpProbe.to("mx.test").transport(t).build();
        AttemptPlan plan = new AttemptPlan("mx.test", REMOTE, TlsMode.NONE, TestAccess.config(probe), probe.greetingTimeout(),
                Deadline.after(System.nanoTime(), probe.deadline()), System.nanoTime(), t, guarded(ProbeListener.NONE), 0);
        var future = new Conversation(plan).start();
        t.dialogue.onFailure(cause);
        t.dialogue.onClosed();
        Attempt a = future.join();
        assertThat(a.phase()).isEqualTo(Phase.CONNECT);
        return a;
    }

    private Verdict connectFailure(Exception cause) {
        HandOverTransport t = new HandOverTransport();
        SmtpProbe probe = SmtpProbe.to("mx.test").transport(t).build();
        AttemptPlan plan = new AttemptPlan("mx.test", REMOTE, TlsMode.NONE, TestAccess.config(probe), probe.greetingTimeout(),
                Deadline.after(System.nanoTime(), probe.deadline()), System.nanoTime(), t, guarded(ProbeListener.NONE), 0);
        var future = new Conversation(plan).start();
        t.dialogue.onFailure(cause);
        t.dialogue.onClosed();
        Attempt a = future.join();
        assertThat(a.phase()).isEqualTo(Phase.CONNECT);
        assertThat(a.local()).isNull();
        assertThat(a.failure().type()).isEqualTo(cause.getClass().getName());
        return a.verdict();
    }

    @Test
    void noBannerInTimeIsGreetingTimeout() {
        var future = start(SmtpProbe.to("mx.test").tls(TlsMode.NONE).greetingTimeout(Duration.ofMillis(300)));
        transport.dialogue.onConnected(link);
        assertThat(link.timers).containsExactly(Duration.ofMillis(300));
        transport.dialogue.onFailure(new ReplyTimeoutException("no reply"));
        assertThat(link.closed).isTrue();
        Attempt a = finish(future);
        assertThat(a.verdict()).isEqualTo(Verdict.GREETING_TIMEOUT);
        assertThat(a.phase()).isEqualTo(Phase.GREETING);
        assertThat(a.detail()).contains("300 ms");
    }

    @Test
    void closeBeforeGreetingIsReset() {
        var future = start(SmtpProbe.to("mx.test").tls(TlsMode.NONE));
        transport.dialogue.onConnected(link);
        Attempt a = finish(future);
        assertThat(a.verdict()).isEqualTo(Verdict.CONNECTION_RESET);
        assertThat(a.phase()).isEqualTo(Phase.GREETING);
    }

    @Test
    void closeAfterEhloIsProtocolError() {
        var future = start(SmtpProbe.to("mx.test").tls(TlsMode.NONE));
        transport.dialogue.onConnected(link);
        transport.dialogue.onReply(reply(220, "mx.test"));
        Attempt a = finish(future);
        assertThat(a.verdict()).isEqualTo(Verdict.PROTOCOL_ERROR);
        assertThat(a.phase()).isEqualTo(Phase.EHLO);
        assertThat(a.detail()).contains("closed the connection to EHLO");
    }

    @Test
    void otherProtocolAtGreetingIsNotSmtp() {
        var future = start(SmtpProbe.to("mx.test").tls(TlsMode.NONE));
        transport.dialogue.onConnected(link);
        transport.dialogue.onFailure(new SmtpProtocolException(SmtpProtocolException.Kind.NOT_SMTP, "peer speaks SSH, not SMTP"));
        Attempt a = finish(future);
        assertThat(a.verdict()).isEqualTo(Verdict.NOT_SMTP);
        assertThat(a.detail()).contains("SSH");
    }

    @Test
    void plainBannerAnsweringImplicitTlsIsModeMismatch() {
        var future = start(SmtpProbe.to("mx.test").port(587).tls(TlsMode.IMPLICIT));
        assertThat(transport.request.implicitTls()).isNotNull();
        transport.dialogue.onConnected(link);
        transport.dialogue.onFailure(new NotTlsException("220 mx.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII)));
        Attempt a = finish(future);
        assertThat(a.verdict()).isEqualTo(Verdict.TLS_MODE_MISMATCH);
        assertThat(a.phase()).isEqualTo(Phase.CONNECT);
        assertThat(a.detail()).contains("plain-text SMTP banner").contains("220 mx.test ESMTP");
    }

    @Test
    void garbageAfterStartTlsReadyIsHandshakeFailure() {
        var future = start(SmtpProbe.to("mx.test").port(587));
        Dialogue d = transport.dialogue;
        d.onConnected(link);
        d.onReply(reply(220, "mx.test ESMTP"));
        d.onReply(reply(250, "mx.test", "STARTTLS"));
        d.onReply(reply(220, "Ready"));
        d.onFailure(new NotTlsException("garbage".getBytes(StandardCharsets.US_ASCII)));
        Attempt a = finish(future);
        assertThat(a.verdict()).isEqualTo(Verdict.TLS_HANDSHAKE_FAILED);
        assertThat(a.phase()).isEqualTo(Phase.STARTTLS);
    }

    @Test
    void listenerSeesPhasesInOrderAndAThrowingListenerBreaksNothing() {
        List<String> events = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        ProbeListener after = new ProbeListener() {
            @Override
            public void phaseStart(ProbeRun probe, Phase phase, AttemptId attempt) {
                second.add("start " + phase + " " + attempt);
            }

            @Override
            public void phaseEnd(ProbeRun probe, Phase phase, AttemptId attempt, Duration duration) {
                second.add("end " + phase + " " + attempt);
            }

            @Override
            public void phaseFailed(ProbeRun probe, Phase phase, AttemptId attempt, Verdict verdict, Duration duration) {
                second.add("failed " + phase + " " + attempt);
            }
        };
        ProbeListener listener = new ProbeListener() {
            @Override
            public void phaseStart(ProbeRun probe, Phase phase, AttemptId attempt) {
                events.add("start " + phase);
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void phaseEnd(ProbeRun probe, Phase phase, AttemptId attempt, Duration duration) {
                events.add("end " + phase);
            }

            @Override
            public void phaseFailed(ProbeRun probe, Phase phase, AttemptId attempt, Verdict verdict, Duration duration) {
                events.add("failed " + phase + " " + verdict);
            }
        };
        var future = start(SmtpProbe.to("mx.test").tls(TlsMode.NONE), listener, after);
        Dialogue d = transport.dialogue;
        d.onConnected(link);
        d.onReply(reply(220, "mx.test"));
        d.onReply(reply(550, "go away"));
        d.onReply(reply(221, "bye"));
        Attempt a = finish(future);
        assertThat(a.verdict()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
        assertThat(events).containsExactly("start CONNECT", "end CONNECT", "start GREETING", "end GREETING",
                "start EHLO", "failed EHLO SMTP_PERMANENT_REJECTION", "start QUIT", "end QUIT");
        // The listener after the throwing one hears every event too, each naming the attempt.
        String id = new AttemptId(guarded().probe(), 0, "mx.test", REMOTE, TlsMode.NONE).toString();
        assertThat(second).containsExactly("start CONNECT " + id, "end CONNECT " + id, "start GREETING " + id,
                "end GREETING " + id, "start EHLO " + id, "failed EHLO " + id, "start QUIT " + id, "end QUIT " + id);
    }

    @Test
    void transcriptIsBoundedAgainstAFloodOfReplies() {
        var future = start(SmtpProbe.to("mx.test").tls(TlsMode.NONE));
        Dialogue d = transport.dialogue;
        d.onConnected(link);
        d.onReply(reply(220, "mx.test"));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            many.add("X".repeat(5000));
        }
        d.onReply(reply(250, many.toArray(String[]::new)));
        // After the verdict, the server keeps talking: every reply is still evidence, up to the transcript's bounds.
        for (int i = 0; i < 5000; i++) {
            d.onReply(reply(250, "Y".repeat(5000)));
        }
        Attempt a = finish(future);
        // The 25 MB EHLO reply is kept as its first 4 KiB, the cut marked with the bytes not kept.
        assertThat(a.ehlo().text()).hasSizeLessThan(Texts.MAX_LONG_REPLY + 40).endsWith("... 25000903 more bytes");
        assertThat(a.transcript()).hasSizeLessThanOrEqualTo(EvidenceRecorder.MAX_TRANSCRIPT_LINES + 1);
        assertThat(a.transcript()).allSatisfy(l -> assertThat(l.text().length()).isLessThan(EvidenceRecorder.MAX_TRANSCRIPT_LINE_LENGTH + 40));
        assertThat(a.transcript().stream().mapToInt(l -> l.text().length()).sum())
                .isLessThan(EvidenceRecorder.MAX_TRANSCRIPT_CHARS + EvidenceRecorder.MAX_TRANSCRIPT_LINE_LENGTH + 40);
        assertThat(a.transcript().get(a.transcript().size() - 1).text()).endsWith("more lines not kept");
    }

    @Test
    void aTransportThatNeverClosesIsCutOffBySafetyNet() {
        SmtpProbe probe = SmtpProbe.to("mx.test").tls(TlsMode.NONE).transport(transport).build();
        AttemptPlan plan = new AttemptPlan("mx.test", REMOTE, TlsMode.NONE, TestAccess.config(probe), probe.greetingTimeout(),
                Deadline.after(System.nanoTime(), probe.deadline()), System.nanoTime(), transport,
                guarded(ProbeListener.NONE), 0);
        Conversation conversation = new Conversation(plan);
        var future = conversation.start();
        transport.dialogue.onConnected(link);
        assertThat(future).isNotDone();
        conversation.forceFinish("did not report the end of the connection by the deadline", true);
        assertThat(link.closed).isTrue();
        Attempt a = future.join();
        // Connected, and the greeting timer core armed (capped at the deadline) has expired: the greeting timed out,
        // however late the transport is to say so.
        assertThat(a.verdict()).isEqualTo(Verdict.GREETING_TIMEOUT);
        // A late onClosed from the transport changes nothing.
        transport.dialogue.onClosed();
        assertThat(future.join()).isSameAs(a);
    }

    private static SSLSession session(String protocol, String cipher) throws SSLPeerUnverifiedException {
        SSLSession session = Mockito.mock(SSLSession.class);
        Mockito.when(session.getProtocol()).thenReturn(protocol);
        Mockito.when(session.getCipherSuite()).thenReturn(cipher);
        Mockito.when(session.getPeerCertificates()).thenThrow(new SSLPeerUnverifiedException("none"));
        return session;
    }
}
