package dev.eimf.llm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The in-JVM MiniLM encoder (real model, no network). */
class MiniLmTextEncoderTest {

    private static MiniLmTextEncoder encoder;

    @BeforeAll
    static void load() {
        encoder = new MiniLmTextEncoder();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void dimensionNameAndUnitLength() throws Exception {
        assertEquals(384, encoder.dimension());
        assertEquals("all-minilm-l6-v2-q", encoder.name());
        List<float[]> v = encoder.encode(List.of("red lipstick", "a moisturising night cream for dry skin"));
        assertEquals(2, v.size());
        for (float[] x : v) {
            assertEquals(384, x.length);
            double norm = 0;
            for (float f : x) {
                norm += (double) f * f;
            }
            assertEquals(1.0, Math.sqrt(norm), 1e-4);
        }
    }

    @Test
    void identicalTextGivesIdenticalVectorInAnyBatch() throws Exception {
        float[] alone = encoder.encode(List.of("red lipstick")).get(0);
        List<float[]> batch = encoder.encode(List.of("garden hose", "red lipstick", "red lipstick"));
        assertArrayEquals(alone, batch.get(1), 1e-5f);
        assertArrayEquals(batch.get(1), batch.get(2));
    }

    @Test
    void relatedTextsAreCloserThanUnrelatedOnes() throws Exception {
        List<float[]> v = encoder.encode(List.of("red lipstick", "lip color", "garden hose"));
        double related = cosine(v.get(0), v.get(1));
        double unrelated = cosine(v.get(0), v.get(2));
        assertTrue(related > unrelated, "cos(lipstick, lip color)=" + related + " vs cos(lipstick, hose)=" + unrelated);
    }

    @Test
    void blankTextIsRejectedWithItsIndex() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> encoder.encode(List.of("ok", " ")));
        assertTrue(e.getMessage().contains("texts[1]"), e.getMessage());
        assertEquals(List.of(), encoder.encode(List.of()));
    }

    /**
     * Throughput on 500 short sentences, printed, never asserted. Run with
     * {@code -Deimf.measure=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "eimf.measure", matches = "true")
    void measureThroughput() {
        String[] adjectives = {"red", "matte", "long-lasting", "hydrating", "organic", "vegan", "travel-size", "scented"};
        String[] products = {"lipstick", "face cream", "nail polish", "shampoo", "eye shadow palette", "sunscreen",
                             "perfume", "hair serum", "foundation", "lip balm"};
        List<String> sentences = new ArrayList<>();
        for (int i = 0; sentences.size() < 500; i++) {
            sentences.add("A " + adjectives[i % adjectives.length] + " " + products[(i / 3) % products.length]
                    + " for everyday use, item " + i);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        measure("calling thread", encoder, sentences, cores);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(cores);
        try {
            measure(cores + "-thread pool", new MiniLmTextEncoder(pool), sentences, cores);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void measure(String how, MiniLmTextEncoder e, List<String> sentences, int cores) {
        e.encode(sentences.subList(0, 50));  // warm-up
        long t0 = System.nanoTime();
        e.encode(sentences);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("MiniLM (%s, %d cores visible): %d sentences in %.2f s = %.1f sentences/s%n",
                how, cores, sentences.size(), seconds, sentences.size() / seconds);
    }
}
