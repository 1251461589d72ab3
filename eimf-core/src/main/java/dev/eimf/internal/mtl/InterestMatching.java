package dev.eimf.internal.mtl;

/**
 * Matching of K behavioural interests to J semantic interests from their cosine matrix. A discrete choice:
 * no gradient flows through it.
 */
public final class InterestMatching {
    private InterestMatching() {
    }

    /**
     * Matches each row k of {@code cos} (K x J) to a column.
     *
     * @param cos  cosine similarities, K x J, finite
     * @param rule the matching rule
     * @return {@code pi}, of length K, with values in [0, J); for HUNGARIAN with K > J the ARGMAX result
     *         (see {@link #hungarianApplies(int, int)})
     */
    public static int[] match(double[][] cos, Matching rule) {
        int k = cos.length;
        int j = k == 0 ? 0 : cos[0].length;
        if (k == 0 || j == 0) {
            throw new IllegalArgumentException("cosine matrix must be at least 1 x 1, got " + k + " x " + j);
        }
        if (rule == Matching.HUNGARIAN && hungarianApplies(k, j)) {
            return Hungarian.maximize(cos);
        }
        return argmax(cos);
    }

    /** Whether a one-to-one assignment exists for K behavioural and J semantic interests (J >= K). */
    public static boolean hungarianApplies(int numBehavioural, int numSemantic) {
        return numSemantic >= numBehavioural;
    }

    /** Row-wise argmax; ties take the lowest column. */
    public static int[] argmax(double[][] cos) {
        int[] pi = new int[cos.length];
        for (int k = 0; k < cos.length; k++) {
            int best = 0;
            for (int j = 1; j < cos[k].length; j++) {
                if (cos[k][j] > cos[k][best]) {
                    best = j;
                }
            }
            pi[k] = best;
        }
        return pi;
    }
}
