package dev.eimf.internal.train;

import java.util.random.RandomGenerator;

/**
 * Draws shared negative items with TensorFlow's {@code unique=True} semantics: raw draws are repeated
 * until {@code numSampled} distinct ids are found, counting the tries, and each id's expected count is
 * {@code -expm1(numTries * log1p(-p))} (or {@code p * numSampled} when no draw was rejected, the same
 * shortcut TensorFlow's {@code RangeSampler} takes). When {@code numSampled >= n} every item is taken
 * with expected count 1 (no correction).
 *
 * <p>When more than a quarter of the items are wanted, the raw draws mostly repeat ids already found
 * (1,280 of ml-100k's 1,349 items take tens of thousands of draws), so the default {@link #sample}
 * then simulates the same process in another way with the same distribution of ids, their order and the
 * number of tries: each next new id drawn in proportion to {@code p} among the ids not yet found, and
 * the draws spent waiting for it as a geometric variable with success probability {@code 1 - P}, where
 * {@code P} is the mass already found. The two ways use the random stream differently, so for a seed
 * each gives its own (equally valid) sample.
 */
public interface CandidateSampler {

    /** Number of real items n; ids are drawn from 1..n. */
    int numItems();

    /** Probability of one raw draw returning {@code id} (1..n). */
    double probability(int id);

    /**
     * {@code log(1 - probability(id))}, which the expected counts need for every sampled id; samplers
     * may override it with a table.
     */
    default double logOneMinusProbability(int id) {
        return Math.log1p(-probability(id));
    }

    /**
     * {@link #expectedCount(double, int, int)} of {@code id}, through {@link #logOneMinusProbability}.
     */
    default double expectedCountOf(int id, int numSampled, int numTries) {
        if (numTries == numSampled) {
            return probability(id) * numSampled;
        }
        return -Math.expm1(numTries * logOneMinusProbability(id));
    }

    /** One raw draw: an id in 1..n. */
    int draw(RandomGenerator rng);

    /**
     * Samples {@code numSampled} distinct ids.
     *
     * @param numSampled number of distinct ids wanted (positive)
     * @param rng        source of randomness
     */
    default Candidates sample(int numSampled, RandomGenerator rng) {
        int n = numItems();
        if (numSampled <= 0) {
            throw new IllegalArgumentException("numSampled must be positive: " + numSampled);
        }
        if (numSampled >= n) {
            int[] all = new int[n];
            double[] ones = new double[n];
            for (int i = 0; i < n; i++) {
                all[i] = i + 1;
                ones[i] = 1.0;
            }
            return new Candidates(all, ones, -1, this);
        }
        int[] ids = new int[numSampled];
        int tries = 4L * numSampled > n ? Successive.sample(this, ids, rng) : byRejection(this, ids, rng);
        double[] expected = new double[numSampled];
        for (int i = 0; i < numSampled; i++) {
            expected[i] = expectedCountOf(ids[i], numSampled, tries);
        }
        return new Candidates(ids, expected, tries, this);
    }

    /**
     * The literal procedure: raw draws until {@code ids.length} distinct ids are found, in order of
     * first appearance; returns the number of draws.
     */
    static int byRejection(CandidateSampler sampler, int[] ids, RandomGenerator rng) {
        int n = sampler.numItems();
        boolean[] used = new boolean[n + 1];
        int picked = 0;
        int tries = 0;
        while (picked < ids.length) {
            tries++;
            if (tries == Integer.MAX_VALUE) {
                throw new IllegalStateException("sampler made " + tries + " draws without finding "
                        + ids.length + " distinct ids among " + n);
            }
            int id = sampler.draw(rng);
            if (!used[id]) {
                used[id] = true;
                ids[picked++] = id;
            }
        }
        return tries;
    }

    /**
     * TensorFlow's {@code ExpectedCountHelper}: the probability that an id with raw-draw probability
     * {@code p} appears in {@code numTries} draws, {@code 1 - (1-p)^numTries}, computed stably.
     */
    static double expectedCount(double p, int numSampled, int numTries) {
        if (numTries == numSampled) {
            return p * numSampled;
        }
        return -Math.expm1(numTries * Math.log1p(-p));
    }

    /** Creates a sampler of the given type over ids 1..n. */
    static CandidateSampler of(SamplerType type, int numItems) {
        return switch (type) {
            case LOG_UNIFORM -> new LogUniformSampler(numItems);
            case UNIFORM -> new UniformSampler(numItems);
        };
    }
}
