package dev.smtpprobe.internal.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.internal.dns.MxOrder.Candidate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 5321 §5.1 ordering, without DNS. */
class MxOrderTest {

    @Test
    void sortsByPreferenceAndKeepsTheLowestOfADuplicate() {
        List<Candidate> ordered = MxOrder.order(List.of(new Candidate("c", 30), new Candidate("a", 10),
                new Candidate("b", 20), new Candidate("c", 5)), new Random(1));

        assertThat(ordered).containsExactly(new Candidate("c", 5), new Candidate("a", 10), new Candidate("b", 20));
    }

    @Test
    void equalPreferencesAreSpreadRoughlyEvenly() {
        List<Candidate> three = List.of(new Candidate("a", 10), new Candidate("b", 10), new Candidate("c", 10));
        Map<String, Integer> firsts = new HashMap<>();
        Random random = new Random(42);
        for (int i = 0; i < 3000; i++) {
            firsts.merge(MxOrder.order(three, random).get(0).host(), 1, Integer::sum);
        }
        // Each host comes first about a third of the time: load is spread, as the RFC intends.
        assertThat(firsts.values()).allSatisfy(n -> assertThat(n).isBetween(850, 1150));
    }

    @Test
    void sameSeedSameOrder() {
        List<Candidate> many = List.of(new Candidate("a", 10), new Candidate("b", 10), new Candidate("c", 10),
                new Candidate("d", 10), new Candidate("e", 10));

        assertThat(MxOrder.order(many, new Random(7))).isEqualTo(MxOrder.order(many, new Random(7)));
    }
}
