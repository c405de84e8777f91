package dev.smtpprobe.netty.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import org.junit.jupiter.api.Test;

/**
 * Run by the build's JFR leg only (the {@code jfr} profile of this module's pom; the name keeps it out of the plain
 * test run): fails the leg when its JVM has no running flight recording of every socket read and write, so the leg
 * cannot quietly turn into a plain run of the same tests.
 */
class JfrLegSelfCheck {

    @Test
    void aRecordingOfEverySocketReadAndWriteIsRunning() {
        List<Recording> running = FlightRecorder.getFlightRecorder().getRecordings().stream()
                .filter(r -> r.getState() == RecordingState.RUNNING)
                .collect(Collectors.toList());
        assertThat(running).as("running flight recordings (-XX:StartFlightRecording)").anySatisfy(r ->
                assertThat(r.getSettings())
                        .containsEntry("jdk.SocketRead#enabled", "true")
                        .containsEntry("jdk.SocketRead#threshold", "0 ms")
                        .containsEntry("jdk.SocketWrite#enabled", "true")
                        .containsEntry("jdk.SocketWrite#threshold", "0 ms"));
    }
}
