package dev.smtpprobe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.smtpprobe.testkit.TestCertificates;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SmtpProbe.Builder#trustedCertificates(Path)} reads at most 4 MiB: an endless device or an oversized file
 * is a clear {@link IllegalArgumentException} at once, not a thread spinning forever or an exhausted heap. The
 * preemptive timeouts are generous: they only tell "ended" from "never ends".
 */
class TrustFileLimitTest {

    private static final Duration NEVER_ENDS = Duration.ofSeconds(30);

    @Test
    void anEndlessDeviceIsRejectedNamingTheArgument() {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.isReadable(zero), "needs /dev/zero");
        assertTimeoutPreemptively(NEVER_ENDS, () -> assertThatThrownBy(() -> SmtpProbe.to("mx").trustedCertificates(zero))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("trustedCertificates: /dev/zero is larger than 4 MiB"));
    }

    @Test
    void anOversizedFileOfValidCertificatesIsRejected(@TempDir Path dir) throws IOException {
        String pem = TestCertificates.shared().caPem();
        Path big = dir.resolve("big.pem");
        try (Writer w = Files.newBufferedWriter(big, StandardCharsets.US_ASCII)) {
            for (long written = 0; written <= 4 << 20; written += pem.length()) {
                w.write(pem);
            }
        }
        assertThat(Files.size(big)).isGreaterThan(4 << 20);
        assertTimeoutPreemptively(NEVER_ENDS, () -> assertThatThrownBy(() -> SmtpProbe.to("mx").trustedCertificates(big))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("trustedCertificates: " + big + " is larger than 4 MiB"));
    }

    @Test
    void aFileUnderTheLimitIsRead() {
        Path ca = TestCertificates.shared().caPemFile();
        assertThat(SmtpProbe.to("mx").trustedCertificates(ca).build().trustManager().getAcceptedIssuers()).hasSize(1);
    }
}
