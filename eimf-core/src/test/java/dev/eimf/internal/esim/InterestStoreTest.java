package dev.eimf.internal.esim;

import dev.eimf.esim.ExplicitInterest;
import dev.eimf.esim.Extraction;
import dev.eimf.esim.LlmClient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.eimf.data.DataFormatException;

class InterestStoreTest {
    @TempDir
    Path dir;

    static StoreEntry entry(String hash, String user, boolean ok) {
        List<LlmClient.Message> msgs = List.of(LlmClient.Message.system("sys \"quoted\" <b>"), LlmClient.Message.user("1. Héllo ✓\n2. x"));
        Extraction x = ok
                ? new Extraction(Extraction.Status.OK, "", List.of(new ExplicitInterest("Comedy", "likes jokes", List.of(1, 2)),
                        new ExplicitInterest("Drama", "", List.of(2))), List.of(), List.of("{\"interests\":[]}"), 10, 5, 1)
                : new Extraction(Extraction.Status.FAILED, "no JSON", List.of(), List.of("repair please"),
                        List.of("prose", "more prose"), 20, 8, 2);
        return new StoreEntry(new StoreKey("llm", "model-x", hash), user, msgs, x);
    }

    private Path file() {
        return dir.resolve(InterestStore.FILE_NAME);
    }

    /** A line as the store writes it: the JSON object with the CRC-32 of its bytes appended as "crc32". */
    static String withChecksum(String json) {
        CRC32 crc = new CRC32();
        crc.update(json.getBytes(StandardCharsets.UTF_8));
        return json.substring(0, json.length() - 1) + String.format(",\"crc32\":\"%08x\"}", crc.getValue());
    }

    static String withoutChecksum(String line) {
        return line.replaceFirst(",\"crc32\":\"[0-9a-f]{8}\"}$", "}");
    }

    @Test
    void roundTripsEntriesAndVectors() throws IOException {
        float[] v1 = {0.1f, -0.2f, 1e-7f, 3.4028235e38f};
        float[] v2 = {1f / 3, 0f, -0f, 2.5f};
        try (InterestStore s = InterestStore.open(dir)) {
            assertTrue(s.recovery().isEmpty());
            s.append(entry("h1", "u1", true));
            s.append(entry("h2", "u2", false));
            s.appendVectors(new StoreKey("llm", "model-x", "h1"), "enc", List.of(v1, v2));
            assertThrows(IllegalArgumentException.class,
                    () -> s.appendVectors(new StoreKey("llm", "model-x", "h2"), "enc", List.of(v1)), "failed entries have no vectors");
            assertThrows(IllegalArgumentException.class,
                    () -> s.appendVectors(new StoreKey("llm", "model-x", "h1"), "enc", List.of(v1)), "one vector per interest");
        }
        try (InterestStore s = InterestStore.open(dir)) {
            assertEquals(2, s.size());
            assertEquals(entry("h1", "u1", true), s.get(new StoreKey("llm", "model-x", "h1")).orElseThrow());
            assertEquals(entry("h2", "u2", false), s.get(new StoreKey("llm", "model-x", "h2")).orElseThrow());
            assertTrue(s.get(new StoreKey("llm", "other-model", "h1")).isEmpty());
            List<float[]> vs = s.vectors(new StoreKey("llm", "model-x", "h1"), "enc").orElseThrow();
            assertArrayEquals(v1, vs.get(0));
            assertArrayEquals(v2, vs.get(1));
            assertTrue(s.vectors(new StoreKey("llm", "model-x", "h1"), "other-enc").isEmpty());
            assertEquals(List.of("u1", "u2"), s.entries().stream().map(StoreEntry::userId).toList());
        }
        List<String> lines = Files.readAllLines(file());
        assertEquals(4, lines.size(), "header and three entries");
        assertTrue(lines.get(0).startsWith("{\"format\":\"eimf-interest-store\",\"v\":2,\"crc32\":\""), lines.get(0));
        for (String l : lines) assertTrue(l.matches(".*,\"crc32\":\"[0-9a-f]{8}\"}"), l);
    }

    @Test
    void laterEntryWinsAndStaleVectorsAreIgnored() throws IOException {
        StoreKey k = new StoreKey("llm", "model-x", "h1");
        try (InterestStore s = InterestStore.open(dir)) {
            s.append(entry("h1", "u1", false));
            s.append(entry("h1", "u1", true));
            s.appendVectors(k, "enc", List.of(new float[] {1}, new float[] {2}));
            StoreEntry changed = new StoreEntry(k, "u1", List.of(), new Extraction(Extraction.Status.OK, "",
                    List.of(new ExplicitInterest("Other", "", List.of(1)), new ExplicitInterest("Drama", "", List.of(2))),
                    List.of(), List.of(), 0, 0, 0));
            s.append(changed);
            assertTrue(s.vectors(k, "enc").isEmpty(), "vectors of other texts");
        }
        try (InterestStore s = InterestStore.open(dir)) {
            assertEquals("Other", s.get(k).orElseThrow().extraction().interests().get(0).name());
            assertTrue(s.vectors(k, "enc").isEmpty());
            assertEquals(1, s.size());
        }
    }

    @Test
    void tornLastLineIsTruncated() throws IOException {
        try (InterestStore s = InterestStore.open(dir)) {
            s.append(entry("h1", "u1", true));
            s.append(entry("h2", "u2", true));
        }
        long good = Files.size(file());
        String third = Files.readAllLines(file()).get(1);
        Files.writeString(file(), third.substring(0, third.length() / 2), StandardOpenOption.APPEND);
        try (InterestStore s = InterestStore.open(dir)) {
            InterestStore.Recovery r = s.recovery().orElseThrow();
            assertEquals(4, r.line());
            assertTrue(r.message().contains(file().toString()) && r.message().contains("line 4"), r.message());
            assertEquals(third.length() / 2, r.bytesRemoved());
            assertEquals(good, Files.size(file()));
            assertEquals(2, s.size());
            s.append(entry("h3", "u3", true));
        }
        try (InterestStore s = InterestStore.open(dir)) {
            assertTrue(s.recovery().isEmpty());
            assertEquals(3, s.size());
        }
    }

    @Test
    void invalidLastLineWithNewlineIsTruncatedAndCompleteLineGetsNewline() throws IOException {
        try (InterestStore s = InterestStore.open(dir)) {
            s.append(entry("h1", "u1", true));
        }
        long good = Files.size(file());
        Files.writeString(file(), "{\"v\":2,\"ty\n", StandardOpenOption.APPEND);
        try (InterestStore s = InterestStore.open(dir)) {
            assertEquals(3, s.recovery().orElseThrow().line());
            assertEquals(good, Files.size(file()));
        }
        // A complete last entry whose newline never made it to disk is kept.
        byte[] bytes = Files.readAllBytes(file());
        Files.write(file(), java.util.Arrays.copyOf(bytes, bytes.length - 1));
        try (InterestStore s = InterestStore.open(dir)) {
            assertEquals(0, s.recovery().orElseThrow().line());
            assertEquals(1, s.size());
            s.append(entry("h2", "u2", true));
        }
        assertEquals(3, Files.readAllLines(file()).size());
    }

    @Test
    void corruptMiddleLineIsAnError() throws IOException {
        try (InterestStore s = InterestStore.open(dir)) {
            s.append(entry("h1", "u1", true));
            s.append(entry("h2", "u2", true));
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(file()));
        lines.add(2, "this is not json");
        Files.write(file(), lines, StandardCharsets.UTF_8);
        DataFormatException e = assertThrows(DataFormatException.class, () -> InterestStore.open(dir));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains(file().toString()) && e.getMessage().contains("line 3")
                && e.getMessage().contains("no checksum"), e.getMessage());
        assertEquals(4, Files.readAllLines(file()).size(), "nothing truncated");

        // An edited field fails the checksum.
        lines.set(2, lines.get(1).replace("\"status\":\"ok\"", "\"status\":\"maybe\""));
        Files.write(file(), lines, StandardCharsets.UTF_8);
        DataFormatException c = assertThrows(DataFormatException.class, () -> InterestStore.open(dir));
        assertEquals(3, c.line());
        assertTrue(c.getMessage().contains("checksum mismatch"), c.getMessage());

        // A bad field under a valid checksum (another writer's bug): named.
        lines.set(2, withChecksum(withoutChecksum(lines.get(1)).replace("\"status\":\"ok\"", "\"status\":\"maybe\"")));
        Files.write(file(), lines, StandardCharsets.UTF_8);
        DataFormatException f = assertThrows(DataFormatException.class, () -> InterestStore.open(dir));
        assertEquals("status", f.field());
        assertEquals(3, f.line());
        // The lock was released after the failed opens.
        lines.remove(2);
        Files.write(file(), lines, StandardCharsets.UTF_8);
        try (InterestStore s = InterestStore.open(dir)) {
            assertEquals(2, s.size());
        }
    }

    @Test
    void secondOpenIsRefused() throws IOException {
        try (InterestStore s = InterestStore.open(dir)) {
            assertThrows(IllegalStateException.class, () -> InterestStore.open(dir));
            s.append(entry("h1", "u1", true));
        }
        try (InterestStore s = InterestStore.open(dir)) {
            assertEquals(1, s.size());
        }
    }

    @Test
    void concurrentAppendsAreWholeLines() throws Exception {
        int threads = 8;
        int each = 40;
        try (InterestStore s = InterestStore.open(dir)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int tt = t;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        String h = "h" + tt + "-" + i;
                        s.append(entry(h, "u" + h, true));
                        s.appendVectors(new StoreKey("llm", "model-x", h), "enc", List.of(new float[] {tt, i}, new float[] {i, tt}));
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
            pool.shutdown();
            assertEquals(threads * each, s.size());
        }
        assertEquals(1 + 2 * threads * each, Files.readAllLines(file()).size());
        try (InterestStore s = InterestStore.open(dir)) {
            assertFalse(s.recovery().isPresent());
            assertEquals(threads * each, s.size());
            assertArrayEquals(new float[] {5, 7}, s.vectors(new StoreKey("llm", "model-x", "h7-5"), "enc").orElseThrow().get(1));
        }
    }
}
