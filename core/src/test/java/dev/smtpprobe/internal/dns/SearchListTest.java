package dev.smtpprobe.internal.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The names a search list makes of a host name, in glibc's order, and resolv.conf as dnsjava reads it. */
class SearchListTest {

    private static final SearchList KUBERNETES = new SearchList(
            List.of("ns.svc.cluster.local", "svc.cluster.local", "cluster.local"), 5);

    @Test
    void aNameWithFewerDotsThanNdotsTriesTheSearchDomainsFirstAndItselfLast() {
        assertThat(KUBERNETES.candidates("smtp-relay", false)).containsExactly("smtp-relay.ns.svc.cluster.local",
                "smtp-relay.svc.cluster.local", "smtp-relay.cluster.local", "smtp-relay");
        assertThat(KUBERNETES.candidates("smtp.gmail.com", false)).containsExactly("smtp.gmail.com.ns.svc.cluster.local",
                "smtp.gmail.com.svc.cluster.local", "smtp.gmail.com.cluster.local", "smtp.gmail.com");
    }

    @Test
    void aNameWithAtLeastNdotsDotsIsTriedAsGivenFirst() {
        SearchList one = new SearchList(List.of("example.test"), 1);
        assertThat(one.candidates("mail.example.net", false)).containsExactly("mail.example.net",
                "mail.example.net.example.test");
        assertThat(one.candidates("relay", false)).containsExactly("relay.example.test", "relay");
        assertThat(new SearchList(List.of("example.test"), 0).candidates("relay", false))
                .containsExactly("relay", "relay.example.test");
        assertThat(new SearchList(List.of("a.test"), 2).candidates("x.y", false)).containsExactly("x.y.a.test", "x.y");
        assertThat(new SearchList(List.of("a.test"), 2).candidates("x.y.z", false)).containsExactly("x.y.z", "x.y.z.a.test");
    }

    @Test
    void aTrailingDotOrNoSearchListMeansTheNameAlone() {
        assertThat(KUBERNETES.candidates("smtp-relay", true)).containsExactly("smtp-relay");
        assertThat(SearchList.NONE.candidates("relay", false)).containsExactly("relay");
    }

    @Test
    void aCandidateOverTheLengthOfAnyNameIsLeftOut() {
        String label = "a".repeat(60);
        String longName = String.join(".", label, label, label, label.substring(0, 50)); // 233 characters
        SearchList list = new SearchList(List.of("example.test", "a.very.long.search.domain.example.test"), 1);

        assertThat(list.candidates(longName, false)).containsExactly(longName, longName + ".example.test");
    }

    @Test
    void domainsAreValidatedAndNormalised() {
        assertThat(SearchList.of(List.of("Example.TEST.", "bücher.example"), 1, "searchDomains").domains())
                .containsExactly("example.test", "xn--bcher-kva.example");
        assertThatThrownBy(() -> SearchList.of(List.of("bad domain"), 1, "searchDomains"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("searchDomains");
        assertThatThrownBy(() -> new SearchList(List.of(), 16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("ndots");
    }

    @Test
    void resolvConfIsReadWithDnsjavasParser(@TempDir Path dir) throws IOException {
        Path kubernetes = Files.writeString(dir.resolve("resolv.conf"), "nameserver 10.96.0.10\n"
                + "search ns.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n");
        Path domain = Files.writeString(dir.resolve("domain.conf"), "nameserver 192.0.2.53\ndomain corp.example\n");
        Path lastWins = Files.writeString(dir.resolve("last.conf"), "search a.example b.example\ndomain c.example\n");

        assertThat(SearchList.fromResolvConf(kubernetes)).isEqualTo(KUBERNETES);
        assertThat(SearchList.fromResolvConf(domain)).isEqualTo(new SearchList(List.of("corp.example"), 1));
        assertThat(SearchList.fromResolvConf(lastWins).domains()).containsExactly("c.example");
    }

    @Test
    void overridingKeepsTheSystemsPartThatIsNotGiven() {
        assertThat(SearchList.overriding(null, null)).isNull();
        assertThat(SearchList.overriding(List.of("example.test"), 3))
                .isEqualTo(new SearchList(List.of("example.test"), 3));
        assertThat(SearchList.overriding(List.of(), 2).candidates("relay", false)).containsExactly("relay");
        assertThat(SearchList.overriding(null, 4)).isEqualTo(new SearchList(SearchList.system().domains(), 4));
        assertThat(SearchList.overriding(List.of("x.test"), null).ndots()).isEqualTo(SearchList.system().ndots());
    }
}
