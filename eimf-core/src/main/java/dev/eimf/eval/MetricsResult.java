package dev.eimf.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Metrics averaged over evaluated users.
 *
 * @param users  number of evaluated users (cases)
 * @param values metric name to mean value, in a stable order: for each cut-off in ascending order,
 *               {@code recall@N}, {@code ndcg@N}, {@code hitrate@N}. Unmodifiable.
 */
public record MetricsResult(int users, Map<String, Double> values) {
    public MetricsResult {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * The value of one metric.
     *
     * @param key e.g. {@code recall@50}
     * @return the mean over users
     * @throws IllegalArgumentException if the metric was not computed
     */
    public double get(String key) {
        Double v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("metric " + key + " not computed; have " + values.keySet());
        }
        return v;
    }

    /** Mean Recall@n. */
    public double recall(int n) { return get(Metrics.RECALL + "@" + n); }

    /** Mean NDCG@n (the variant the evaluator was configured with). */
    public double ndcg(int n) { return get(Metrics.NDCG + "@" + n); }

    /** Mean HitRate@n. */
    public double hitRate(int n) { return get(Metrics.HITRATE + "@" + n); }

    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", "MetricsResult[users=" + users + ", ", "]");
        values.forEach((k, v) -> j.add(k + "=" + String.format(Locale.ROOT, "%.4f", v)));
        return j.toString();
    }
}
