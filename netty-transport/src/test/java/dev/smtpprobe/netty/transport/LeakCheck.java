package dev.smtpprobe.netty.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a ByteBuf leak while it ran. Use with
 * {@code @ExtendWith(LeakCheck.class)}.
 *
 * <p>Netty notices a leak only when a leaked buffer has been garbage collected and a later allocation polls the
 * detector's reference queue; so after the class this runs the collector and allocates a few buffers before
 * reading what {@link RecordingLeakDetector} recorded.
 */
public final class LeakCheck implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        assertThat(System.getProperty("io.netty.customResourceLeakDetector"))
                .as("the pom installs RecordingLeakDetector for this module's tests")
                .isEqualTo(RecordingLeakDetector.class.getName());
        RecordingLeakDetector.LEAKS.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        List<String> leaks = collectLeaks();
        assertThat(leaks).as("ByteBuf leaks reported by Netty").isEmpty();
    }

    /** Runs GC and allocations until Netty has had its chance to report; returns and clears the reports. */
    static List<String> collectLeaks() throws InterruptedException {
        for (int round = 0; round < 5; round++) {
            System.gc();
            Thread.sleep(20); // reference processing runs on its own thread
            for (ByteBufAllocator alloc : List.of(PooledByteBufAllocator.DEFAULT, UnpooledByteBufAllocator.DEFAULT,
                    ByteBufAllocator.DEFAULT)) {
                for (int i = 0; i < 4; i++) {
                    ByteBuf probe = alloc.buffer(8); // each tracked allocation polls the leak queue
                    probe.release();
                    ByteBuf direct = alloc.directBuffer(8);
                    direct.release();
                }
            }
        }
        List<String> leaks = new ArrayList<>(RecordingLeakDetector.LEAKS);
        RecordingLeakDetector.LEAKS.clear();
        return leaks;
    }
}
