package dev.smtpprobe.internal.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.ConfigFinding;
import dev.smtpprobe.ConfigFinding.Code;
import dev.smtpprobe.HostEnvironment;
import dev.smtpprobe.ProxyConfig;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TestAccess;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.internal.ConfiguredTrust;
import dev.smtpprobe.internal.mail.MailPropertiesMapping.ProxySetting;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mapping of each mail property to the probe, key by key; pure (no socket). */
class MailPropertiesMappingTest {

    @TempDir
    Path root;

    /** A plain host: no container facts. */
    private HostEnvironment plainHost() {
        return HostEnvironment.rootedAt(root, Map.of(), List.of());
    }

    private MailPropertiesMapping read(String text) {
        return MailPropertiesMapping.read(properties(text), plainHost());
    }

    static Properties properties(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return p;
    }

    private static List<Code> codes(MailPropertiesMapping m) {
        return m.findings().stream().map(ConfigFinding::code).toList();
    }

    private static ConfigFinding finding(MailPropertiesMapping m, Code code) {
        return m.findings().stream().filter(f -> f.code() == code).findFirst()
                .orElseThrow(() -> new AssertionError("no " + code + " in " + m.findings()));
    }

    private static final String TIMEOUTS = """
            mail.smtp.connectiontimeout=5000
            mail.smtp.timeout=7000
            mail.smtp.writetimeout=7000
            """;

    // ---- host and port -----------------------------------------------------------------------------------

    @Test
    void hostAndPortAreTakenAsConfigured() {
        MailPropertiesMapping m = read("mail.smtp.host=smtp.example.net\nmail.smtp.port=2525\n"
                + "mail.smtp.starttls.enable=true\n" + TIMEOUTS);

        assertThat(m.host()).isEqualTo("smtp.example.net");
        assertThat(m.port()).isEqualTo(2525);
        assertThat(m.findings()).isEmpty();
        SmtpProbe probe = m.configure().build();
        assertThat(probe.host()).isEqualTo("smtp.example.net");
        assertThat(probe.port()).isEqualTo(2525);
    }

    @Test
    void mailHostIsTheFallbackAndThePortDefaultsTo25() {
        MailPropertiesMapping m = read("mail.host=relay.example.net\n");

        assertThat(m.host()).isEqualTo("relay.example.net");
        assertThat(m.port()).isEqualTo(25);
        assertThat(codes(m)).doesNotContain(Code.NO_HOST);
    }

    @Test
    void noHostMeansLocalhost25AndAFinding() {
        MailPropertiesMapping m = read(TIMEOUTS);

        assertThat(m.host()).isEqualTo("localhost");
        assertThat(m.port()).isEqualTo(25);
        assertThat(finding(m, Code.NO_HOST).key()).isEqualTo("mail.smtp.host");
        assertThat(codes(m)).doesNotContain(Code.NO_TLS, Code.LOOPBACK_IN_CONTAINER);
    }

    @Test
    void aPortThatIsNotANumberIsIgnoredAsTheLibraryDoes() {
        MailPropertiesMapping m = read("mail.smtp.host=mx.example.net\nmail.smtp.port=587a\n");

        assertThat(m.port()).isEqualTo(25);
        ConfigFinding f = finding(m, Code.INVALID_VALUE);
        assertThat(f.key()).isEqualTo("mail.smtp.port");
        assertThat(f.value()).isEqualTo("587a");
    }

    @Test
    void aHostWithSchemeAndPortIsProbedAsMeantAndReported() {
        MailPropertiesMapping m = read("mail.smtp.host=smtp://mail.example.net:587\nmail.smtp.port=587\n");

        assertThat(m.host()).isEqualTo("mail.example.net");
        ConfigFinding f = finding(m, Code.HOST_MALFORMED);
        assertThat(f.key()).isEqualTo("mail.smtp.host");
        assertThat(f.value()).isEqualTo("smtp://mail.example.net:587");
        assertThat(f.why()).contains("a scheme (smtp://)").contains("a port (:587)").contains("UnknownHostException");
        assertThat(f.fix()).contains("mail.smtp.host=mail.example.net");
    }

    @Test
    void aHostWithSpacesIsReported() {
        MailPropertiesMapping m = read("mail.smtp.host=mail.example.net \n");

        assertThat(m.host()).isEqualTo("mail.example.net");
        assertThat(finding(m, Code.HOST_MALFORMED).why()).contains("whitespace");
    }

    @Test
    void anIpv6LiteralIsNotTakenForAPort() {
        MailPropertiesMapping m = read("mail.smtp.host=2001:db8::25\n");

        assertThat(m.host()).isEqualTo("2001:db8::25");
        assertThat(codes(m)).doesNotContain(Code.HOST_MALFORMED);
    }

    @Test
    void aHostThatIsNoNameEvenAsMeantIsAnArgumentErrorNamingTheKey() {
        assertThatThrownBy(() -> read("mail.smtp.host=bad_name!.example\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("mail.smtp.host ");
    }

    // ---- protocol and TLS mode ---------------------------------------------------------------------------

    @Test
    void noTlsSettingMeansPlainTextAsJakartaMailDefaults() {
        MailPropertiesMapping m = read("mail.smtp.host=mx.example.net\n");

        assertThat(m.tlsMode()).isEqualTo(TlsMode.NONE);
        assertThat(m.configure().build().tlsMode()).isEqualTo(TlsMode.NONE);
        assertThat(codes(m)).contains(Code.NO_TLS);
    }

    @Test
    void starttlsEnableAndRequired() {
        assertThat(read("mail.smtp.host=mx\nmail.smtp.starttls.enable=true\n").tlsMode()).isEqualTo(TlsMode.STARTTLS);
        MailPropertiesMapping required = read("mail.smtp.host=mx\nmail.smtp.starttls.enable=true\n"
                + "mail.smtp.starttls.required=true\n");
        assertThat(required.tlsMode()).isEqualTo(TlsMode.STARTTLS_REQUIRED);
        assertThat(codes(required)).doesNotContain(Code.STARTTLS_REQUIRED_WITHOUT_ENABLE);
    }

    @Test
    void starttlsRequiredWithoutEnableIsReported() {
        MailPropertiesMapping m = read("mail.smtp.host=mx\nmail.smtp.starttls.required=true\n");

        assertThat(m.tlsMode()).isEqualTo(TlsMode.STARTTLS_REQUIRED);
        assertThat(finding(m, Code.STARTTLS_REQUIRED_WITHOUT_ENABLE).fix()).contains("mail.smtp.starttls.enable=true");
    }

    @Test
    void sslEnableIsImplicitTls() {
        MailPropertiesMapping m = read("mail.smtp.host=mx\nmail.smtp.port=465\nmail.smtp.ssl.enable=true\n");

        assertThat(m.tlsMode()).isEqualTo(TlsMode.IMPLICIT);
        assertThat(codes(m)).doesNotContain(Code.PORT_TLS_MISMATCH, Code.NO_TLS);
    }

    @Test
    void smtpsProtocolReadsSmtpsKeysAndDefaultsTo465() {
        MailPropertiesMapping m = read("mail.transport.protocol=smtps\nmail.smtps.host=mx.example.net\n"
                + "mail.smtps.connectiontimeout=3000\nmail.smtp.host=ignored.example.net\n");

        assertThat(m.protocol()).isEqualTo("smtps");
        assertThat(m.host()).isEqualTo("mx.example.net");
        assertThat(m.port()).isEqualTo(465);
        assertThat(m.tlsMode()).isEqualTo(TlsMode.IMPLICIT);
        assertThat(m.connectTimeout()).contains(Duration.ofSeconds(3));
        ConfigFinding ignored = finding(m, Code.KEY_IGNORED);
        assertThat(ignored.key()).isEqualTo("mail.smtp.host");
        assertThat(ignored.fix()).contains("mail.smtps.host");
    }

    @Test
    void smtpsKeysAreIgnoredWhileTheProtocolIsSmtp() {
        MailPropertiesMapping m = read("mail.smtp.host=mx\nmail.smtps.ssl.trust=*\n");

        assertThat(m.trustsServer()).isFalse();
        assertThat(finding(m, Code.KEY_IGNORED).key()).isEqualTo("mail.smtps.ssl.trust");
    }

    @Test
    void anUnknownProtocolIsReportedAndSmtpAssumed() {
        MailPropertiesMapping m = read("mail.transport.protocol=SMTP\nmail.smtp.host=mx\n");

        assertThat(m.protocol()).isEqualTo("smtp");
        assertThat(finding(m, Code.INVALID_VALUE).key()).isEqualTo("mail.transport.protocol");
    }

    @Test
    void implicitTlsOn587AndPlainOn465AreMismatches() {
        ConfigFinding on587 = finding(read("mail.smtp.host=mx\nmail.smtp.port=587\nmail.smtp.ssl.enable=true\n"),
                Code.PORT_TLS_MISMATCH);
        assertThat(on587.key()).isEqualTo("mail.smtp.ssl.enable");
        assertThat(on587.why()).contains("port 587");
        ConfigFinding on465 = finding(read("mail.smtp.host=mx\nmail.smtp.port=465\nmail.smtp.starttls.enable=true\n"),
                Code.PORT_TLS_MISMATCH);
        assertThat(on465.key()).isEqualTo("mail.smtp.port");
        assertThat(on465.fix()).contains("mail.smtp.ssl.enable=true");
        MailPropertiesMapping defaultPort = read("mail.smtp.host=mx\nmail.smtp.ssl.enable=true\n");
        assertThat(defaultPort.port()).as("Angus's default port follows ssl.enable").isEqualTo(465);
        assertThat(codes(defaultPort)).doesNotContain(Code.PORT_TLS_MISMATCH);
    }

    @Test
    void booleanObjectsCountAsJakartaMailAllowsThem() {
        Properties p = new Properties();
        p.put("mail.smtp.host", "mx.example.net");
        p.put("mail.smtp.starttls.enable", Boolean.TRUE);
        p.put("mail.smtp.ssl.checkserveridentity", Boolean.FALSE);

        MailPropertiesMapping m = MailPropertiesMapping.read(p, plainHost());

        assertThat(m.tlsMode()).isEqualTo(TlsMode.STARTTLS);
        assertThat(m.checksServerIdentity()).isFalse();
    }

    @Test
    void aTrueWithTrailingWhitespaceIsFalseForTheLibraryAndReported() {
        MailPropertiesMapping m = read("mail.smtp.host=mx\nmail.smtp.starttls.enable=true \n");

        assertThat(m.tlsMode()).isEqualTo(TlsMode.NONE);
        ConfigFinding f = finding(m, Code.INVALID_VALUE);
        assertThat(f.key()).isEqualTo("mail.smtp.starttls.enable");
        assertThat(f.why()).contains("whitespace");
    }

    // ---- timeouts ----------------------------------------------------------------------------------------

    @Test
    void timeoutsMapToConnectGreetingAndReplyTimeouts() {
        MailPropertiesMapping m = read("mail.smtp.host=mx\nmail.smtp.starttls.enable=true\n" + TIMEOUTS);

        SmtpProbe probe = m.configure().build();
        assertThat(probe.connectTimeout()).isEqualTo(Duration.ofMillis(5000));
        assertThat(probe.greetingTimeout()).isEqualTo(Duration.ofMillis(7000));
        assertThat(probe.replyTimeout()).isEqualTo(Duration.ofMillis(7000));
        assertThat(codes(m)).doesNotContain(Code.TIMEOUT_MISSING);
    }

    @Test
    void missingTimeoutsAreInfiniteForTheLibraryButBoundedForTheProbe() {
        MailPropertiesMapping m = read("mail.smtp.host=mx\nmail.smtp.timeout=0\n");

        assertThat(m.findings()).filteredOn(f -> f.code() == Code.TIMEOUT_MISSING).extracting(ConfigFinding::key)
                .containsExactly("mail.smtp.connectiontimeout", "mail.smtp.timeout", "mail.smtp.writetimeout");
        SmtpProbe probe = m.configure().build();
        assertThat(probe.connectTimeout()).isEqualTo(SmtpProbe.DEFAULT_CONNECT_TIMEOUT);
        assertThat(probe.replyTimeout()).isEqualTo(SmtpProbe.DEFAULT_REPLY_TIMEOUT);
    }

    @Test
    void aTimeoutWithAUnitIsIgnoredByTheLibrary() {
        MailPropertiesMapping m = read("mail.smtp.host=mx\nmail.smtp.connectiontimeout=5s\n");

        assertThat(m.connectTimeout()).isEmpty();
        ConfigFinding f = finding(m, Code.INVALID_VALUE);
        assertThat(f.key()).isEqualTo("mail.smtp.connectiontimeout");
        assertThat(f.why()).contains("forever");
    }

    @Test
    void aHugeTimeoutIsCappedAtTheProbesLimit() {
        MailPropertiesMapping m = read("mail.smtp.host=mx\nmail.smtp.timeout=999999999999\n");

        assertThat(m.readTimeout()).contains(SmtpProbe.MAX_TIMEOUT);
    }

    // ---- unknown keys ------------------------------------------------------------------------------------

    @Test
    void aMisspeltKeyIsReportedWithTheKeyItProbablyMeant() {
        MailPropertiesMapping m = read("mail.smtp.host=mx\nmail.smtp.connecttimeout=5000\n");

        ConfigFinding f = finding(m, Code.UNKNOWN_KEY);
        assertThat(f.key()).isEqualTo("mail.smtp.connecttimeout");
        assertThat(f.value()).isEqualTo("5000");
        assertThat(f.why()).contains("mail.smtp.connectiontimeout");
        assertThat(f.fix()).isEqualTo("Rename it to mail.smtp.connectiontimeout.");
        assertThat(m.findings()).filteredOn(x -> x.code() == Code.TIMEOUT_MISSING).extracting(ConfigFinding::key)
                .contains("mail.smtp.connectiontimeout");
    }

    @Test
    void aKeyInTheWrongCaseIsMatchedToTheDocumentedOne() {
        ConfigFinding f = finding(read("mail.smtp.host=mx\nmail.smtp.starttls.Enable=true\n"), Code.UNKNOWN_KEY);

        assertThat(f.fix()).isEqualTo("Rename it to mail.smtp.starttls.enable.");
    }

    @Test
    void aKeyFarFromAnyDocumentedOneGetsNoGuess() {
        ConfigFinding f = finding(read("mail.smtp.host=mx\nmail.smtp.frobnicate=1\n"), Code.UNKNOWN_KEY);

        assertThat(f.why()).doesNotContain("misspelling");
    }

    @Test
    void aPasswordPropertyIsReportedWithItsValueMasked() {
        MailPropertiesMapping m = read("mail.smtp.host=mx\nmail.smtp.password=hunter2secret\n"
                + "mail.smtp.proxy.host=proxy.example.net\nmail.smtp.proxy.password=alsoSecret\n");

        ConfigFinding f = finding(m, Code.UNKNOWN_KEY);
        assertThat(f.key()).isEqualTo("mail.smtp.password");
        assertThat(f.value()).isEqualTo("****");
        assertThat(m.findings().toString()).doesNotContain("hunter2secret").doesNotContain("alsoSecret");
    }

    @Test
    void documentedKeysAndOtherMailKeysAreNotReported() {
        MailPropertiesMapping m = read("mail.smtp.host=mx\nmail.smtp.quitwait=false\nmail.smtp.auth.mechanisms=PLAIN\n"
                + "mail.debug=true\nmail.mime.charset=UTF-8\n");

        assertThat(codes(m)).doesNotContain(Code.UNKNOWN_KEY, Code.KEY_IGNORED);
    }

    // ---- auth, from, EHLO name, local address ------------------------------------------------------------

    @Test
    void authWithUserGivesTheUserForTheCallersPassword() {
        MailPropertiesMapping m = read("mail.smtp.host=mx\nmail.smtp.auth=true\nmail.smtp.user=alice@example.net\n");

        assertThat(m.user()).contains("alice@example.net");
        assertThat(m.authenticates()).isTrue();
        assertThat(m.configure().build().authUsername()).as("no credentials without the caller's password").isNull();
    }

    @Test
    void authWithoutUserIsReported() {
        MailPropertiesMapping m = read("mail.smtp.host=mx\nmail.smtp.auth=true\n");

        assertThat(m.user()).isEmpty();
        assertThat(finding(m, Code.AUTH_WITHOUT_USER).key()).isEqualTo("mail.smtp.auth");
    }

    @Test
    void fromLocalhostAndLocalAddress() {
        MailPropertiesMapping m = read("mail.smtp.host=mx\nmail.smtp.from=app@example.net\n"
                + "mail.smtp.localhost=app.example.net\nmail.smtp.localaddress=127.0.0.1\n");

        assertThat(m.from()).contains("app@example.net");
        SmtpProbe probe = m.configure().build();
        assertThat(probe.ehloName()).isEqualTo("app.example.net");
        assertThat(probe.sourceAddress()).isEqualTo(InetAddress.getLoopbackAddress());
    }

    @Test
    void anInvalidEhloNameIsReportedAndNotUsed() {
        MailPropertiesMapping m = read("mail.smtp.host=mx\nmail.smtp.localhost=my host\n");

        assertThat(m.ehloName()).isEmpty();
        assertThat(finding(m, Code.INVALID_VALUE).key()).isEqualTo("mail.smtp.localhost");
    }

    // ---- trust and identity ------------------------------------------------------------------------------

    @Test
    void identityIsCheckedByDefaultAsInAngusMail2() {
        MailPropertiesMapping m = read("mail.smtp.host=mx\n");

        assertThat(m.checksServerIdentity()).isTrue();
        assertThat(m.configure().build().verifyHostname()).isTrue();
        assertThat(m.configure().build().trustManager()).as("the JDK's default trust").isNull();
    }

    @Test
    void checkServerIdentityFalseIsReported() {
        MailPropertiesMapping m = read("mail.smtp.host=mx\nmail.smtp.ssl.checkserveridentity=false\n");

        assertThat(m.configure().build().verifyHostname()).isFalse();
        assertThat(codes(m)).contains(Code.SERVER_IDENTITY_NOT_CHECKED);
    }

    @Test
    void trustStarTrustsAsConfiguredAndIsReported() {
        MailPropertiesMapping m = read("mail.smtp.host=mx\nmail.smtp.ssl.trust=*\n");

        assertThat(m.trustsServer()).isTrue();
        assertThat(m.configure().build().trustManager()).isInstanceOf(ConfiguredTrust.class);
        assertThat(finding(m, Code.TRUST_ALL).value()).isEqualTo("*");
    }

    @Test
    void aTrustedHostListTrustsOnlyTheHostsItNames() {
        MailPropertiesMapping named = read("mail.smtp.host=mx.example.net\nmail.smtp.ssl.trust=other mx.example.net\n");
        MailPropertiesMapping other = read("mail.smtp.host=mx.example.net\nmail.smtp.ssl.trust=other.example.net\n");

        assertThat(named.trustsServer()).isTrue();
        assertThat(codes(named)).contains(Code.TRUST_ALL);
        assertThat(other.trustsServer()).isFalse();
        assertThat(other.configure().build().trustManager()).isNull();
        assertThat(codes(other)).doesNotContain(Code.TRUST_ALL);
    }

    @Test
    void sslProtocolsAndSocketFactoriesAreWhereTheLibraryDiffers() {
        MailPropertiesMapping m = read("mail.smtp.host=mx\nmail.smtp.ssl.protocols=TLSv1.2\n"
                + "mail.smtp.socketFactory.class=javax.net.ssl.SSLSocketFactory\n");

        assertThat(m.findings()).filteredOn(f -> f.code() == Code.LIBRARY_DIFFERS).extracting(ConfigFinding::key)
                .containsExactly("mail.smtp.ssl.protocols", "mail.smtp.socketFactory.class");
    }

    // ---- proxy -------------------------------------------------------------------------------------------

    @Test
    void socksHostAndPortAreParsedForTheProbesProxy() {
        MailPropertiesMapping m = read("mail.smtp.host=mx\nmail.smtp.socks.host=socks.example.net\n");

        assertThat(m.proxy()).contains(new ProxySetting(ProxySetting.Type.SOCKS, "socks.example.net", 1080, null));
        assertThat(TestAccess.config(m.configure().build()).proxy())
                .contains(ProxyConfig.socks5("socks.example.net", 1080));
        assertThat(m.findings()).extracting(ConfigFinding::code).doesNotContain(Code.LIBRARY_DIFFERS);
    }

    @Test
    void anHttpProxyWithUserAndPasswordIsTheProbesProxyWithBasicCredentials() {
        MailPropertiesMapping m = read("mail.smtp.host=mx\nmail.smtp.proxy.host=proxy.example.net:3128\n"
                + "mail.smtp.proxy.user=bob\nmail.smtp.proxy.password=alsoSecret\n");

        ProxyConfig proxy = TestAccess.config(m.configure().build()).proxy().orElseThrow();
        assertThat(proxy).isEqualTo(ProxyConfig.httpConnect("proxy.example.net", 3128)
                .withCredentials("bob", "alsoSecret".toCharArray()));
        assertThat(m.findings()).extracting(ConfigFinding::code).doesNotContain(Code.LIBRARY_DIFFERS);
        assertThat(m.findings().toString() + proxy).doesNotContain("alsoSecret");
    }

    @Test
    void aProxyTheProbeCannotUseIsReportedAndNotApplied() {
        MailPropertiesMapping m = read("mail.smtp.host=mx\nmail.smtp.proxy.host=bad_name!\n");

        assertThat(finding(m, Code.LIBRARY_DIFFERS).key()).isEqualTo("mail.smtp.proxy.host");
        assertThat(TestAccess.config(m.configure().build()).proxy()).isEmpty();
    }

    @Test
    void anHttpProxyWinsOverSocksAndMayCarryItsPort() {
        MailPropertiesMapping m = read("mail.smtp.host=mx\nmail.smtp.proxy.host=proxy.example.net:3128\n"
                + "mail.smtp.proxy.user=bob\nmail.smtp.socks.host=socks.example.net\nmail.smtp.socks.port=1081\n");

        assertThat(m.proxy()).contains(new ProxySetting(ProxySetting.Type.HTTP, "proxy.example.net", 3128, "bob"));
        assertThat(read("mail.smtp.host=mx\nmail.smtp.proxy.host=p\n").proxy().orElseThrow().port()).isEqualTo(80);
        assertThat(read("mail.smtp.host=mx\n").proxy()).isEmpty();
    }

    // ---- containers --------------------------------------------------------------------------------------

    @Test
    void localhostInsideADockerContainerIsReported() throws IOException {
        Files.createFile(root.resolve(".dockerenv"));

        MailPropertiesMapping m = read("mail.smtp.host=localhost\n");

        ConfigFinding f = finding(m, Code.LOOPBACK_IN_CONTAINER);
        assertThat(f.why()).contains("/.dockerenv exists");
        assertThat(f.fix()).contains("host.docker.internal");
    }

    @Test
    void loopbackInsideKubernetesIsReported() {
        HostEnvironment pod = HostEnvironment.rootedAt(root, Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1"), List.of());

        MailPropertiesMapping m = MailPropertiesMapping.read(properties("mail.smtp.host=127.0.0.1\n"), pod);

        assertThat(finding(m, Code.LOOPBACK_IN_CONTAINER).why()).contains("KUBERNETES_SERVICE_HOST");
    }

    @Test
    void noHostInAContainerIsBothFindings() throws IOException {
        Files.createDirectories(root.resolve("run"));
        Files.createFile(root.resolve("run/.containerenv"));

        assertThat(codes(read(""))).contains(Code.NO_HOST, Code.LOOPBACK_IN_CONTAINER);
    }

    @Test
    void loopbackOnAPlainHostAndARemoteHostInAContainerAreFine() throws IOException {
        assertThat(codes(read("mail.smtp.host=localhost\n"))).doesNotContain(Code.LOOPBACK_IN_CONTAINER);
        Files.createFile(root.resolve(".dockerenv"));
        assertThat(codes(read("mail.smtp.host=mx.example.net\n"))).doesNotContain(Code.LOOPBACK_IN_CONTAINER);
    }

    // ---- the public entry point --------------------------------------------------------------------------

    @Test
    void fromMailPropertiesCarriesTheFindingsIntoTheBuiltProbe() {
        SmtpProbe probe = SmtpProbe.fromMailProperties(properties("mail.smtp.host=mx.example.net\n"
                + "mail.smtp.port=587\nmail.smtp.starttls.enable=true\nmail.smtp.connecttimeout=5000\n")).build();

        assertThat(probe.port()).isEqualTo(587);
        assertThat(probe.tlsMode()).isEqualTo(TlsMode.STARTTLS);
        assertThat(probe.configFindings()).extracting(ConfigFinding::code).startsWith(Code.UNKNOWN_KEY)
                .contains(Code.TIMEOUT_MISSING);
        assertThat(SmtpProbe.to("mx.example.net").build().configFindings()).isEmpty();
    }

    @Test
    void nullPropertiesAreRejectedNamingTheArgument() {
        assertThatThrownBy(() -> SmtpProbe.fromMailProperties(null))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("properties must not be null");
    }

    @Test
    void findingsReadAsOneLine() {
        ConfigFinding f = finding(read("mail.smtp.host=mx\nmail.smtp.connecttimeout=5000\n"), Code.UNKNOWN_KEY);

        assertThat(f.toString()).startsWith("UNKNOWN_KEY mail.smtp.connecttimeout=5000: ")
                .contains(" Fix: Rename it to mail.smtp.connectiontimeout.");
    }
}
