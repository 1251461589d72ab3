package dev.eimf.internal.train;

import java.util.random.RandomGenerator;

/**
 * TensorFlow's log-uniform candidate sampler shifted to our ids: id 1 is the most frequent item and
 * {@code P(id) = log((id+1)/id) / log(n+1)} for ids 1..n. Padding (id 0) is never drawn.
 */
public final class LogUniformSampler implements CandidateSampler {
    private final int n;
    private final double logRange;
    /** Per id (index 0 unused): the probability and log(1 - probability), computed once. */
    private final double[] prob;
    private final double[] logOneMinus;

    /** @param numItems n, the number of real items (at least 1) */
    public LogUniformSampler(int numItems) {
        if (numItems < 1) {
            throw new IllegalArgumentException("numItems must be at least 1: " + numItems);
        }
        this.n = numItems;
        this.logRange = Math.log(numItems + 1.0);
        this.prob = new double[numItems + 1];
        this.logOneMinus = new double[numItems + 1];
        for (int id = 1; id <= numItems; id++) {
            prob[id] = Math.log1p(1.0 / id) / logRange;
            logOneMinus[id] = Math.log1p(-prob[id]);
        }
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
        return prob[id];
    }

    @Override
    public double logOneMinusProbability(int id) {
        if (id < 1 || id > n) {
            throw new IndexOutOfBoundsException("item id " + id + " not in 1.." + n);
        }
        return logOneMinus[id];
    }

    @Override
    public int draw(RandomGenerator rng) {
        // Inverse CDF: CDF(id) = log(id+1)/log(n+1), so id = floor(exp(u * log(n+1))).
        int id = (int) Math.floor(Math.exp(rng.nextDouble() * logRange));
        return Math.min(Math.max(id, 1), n);
    }
}
