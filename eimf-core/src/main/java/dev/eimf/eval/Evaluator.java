package dev.eimf.eval;

import dev.eimf.data.ItemCategories;
import dev.eimf.internal.eval.DiverseSelection;
import dev.eimf.internal.eval.TopN;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Full-ranking evaluation of any {@link ItemScorer}: scores cases in batches, optionally removes
 * each case's history items, takes the top {@code max(cut-offs)} items with {@link TopN} and
 * averages {@link Metrics} over the cases.
 *
 * <p>Given {@link ItemCategories}, it also computes Diversity@N ({@link Metrics#diversity}, keys
 * {@code diversity@N}) and can rank with ComiRec's controllable diversity ({@link EvalConfig#diversity()}):
 * each interest of the scorer proposes its top N items (a scorer of one interest, such as a baseline, its
 * top 4N, the pool of a four-interest model), and N of them are picked greedily by
 * {@code f(i) + lambda * (picked items of another category)}, with {@code f(i)} the item's score
 * ({@code docs/METHOD.md}, section 3.8). With lambda 0 the ranking is the plain one.
 *
 * <p>Thread-safe (it holds only its immutable config; every call allocates its own buffers; the
 * scorer is called from the calling thread only) and deterministic: ties rank the lower item id
 * first and sums run in case order.
 */
public final class Evaluator {
    /** Candidates per cut-off for a scorer of one interest: the pool a four-interest model proposes. */
    private static final int SINGLE_INTEREST_POOL = 4;
    /** Histories per batch of the diversified ranking, which holds K score rows per history. */
    private static final int DIVERSE_BATCH = 32;

    private final EvalConfig config;
    private final Metrics metrics;
    private final ItemCategories categories;

    /**
     * @param config the evaluation settings, without diversity ({@link EvalConfig#diversity()} 0)
     * @throws IllegalArgumentException when the config asks for diversity, which needs categories
     */
    public Evaluator(EvalConfig config) {
        this(config, null);
    }

    /**
     * An evaluator that also reports Diversity@N and can rank with controllable diversity.
     *
     * @param config     the evaluation settings
     * @param categories the items' categories ({@link ItemCategories#of(dev.eimf.data.ItemCatalog)}), over
     *                   the same items as the evaluated splits; null for none
     * @throws IllegalArgumentException when the config asks for diversity and there are no categories
     */
    public Evaluator(EvalConfig config, ItemCategories categories) {
        this.config = Objects.requireNonNull(config, "config");
        this.metrics = new Metrics(config.cutoffs(), config.ndcgVariant());
        this.categories = categories;
        if (config.diversity() > 0 && categories == null) {
            throw new IllegalArgumentException("diversity " + config.diversity()
                    + " needs the items' categories: new Evaluator(config, ItemCategories.of(catalog))");
        }
    }

    /** An evaluator with {@link EvalConfig#defaults()}. */
    public Evaluator() {
        this(EvalConfig.defaults());
    }

    /** The settings. */
    public EvalConfig config() {
        return config;
    }

    /** Evaluates the validation cases of a split. */
    public MetricsResult evaluateValid(ItemScorer scorer, Split split) {
        return evaluate(scorer, split.numItems(), split.valid());
    }

    /** Evaluates the test cases of a split. */
    public MetricsResult evaluateTest(ItemScorer scorer, Split split) {
        return evaluate(scorer, split.numItems(), split.test());
    }

    /**
     * Evaluates cases.
     *
     * @param scorer   the model or baseline
     * @param numItems number of real items; score rows have {@code numItems + 1} entries
     * @param cases    the cases, each with at least one target; item ids in {@code 1..numItems}
     * @return metrics averaged over the cases
     * @throws IllegalArgumentException if there are no cases, a case has no target, or an id is out
     *                                  of range
     */
    public MetricsResult evaluate(ItemScorer scorer, int numItems, List<EvalCase> cases) {
        Objects.requireNonNull(scorer, "scorer");
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("no cases to evaluate");
        }
        for (EvalCase c : cases) {
            if (c.targets().length == 0) {
                throw new IllegalArgumentException("case of user " + c.user() + " has no target");
            }
            checkIds(c.history(), numItems, "history", c.user());
            checkIds(c.targets(), numItems, "targets", c.user());
        }
        checkCategories(numItems);
        List<String> keys = new ArrayList<>(metrics.keys());
        int base = keys.size();
        if (categories != null) {
            for (int c : config.cutoffs()) {
                keys.add(Metrics.DIVERSITY + "@" + c);
            }
        }
        double[] sums = new double[keys.size()];
        int n = config.maxCutoff();
        int[][] ranked = topN(scorer, numItems, cases.stream().map(EvalCase::history).toArray(int[][]::new), n);
        for (int i = 0; i < cases.size(); i++) {
            double[] v = metrics.compute(ranked[i], cases.get(i).targets());
            for (int k = 0; k < base; k++) {
                sums[k] += v[k];
            }
            for (int k = base; k < sums.length; k++) {
                sums[k] += Metrics.diversity(ranked[i], config.cutoffs().get(k - base), categories::id);
            }
        }
        Map<String, Double> values = new LinkedHashMap<>();
        for (int k = 0; k < sums.length; k++) {
            values.put(keys.get(k), sums[k] / cases.size());
        }
        return new MetricsResult(cases.size(), values);
    }

    /**
     * The top-{@code n} item ids for one history, ranked as in {@link #evaluate} (history excluded
     * when configured; ties to the lower id).
     *
     * @param scorer   the model or baseline
     * @param numItems number of real items
     * @param history  item ids, oldest first
     * @param n        how many, positive
     * @return up to {@code n} item ids, best first
     */
    public int[] topN(ItemScorer scorer, int numItems, int[] history, int n) {
        return topN(scorer, numItems, new int[][] {history}, n)[0];
    }

    /**
     * The top-{@code n} item ids for many histories, scored in batches of the configured size.
     *
     * @param scorer    the model or baseline
     * @param numItems  number of real items
     * @param histories item ids per history, oldest first
     * @param n         how many, positive
     * @return per history, up to {@code n} item ids, best first
     */
    public int[][] topN(ItemScorer scorer, int numItems, int[][] histories, int n) {
        Objects.requireNonNull(scorer, "scorer");
        if (n < 1) {
            throw new IllegalArgumentException("n must be positive, got " + n);
        }
        for (int[] h : histories) {
            checkIds(h, numItems, "history", -1);
        }
        checkCategories(numItems);
        int[][] result = new int[histories.length][];
        if (histories.length == 0) {
            return result;
        }
        if (config.diversity() > 0) {
            return topNDiverse(scorer, numItems, histories, n);
        }
        int batch = Math.min(config.batchSize(), histories.length);
        float[][] rows = new float[batch][numItems + 1];
        for (int from = 0; from < histories.length; from += batch) {
            int to = Math.min(histories.length, from + batch);
            int[][] part = Arrays.copyOfRange(histories, from, to);
            float[][] out = score(scorer, part, rows);
            for (int i = from; i < to; i++) {
                result[i] = rank(out[i - from], part[i - from], n);
            }
        }
        return result;
    }

    private int[][] topNDiverse(ItemScorer scorer, int numItems, int[][] histories, int n) {
        int k = Math.max(1, scorer.numInterests());
        int perInterest = k == 1 ? SINGLE_INTEREST_POOL * n : n;
        int[][] result = new int[histories.length][];
        int batch = Math.min(Math.min(config.batchSize(), DIVERSE_BATCH), histories.length);
        for (int from = 0; from < histories.length; from += batch) {
            int to = Math.min(histories.length, from + batch);
            float[][][] rows = new float[to - from][k][numItems + 1];
            scorer.scoreInterestsBatch(Arrays.copyOfRange(histories, from, to), rows);
            for (int h = from; h < to; h++) {
                result[h] = diverse(rows[h - from], histories[h], perInterest, n);
            }
        }
        return result;
    }

    /** One history: each interest's top candidates, f = the maximum over interests, greedy selection. */
    private int[] diverse(float[][] byInterest, int[] history, int perInterest, int n) {
        int items = byInterest[0].length;
        float[] f = new float[items];
        Arrays.fill(f, Float.NEGATIVE_INFINITY);
        for (float[] row : byInterest) {
            for (int i = 1; i < items; i++) {
                f[i] = Math.max(f[i], row[i]);
            }
        }
        LinkedHashSet<Integer> pool = new LinkedHashSet<>();
        for (float[] row : byInterest) {
            for (int id : rank(row, history, perInterest)) {
                pool.add(id);
            }
        }
        int[] ids = pool.stream().mapToInt(Integer::intValue).toArray();
        // Descending f, ties to the lower id: the order TopN ranks in, so lambda 0 would keep the plain ranking.
        int[] ordered = TopN.select(f, ids, ids.length, ids.length);
        double[] fs = new double[ordered.length];
        for (int c = 0; c < ordered.length; c++) {
            fs[c] = f[ordered[c]];
        }
        return DiverseSelection.select(ordered, fs, categories::id, n, config.diversity());
    }

    private void checkCategories(int numItems) {
        if (categories != null && categories.size() != numItems) {
            throw new IllegalArgumentException("the categories cover " + categories.size() + " items but the cases have "
                    + numItems + ": categories must come from the evaluated dataset's catalogue");
        }
    }

    private static float[][] score(ItemScorer scorer, int[][] histories, float[][] rows) {
        float[][] out = histories.length == rows.length ? rows : Arrays.copyOf(rows, histories.length);
        for (float[] row : out) {
            Arrays.fill(row, 0f);
        }
        scorer.scoreBatch(histories, out);
        return out;
    }

    private int[] rank(float[] scores, int[] history, int n) {
        if (config.excludeHistory()) {
            for (int h : history) {
                scores[h] = Float.NEGATIVE_INFINITY;
            }
        }
        return TopN.select(scores, n);
    }

    private static void checkIds(int[] ids, int numItems, String field, int user) {
        for (int id : ids) {
            if (id < 1 || id > numItems) {
                throw new IllegalArgumentException((user >= 0 ? "case of user " + user + ": " : "")
                        + field + " has item id " + id + " outside 1.." + numItems);
            }
        }
    }
}
