package dev.eimf.internal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CandidateSamplerTest {

    @Test
    void logUniformProbabilitiesSumToOneAndDecrease() {
        LogUniformSampler s = new LogUniformSampler(50);
        double sum = 0;
        for (int id = 1; id <= 50; id++) {
            sum += s.probability(id);
            if (id > 1) {
                assertTrue(s.probability(id) < s.probability(id - 1));
            }
        }
        assertEquals(1.0, sum, 1e-12);
        assertEquals(Math.log(2) / Math.log(51), s.probability(1), 1e-15);
    }

    @Test
    void rawDrawsFollowTheDistribution() {
        for (SamplerType type : SamplerType.values()) {
            int n = 12;
            CandidateSampler s = CandidateSampler.of(type, n);
            SplittableRandom rng = new SplittableRandom(42);
            int draws = 200_000;
            long[] counts = new long[n + 1];
            for (int i = 0; i < draws; i++) {
                int id = s.draw(rng);
                assertTrue(id >= 1 && id <= n, "id " + id);
                counts[id]++;
            }
            double chi2 = 0;
            for (int id = 1; id <= n; id++) {
                double e = draws * s.probability(id);
                chi2 += (counts[id] - e) * (counts[id] - e) / e;
            }
            // 11 degrees of freedom: P(chi2 > 31.26) = 0.001.
            assertTrue(chi2 < 31.26, type + " chi-square " + chi2);
        }
    }

    @Test
    void uniqueSamplingGivesDistinctIdsAndCountsTries() {
        CandidateSampler s = new LogUniformSampler(100);
        Candidates c = s.sample(60, new SplittableRandom(1));
        assertEquals(60, c.size());
        assertEquals(60, Arrays.stream(c.ids()).distinct().count());
        assertTrue(Arrays.stream(c.ids()).allMatch(id -> id >= 1 && id <= 100));
        assertTrue(c.numTries() > 60, "tries " + c.numTries());
        for (int i = 0; i < c.size(); i++) {
            double p = s.probability(c.ids()[i]);
            assertEquals(1 - Math.pow(1 - p, c.numTries()), c.expectedCounts()[i], 1e-12);
            assertEquals(c.expectedCounts()[i], c.expectedCount(c.ids()[i]), 0);
        }
        // Same seed, same candidates.
        Candidates again = s.sample(60, new SplittableRandom(1));
        assertArrayEquals(c.ids(), again.ids());
        assertEquals(c.numTries(), again.numTries());
    }

    @Test
    void expectedCountIsInclusionProbabilityOfTheRawDraws() {
        // Brute force: enumerate every sequence of `tries` raw draws over n = 4 and sum the probability
        // of the sequences that contain the id.
        LogUniformSampler s = new LogUniformSampler(4);
        int tries = 3;
        for (int id = 1; id <= 4; id++) {
            double contains = 0;
            for (int a = 1; a <= 4; a++) {
                for (int b = 1; b <= 4; b++) {
                    for (int c = 1; c <= 4; c++) {
                        if (a == id || b == id || c == id) {
                            contains += s.probability(a) * s.probability(b) * s.probability(c);
                        }
                    }
                }
            }
            assertEquals(contains, CandidateSampler.expectedCount(s.probability(id), 2, tries), 1e-12);
        }
        // TensorFlow's shortcut when no draw was rejected.
        assertEquals(0.3 * 5, CandidateSampler.expectedCount(0.3, 5, 5), 1e-15);
    }

    @Test
    void samplingAtLeastAllItemsTakesAllWithoutCorrection() {
        Candidates c = new UniformSampler(5).sample(8, new SplittableRandom(0));
        assertArrayEquals(new int[] {1, 2, 3, 4, 5}, c.ids());
        assertArrayEquals(new double[] {1, 1, 1, 1, 1}, c.expectedCounts(), 0);
        assertEquals(1.0, c.expectedCount(3), 0);
    }

    @Test
    void successiveSamplingHasTheDistributionOfTheRejectionProcedure() {
        // Same joint law of (ordered ids, tries): compare the first id, the second id, the inclusion of
        // every id and the mean and spread of the tries over many samples of both ways.
        for (CandidateSampler s : new CandidateSampler[] {new LogUniformSampler(12), new UniformSampler(12)}) {
            int n = 12, k = 9, reps = 60_000;
            double[][] stats = new double[2][];
            for (int way = 0; way < 2; way++) {
                SplittableRandom rng = new SplittableRandom(17 + way);
                double[] st = new double[3 * (n + 1) + 2];
                for (int r = 0; r < reps; r++) {
                    int[] ids = new int[k];
                    int tries = way == 0 ? CandidateSampler.byRejection(s, ids, rng) : Successive.sample(s, ids, rng);
                    assertEquals(k, Arrays.stream(ids).distinct().count());
                    st[ids[0]] += 1;
                    st[(n + 1) + ids[1]] += 1;
                    for (int id : ids) {
                        st[2 * (n + 1) + id] += 1;
                    }
                    st[3 * (n + 1)] += tries;
                    st[3 * (n + 1) + 1] += (double) tries * tries;
                }
                for (int i = 0; i < st.length; i++) {
                    st[i] /= reps;
                }
                stats[way] = st;
            }
            for (int i = 0; i < 3 * (n + 1); i++) {
                double p = (stats[0][i] + stats[1][i]) / 2;
                double se = Math.sqrt(2 * p * (1 - p) / reps) + 1e-12;
                assertEquals(stats[0][i], stats[1][i], 5 * se, s.getClass().getSimpleName() + " frequency " + i);
            }
            double mean = stats[0][3 * (n + 1)];
            double var = stats[0][3 * (n + 1) + 1] - mean * mean;
            assertEquals(mean, stats[1][3 * (n + 1)], 5 * Math.sqrt(2 * var / reps), "mean tries");
            double var1 = stats[1][3 * (n + 1) + 1] - stats[1][3 * (n + 1)] * stats[1][3 * (n + 1)];
            assertEquals(var, var1, 0.05 * var, "variance of tries");
        }
    }

    @Test
    void denseRequestsUseSuccessiveSamplingAndStayReproducible() {
        CandidateSampler s = new LogUniformSampler(1349);
        Candidates a = s.sample(1280, new SplittableRandom(3));
        Candidates b = s.sample(1280, new SplittableRandom(3));
        assertArrayEquals(a.ids(), b.ids());
        assertEquals(a.numTries(), b.numTries());
        assertEquals(1280, Arrays.stream(a.ids()).distinct().count());
        assertTrue(Arrays.stream(a.ids()).allMatch(id -> id >= 1 && id <= 1349));
        // 1280 of 1349 under this law need many draws: between 10^3.5 and 10^6 is the plausible range.
        assertTrue(a.numTries() > 3000 && a.numTries() < 1_000_000, "tries " + a.numTries());
    }
}
