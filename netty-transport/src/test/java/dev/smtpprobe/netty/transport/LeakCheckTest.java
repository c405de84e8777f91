package dev.smtpprobe.netty.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The leak check itself can fail: a buffer leaked on purpose is reported. */
class LeakCheckTest {

    @Test
    void aLeakedBufferIsReported() throws InterruptedException {
        LeakCheck.collectLeaks(); // start clean
        RecordingLeakDetector.quiet = true;
        try {
            leakOne();
            assertThat(LeakCheck.collectLeaks()).anySatisfy(leak -> assertThat(leak).contains("LEAK")
                    .contains("leakOne"));
        } finally {
            RecordingLeakDetector.quiet = false;
        }
    }

    private static void leakOne() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(16);
        buf.writeInt(42); // never released, and the reference dies with this frame
    }
}
