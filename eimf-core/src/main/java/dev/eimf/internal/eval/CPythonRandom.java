package dev.eimf.internal.eval;

import java.util.List;

/**
 * A bit-exact port of CPython 3's {@code random.Random} for the few calls the ComiRec preprocessing
 * uses: {@code random.seed(int)}, {@code getrandbits}, {@code random()} and {@code shuffle}.
 *
 * <p>Why it exists: the public ComiRec code shuffles its users with {@code random.seed(1230);
 * random.shuffle(users)}. Reproducing its train/valid/test user split exactly, and so comparing
 * numbers with splits made by the Python code, needs the same generator, not just the same seed.
 *
 * <p>What is reproduced (checked against CPython 3.6 to 3.13, which agree):
 * <ul>
 *   <li>{@code seed(a)}: MT19937 {@code init_by_array} over the 32-bit words of {@code |a|}, least
 *       significant word first ({@code [0]} for {@code a == 0});</li>
 *   <li>{@code getrandbits(k)}: 32-bit outputs, the last word shifted right to keep its top bits;</li>
 *   <li>{@code _randbelow(n)}: {@code getrandbits(n.bit_length())} with rejection of values
 *       {@code >= n};</li>
 *   <li>{@code shuffle(x)}: for i from len-1 down to 1, swap x[i] with x[_randbelow(i+1)].</li>
 * </ul>
 * Not thread-safe: one instance per thread, as with Python's own instances.
 */
public final class CPythonRandom {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] mt = new int[N];
    private int mti;

    /**
     * Seeds as {@code random.Random(seed)} does for a Python int. Negative seeds use their absolute
     * value, as CPython does; {@link Long#MIN_VALUE} is taken as 2^63.
     *
     * @param seed the Python int seed
     */
    public CPythonRandom(long seed) {
        // Unsigned magnitude: -Long.MIN_VALUE overflows back to itself, which read unsigned is 2^63.
        long mag = seed < 0 ? -seed : seed;
        int lo = (int) mag;
        int hi = (int) (mag >>> 32);
        initByArray(hi != 0 ? new int[] {lo, hi} : new int[] {lo});
    }

    private void initGenrand(int s) {
        mt[0] = s;
        for (mti = 1; mti < N; mti++) {
            mt[mti] = 1812433253 * (mt[mti - 1] ^ (mt[mti - 1] >>> 30)) + mti;
        }
    }

    private void initByArray(int[] key) {
        initGenrand(19650218);
        int i = 1;
        int j = 0;
        for (int k = Math.max(N, key.length); k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
            i++;
            j++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if (j >= key.length) {
                j = 0;
            }
        }
        for (int k = N - 1; k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x80000000;
        mti = N;
    }

    /** The next raw MT19937 output, as an unsigned 32-bit value held in a long. */
    public long nextUint32() {
        return genrand() & 0xffffffffL;
    }

    private int genrand() {
        if (mti >= N) {
            int kk;
            for (kk = 0; kk < N - M; kk++) {
                int y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
                mt[kk] = mt[kk + M] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
            }
            for (; kk < N - 1; kk++) {
                int y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
                mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
            }
            int y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
            mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
            mti = 0;
        }
        int y = mt[mti++];
        y ^= (y >>> 11);
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= (y >>> 18);
        return y;
    }

    /**
     * Python's {@code getrandbits(k)} for {@code 0 <= k <= 64}. For {@code k == 64} the result is
     * the unsigned value's bit pattern.
     *
     * @param k number of random bits
     * @return a value in {@code [0, 2^k)}
     */
    public long getrandbits(int k) {
        if (k < 0 || k > 64) {
            throw new IllegalArgumentException("k must be in 0..64, got " + k);
        }
        if (k == 0) {
            return 0;
        }
        if (k <= 32) {
            return (genrand() & 0xffffffffL) >>> (32 - k);
        }
        long low = genrand() & 0xffffffffL;
        long high = (genrand() & 0xffffffffL) >>> (64 - k);
        return low | (high << 32);
    }

    /**
     * Python's {@code _randbelow(n)}: a uniform value in {@code [0, n)} by rejection sampling.
     *
     * @param n exclusive upper bound, positive
     * @return a value in {@code [0, n)}
     */
    public int randbelow(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be positive, got " + n);
        }
        int k = 32 - Integer.numberOfLeadingZeros(n); // n.bit_length()
        long r = getrandbits(k);
        while (r >= n) {
            r = getrandbits(k);
        }
        return (int) r;
    }

    /** Python's {@code random()}: a double in {@code [0, 1)} with 53 random bits. */
    public double random() {
        long a = (genrand() & 0xffffffffL) >>> 5;
        long b = (genrand() & 0xffffffffL) >>> 6;
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
    }

    /** Python's {@code shuffle(x)} on an int array, in place. */
    public void shuffle(int[] x) {
        for (int i = x.length - 1; i > 0; i--) {
            int j = randbelow(i + 1);
            int t = x[i];
            x[i] = x[j];
            x[j] = t;
        }
    }

    /** Python's {@code shuffle(x)} on a mutable list, in place. */
    public <T> void shuffle(List<T> x) {
        for (int i = x.size() - 1; i > 0; i--) {
            int j = randbelow(i + 1);
            T t = x.get(i);
            x.set(i, x.get(j));
            x.set(j, t);
        }
    }
}
