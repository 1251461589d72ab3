package dev.eimf.tensor;

import java.util.random.RandomGenerator;

/**
 * SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014; the
 * generator behind {@link java.util.SplittableRandom}) as a generator that can be reseeded in place, so
 * that a parallel loop can give every item its own stream without allocating one object per item.
 *
 * <p>{@link #reseed(long, long)} puts it at the start of stream {@code index} of a family keyed by
 * {@code seed}: the stream's first state is the {@code index}-th output of the generator seeded with
 * {@code seed}. The results therefore depend on the seed and the item, not on which thread draws them.
 * Gaussians come from {@link RandomGenerator#nextGaussian()}'s default (the JDK's modified ziggurat).
 * Not thread-safe: one instance per thread.
 */
public final class SplitMix64 implements RandomGenerator {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private long state;

    /** A generator at the start of stream 0 of seed 0; call {@link #reseed} before use. */
    public SplitMix64() {
        reseed(0L, 0L);
    }

    /** Moves to the start of stream {@code index} of the family keyed by {@code seed}. */
    public void reseed(long seed, long index) {
        state = mix64(seed + (index + 1) * GOLDEN_GAMMA);
    }

    @Override
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix64(state);
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser, as in {@link java.util.SplittableRandom}. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
