package dev.eimf.eval;

import dev.eimf.internal.eval.CPythonRandom;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * How a protocol shuffles its user list. Both are deterministic functions of the seed.
 */
public enum UserShuffle {
    /**
     * Fisher–Yates driven by Java's {@code L64X128MixRandom} seeded with the seed. The default: fast,
     * with good statistical quality, and stable across JDK versions (the algorithm is specified).
     */
    JAVA {
        @Override
        public void shuffle(int[] users, long seed) {
            RandomGenerator rng = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
            for (int i = users.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = users[i];
                users[i] = users[j];
                users[j] = t;
            }
        }
    },
    /**
     * CPython 3's {@code random.seed(seed); random.shuffle(users)}, bit for bit (see
     * the Mersenne Twister port in the engine). Use it to reproduce splits made by the public ComiRec Python code.
     */
    CPYTHON {
        @Override
        public void shuffle(int[] users, long seed) {
            new CPythonRandom(seed).shuffle(users);
        }
    };

    /**
     * Shuffles in place.
     *
     * @param users the array to permute
     * @param seed  the seed
     */
    public abstract void shuffle(int[] users, long seed);
}
