package dev.eimf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.Strictness;
import com.google.gson.internal.Streams;
import com.google.gson.stream.JsonReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output files and printed text (issue #23, classes 5 and 6): the JSON and PNG files are written through a
 * fresh temporary file that no symbolic link can divert, non-finite numbers become JSON {@code null}, and
 * text from data files is printed with its control characters escaped.
 */
class OutputSafetyTest {
    @TempDir
    Path tmp;

    /** A symbolic link at {@code NAME.tmp}, the temporary name the writers used, pointing at a file to protect. */
    private Path trap(Path target) throws Exception {
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "precious");
        Files.createDirectories(target.getParent());
        Files.createSymbolicLink(target.resolveSibling(target.getFileName() + ".tmp"), victim);
        return victim;
    }

    private static List<Path> listing(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(Path::getFileName).sorted().toList();
        }
    }

    @Test
    void jsonIsNotWrittenThroughASymbolicLink() throws Exception {
        Path out = tmp.resolve("out").resolve("r.json");
        Path victim = trap(out);
        Json.write(out, Map.of("a", 1));
        assertEquals("precious", Files.readString(victim));
        assertEquals(1, com.google.gson.JsonParser.parseString(Files.readString(out)).getAsJsonObject().get("a").getAsInt());
        assertEquals(List.of(Path.of("r.json"), Path.of("r.json.tmp")), listing(out.getParent()), "no temporary file left");
    }

    @Test
    void thePlotIsNotWrittenThroughASymbolicLink() throws Exception {
        Path png = tmp.resolve("out").resolve("v.png");
        Path victim = trap(png);
        ValidationPlot.write(png, "t", "y", List.of(new ValidationPlot.Series("s", new long[] {1, 2}, new double[] {0.1, 0.2})),
                -1, "");
        assertEquals("precious", Files.readString(victim));
        assertTrue(Files.size(png) > 100);
        assertEquals(List.of(Path.of("v.png"), Path.of("v.png.tmp")), listing(png.getParent()));
    }

    @Test
    void numbersThatAreNotFiniteAreWrittenAsNull() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("final_loss", Double.NaN);
        m.put("best", Double.POSITIVE_INFINITY);
        m.put("f", Float.NEGATIVE_INFINITY);
        m.put("row", new double[] {1.5, Double.NaN});
        m.put("ok", 0.25);
        Path file = tmp.resolve("nan.json");
        Json.write(file, m);
        String text = Files.readString(file);
        JsonReader strict = new JsonReader(new StringReader(text));
        strict.setStrictness(Strictness.STRICT);
        JsonObject o = Streams.parse(strict).getAsJsonObject();
        assertTrue(o.get("final_loss").isJsonNull(), text);
        assertTrue(o.get("best").isJsonNull(), text);
        assertTrue(o.get("f").isJsonNull(), text);
        assertEquals(1.5, o.getAsJsonArray("row").get(0).getAsDouble());
        assertTrue(o.getAsJsonArray("row").get(1).isJsonNull(), text);
        assertEquals(0.25, o.get("ok").getAsDouble());
    }

    @Test
    void controlCharactersAreEscaped() {
        assertEquals("plain Ünïcode title", Terminal.safe("plain Ünïcode title"));
        assertEquals("a\\u001b[2Jb\\u0000c\\u007fd\\u009be\\u000af\\u0009g\\u202eh",
                Terminal.safe("a\u001b[2Jb\u0000c\u007fd\u009be\nf\tg\u202eh"));
        // A backslash-u already in the text is doubled, so that it cannot pass for an escape.
        assertEquals("\\\\u001b is text", Terminal.safe("\\u001b is text"));
        assertEquals("C:\\dir", Terminal.safe("C:\\dir"));
        assertEquals("null", Terminal.safe(null));
    }

    @Test
    void statsPrintsHostileDataEscaped() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("hostile"));
        StringBuilder sb = new StringBuilder("user,item,timestamp\n");
        for (int i = 1; i <= 200; i++) sb.append("u").append(i % 7).append(",i").append(i % 11).append(',').append(i).append('\n');
        sb.append("u1,i1,\u001b]0;owned\u0007\u001b[2Jnot-a-time\n");
        Files.writeString(data.resolve("interactions.csv"), sb.toString());

        MainTest.Result strict = MainTest.run("stats", "--data", data.toString(), "--kcore", "0");
        assertEquals(1, strict.code(), strict.err());
        assertTrue(strict.err().contains("line 202, field 'timestamp'"), strict.err());
        assertTrue(strict.err().contains("'\\u001b]0;owned\\u0007\\u001b[2Jnot-a-time'"), strict.err());
        assertFalse(strict.err().contains("\u001b") || strict.err().contains("\u0007"), strict.err());

        MainTest.Result lenient = MainTest.run("stats", "--data", data.toString(), "--kcore", "0", "--lenient",
                "--max-skipped-share", "0.02");
        assertEquals(0, lenient.code(), lenient.err());
        assertTrue(lenient.out().contains("first: "), lenient.out());
        assertTrue(lenient.out().contains("\\u001b[2J"), lenient.out());
        assertFalse(lenient.out().contains("\u001b") || lenient.out().contains("\u0007"), lenient.out());
        assertNotEquals(-1, lenient.out().indexOf("1 of 202 lines"), lenient.out());
    }
}
