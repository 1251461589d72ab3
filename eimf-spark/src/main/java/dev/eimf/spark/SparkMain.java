package dev.eimf.spark;

import static org.apache.spark.sql.functions.col;

import dev.eimf.data.PreprocessConfig;
import dev.eimf.eval.ComiRecProtocol;
import dev.eimf.eval.EvalConfig;
import dev.eimf.eval.MetricsResult;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code eimf-spark} command: {@code preprocess}, {@code topn}, {@code evaluate} and {@code typical} as Spark
 * jobs, run by {@code bin/eimf-spark} (local) or {@code spark-submit --class dev.eimf.spark.SparkMain} (a cluster). The
 * master comes from {@code spark-submit} or {@code spark.master}; without either it is {@code local[2]}.
 */
public final class SparkMain {
    private SparkMain() {}

    private static final String USAGE = """
            usage: eimf-spark preprocess --input PATH [--format csv|parquet] --out DIR
                                         [--min-rating X] [--core K] [--protocol comirec|loo] [--seed S]
                   eimf-spark topn --model DIR --data DIR [--part test] [--n 20] [--item-blocks B] --out DIR
                                   [--interests-out DIR]
                   eimf-spark evaluate --model DIR --data DIR [--part test] [--cutoffs 20,50] [--item-blocks B]
                   eimf-spark typical --model DIR --data DIR [--part train|all] [--clusters 50] [--per-cluster 4]
                                      --store DIR --out DIR [--dataset ORIGINAL_DIR] [--seed 42]
                                      [--max-iterations 100] [--temperature 1.0] [--propagate true|false]
                                      [--text-dim 256]
            preprocess writes DIR/sequences, DIR/items and DIR/split (Parquet); topn and evaluate read them.""";

    /** Runs one subcommand. */
    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(USAGE);
            return;
        }
        Map<String, String> o = options(Arrays.copyOfRange(args, 1, args.length));
        SparkSession.Builder b = SparkSession.builder().appName("eimf-spark " + args[0]);
        if (!new org.apache.spark.SparkConf().contains("spark.master")) b.master("local[2]");
        SparkSession spark = b.getOrCreate();
        try {
            long t0 = System.nanoTime();
            switch (args[0]) {
                case "preprocess" -> preprocess(spark, o);
                case "topn" -> topN(spark, o);
                case "evaluate" -> evaluate(spark, o);
                case "typical" -> typical(spark, o);
                default -> throw new IllegalArgumentException("unknown command " + args[0] + "\n" + USAGE);
            }
            System.err.printf("eimf-spark %s: %.1f s%n", args[0], (System.nanoTime() - t0) / 1e9);
        } finally {
            spark.stop();
        }
    }

    private static void preprocess(SparkSession spark, Map<String, String> o) {
        String input = required(o, "input");
        String format = o.getOrDefault("format", input.endsWith(".parquet") ? "parquet" : "csv");
        Dataset<Row> in = switch (format) {
            case "csv" -> SparkPreprocessor.readCsv(spark, input);
            case "parquet" -> SparkPreprocessor.readParquet(spark, input);
            default -> throw new IllegalArgumentException("--format must be csv or parquet, got " + format);
        };
        PreprocessConfig.Builder cfg = PreprocessConfig.builder().core(Integer.parseInt(o.getOrDefault("core", "5")));
        if (o.containsKey("min-rating")) cfg.minRating(Double.parseDouble(o.get("min-rating")));
        SparkData data = new SparkPreprocessor(cfg.build()).process(input, in);
        String out = required(o, "out");
        data.sequences().write().mode(SaveMode.Overwrite).parquet(out + "/sequences");
        data.items().write().mode(SaveMode.Overwrite).parquet(out + "/items");
        long seed = Long.parseLong(o.getOrDefault("seed", "1"));
        Dataset<Row> split = switch (o.getOrDefault("protocol", "comirec")) {
            case "comirec" -> SparkSplits.comiRec(data, ComiRecProtocol.defaults(), seed);
            case "loo" -> SparkSplits.leaveOneOut(data);
            default -> throw new IllegalArgumentException("--protocol must be comirec or loo");
        };
        split.write().mode(SaveMode.Overwrite).parquet(out + "/split");
        System.out.printf("users %d, items %d -> %s%n", data.numUsers(), data.numItems(), out);
    }

    private static void topN(SparkSession spark, Map<String, String> o) {
        SparkTopN top = new SparkTopN(spark, required(o, "model"), Integer.parseInt(o.getOrDefault("item-blocks", "1")), true);
        Dataset<Row> users = cases(spark, o).select("user", "history");
        if (o.containsKey("interests-out")) {
            top.interests(users).write().mode(SaveMode.Overwrite).parquet(o.get("interests-out"));
        }
        top.topN(users, Integer.parseInt(o.getOrDefault("n", "20"))).write().mode(SaveMode.Overwrite)
                .parquet(required(o, "out"));
    }

    private static void evaluate(SparkSession spark, Map<String, String> o) {
        int[] cutoffs = Arrays.stream(o.getOrDefault("cutoffs", "20,50").split(",")).map(String::trim)
                .mapToInt(Integer::parseInt).toArray();
        MetricsResult m = new SparkEvaluator(spark, EvalConfig.builder().cutoffs(cutoffs).build(),
                Integer.parseInt(o.getOrDefault("item-blocks", "1"))).evaluate(required(o, "model"), cases(spark, o));
        System.out.println(m);
    }

    /**
     * Typical users and propagated interests ({@link SparkTypicalUsers}) with the offline metadata extractor and
     * the hashing text encoder; the item text comes from {@code --dataset} (the dataset directory before
     * preprocessing, read on the driver) or else from the model's catalogue.
     */
    private static void typical(SparkSession spark, Map<String, String> o) {
        SparkTypicalUsers.Config config = SparkTypicalUsers.Config.builder()
                .clusters(Integer.parseInt(o.getOrDefault("clusters", "50")))
                .perCluster(Integer.parseInt(o.getOrDefault("per-cluster", "4")))
                .seed(Long.parseLong(o.getOrDefault("seed", "42")))
                .maxIterations(Integer.parseInt(o.getOrDefault("max-iterations", "100")))
                .temperature(Double.parseDouble(o.getOrDefault("temperature", "1.0")))
                .propagate(Boolean.parseBoolean(o.getOrDefault("propagate", "true"))).build();
        String data = required(o, "data");
        Dataset<Row> users = switch (o.getOrDefault("part", SparkSplits.TRAIN)) {
            case SparkSplits.TRAIN -> spark.read().parquet(data + "/split").filter(col("part").equalTo(SparkSplits.TRAIN))
                    .select("user", "history");
            case "all" -> spark.read().parquet(data + "/sequences").select(col("user"), col("items").as("history"));
            default -> throw new IllegalArgumentException("--part must be train or all");
        };
        Map<String, dev.eimf.data.ItemInfo> items = Map.of();
        if (o.containsKey("dataset")) {
            dev.eimf.data.RawData raw = dev.eimf.data.DatasetLoaders.load(java.nio.file.Path.of(o.get("dataset")),
                    dev.eimf.data.LoadOptions.lenientMode());
            if (raw.report().skippedCount() > 0) {
                System.err.printf("--dataset %s: %d malformed line(s) skipped%n", o.get("dataset"), raw.report().skippedCount());
            }
            items = raw.items();
        }
        SparkTypicalUsers.Result r;
        try {
            r = new SparkTypicalUsers(spark, required(o, "model"), config).run(users, items,
                    dev.eimf.esim.MetadataInterestExtractor.builder().build(),
                    new dev.eimf.esim.HashingTextEncoder(Integer.parseInt(o.getOrDefault("text-dim", "256")), true),
                    java.nio.file.Path.of(required(o, "store")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String out = required(o, "out");
        r.targets().write().mode(SaveMode.Overwrite).parquet(out);
        Row counts = spark.read().parquet(out).selectExpr("count(*)",
                "count_if(typical and weight is not null)", "count_if(not typical and weight is not null)").first();
        SparkTypicalUsers.Extracted x = r.extracted();
        System.out.printf("users %d, clusters %d, typical users %d (%d from the store, %d failed); targets: %d own, "
                        + "%d propagated -> %s%n", counts.getLong(0), r.selection().numClusters(), x.users().size(),
                x.cached(), x.failed(), counts.getLong(1), counts.getLong(2), out);
    }

    private static Dataset<Row> cases(SparkSession spark, Map<String, String> o) {
        String part = o.getOrDefault("part", SparkSplits.TEST);
        if (!part.equals(SparkSplits.TEST) && !part.equals(SparkSplits.VALID)) {
            throw new IllegalArgumentException("--part must be test or valid");
        }
        return spark.read().parquet(required(o, "data") + "/split").filter(col("part").equalTo(part))
                .select("user", "history", "targets");
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got " + args[i] + "\n" + USAGE);
            }
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }

    private static String required(Map<String, String> o, String name) {
        String v = o.get(name);
        if (v == null) throw new IllegalArgumentException("--" + name + " is required\n" + USAGE);
        return v;
    }
}
