package dev.eimf.examples.app;

import dev.eimf.esim.TextEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The application's own text encoder, to show the extension point: each lower-cased word adds a fixed
 * pseudo-random unit direction, and the sum is normalised. Phrases that share words get similar vectors;
 * a real application would call its embedding service here.
 */
public final class WordTextEncoder implements TextEncoder {
    private final int dimension;

    /** @param dimension D, the vector size */
    public WordTextEncoder(int dimension) {
        if (dimension < 1) throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
        this.dimension = dimension;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public String name() {
        return "word-directions-" + dimension;
    }

    @Override
    public List<float[]> encode(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            float[] v = new float[dimension];
            for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
                if (word.isEmpty()) continue;
                java.util.SplittableRandom r = new java.util.SplittableRandom(word.hashCode());
                for (int i = 0; i < dimension; i++) v[i] += (float) r.nextGaussian();
            }
            double n = 0;
            for (float x : v) n += x * x;
            if (n > 0) {
                float inv = (float) (1 / Math.sqrt(n));
                for (int i = 0; i < dimension; i++) v[i] *= inv;
            }
            out.add(v);
        }
        return out;
    }
}
