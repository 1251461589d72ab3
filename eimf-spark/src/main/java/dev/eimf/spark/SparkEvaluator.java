package dev.eimf.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;

import dev.eimf.eval.EvalConfig;
import dev.eimf.eval.Evaluator;
import dev.eimf.eval.Metrics;
import dev.eimf.eval.MetricsResult;
import dev.eimf.model.InterestModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@link Evaluator} on Spark: the batch top-N of {@link SparkTopN} for every case's history, then
 * {@link Metrics} per case (the same formulas), averaged over the cases. Equal to the single-machine
 * evaluator up to float rounding: scores are summed in another order than the engine's matrix products, so
 * two items whose scores differ in the last bits may swap.
 */
public final class SparkEvaluator {
    private final SparkSession spark;
    private final EvalConfig config;
    private final int itemBlocks;

    /**
     * @param spark      the session
     * @param config     cut-offs, NDCG variant and history exclusion (the batch size is not used)
     * @param itemBlocks catalogue blocks of the top-N ({@link SparkTopN})
     */
    public SparkEvaluator(SparkSession spark, EvalConfig config, int itemBlocks) {
        this.spark = Objects.requireNonNull(spark, "spark");
        this.config = Objects.requireNonNull(config, "config");
        this.itemBlocks = itemBlocks;
    }

    /**
     * Evaluates a saved model on cases: a table with {@code user} (int), {@code history} and {@code targets}
     * (arrays of internal item ids of the model's catalogue), such as {@link SparkSplits#cases}.
     *
     * @throws IllegalArgumentException if there are no cases
     */
    public MetricsResult evaluate(String modelDir, Dataset<Row> cases) {
        Dataset<Row> top = new SparkTopN(spark, modelDir, itemBlocks, config.excludeHistory())
                .topN(cases.select("user", "history"), config.maxCutoff());
        return evaluate(ModelCache.get(modelDir), top, cases);
    }

    /**
     * Metrics of a computed top-N ({@link SparkTopN#topN} rows, item ids as in the data) against the cases'
     * targets (internal ids of {@code model}'s catalogue). A case without rows in the top-N counts as a miss.
     */
    public MetricsResult evaluate(InterestModel model, Dataset<Row> topN, Dataset<Row> cases) {
        List<String> keys = new Metrics(config.cutoffs(), config.ndcgVariant()).keys();
        // Metrics is not serialisable: the tasks build their own from these two values.
        List<Integer> cutoffs = new java.util.ArrayList<>(config.cutoffs());
        dev.eimf.eval.NdcgVariant variant = config.ndcgVariant();
        Dataset<Row> lists = topN.groupBy("user")
                .agg(sort_array(collect_list(struct(col("rank"), col("item")))).as("top"));
        Dataset<Row> joined = cases.select("user", "targets").join(lists, cases.col("user").equalTo(lists.col("user")),
                "left").select(cases.col("user"), col("targets"), col("top"));
        // The catalogue goes to the tasks as an id table: cheaper than a model load where no model is cached.
        String[] ids = new String[model.catalog().size() + 1];
        for (int i = 1; i <= model.catalog().size(); i++) ids[i] = model.catalog().externalId(i);
        var names = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(
                toIndex(ids));
        JavaRDD<double[]> perCase = joined.javaRDD().mapPartitions(rows -> {
            Metrics metrics = new Metrics(cutoffs, variant);
            double[] sum = new double[keys.size() + 1];
            while (rows.hasNext()) {
            Row r = rows.next();
            List<Integer> t = r.getList(1);
            int[] targets = t.stream().mapToInt(Integer::intValue).toArray();
            List<Row> top = r.isNullAt(2) ? List.of() : r.getList(2);
            int[] ranked = new int[top.size()];
            for (int i = 0; i < ranked.length; i++) ranked[i] = names.value().get(top.get(i).getString(1));
            double[] v = metrics.compute(ranked, targets);
            for (int k = 0; k < v.length; k++) sum[k] += v[k];
            sum[v.length]++;
            }
            return List.of(sum).iterator();
        });
        double[] sums = perCase.fold(new double[keys.size() + 1], (a, b) -> {
            double[] s = a.clone();
            for (int i = 0; i < s.length; i++) s[i] += b[i];
            return s;
        });
        int n = (int) sums[keys.size()];
        if (n == 0) throw new IllegalArgumentException("no cases to evaluate");
        Map<String, Double> values = new LinkedHashMap<>();
        for (int k = 0; k < keys.size(); k++) values.put(keys.get(k), sums[k] / n);
        return new MetricsResult(n, values);
    }

    private static java.util.HashMap<String, Integer> toIndex(String[] ids) {
        java.util.HashMap<String, Integer> m = new java.util.HashMap<>(ids.length * 2);
        for (int i = 1; i < ids.length; i++) m.put(ids[i], i);
        return m;
    }
}
