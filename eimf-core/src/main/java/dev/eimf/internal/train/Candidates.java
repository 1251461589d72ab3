package dev.eimf.internal.train;

/**
 * One draw of shared negative candidates, as TensorFlow's candidate samplers return it.
 *
 * @param ids            distinct sampled item ids (1..n)
 * @param expectedCounts expected count of each sampled id under the sampling procedure
 * @param numTries       raw draws made to obtain the distinct ids ({@code -1} when all items were taken)
 * @param sampler        the sampler, for the expected counts of the true items
 */
public record Candidates(int[] ids, double[] expectedCounts, int numTries, CandidateSampler sampler) {
    public Candidates {
        if (ids.length != expectedCounts.length) {
            throw new IllegalArgumentException("ids and expectedCounts differ in length");
        }
    }

    /** Number of sampled candidates. */
    public int size() {
        return ids.length;
    }

    /** Expected count of any item id (used for the true classes' log-Q correction). */
    public double expectedCount(int id) {
        if (numTries < 0) {
            return 1.0;
        }
        return sampler.expectedCountOf(id, ids.length, numTries);
    }
}
