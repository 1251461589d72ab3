package dev.eimf.esim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain-text prompt template with named placeholders written {@code {{name}}} (spaces inside the braces
 * are allowed; names are letters, digits and underscores, starting with a letter or underscore).
 *
 * <p>The template is parsed once: a "&#123;&#123;" that does not open a well-formed placeholder is an error
 * naming the template's source and line, so a typo never reaches the model. {@link #render} fails when
 * a placeholder has no value; values for names the template does not use are ignored.
 */
public final class PromptTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

    private final String source;
    private final String text;
    private final List<Object> parts; // String literal or Name
    private final Set<String> placeholders;

    private record Name(String name) {}

    private PromptTemplate(String source, String text) {
        this.source = Objects.requireNonNull(source, "source");
        this.text = Objects.requireNonNull(text, "text");
        List<Object> p = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        int pos = 0;
        while (pos < text.length()) {
            int open = text.indexOf("{{", pos);
            if (open < 0) {
                p.add(text.substring(pos));
                break;
            }
            if (!m.find(open) || m.start() != open) {
                throw new IllegalArgumentException("prompt template " + source + ", line " + lineOf(text, open)
                        + ": malformed placeholder near '" + snippet(text, open) + "' (expected {{name}})");
            }
            if (open > pos) p.add(text.substring(pos, open));
            p.add(new Name(m.group(1)));
            names.add(m.group(1));
            pos = m.end();
        }
        this.parts = List.copyOf(p);
        this.placeholders = Collections.unmodifiableSet(names);
    }

    /** A template from text; {@code source} names it in error messages. */
    public static PromptTemplate of(String source, String text) {
        return new PromptTemplate(source, text);
    }

    /** A template read from a UTF-8 file. */
    public static PromptTemplate fromPath(Path file) throws IOException {
        return new PromptTemplate(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * A template from a UTF-8 class-path resource, resolved relative to this package
     * (e.g. {@code "system.txt"}) or absolute ({@code "/my/prompts/user.txt"}).
     *
     * @throws IllegalArgumentException when the resource does not exist
     */
    public static PromptTemplate fromResource(String name) {
        try (InputStream in = PromptTemplate.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalArgumentException("prompt template resource not found: " + name);
            return new PromptTemplate("resource " + name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read prompt template resource " + name, e);
        }
    }

    /** Where the template came from (file, resource or caller-given name). */
    public String source() {
        return source;
    }

    /** The raw template text. */
    public String text() {
        return text;
    }

    /** The placeholder names used, in order of first use. */
    public Set<String> placeholders() {
        return placeholders;
    }

    /**
     * Checks that every placeholder is one of {@code known}.
     *
     * @throws IllegalArgumentException naming the first unknown placeholder and the known ones
     */
    public PromptTemplate requireOnly(Set<String> known) {
        for (String name : placeholders) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("prompt template " + source + ": unknown placeholder {{" + name
                        + "}}; known placeholders: " + String.join(", ", new java.util.TreeSet<>(known)));
            }
        }
        return this;
    }

    /**
     * Checks that the template uses every name in {@code required}.
     *
     * @throws IllegalArgumentException naming the first missing placeholder
     */
    public PromptTemplate requireAll(Set<String> required) {
        for (String name : required) {
            if (!placeholders.contains(name)) {
                throw new IllegalArgumentException("prompt template " + source + " must contain {{" + name + "}}");
            }
        }
        return this;
    }

    /**
     * Fills the placeholders. Values are inserted verbatim (no further placeholder expansion).
     *
     * @throws IllegalArgumentException when a placeholder has no value
     */
    public String render(Map<String, String> values) {
        StringBuilder sb = new StringBuilder(text.length() + 256);
        for (Object part : parts) {
            if (part instanceof Name n) {
                String v = values.get(n.name());
                if (v == null) {
                    throw new IllegalArgumentException("prompt template " + source + ": no value for placeholder {{"
                            + n.name() + "}}");
                }
                sb.append(v);
            } else {
                sb.append((String) part);
            }
        }
        return sb.toString();
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) if (text.charAt(i) == '\n') line++;
        return line;
    }

    private static String snippet(String text, int offset) {
        String s = text.substring(offset, Math.min(text.length(), offset + 24));
        int nl = s.indexOf('\n');
        return nl >= 0 ? s.substring(0, nl) : s;
    }

    @Override
    public String toString() {
        return "PromptTemplate[" + source + ", placeholders=" + placeholders + "]";
    }
}
