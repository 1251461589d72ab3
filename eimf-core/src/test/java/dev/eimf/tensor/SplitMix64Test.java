package dev.eimf.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SplitMix64Test {

    @Test
    void streamIsTheJdkGeneratorSeededWithTheFamilysOutput() {
        // stream i of seed s starts where SplittableRandom(s)'s i-th output, used as a seed, starts
        SplittableRandom family = new SplittableRandom(42);
        SplitMix64 g = new SplitMix64();
        for (int i = 0; i < 5; i++) {
            SplittableRandom reference = new SplittableRandom(family.nextLong());
            g.reseed(42, i);
            for (int j = 0; j < 10; j++) {
                assertEquals(reference.nextLong(), g.nextLong(), "stream " + i + " value " + j);
            }
        }
    }

    @Test
    void reseedingRepeatsAStreamAndStreamsDiffer() {
        SplitMix64 g = new SplitMix64();
        g.reseed(7, 3);
        double a = g.nextGaussian();
        long b = g.nextLong();
        g.reseed(7, 4);
        double other = g.nextGaussian();
        g.reseed(7, 3);
        assertEquals(a, g.nextGaussian());
        assertEquals(b, g.nextLong());
        assertNotEquals(a, other);
    }

    @Test
    void gaussiansHaveUnitVariance() {
        SplitMix64 g = new SplitMix64();
        double sum = 0, sq = 0;
        int n = 0;
        for (int s = 0; s < 200; s++) {
            g.reseed(11, s);
            for (int i = 0; i < 500; i++) {
                double z = g.nextGaussian();
                sum += z;
                sq += z * z;
                n++;
            }
        }
        double mean = sum / n, var = sq / n - mean * mean;
        assertEquals(0.0, mean, 0.02);
        assertEquals(1.0, var, 0.03);
    }
}
