package dev.eimf.internal.esim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.eimf.data.DataFormatException;

/**
 * The interest store's header and per-line CRC-32: every single-bit flip, every truncation and a set of foreign
 * files, each checked for the one outcome allowed (refused with file and line, or a reported repair of the
 * last line), and the upgrade of version-1 stores.
 */
class InterestStoreIntegrityTest {
    private static final StoreKey K1 = new StoreKey("llm", "model-x", "h1");

    @TempDir
    Path dir;

    private byte[] original;
    private int[] lineStarts;  // byte offset of each line's first byte; lineStarts.length = lines

    private Path file() {
        return dir.resolve(InterestStore.FILE_NAME);
    }

    /** Header, three extractions (one failed), two vector lines. */
    @BeforeEach
    void writeStore() throws IOException {
        try (InterestStore s = InterestStore.open(dir)) {
            s.append(InterestStoreTest.entry("h1", "u1", true));
            s.append(InterestStoreTest.entry("h2", "u2", false));
            s.appendVectors(K1, "enc", List.of(new float[] {0.25f, -1f}, new float[] {3f, 1e-3f}));
            s.append(InterestStoreTest.entry("h3", "u3 \u00e9\u2028", true));
            s.appendVectors(new StoreKey("llm", "model-x", "h3"), "enc", List.of(new float[] {1f, 2f}, new float[] {3f, 4f}));
        }
        original = Files.readAllBytes(file());
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < original.length - 1; i++) {
            if (original[i] == '\n') starts.add(i + 1);
        }
        lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
        assertEquals(6, lineStarts.length);
    }

    /** 1-based line of a byte (a newline belongs to the line it ends). */
    private int lineOf(int offset) {
        int line = 0;
        while (line < lineStarts.length && lineStarts[line] <= offset) line++;
        return line;
    }

    /** Opening the store fails with a {@link DataFormatException}. */
    private DataFormatException refused() {
        return assertThrows(DataFormatException.class, () -> InterestStore.open(dir).close());
    }

    private static void assertNames(DataFormatException e, Path file, long line) {
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString() + ", line " + line + ": "), e.getMessage());
    }

    /**
     * Byte offsets to damage: every byte of the header and of the last line, every byte within 2 of a line
     * boundary, and every {@code stride}-th byte elsewhere (CRC-32 catches every single-bit error anyway; each
     * case costs a file write and an open, and a repair an fsync).
     */
    private List<Integer> positions(int stride) {
        List<Integer> out = new ArrayList<>();
        int lastStart = lineStarts[lineStarts.length - 1];
        for (int i = 0; i < original.length; i++) {
            boolean nearBoundary = false;
            for (int start : lineStarts) nearBoundary |= Math.abs(i - start) <= 2;
            if (i < lineStarts[1] || i >= lastStart || nearBoundary || i % stride == 0) out.add(i);
        }
        return out;
    }

    @Test
    void singleBitFlipsAreRefusedOrRecoveredAsTheTornLastLine() throws IOException {
        SplittableRandom rnd = new SplittableRandom(7);
        int lines = lineStarts.length;
        int refused = 0;
        int recovered = 0;
        List<Integer> positions = positions(3);
        for (int i : positions) {
            byte[] b = original.clone();
            b[i] ^= (byte) (1 << rnd.nextInt(8));
            Files.write(file(), b);
            int line = lineOf(i);
            boolean becomesNewline = b[i] == '\n';
            boolean recoverable = line == lines && !becomesNewline && i != original.length - 1;
            try (InterestStore s = InterestStore.open(dir)) {
                if (!recoverable) fail("byte " + i + " (line " + line + ") flipped but the store opened");
                InterestStore.Recovery r = s.recovery().orElseThrow();
                assertEquals(lines, r.line());
                assertTrue(r.message().contains(file().toString()), r.message());
                assertEquals(lineStarts[lines - 1], Files.size(file()), "only the damaged last line was cut");
                assertEquals(3, s.size());
                assertTrue(s.vectors(K1, "enc").isPresent());
                recovered++;
            } catch (DataFormatException e) {
                if (recoverable) throw new AssertionError("byte " + i + " in the last line: expected a recovery", e);
                assertNames(e, file(), line);
                assertArrayEquals(b, Files.readAllBytes(file()), "a refused file is left as it was");
                refused++;
            }
        }
        System.out.printf("interest store bit flips: %d of %d bytes, %d refused, %d recovered%n", positions.size(),
                original.length, refused, recovered);
        assertEquals(positions.size(), refused + recovered);
        assertTrue(recovered > 0 && refused > 0);
    }

    @Test
    void truncationsKeepTheCompleteLines() throws IOException {
        int headerEnd = lineStarts[1];
        List<Integer> positions = positions(7);
        for (int t : positions) {
            Files.write(file(), Arrays.copyOf(original, t));
            int complete = 0;  // complete lines (header included) in the prefix
            while (complete < lineStarts.length - 1 && lineStarts[complete + 1] <= t) complete++;
            boolean atBoundary = t == 0 || original[t - 1] == '\n';
            boolean onlyNewlineMissing = !atBoundary && original[t] == '\n';
            try (InterestStore s = InterestStore.open(dir)) {
                int entries = Math.max(0, complete - 1) + (onlyNewlineMissing && complete > 0 ? 1 : 0);
                int extractions = 0;
                for (int l = 1; l < entries + 1; l++) if (l == 1 || l == 2 || l == 4) extractions++;
                assertEquals(extractions, s.size(), "cut at " + t);
                if (atBoundary) {
                    assertTrue(s.recovery().isEmpty(), "cut at a line boundary at " + t);
                } else if (onlyNewlineMissing) {
                    assertEquals(0, s.recovery().orElseThrow().line(), "cut at " + t);
                } else {
                    assertEquals(complete + 1, s.recovery().orElseThrow().line(), "cut at " + t);
                }
                if (t == 0 || t < headerEnd - 1) {
                    assertArrayEquals(Arrays.copyOf(original, headerEnd), Files.readAllBytes(file()), "fresh header at " + t);
                }
                if (t % 13 == 0) s.append(InterestStoreTest.entry("new", "u9", true));  // still appendable
            }
            if (t % 13 == 0) {
                try (InterestStore s = InterestStore.open(dir)) {
                    assertTrue(s.recovery().isEmpty());
                    assertTrue(s.get(new StoreKey("llm", "model-x", "new")).isPresent());
                }
            }
        }
    }

    @Test
    void zeroFilledTailAndHeaderAreTornWrites() throws IOException {
        byte[] b = Arrays.copyOf(original, original.length + 300);  // size extended, data never written
        Files.write(file(), b);
        try (InterestStore s = InterestStore.open(dir)) {
            assertEquals(7, s.recovery().orElseThrow().line());
            assertEquals(3, s.size());
        }
        assertArrayEquals(original, Files.readAllBytes(file()));
        Files.write(file(), new byte[50]);
        try (InterestStore s = InterestStore.open(dir)) {
            assertEquals(1, s.recovery().orElseThrow().line());
            assertEquals(0, s.size());
        }
    }

    @Test
    void foreignFilesAreRefusedAndLeftUntouched() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        byte[] random = new byte[2000];
        new SplittableRandom(11).nextBytes(random);
        files.put("random bytes", random);
        files.put("csv", "user_id,item_id,rating\n1,2,5\n".getBytes(StandardCharsets.UTF_8));
        files.put("json array", "[1,2,3]\n".getBytes(StandardCharsets.UTF_8));
        files.put("other jsonl", "{\"id\":1}\n{\"id\":2}\n".getBytes(StandardCharsets.UTF_8));
        files.put("one unterminated line", "{\"id\":1,\"note\":\"not ours\"}".getBytes(StandardCharsets.UTF_8));
        files.put("gzip", new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3});
        files.put("utf-16 store", new String(original, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16));
        String text = new String(original, StandardCharsets.UTF_8);
        files.put("entries without header", text.substring(text.indexOf('\n') + 1).getBytes(StandardCharsets.UTF_8));
        files.put("future version", (InterestStoreTest.withChecksum("{\"format\":\"eimf-interest-store\",\"v\":3}") + "\n")
                .getBytes(StandardCharsets.UTF_8));
        files.put("other format", (InterestStoreTest.withChecksum("{\"format\":\"something-else\",\"v\":2}") + "\n")
                .getBytes(StandardCharsets.UTF_8));
        files.put("header damaged", text.replaceFirst("\"v\":2", "\"v\":3").getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Files.write(file(), f.getValue());
            try (InterestStore s = InterestStore.open(dir)) {
                fail(f.getKey() + " was opened as a store: " + s.size());
            } catch (DataFormatException e) {
                assertNames(e, file(), 1);
                assertArrayEquals(f.getValue(), Files.readAllBytes(file()), f.getKey() + " modified");
            }
        }
        Files.write(file(), files.get("future version"));
        {
            DataFormatException e = refused();
            assertTrue(e.getMessage().contains("format version 3"), e.getMessage());
        }
        Files.write(file(), files.get("header damaged"));
        {
            DataFormatException e = refused();
            assertTrue(e.getMessage().contains("header is damaged") && e.getMessage().contains("checksum mismatch"),
                    e.getMessage());
        }
        Files.write(file(), files.get("csv"));
        {
            DataFormatException e = refused();
            assertTrue(e.getMessage().contains("not an EIMF interest store") && e.getMessage().contains("user_id,item_id"),
                    e.getMessage());
        }
    }

    /** The same store as version 1 wrote it: no header, no checksums, {@code "v":1}. */
    private byte[] asVersion1() {
        StringBuilder sb = new StringBuilder();
        String[] lines = new String(original, StandardCharsets.UTF_8).split("\n");
        for (int i = 1; i < lines.length; i++) {
            sb.append(InterestStoreTest.withoutChecksum(lines[i]).replace("{\"v\":2,", "{\"v\":1,")).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void version1StoresAreUpgraded() throws IOException {
        byte[] v1 = asVersion1();
        Files.write(file(), v1);
        try (InterestStore s = InterestStore.open(dir)) {
            InterestStore.Recovery r = s.recovery().orElseThrow();
            assertTrue(r.message().contains("upgraded") && r.message().contains(file().toString()), r.message());
            assertEquals(3, s.size());
            assertEquals(InterestStoreTest.entry("h3", "u3 \u00e9\u2028", true), s.get(new StoreKey("llm", "model-x", "h3")).orElseThrow());
        }
        assertArrayEquals(original, Files.readAllBytes(file()), "rewritten exactly as version 2 writes it");

        // A version-1 store with a torn last line: upgraded without it, and the loss reported.
        Files.write(file(), Arrays.copyOf(v1, v1.length - 20));
        try (InterestStore s = InterestStore.open(dir)) {
            InterestStore.Recovery r = s.recovery().orElseThrow();
            assertEquals(5, r.line());
            assertTrue(r.message().contains("upgraded") && r.message().contains("torn last line 5"), r.message());
            assertEquals(3, s.size());
            assertFalse(s.vectors(new StoreKey("llm", "model-x", "h3"), "enc").isPresent());
        }
        try (InterestStore s = InterestStore.open(dir)) {
            assertTrue(s.recovery().isEmpty());
        }
    }

    @Test
    void damagedLineBeforeTheLastIsNeverTruncated() throws IOException {
        // Newline of line 5 lost: lines 5 and 6 merge into a last line that holds a complete entry.
        byte[] b = original.clone();
        b[lineStarts[5] - 1] = ' ';
        Files.write(file(), b);
        {
            DataFormatException e = refused();
            assertNames(e, file(), 5);
            assertTrue(e.getMessage().contains("newline is damaged"), e.getMessage());
        }
        assertArrayEquals(b, Files.readAllBytes(file()));
    }
}
