package dev.eimf.eval;

import dev.eimf.internal.eval.TopN;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Full-ranking evaluation of any {@link ItemScorer}: scores cases in batches, optionally removes
 * each case's history items, takes the top {@code max(cut-offs)} items with {@link TopN} and
 * averages {@link Metrics} over the cases.
 *
 * <p>Thread-safe (it holds only its immutable config; every call allocates its own buffers; the
 * scorer is called from the calling thread only) and deterministic: ties rank the lower item id
 * first and sums run in case order.
 */
public final class Evaluator {
    private final EvalConfig config;
    private final Metrics metrics;

    /** @param config the evaluation settings */
    public Evaluator(EvalConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.metrics = new Metrics(config.cutoffs(), config.ndcgVariant());
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
        List<String> keys = metrics.keys();
        double[] sums = new double[keys.size()];
        int n = config.maxCutoff();
        int batch = Math.min(config.batchSize(), cases.size());
        float[][] rows = new float[batch][numItems + 1];
        for (int from = 0; from < cases.size(); from += batch) {
            int to = Math.min(cases.size(), from + batch);
            int[][] histories = new int[to - from][];
            for (int i = from; i < to; i++) {
                histories[i - from] = cases.get(i).history();
            }
            float[][] out = score(scorer, histories, rows);
            for (int i = from; i < to; i++) {
                int[] ranked = rank(out[i - from], histories[i - from], n);
                double[] v = metrics.compute(ranked, cases.get(i).targets());
                for (int k = 0; k < sums.length; k++) {
                    sums[k] += v[k];
                }
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
        int[][] result = new int[histories.length][];
        if (histories.length == 0) {
            return result;
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
