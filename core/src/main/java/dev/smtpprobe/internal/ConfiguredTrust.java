package dev.smtpprobe.internal;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.function.Consumer;
import javax.net.ssl.X509TrustManager;

/**
 * The trust of an application whose mail configuration trusts the server whatever it shows ({@code ssl.trust=*},
 * or a host list naming the server): every chain is accepted, as the application accepts it, but a chain the JDK's
 * default trust would refuse is reported to {@code observer} with the reason ("certificate ... expired ..."), so a
 * probe that passes like the application still tells what a strict client would see.
 *
 * <p>A plain {@link X509TrustManager} on purpose: {@link RecordingTrustManager} then checks the host name itself
 * when the probe verifies it, which is what the application's library does after accepting the chain. When the
 * probe does not verify it ({@code checkserveridentity=false}), this class reports a mismatch without failing.
 * This class is threadsafe when the observer is.
 */
public final class ConfiguredTrust implements X509TrustManager {

    private final String host;
    private final boolean hostVerifiedByProbe;
    private final Consumer<String> observer;
    private final Clock clock;

    /**
     * @param host                the host the application connects to (for the host name check)
     * @param hostVerifiedByProbe whether the probe checks the host name itself (then a mismatch fails the probe)
     * @param observer            receives one sentence per problem found; must not block
     * @param clock               judges validity dates in the reported detail
     */
    public ConfiguredTrust(String host, boolean hostVerifiedByProbe, Consumer<String> observer, Clock clock) {
        this.host = Arguments.requireNonNull(host, "host");
        this.hostVerifiedByProbe = hostVerifiedByProbe;
        this.observer = Arguments.requireNonNull(observer, "observer");
        this.clock = Arguments.requireNonNull(clock, "clock");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        try {
            TrustMaterial.jdkDefault().checkServerTrusted(chain, authType);
        } catch (CertificateException | RuntimeException refused) {
            observer.accept(CertificateProblems.classify(refused, chain, host, clock.instant())
                    .map(CertificateProblems.CertificateProblem::detail)
                    .orElse("the JDK's default trust refuses the chain: " + refused.getMessage()));
        }
        if (!hostVerifiedByProbe && chain != null && chain.length > 0) {
            try {
                HostnameMatcher.check(host, chain[0]);
            } catch (CertificateException mismatch) {
                observer.accept(mismatch.getMessage());
            }
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("smtp-probe only checks servers");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }

    @Override
    public String toString() {
        return "ConfiguredTrust[accepts every chain of " + host + ", reports what the JDK would refuse]";
    }
}
