package dev.eimf.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.row_number;

import dev.eimf.data.Interaction;
import dev.eimf.data.PreprocessConfig;
import dev.eimf.data.Preprocessor;
import dev.eimf.data.RawData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@link Preprocessor} on Spark: the same rating filter, iterative k-core, item numbering by descending count
 * (ties in order of first appearance) and per-user time order (ties in input order), so that for the same
 * interactions in the same order {@link SparkData#toDataset()} equals {@link Preprocessor#process} id for id.
 *
 * <p>Input order matters for the tie-breaks. Interactions carry it in a column {@value #ORDER} (long, smaller
 * is earlier); the readers add it with {@code monotonically_increasing_id()} right after reading, which
 * follows the order of Spark's input partitions: one file's lines in file order, so a single CSV or Parquet
 * file gives the single-machine result exactly. Several files are read in the order Spark lists its splits
 * (largest first), which is deterministic but not the order of their names.
 */
public final class SparkPreprocessor {
    /** The input-order column: smaller is earlier. */
    public static final String ORDER = "ord";
    /** Schema of the interactions table the preprocessor reads. */
    public static final StructType INTERACTIONS = new StructType()
            .add("user", DataTypes.StringType, false)
            .add("item", DataTypes.StringType, false)
            .add("timestamp", DataTypes.LongType, false)
            .add("rating", DataTypes.DoubleType, true)
            .add(ORDER, DataTypes.LongType, false);

    private final PreprocessConfig config;

    /** A preprocessor with the given configuration (the one {@link Preprocessor} takes). */
    public SparkPreprocessor(PreprocessConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The configuration. */
    public PreprocessConfig config() {
        return config;
    }

    /**
     * Reads an SDK {@code interactions.csv} (header with {@code user,item,timestamp} and optionally
     * {@code rating}, in any order; an empty rating is no rating) with Spark's CSV reader. {@code path} is the
     * file or a dataset directory holding {@code interactions.csv}.
     */
    public static Dataset<Row> readCsv(SparkSession spark, String path) {
        String file = path.endsWith(".csv") ? path : path.replaceAll("/+$", "") + "/interactions.csv";
        Dataset<Row> df = spark.read().option("header", "true").option("mode", "FAILFAST")
                .option("ignoreLeadingWhiteSpace", "true").option("ignoreTrailingWhiteSpace", "true").csv(file);
        return normalise(df, file);
    }

    /** Reads Parquet with columns {@code user}, {@code item}, {@code timestamp} and optionally {@code rating}. */
    public static Dataset<Row> readParquet(SparkSession spark, String path) {
        return normalise(spark.read().parquet(path), path);
    }

    /**
     * Brings a table with columns {@code user}, {@code item}, {@code timestamp} and optionally {@code rating}
     * to {@link #INTERACTIONS}, adding the input order unless the table has a {@value #ORDER} column.
     *
     * @throws IllegalArgumentException naming the source and the missing column
     */
    public static Dataset<Row> normalise(Dataset<Row> df, String source) {
        List<String> cols = Arrays.asList(df.columns());
        for (String c : List.of("user", "item", "timestamp")) {
            if (!cols.contains(c)) {
                throw new IllegalArgumentException(source + ": no column '" + c + "' (columns: " + cols + ")");
            }
        }
        Column rating = cols.contains("rating") ? col("rating").cast(DataTypes.DoubleType)
                : lit(null).cast(DataTypes.DoubleType);
        Column order = cols.contains(ORDER) ? col(ORDER).cast(DataTypes.LongType) : monotonically_increasing_id();
        return df.select(col("user").cast(DataTypes.StringType).as("user"),
                col("item").cast(DataTypes.StringType).as("item"),
                col("timestamp").cast(DataTypes.LongType).as("timestamp"),
                rating.as("rating"), order.as(ORDER));
    }

    /** Parallelises interactions read on the driver (for example by {@code DatasetLoaders}), in their order. */
    public static Dataset<Row> fromRaw(SparkSession spark, RawData raw) {
        List<Interaction> in = raw.interactions();
        List<Row> rows = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
            Interaction x = in.get(i);
            rows.add(RowFactory.create(x.user(), x.item(), x.timestamp(), x.hasRating() ? x.rating() : null, (long) i));
        }
        return spark.createDataFrame(rows, INTERACTIONS);
    }

    /**
     * Filters, re-indexes and orders the interactions (schema {@link #INTERACTIONS}, or anything
     * {@link #normalise} accepts).
     *
     * @throws IllegalArgumentException if no interaction survives the filters
     */
    public SparkData process(String name, Dataset<Row> interactions) {
        // Fixes the input order once: monotonically_increasing_id must not be recomputed on another partitioning.
        Dataset<Row> base = normalise(interactions, name).localCheckpoint();
        Dataset<Row> userFirst = base.groupBy("user").agg(min(ORDER).as("ufirst"));
        Dataset<Row> itemFirst = base.groupBy("item").agg(min(ORDER).as("ifirst"));

        Dataset<Row> kept = base;
        if (config.minRating().isPresent()) {
            kept = kept.filter(col("rating").isNotNull().and(col("rating").geq(config.minRating().getAsDouble())));
        }
        kept = kCore(kept, config.userCore(), config.itemCore());

        Dataset<Row> items = kept.groupBy("item").agg(count(lit(1)).as("count")).join(itemFirst, "item")
                .withColumn("idx", row_number().over(Window.orderBy(col("count").desc(), col("ifirst").asc())))
                .select(col("idx").as("item"), col("item").as("itemId"), col("count"))
                .localCheckpoint();
        long numItems = items.count();
        if (numItems == 0) {
            throw new IllegalArgumentException("no interaction of " + name + " survives " + config);
        }
        Dataset<Row> users = kept.select("user").distinct().join(userFirst, "user")
                .withColumn("uidx", row_number().over(Window.orderBy(col("ufirst").asc())).minus(1))
                .select("user", "uidx");
        Dataset<Row> sequences = kept
                .join(items.select(col("itemId").as("item"), col("item").as("iidx")), "item")
                .join(users, "user")
                .groupBy("uidx", "user")
                .agg(org.apache.spark.sql.functions.sort_array(org.apache.spark.sql.functions.collect_list(
                        org.apache.spark.sql.functions.struct(col("timestamp"), col(ORDER), col("iidx")))).as("evs"))
                .select(col("uidx").cast(DataTypes.IntegerType).as("user"), col("user").as("userId"),
                        expr("transform(evs, e -> e.iidx)").as("items"))
                .localCheckpoint();
        return new SparkData(name, sequences, items.select(col("item").cast(DataTypes.IntegerType).as("item"),
                col("itemId"), col("count")), sequences.count(), numItems);
    }

    /**
     * Iterative k-core as {@link Preprocessor} does it: each round drops, at once, every row whose user or item
     * is below its core in the current rows, until a round drops nothing. Each round is checkpointed so that
     * the plan does not grow with the number of rounds.
     */
    static Dataset<Row> kCore(Dataset<Row> rows, int ku, int ki) {
        Dataset<Row> kept = rows.localCheckpoint();
        long n = kept.count();
        if (ku <= 1 && ki <= 1) return kept;
        String[] cols = kept.columns();
        Column[] keep = Arrays.stream(cols).map(c -> col("r." + c)).toArray(Column[]::new);
        while (true) {
            Dataset<Row> uc = kept.groupBy("user").agg(count(lit(1)).as("uc"));
            Dataset<Row> ic = kept.groupBy("item").agg(count(lit(1)).as("ic"));
            Dataset<Row> next = kept.as("r").join(uc.as("u"), col("r.user").equalTo(col("u.user")))
                    .join(ic.as("i"), col("r.item").equalTo(col("i.item")))
                    .filter(col("uc").geq(ku).and(col("ic").geq(ki)))
                    .select(keep).localCheckpoint();
            long m = next.count();
            if (m == n) return next;
            kept = next;
            n = m;
        }
    }
}
