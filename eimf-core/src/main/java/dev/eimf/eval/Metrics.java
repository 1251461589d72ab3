package dev.eimf.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Computes Recall, NDCG and HitRate at several cut-offs from one ranking, in one pass over the top
 * {@code max(cut-offs)} ranks. Immutable and thread-safe.
 *
 * <p>Definitions, for a ranking {@code R} (best first) and the user's targets {@code T} taken as a
 * set (repeated targets count once):
 * <ul>
 *   <li>{@code hits@N} = number of items among the first N ranks that are in T;</li>
 *   <li>Recall@N = hits@N / |T|. (ComiRec divides by {@code len(targets)} with repeats; the two agree
 *       when a user's targets are distinct, as in MovieLens.)</li>
 *   <li>HitRate@N = 1 if hits@N &gt; 0, else 0;</li>
 *   <li>NDCG@N = DCG@N / IDCG, with DCG@N = sum over hits at 0-based rank r &lt; N of 1/log2(r+2) and
 *       IDCG as given by the {@link NdcgVariant}; 0 when there is no hit.</li>
 * </ul>
 * A ranking shorter than N (items excluded from ranking) is scored as it is: the missing ranks are
 * misses.
 */
public final class Metrics {
    /** Name prefix of the recall metric. */
    public static final String RECALL = "recall";
    /** Name prefix of the NDCG metric. */
    public static final String NDCG = "ndcg";
    /** Name prefix of the hit-rate metric. */
    public static final String HITRATE = "hitrate";
    /** Name prefix of the diversity metric ({@link #diversity}). */
    public static final String DIVERSITY = "diversity";

    private final int[] cutoffs;
    private final NdcgVariant variant;
    private final List<String> keys;
    private final double[] discount; // discount[r] = 1 / log2(r + 2), r 0-based

    /**
     * @param cutoffs positive, distinct cut-offs (any order; used ascending)
     * @param variant the NDCG normalisation
     */
    public Metrics(List<Integer> cutoffs, NdcgVariant variant) {
        this.variant = Objects.requireNonNull(variant, "variant");
        this.cutoffs = validCutoffs(cutoffs);
        List<String> k = new ArrayList<>(this.cutoffs.length * 3);
        for (int n : this.cutoffs) {
            k.add(RECALL + "@" + n);
            k.add(NDCG + "@" + n);
            k.add(HITRATE + "@" + n);
        }
        this.keys = List.copyOf(k);
        int max = this.cutoffs[this.cutoffs.length - 1];
        discount = new double[max];
        for (int r = 0; r < max; r++) {
            discount[r] = 1.0 / (Math.log(r + 2) / Math.log(2));
        }
    }

    static int[] validCutoffs(List<Integer> cutoffs) {
        Objects.requireNonNull(cutoffs, "cutoffs");
        if (cutoffs.isEmpty()) {
            throw new IllegalArgumentException("at least one cut-off is needed");
        }
        int[] c = cutoffs.stream().mapToInt(Integer::intValue).sorted().toArray();
        for (int i = 0; i < c.length; i++) {
            if (c[i] < 1) {
                throw new IllegalArgumentException("cut-offs must be positive, got " + c[i]);
            }
            if (i > 0 && c[i] == c[i - 1]) {
                throw new IllegalArgumentException("duplicate cut-off " + c[i]);
            }
        }
        return c;
    }

    /** Metric names in output order: for each ascending cut-off, recall, ndcg, hitrate. */
    public List<String> keys() {
        return keys;
    }

    /** The largest cut-off: how many ranks a ranking needs. */
    public int maxCutoff() {
        return cutoffs[cutoffs.length - 1];
    }

    /** The NDCG variant. */
    public NdcgVariant variant() {
        return variant;
    }

    /**
     * Diversity@N of one ranking: the share of pairs among its first N items whose categories differ
     * ({@code differing pairs / (m (m - 1) / 2)} with m = min(N, ranking length)); 0 when fewer than two
     * items are ranked. Categories come from {@link dev.eimf.data.ItemCategories#id}, so an item without a
     * category differs from every other.
     *
     * @param ranked   item ids, best first
     * @param n        the cut-off N, positive
     * @param category category number of an item id
     * @return a value in [0, 1]
     */
    public static double diversity(int[] ranked, int n, java.util.function.IntUnaryOperator category) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be positive, got " + n);
        }
        int m = Math.min(n, ranked.length);
        if (m < 2) {
            return 0.0;
        }
        int[] c = new int[m];
        for (int i = 0; i < m; i++) {
            c[i] = category.applyAsInt(ranked[i]);
        }
        long differ = 0;
        for (int a = 0; a < m; a++) {
            for (int b = a + 1; b < m; b++) {
                if (c[a] != c[b]) differ++;
            }
        }
        return differ / (m * (m - 1) / 2.0);
    }

    /**
     * Metrics of one user.
     *
     * @param ranked  item ids, best first; only the first {@link #maxCutoff()} are read. Distinct.
     * @param targets the user's targets, non-empty
     * @return values in {@link #keys()} order
     */
    public double[] compute(int[] ranked, int[] targets) {
        if (targets.length == 0) {
            throw new IllegalArgumentException("a case needs at least one target");
        }
        int[] t = Arrays.stream(targets).sorted().distinct().toArray();
        double[] out = new double[keys.size()];
        int limit = Math.min(ranked.length, maxCutoff());
        int hits = 0;
        double dcg = 0;
        int r = 0;
        for (int c = 0; c < cutoffs.length; c++) {
            int n = cutoffs[c];
            for (; r < Math.min(n, limit); r++) {
                if (Arrays.binarySearch(t, ranked[r]) >= 0) {
                    hits++;
                    dcg += discount[r];
                }
            }
            int idealLength = variant == NdcgVariant.STANDARD ? Math.min(n, t.length) : hits;
            double idcg = 0;
            for (int i = 0; i < idealLength; i++) {
                idcg += discount[i];
            }
            out[3 * c] = (double) hits / t.length;
            out[3 * c + 1] = hits > 0 ? dcg / idcg : 0.0;
            out[3 * c + 2] = hits > 0 ? 1.0 : 0.0;
        }
        return out;
    }
}
