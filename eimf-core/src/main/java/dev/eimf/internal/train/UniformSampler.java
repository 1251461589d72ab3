package dev.eimf.internal.train;

import java.util.random.RandomGenerator;

/** Uniform candidate sampler over ids 1..n. */
public final class UniformSampler implements CandidateSampler {
    private final int n;

    /** @param numItems n, the number of real items (at least 1) */
    public UniformSampler(int numItems) {
        if (numItems < 1) {
            throw new IllegalArgumentException("numItems must be at least 1: " + numItems);
        }
        this.n = numItems;
    }

    @Override
    public int numItems() {
        return n;
    }

    @Override
    public double probability(int id) {
        if (id < 1 || id > n) {
            throw new IndexOutOfBoundsException("item id " + id + " not in 1.." + n);
        }
        return 1.0 / n;
    }

    @Override
    public int draw(RandomGenerator rng) {
        return 1 + rng.nextInt(n);
    }
}
