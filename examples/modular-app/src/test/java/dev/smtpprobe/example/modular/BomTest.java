package dev.smtpprobe.example.modular;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The BOM (bom/pom.xml) has no parent, so nothing keeps it in step with the reactor but this test: its version is
 * the project's, and it lists exactly the modules that are published (every reactor module that does not set
 * maven.deploy.skip), at the project's version.
 */
class BomTest {

    private static final Path ROOT = Path.of(System.getProperty("smtpprobe.test.rootDir")).normalize();

    @Test
    void theBomListsExactlyThePublishedModulesAtTheProjectVersion() throws Exception {
        Document bom = parse(ROOT.resolve("bom/pom.xml"));
        Element project = bom.getDocumentElement();
        assertThat(child(project, "artifactId")).isEqualTo("smtp-probe-bom");
        assertThat(child(project, "version")).isEqualTo(System.getProperty("smtpprobe.test.version"));
        assertThat(child(project, "packaging")).isEqualTo("pom");
        assertThat(project.getElementsByTagName("parent").getLength()).as("a BOM with a parent exports its management")
                .isZero();

        Set<String> listed = new TreeSet<>();
        NodeList deps = project.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element dep = (Element) deps.item(i);
            assertThat(child(dep, "groupId")).isEqualTo("dev.smtpprobe");
            assertThat(child(dep, "version")).isEqualTo("${project.version}");
            listed.add(child(dep, "artifactId"));
        }
        assertThat(listed).containsExactlyInAnyOrder("smtp-probe-core", "smtp-probe-netty", "smtp-probe-jackson",
                "smtp-probe-testkit", "smtp-probe-transport-testkit", "smtp-probe-spring-boot-starter");
        assertThat(listed).isEqualTo(publishedModules());
    }

    @Test
    void theBomCarriesThePublishingMetadata() throws Exception {
        Element project = parse(ROOT.resolve("bom/pom.xml")).getDocumentElement();
        for (String tag : List.of("name", "description", "url", "licenses", "developers", "scm", "issueManagement")) {
            assertThat(project.getElementsByTagName(tag).getLength()).as(tag).isPositive();
        }
    }

    /** Every jar module of the reactor (all profiles) whose pom does not set maven.deploy.skip. */
    private static Set<String> publishedModules() throws Exception {
        Element root = parse(ROOT.resolve("pom.xml")).getDocumentElement();
        List<String> modules = new ArrayList<>();
        NodeList names = root.getElementsByTagName("module");
        for (int i = 0; i < names.getLength(); i++) {
            modules.add(names.item(i).getTextContent().trim());
        }
        assertThat(modules).contains("bom", "core", "examples", "examples/modular-app");
        Set<String> published = new TreeSet<>();
        for (String module : modules) {
            Path pom = ROOT.resolve(module).resolve("pom.xml");
            Element project = parse(pom).getDocumentElement();
            String artifactId = child(project, "artifactId");
            boolean skipped = Files.readString(pom).contains("<maven.deploy.skip>true</maven.deploy.skip>");
            if (!skipped && !"smtp-probe-bom".equals(artifactId)) {
                published.add(artifactId);
            }
        }
        return published;
    }

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    /** The text of the direct child element named so, or null. */
    private static String child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }
}
