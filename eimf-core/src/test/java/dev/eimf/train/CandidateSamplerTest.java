package dev.eimf.train;

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
}
