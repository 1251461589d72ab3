package dev.eimf.internal.train;

import java.util.random.RandomGenerator;

/**
 * A SplitMix64 generator whose whole state is one {@code long}, so that a training checkpoint can save
 * and restore every random stream exactly. Streams for different purposes come from
 * {@link #stream(long, int)}, which mixes the seed with the stream number.
 */
public final class SeededRandom implements RandomGenerator {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private long state;

    /** A generator continuing from {@code state} (a value from {@link #state()}, or any seed). */
    public SeededRandom(long state) {
        this.state = state;
    }

    /** The generator for stream {@code stream} of {@code seed}: independent of the other streams. */
    public static SeededRandom stream(long seed, int stream) {
        return new SeededRandom(mix(seed ^ mix(GOLDEN * (stream + 1L))));
    }

    /** The current state; {@code new SeededRandom(state())} continues identically. */
    public long state() {
        return state;
    }

    @Override
    public long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
