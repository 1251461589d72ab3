package dev.eimf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every Java block of the README is a region of {@link ReadmeExample}, so the build compiles it. */
class ReadmeTest {

    private static String dedent(String block) {
        List<String> lines = block.lines().toList();
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        StringBuilder sb = new StringBuilder();
        for (String l : lines) sb.append(l.length() >= indent ? l.substring(indent) : l.strip()).append('\n');
        return sb.toString().strip();
    }

    @Test
    void readmeJavaBlocksAreCompiledRegions() throws IOException {
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        String source = Files.readString(Path.of("src/main/java/dev/eimf/examples/ReadmeExample.java"), StandardCharsets.UTF_8);
        List<String> regions = new ArrayList<>();
        Matcher r = Pattern.compile("// README:\\w+\\n(.*?)\\n\\s*// README:end", Pattern.DOTALL).matcher(source);
        while (r.find()) regions.add(dedent(r.group(1)));
        Matcher b = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        int blocks = 0;
        while (b.find()) {
            blocks++;
            String block = dedent(b.group(1));
            assertTrue(regions.contains(block), "README block " + blocks + " is not a region of ReadmeExample:\n" + block);
        }
        assertEquals(regions.size(), blocks, "each region of ReadmeExample appears in the README");
    }
}
