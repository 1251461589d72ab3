package dev.eimf.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eimf.esim.TextEncoder;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TextEncoder} must do for training with explicit interests. Extend it in your tests and
 * return your encoder from {@link #encoder()}:
 *
 * <pre>{@code
 * class MyEncoderTest extends TextEncoderContract {
 *     protected TextEncoder encoder() { return new MyEncoder(); }
 * }
 * }</pre>
 *
 * Checks: a positive dimension; one finite vector of that dimension per text, in input order (a batch
 * gives what single calls give); the same text the same vector; an empty batch an empty result; a stable,
 * non-blank name (it keys the interest store).
 */
public abstract class TextEncoderContract {

    /** The encoder under test; called once per test (close it in an {@code @AfterEach} if it holds resources). */
    protected abstract TextEncoder encoder();

    /** Texts to encode: short interest phrases, as extraction produces. */
    protected List<String> texts() {
        return List.of("Science fiction films", "Romantic comedies", "Skin care for dry skin", "90s action movies");
    }

    /** Largest difference between a batch's vector and a single call's that counts as equal. */
    protected double tolerance() {
        return 1e-4;
    }

    @Test
    void hasAPositiveDimensionAndAStableName() {
        TextEncoder e = encoder();
        assertTrue(e.dimension() > 0, "dimension() must be positive, got " + e.dimension());
        assertNotNull(e.name(), "name()");
        assertFalse(e.name().isBlank(), "name() must not be blank: it keys the interest store");
        assertEquals(e.name(), e.name(), "the name must not change between calls");
    }

    @Test
    void encodesOneFiniteVectorPerTextInOrder() throws IOException {
        TextEncoder e = encoder();
        List<String> texts = texts();
        List<float[]> batch = e.encode(texts);
        assertEquals(texts.size(), batch.size(), "one vector per text");
        for (int i = 0; i < texts.size(); i++) {
            float[] v = batch.get(i);
            assertEquals(e.dimension(), v.length, "vector " + i + " has the wrong length");
            for (float x : v) assertTrue(Float.isFinite(x), "vector " + i + " has a non-finite value");
            float[] single = e.encode(List.of(texts.get(i))).get(0);
            assertArrayEquals(single, v, (float) tolerance(), "text " + i + " encodes differently alone and in a batch");
        }
    }

    @Test
    void sameTextSameVector() throws IOException {
        TextEncoder e = encoder();
        String t = texts().get(0);
        assertArrayEquals(e.encode(List.of(t)).get(0), e.encode(List.of(t)).get(0), (float) tolerance());
    }

    @Test
    void distinctTextsGiveDistinctVectors() throws IOException {
        List<float[]> v = encoder().encode(texts().subList(0, 2));
        boolean differ = false;
        for (int i = 0; i < v.get(0).length; i++) differ |= Math.abs(v.get(0)[i] - v.get(1)[i]) > tolerance();
        assertTrue(differ, "two different phrases got the same vector");
    }

    @Test
    void anEmptyBatchGivesNothing() throws IOException {
        assertEquals(0, encoder().encode(List.of()).size());
    }
}
