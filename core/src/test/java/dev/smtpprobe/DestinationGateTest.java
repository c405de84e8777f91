package dev.smtpprobe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The order a batch starts its probes in, with one (or more) per destination in flight. Pure bookkeeping. */
class DestinationGateTest {

    @Test
    void a_busy_destination_waits_while_later_ones_start() {
        DestinationGate gate = new DestinationGate(List.of("a.test", "A.TEST", "b.test", "a.test"), 1);

        assertThat(gate.next(-1)).isZero();      // a.test
        assertThat(gate.next(-1)).isEqualTo(2);  // A.TEST waits (same destination); b.test starts
        assertThat(gate.next(-1)).isEqualTo(-1); // the last a.test waits too
        assertThat(gate.next(2)).isEqualTo(-1);  // b.test done: nothing for b.test, the rest wait for a.test
        assertThat(gate.next(0)).isEqualTo(1);   // a.test done: the next a.test starts in its slot
        assertThat(gate.next(1)).isEqualTo(3);
        assertThat(gate.next(3)).isEqualTo(-1);
    }

    @Test
    void a_higher_limit_lets_that_many_run() {
        DestinationGate gate = new DestinationGate(List.of("a.test", "a.test", "a.test"), 2);

        assertThat(gate.next(-1)).isZero();
        assertThat(gate.next(-1)).isEqualTo(1);
        assertThat(gate.next(-1)).isEqualTo(-1);
        assertThat(gate.next(0)).isEqualTo(2);
    }
}
