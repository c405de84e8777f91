package dev.smtpprobe.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.smtpprobe.internal.tls.MtaSts.Discovery;
import dev.smtpprobe.internal.tls.MtaSts.Failed;
import dev.smtpprobe.internal.tls.MtaSts.Found;
import dev.smtpprobe.internal.tls.MtaSts.NotPublished;
import dev.smtpprobe.internal.tls.MtaStsPolicy.Mode;
import dev.smtpprobe.testkit.ServerCertificate;
import dev.smtpprobe.testkit.TestCertificates;
import dev.smtpprobe.testkit.dns.MockDnsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MTA-STS discovery against real sockets: the TXT record from the testkit's DNS server, the policy from a loopback
 * HTTPS server whose certificate (issued by the test CA) names {@code mta-sts.example.test}; the fetcher connects to
 * loopback through its address seam and still verifies the certificate as the policy host.
 */
class MtaStsDiscoveryTest {

    private static final String DOMAIN = "example.test";
    private static final String POLICY_HOST = "mta-sts." + DOMAIN;
    private static final String ENFORCE = "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.test\r\n"
            + "mx: *.mail.example.test\r\nmax_age: 86400\r\n";
    private static ServerCertificate policyHostCertificate;

    private MockDnsServer dns;
    private HttpsServer https;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> routed = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeAll
    static void certificate() {
        policyHostCertificate = TestCertificates.shared().issuedFor(POLICY_HOST);
    }

    @AfterAll
    static void forget() {
        policyHostCertificate = null;
    }

    @BeforeEach
    void startDns() {
        dns = MockDnsServer.start();
        dns.txt("_mta-sts." + DOMAIN, "v=STSv1; id=20261202T1700;");
    }

    @AfterEach
    void stop() {
        release.countDown();
        dns.close();
        if (https != null) {
            https.stop(0);
        }
    }

    @Test
    void anEnforcePolicyIsFoundAndItsPatternsDecideWhichMxHostsItAllows() throws Exception {
        serve(ok("text/plain; charset=utf-8", ENFORCE));

        Discovery discovery = discover(Duration.ofSeconds(5));

        assertThat(discovery).isInstanceOf(Found.class);
        Found found = (Found) discovery;
        assertThat(found.id()).isEqualTo("20261202T1700");
        assertThat(found.policy().mode()).isEqualTo(Mode.ENFORCE);
        assertThat(found.policy().maxAge()).isEqualTo(Duration.ofDays(1));
        assertThat(found.policy().allowsMx("mx1.example.test")).isTrue();
        assertThat(found.policy().allowsMx("eu.mail.example.test")).isTrue();
        // The MX a mismatched zone points at: the policy does not list it, so an enforcing sender refuses it.
        assertThat(found.policy().allowsMx("mx.hoster.invalid")).isFalse();
        assertThat(requests).containsExactly("GET /.well-known/mta-sts.txt host=" + POLICY_HOST);
        assertThat(routed).containsExactly(POLICY_HOST);
        assertThat(dns.queries("_mta-sts." + DOMAIN)).isNotEmpty();
    }

    @Test
    void aTestingPolicyIsFoundWithItsMode() throws Exception {
        serve(ok("text/plain", ENFORCE.replace("enforce", "testing")));

        Discovery discovery = discover(Duration.ofSeconds(5));

        assertThat(discovery).isInstanceOfSatisfying(Found.class,
                f -> assertThat(f.policy().mode()).isEqualTo(Mode.TESTING));
    }

    @Test
    void aMissingPolicyIsAFetchError() throws Exception {
        serve(exchange -> respond(exchange, 404, "text/plain", "not here"));

        assertFailed(discover(Duration.ofSeconds(5)), TlsRptResultType.STS_POLICY_FETCH_ERROR, "HTTP 404");
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        serve(exchange -> {
            if (exchange.getRequestURI().getPath().equals(PolicyFetcher.PATH)) {
                exchange.getResponseHeaders().set("Location", "https://" + POLICY_HOST + "/elsewhere.txt");
                respond(exchange, 301, "text/plain", "moved");
            } else {
                respond(exchange, 200, "text/plain", ENFORCE);
            }
        });

        assertFailed(discover(Duration.ofSeconds(5)), TlsRptResultType.STS_POLICY_FETCH_ERROR, "HTTP 301");
        assertThat(requests).hasSize(1);
    }

    @Test
    void anOversizedPolicyIsAFetchErrorWithOrWithoutAContentLength() throws Exception {
        String huge = ENFORCE + "x".repeat(PolicyFetcher.MAX_BODY_BYTES);
        serve(exchange -> {
            byte[] body = huge.getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            boolean announced = requests.size() == 1; // the first answer announces its length, the second does not
            exchange.sendResponseHeaders(200, announced ? body.length : 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            } catch (IOException e) {
                // the client hung up after 64 KiB: expected
            }
        });

        assertFailed(discover(Duration.ofSeconds(5)), TlsRptResultType.STS_POLICY_FETCH_ERROR, "larger than 65536");
        assertFailed(discover(Duration.ofSeconds(5)), TlsRptResultType.STS_POLICY_FETCH_ERROR, "larger than 65536");
    }

    @Test
    void aSlowServerIsCutOffAtTheTimeout() throws Exception {
        serve(exchange -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, "text/plain", ENFORCE);
        });

        long start = System.nanoTime();
        Discovery discovery = discover(Duration.ofMillis(500));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertFailed(discovery, TlsRptResultType.STS_POLICY_FETCH_ERROR, "within 500 ms");
        assertThat(millis).isLessThan(5_000);
    }

    @Test
    void aCertificateForAnotherNameIsAWebPkiFailure() throws Exception {
        serve(TestCertificates.shared().wrongHost(), ok("text/plain", ENFORCE));

        assertFailed(discover(Duration.ofSeconds(5)), TlsRptResultType.STS_WEBPKI_INVALID, "certificate");
        assertThat(requests).isEmpty();
    }

    @Test
    void anUntrustedCertificateIsAWebPkiFailure() throws Exception {
        serve(TestCertificates.generate().issuedFor(POLICY_HOST), ok("text/plain", ENFORCE));

        assertFailed(discover(Duration.ofSeconds(5)), TlsRptResultType.STS_WEBPKI_INVALID, "certificate");
    }

    @Test
    void anotherContentTypeOrBadSyntaxIsAnInvalidPolicy() throws Exception {
        serve(ok("text/html", ENFORCE));
        assertFailed(discover(Duration.ofSeconds(5)), TlsRptResultType.STS_POLICY_INVALID, "text/html");

        https.stop(0);
        serve(ok("text/plain", "version: STSv1\r\nmode: enforce\r\nmax_age: 60\r\n"));
        assertFailed(discover(Duration.ofSeconds(5)), TlsRptResultType.STS_POLICY_INVALID, "no mx field");
    }

    @Test
    void noRecordOrTwoRecordsOrNoIdMeanNoPolicyAndNoFetch() throws Exception {
        serve(ok("text/plain", ENFORCE));
        dns.remove("_mta-sts." + DOMAIN).txt("_mta-sts." + DOMAIN, "v=spf1 -all");
        assertThat(discover(Duration.ofSeconds(5))).isInstanceOfSatisfying(NotPublished.class,
                n -> assertThat(n.reason()).contains("no v=STSv1"));

        dns.txt("_mta-sts." + DOMAIN, "v=STSv1; id=a;").txt("_mta-sts." + DOMAIN, "v=STSv1; id=b;");
        assertThat(discover(Duration.ofSeconds(5))).isInstanceOfSatisfying(NotPublished.class,
                n -> assertThat(n.reason()).contains("2 v=STSv1"));

        dns.remove("_mta-sts." + DOMAIN).txt("_mta-sts." + DOMAIN, "v=STSv1; id=has-a-dash;");
        assertThat(discover(Duration.ofSeconds(5))).isInstanceOfSatisfying(NotPublished.class,
                n -> assertThat(n.reason()).contains("no valid id"));
        assertThat(requests).isEmpty();
    }

    @Test
    void aFailedTxtLookupIsAFetchErrorWithoutAnId() {
        dns.behave("_mta-sts." + DOMAIN, MockDnsServer.Behaviour.SERVFAIL);

        Discovery discovery = discover(Duration.ofSeconds(5));

        assertFailed(discovery, TlsRptResultType.STS_POLICY_FETCH_ERROR, "SERVFAIL");
        assertThat(((Failed) discovery).id()).isNull();
    }

    @Test
    void aDomainThatIsNotAHostNameIsRejectedBeforeAnyQuery() {
        MtaSts sts = new MtaSts(TxtLookup.using(dns.address(), Duration.ofSeconds(2)),
                new PolicyFetcher(TestCertificates.shared().clientContext(), null, Duration.ofSeconds(1)));

        assertThatIllegalArgumentException().isThrownBy(() -> sts.discover("example.test\r\nX-Injected: 1"))
                .withMessageContaining("domain");
        assertThatIllegalArgumentException().isThrownBy(() -> sts.discover(" ")).withMessageContaining("domain");
        assertThat(dns.queries()).isEmpty();
    }

    private Discovery discover(Duration timeout) {
        InetSocketAddress target = https == null ? new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)
                : new InetSocketAddress(InetAddress.getLoopbackAddress(), https.getAddress().getPort());
        PolicyFetcher fetcher = new PolicyFetcher(TestCertificates.shared().clientContext(), host -> {
            routed.add(host);
            return target;
        }, timeout);
        return new MtaSts(TxtLookup.using(dns.address(), Duration.ofSeconds(2)), fetcher).discover(DOMAIN);
    }

    private static void assertFailed(Discovery discovery, TlsRptResultType type, String detail) {
        assertThat(discovery).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.type()).isEqualTo(type);
            assertThat(f.detail()).contains(detail);
        });
    }

    private void serve(HttpHandler handler) throws IOException {
        serve(policyHostCertificate, handler);
    }

    private void serve(ServerCertificate certificate, HttpHandler handler) throws IOException {
        https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(certificate.sslContext()));
        https.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "mta-sts-test-https");
            t.setDaemon(true);
            return t;
        }));
        https.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " host="
                    + exchange.getRequestHeaders().getFirst("Host"));
            handler.handle(exchange);
        });
        https.start();
    }

    private static HttpHandler ok(String contentType, String body) {
        return exchange -> respond(exchange, 200, contentType, body);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
