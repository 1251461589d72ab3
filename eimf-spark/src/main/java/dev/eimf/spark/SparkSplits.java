package dev.eimf.spark;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.when;

import dev.eimf.eval.ComiRecProtocol;
import dev.eimf.eval.EvalCase;
import dev.eimf.eval.LeaveOneOutProtocol;
import dev.eimf.eval.Split;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The evaluation protocols on Spark. A split is one table with a row per training sequence and per case:
 * {@code user} (int), {@code pos} (int, the user's place in the protocol's user order), {@code part}
 * ({@value #TRAIN}, {@value #VALID} or {@value #TEST}), {@code history} (array of int; the training sequence
 * for {@value #TRAIN} rows) and {@code targets} (array of int; empty for {@value #TRAIN} rows).
 * {@link #toSplit} collects it into the single-machine {@link Split}, equal to the protocol's own.
 */
public final class SparkSplits {
    /** Part of a training sequence. */
    public static final String TRAIN = "train";
    /** Part of a validation case. */
    public static final String VALID = "valid";
    /** Part of a test case. */
    public static final String TEST = "test";

    private SparkSplits() {}

    /**
     * {@link ComiRecProtocol#split} on Spark. The user shuffle is a function of the seed over the user ids
     * {@code 0..n-1}, so it runs on the driver over that array (4 bytes a user) and is joined to the sequences;
     * the cuts and the history fractions are column expressions.
     *
     * @throws IllegalArgumentException when a user has fewer than 2 items, as the protocol does
     */
    public static Dataset<Row> comiRec(SparkData data, ComiRecProtocol protocol, long seed) {
        SparkSession spark = data.sequences().sparkSession();
        long shortUsers = data.sequences().filter(size(col("items")).lt(2)).count();
        if (shortUsers > 0) {
            throw new IllegalArgumentException("dataset " + data.name() + ": " + shortUsers + " user(s) have fewer"
                    + " than 2 items; the ComiRec protocol needs at least 2 per user (apply a k-core filter first)");
        }
        int n = Math.toIntExact(data.numUsers());
        int[] order = new int[n];
        for (int u = 0; u < n; u++) order[u] = u;
        protocol.shuffle().shuffle(order, seed);
        List<Row> pos = new ArrayList<>(n);
        for (int i = 0; i < n; i++) pos.add(RowFactory.create(order[i], i));
        StructType schema = new StructType().add("user", DataTypes.IntegerType, false)
                .add("pos", DataTypes.IntegerType, false);
        Dataset<Row> positions = spark.createDataFrame(pos, schema);
        int cut1 = (int) (n * protocol.trainCut());
        int cut2 = (int) (n * protocol.validCut());
        Column len = size(col("items"));
        // ComiRecProtocol.historyCut: int(len * fraction), clamped to [1, len - 1].
        Column k = greatest(lit(1), least(len.minus(1),
                floor(len.cast(DataTypes.DoubleType).multiply(lit(protocol.historyFraction()))).cast(DataTypes.IntegerType)));
        Column part = when(col("pos").lt(cut1), TRAIN).when(col("pos").lt(cut2), VALID).otherwise(TEST);
        Column isTrain = col("pos").lt(cut1);
        return data.sequences().join(positions, "user")
                .select(col("user"), col("pos"), part.as("part"),
                        when(isTrain, col("items")).otherwise(slice(col("items"), lit(1), k)).as("history"),
                        when(isTrain, emptyInts()).otherwise(slice(col("items"), k.plus(1), len.minus(k))).as("targets"));
    }

    /** {@link LeaveOneOutProtocol#split} on Spark; every user is a training user, in id order. */
    public static Dataset<Row> leaveOneOut(SparkData data) {
        Column len = size(col("items"));
        Column evaluated = len.geq(LeaveOneOutProtocol.MIN_EVAL_LENGTH);
        Dataset<Row> seq = data.sequences();
        Dataset<Row> train = seq.select(col("user"), col("user").as("pos"), lit(TRAIN).as("part"),
                when(evaluated, slice(col("items"), lit(1), len.minus(2))).otherwise(col("items")).as("history"),
                emptyInts().as("targets"));
        Dataset<Row> valid = seq.filter(evaluated).select(col("user"), col("user").as("pos"), lit(VALID).as("part"),
                slice(col("items"), lit(1), len.minus(2)).as("history"), array(element_at(col("items"), -2)).as("targets"));
        Dataset<Row> test = seq.filter(evaluated).select(col("user"), col("user").as("pos"), lit(TEST).as("part"),
                slice(col("items"), lit(1), len.minus(1)).as("history"), array(element_at(col("items"), -1)).as("targets"));
        return train.unionByName(valid).unionByName(test);
    }

    /** The cases of one part ({@value #VALID} or {@value #TEST}): {@code user}, {@code history}, {@code targets}. */
    public static Dataset<Row> cases(Dataset<Row> split, String part) {
        return split.filter(col("part").equalTo(part)).select("user", "history", "targets");
    }

    /** Collects a split table onto the driver as the single-machine {@link Split}. */
    public static Split toSplit(Dataset<Row> split, String protocol, int numItems) {
        List<Row> rows = new ArrayList<>(split.select("user", "pos", "part", "history", "targets").collectAsList());
        rows.sort(Comparator.comparingInt((Row r) -> r.getInt(1)));
        List<Integer> trainUsers = new ArrayList<>();
        List<int[]> train = new ArrayList<>();
        List<EvalCase> valid = new ArrayList<>();
        List<EvalCase> test = new ArrayList<>();
        for (Row r : rows) {
            int user = r.getInt(0);
            int[] history = ints(r.getList(3));
            switch (r.getString(2)) {
                case TRAIN -> { trainUsers.add(user); train.add(history); }
                case VALID -> valid.add(new EvalCase(user, history, ints(r.getList(4))));
                case TEST -> test.add(new EvalCase(user, history, ints(r.getList(4))));
                default -> throw new IllegalArgumentException("unknown part " + r.getString(2));
            }
        }
        return new Split(protocol, numItems, trainUsers.stream().mapToInt(Integer::intValue).toArray(),
                train.toArray(int[][]::new), valid, test);
    }

    private static int[] ints(List<Integer> list) {
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) out[i] = list.get(i);
        return out;
    }

    private static Column emptyInts() {
        return array().cast(DataTypes.createArrayType(DataTypes.IntegerType));
    }
}
