package dev.eimf.esim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A deterministic, model-free {@link TextEncoder}: signed feature hashing of lower-cased word unigrams and
 * (optionally) bigrams into D dimensions, L2-normalised. Texts that share words get similar vectors; nothing
 * else is understood. Meant for tests and offline runs; results are identical on every JVM because the hash
 * is MurmurHash3 (x86, 32-bit) of the UTF-8 bytes with fixed seeds, not {@link String#hashCode()}.
 *
 * <p>Words are maximal runs of Unicode letters and digits, lower-cased in {@link Locale#ROOT}. A bigram is
 * two consecutive words joined by a space. Index and sign come from two independent hashes, so colliding
 * features tend to cancel instead of adding up. A text without words encodes as the zero vector.
 */
public final class HashingTextEncoder implements TextEncoder {
    private static final int INDEX_SEED = 0x9747b28c;
    private static final int SIGN_SEED = 0x5bd1e995;

    private final int dimension;
    private final boolean bigrams;

    /** D = 256 with bigrams. */
    public HashingTextEncoder() {
        this(256, true);
    }

    /**
     * @param dimension D, at least 1
     * @param bigrams   whether word bigrams are hashed besides unigrams
     */
    public HashingTextEncoder(int dimension, boolean bigrams) {
        if (dimension < 1) throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
        this.dimension = dimension;
        this.bigrams = bigrams;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public String name() {
        return "hashing-v1(d=" + dimension + (bigrams ? ",uni+bi)" : ",uni)");
    }

    @Override
    public List<float[]> encode(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (String t : texts) out.add(encode(t));
        return out;
    }

    /** Encodes one text. */
    public float[] encode(String text) {
        double[] acc = new double[dimension];
        String[] words = text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+");
        String prev = null;
        for (String w : words) {
            if (w.isEmpty()) continue;
            add(acc, w);
            if (bigrams && prev != null) add(acc, prev + " " + w);
            prev = w;
        }
        double norm = 0;
        for (double v : acc) norm += v * v;
        float[] out = new float[dimension];
        if (norm == 0) return out;
        double inv = 1.0 / Math.sqrt(norm);
        for (int i = 0; i < dimension; i++) out[i] = (float) (acc[i] * inv);
        return out;
    }

    private void add(double[] acc, String feature) {
        byte[] b = feature.getBytes(StandardCharsets.UTF_8);
        int index = Math.floorMod(murmur3(b, INDEX_SEED), dimension);
        acc[index] += (murmur3(b, SIGN_SEED) & 1) == 0 ? 1.0 : -1.0;
    }

    /** MurmurHash3 x86_32. */
    static int murmur3(byte[] data, int seed) {
        final int c1 = 0xcc9e2d51;
        final int c2 = 0x1b873593;
        int h = seed;
        int n = data.length & ~3;
        for (int i = 0; i < n; i += 4) {
            int k = (data[i] & 0xff) | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff) << 16 | (data[i + 3] & 0xff) << 24;
            k *= c1;
            k = Integer.rotateLeft(k, 15);
            k *= c2;
            h ^= k;
            h = Integer.rotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }
        int rem = data.length & 3;
        if (rem > 0) {
            int k = 0;
            if (rem == 3) k ^= (data[n + 2] & 0xff) << 16;
            if (rem >= 2) k ^= (data[n + 1] & 0xff) << 8;
            k ^= data[n] & 0xff;
            k *= c1;
            k = Integer.rotateLeft(k, 15);
            k *= c2;
            h ^= k;
        }
        h ^= data.length;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
