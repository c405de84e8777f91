package dev.smtpprobe.spring.boot;

import dev.smtpprobe.SmtpProbe;

/**
 * Adjusts the probe the starter builds from {@code spring.mail.*} before it is built, e.g. to trust the same
 * certificates as the application's mail sender: declare one or more as beans.
 *
 * <pre>{@code
 * @Bean
 * SmtpProbeBuilderCustomizer mailTrust(KeyStore mailTrustStore) {
 *     return builder -> builder.trustStore(mailTrustStore);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface SmtpProbeBuilderCustomizer {

    /**
     * Adjusts {@code builder}.
     *
     * @param builder the starter's builder, already configured from {@code spring.mail.*} and {@code smtp-probe.*}
     */
    void customize(SmtpProbe.Builder builder);
}
