package dev.eimf.train;

import java.util.random.RandomGenerator;

/**
 * Draws shared negative items with TensorFlow's {@code unique=True} semantics: raw draws are repeated
 * until {@code numSampled} distinct ids are found, counting the tries, and each id's expected count is
 * {@code -expm1(numTries * log1p(-p))} (or {@code p * numSampled} when no draw was rejected, the same
 * shortcut TensorFlow's {@code RangeSampler} takes). When {@code numSampled >= n} every item is taken
 * with expected count 1 (no correction).
 */
public interface CandidateSampler {

    /** Number of real items n; ids are drawn from 1..n. */
    int numItems();

    /** Probability of one raw draw returning {@code id} (1..n). */
    double probability(int id);

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
        boolean[] used = new boolean[n + 1];
        int[] ids = new int[numSampled];
        int picked = 0;
        int tries = 0;
        while (picked < numSampled) {
            tries++;
            if (tries == Integer.MAX_VALUE) {
                throw new IllegalStateException("sampler made " + tries + " draws without finding "
                        + numSampled + " distinct ids among " + n);
            }
            int id = draw(rng);
            if (!used[id]) {
                used[id] = true;
                ids[picked++] = id;
            }
        }
        double[] expected = new double[numSampled];
        for (int i = 0; i < numSampled; i++) {
            expected[i] = expectedCount(probability(ids[i]), numSampled, tries);
        }
        return new Candidates(ids, expected, tries, this);
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
