package dev.eimf.esim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class HashingTextEncoderTest {
    private static int mm(String s, int seed) {
        return HashingTextEncoder.murmur3(s.getBytes(StandardCharsets.UTF_8), seed);
    }

    @Test
    void murmur3MatchesPublishedVectors() {
        assertEquals(0, mm("", 0));
        assertEquals(0x514E28B7, mm("", 1));
        assertEquals(0x81F16F39, mm("", 0xffffffff));
        assertEquals(0x2362F9DE, HashingTextEncoder.murmur3(new byte[4], 0));
        assertEquals(0x5A97808A, mm("aaaa", 0x9747b28c));
        assertEquals(0x24884CBA, mm("Hello, world!", 0x9747b28c));
        assertEquals(0x2FA826CD, mm("The quick brown fox jumps over the lazy dog", 0x9747b28c));
    }

    @Test
    void deterministicNormalisedAndCaseInsensitive() {
        HashingTextEncoder enc = new HashingTextEncoder();
        float[] a = enc.encode("Romantic comedies. Light films about love");
        assertArrayEquals(a, new HashingTextEncoder().encode("romantic COMEDIES light films, about love!"));
        assertEquals(256, a.length);
        assertEquals(1.0, dot(a, a), 1e-5);
        assertArrayEquals(new float[256], enc.encode("  ...  "), "no words: zero vector");
        List<float[]> batch = enc.encode(List.of("a b", "c"));
        assertArrayEquals(enc.encode("a b"), batch.get(0));
        assertEquals("hashing-v1(d=256,uni+bi)", enc.name());
        assertNotEquals(enc.name(), new HashingTextEncoder(256, false).name());
        assertThrows(IllegalArgumentException.class, () -> new HashingTextEncoder(0, true));
    }

    @Test
    void sharedWordsMeanHigherSimilarity() {
        HashingTextEncoder enc = new HashingTextEncoder(512, true);
        float[] lipstick = enc.encode("Matte lipstick in bold red shades");
        float[] lipstick2 = enc.encode("Bold red matte lipstick");
        float[] horror = enc.encode("Slasher horror films from the eighties");
        double near = dot(lipstick, lipstick2);
        double far = dot(lipstick, horror);
        assertTrue(near > 0.5, "near = " + near);
        assertTrue(Math.abs(far) < 0.2, "far = " + far);
        // Bigrams make word order count a little: same words, different order, similar but not identical.
        float[] ab = enc.encode("red bold");
        float[] ba = enc.encode("bold red");
        assertTrue(dot(ab, ba) < 0.99 && dot(ab, ba) > 0.3, "order " + dot(ab, ba));
        assertEquals(1.0, dot(new HashingTextEncoder(512, false).encode("red bold"), new HashingTextEncoder(512, false).encode("bold red")), 1e-6);
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * (double) b[i];
        return s;
    }
}
