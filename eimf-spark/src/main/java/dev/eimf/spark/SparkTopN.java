package dev.eimf.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import dev.eimf.data.ItemCatalog;
import dev.eimf.model.InterestModel;
import dev.eimf.internal.serve.ExactItemIndex;
import dev.eimf.internal.serve.ScoredItem;
import dev.eimf.model.ItemEmbeddings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.IntPredicate;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Interests and top-N for every user of a table, with a saved {@link InterestModel}.
 *
 * <p>The model directory's path is broadcast and each executor JVM loads the model once (the directory must be
 * readable at the same path on every executor: a shared file system, or {@code spark-submit --files} of an
 * archive unpacked there). The item embedding table, read once on the driver, is broadcast. Users run in
 * batches through the model's batched encoder, once; scoring is blocked as in MLlib's ALS
 * {@code recommendForAll}: the catalogue is cut into {@code itemBlocks} blocks, the encoded users are crossed
 * with the block numbers so that each (user, block) pair is scored in its own row of work, each keeps only the
 * user's best {@code n} of its block, and the per-block lists are merged per user. Within a task, rows of one
 * block are scored a batch of users at a time with single-machine serving's exact index (matrix products of
 * the users' interests against item tiles), built once per block per executor.
 *
 * <p>Scores and ranks are those of single-machine serving: {@code score(i) = max_k <v_k, e_i>}, the interest
 * is the lowest {@code k} attaining it, ties rank the lower internal item id first, and the user's known
 * history items are excluded unless asked otherwise. Users none of whose history items are in the model's
 * catalogue get no rows (single-machine serving falls back to popular items for them).
 *
 * <p>The users' table has a column {@code user} (any type, copied to the output) and a column
 * {@code history}: an array of string (item ids as in the data) or of int (internal ids of the model's
 * catalogue, as {@link SparkPreprocessor} numbers them when the model was trained on that dataset).
 */
public final class SparkTopN {
    private static final int USER_BATCH = 256;

    private final SparkSession spark;
    private final String modelDir;
    private final int itemBlocks;
    private final boolean excludeHistory;

    /**
     * @param spark          the session
     * @param modelDir       a directory written by {@link InterestModel#save}, at the same path on every executor
     * @param itemBlocks     blocks the catalogue is cut into (1 or more)
     * @param excludeHistory whether a user's known history items are left out of their list
     */
    public SparkTopN(SparkSession spark, String modelDir, int itemBlocks, boolean excludeHistory) {
        this.spark = Objects.requireNonNull(spark, "spark");
        this.modelDir = Objects.requireNonNull(modelDir, "modelDir");
        if (itemBlocks < 1) throw new IllegalArgumentException("itemBlocks must be >= 1, got " + itemBlocks);
        this.itemBlocks = itemBlocks;
        this.excludeHistory = excludeHistory;
    }

    /** Schema of {@link #interests}: user, interest (0..K-1), vector (array of float). */
    public static StructType interestsSchema(DataType user) {
        return new StructType().add("user", user, false).add("interest", DataTypes.IntegerType, false)
                .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false);
    }

    /** Schema of {@link #topN}: user, rank (1-based), item (id as in the data), score, interest. */
    public static StructType topNSchema(DataType user) {
        return new StructType().add("user", user, false).add("rank", DataTypes.IntegerType, false)
                .add("item", DataTypes.StringType, false).add("score", DataTypes.FloatType, false)
                .add("interest", DataTypes.IntegerType, false);
    }

    /** Every user's K interest vectors: rows (user, interest, vector). */
    public Dataset<Row> interests(Dataset<Row> users) {
        DataType userType = users.schema().apply("user").dataType();
        return encoded(users).flatMap((FlatMapFunction<Row, Row>) r -> {
            List<Object> v = r.getList(2);
            List<Row> out = new ArrayList<>(v.size());
            for (int k = 0; k < v.size(); k++) out.add(RowFactory.create(r.get(0), k, seq(boxed(floats(v.get(k))))));
            return out.iterator();
        }, Encoders.row(interestsSchema(userType)));
    }

    /**
     * Users through the model's batched encoder, once: rows (user, known, vectors) with the known history in
     * internal ids and the K interest vectors. Also the first step of {@link SparkTypicalUsers}.
     */
    Dataset<Row> encoded(Dataset<Row> users) {
        DataType userType = users.schema().apply("user").dataType();
        boolean internal = historyIsInternal(users);
        Broadcast<String> dir = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(modelDir);
        StructType schema = new StructType().add("user", userType, false)
                .add("known", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
                .add("vectors", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType, false), false), false);
        MapPartitionsFunction<Row, Row> f = it -> {
            InterestModel model = ModelCache.get(dir.value());
            List<Row> out = new ArrayList<>();
            forEachBatch(model, it, internal, (batch, vectors) -> {
                for (int b = 0; b < batch.size(); b++) {
                    List<List<Float>> vs = new ArrayList<>(vectors[b].length);
                    for (float[] v : vectors[b]) vs.add(boxed(v));
                    List<Object> vss = new ArrayList<>(vs.size());
                    for (List<Float> v : vs) vss.add(seq(v));
                    List<Integer> known = new ArrayList<>();
                    for (int id : batch.get(b).known) known.add(id);
                    out.add(RowFactory.create(batch.get(b).user, seq(known), seq(vss)));
                }
            });
            return out.iterator();
        };
        return users.select("user", "history").mapPartitions(f, Encoders.row(schema));
    }

    /** Every user's top {@code n}: rows (user, rank, item, score, interest). */
    public Dataset<Row> topN(Dataset<Row> users, int n) {
        if (n < 1) throw new IllegalArgumentException("n must be positive, got " + n);
        DataType userType = users.schema().apply("user").dataType();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        InterestModel driverModel = ModelCache.get(modelDir);
        float[][] embeddings = driverModel.itemEmbeddings().vectors();
        Broadcast<float[][]> table = jsc.broadcast(embeddings);
        ItemCatalog catalog = driverModel.catalog();
        String[] ids = new String[catalog.size() + 1];
        for (int i = 1; i <= catalog.size(); i++) ids[i] = catalog.externalId(i);
        Broadcast<String[]> names = jsc.broadcast(ids);
        int blocks = Math.min(itemBlocks, Math.max(1, embeddings.length));
        boolean exclude = excludeHistory;

        Dataset<Row> enc = encoded(users);
        int cores = spark.sparkContext().defaultParallelism();
        if (enc.rdd().getNumPartitions() < cores) {
            // scoring is the expensive part: give every core some of it
            enc = enc.repartition(cores);
        }
        Dataset<Row> work = blocks == 1 ? enc.withColumn("blk", functions.lit(0L))
                : enc.crossJoin(spark.range(blocks).withColumnRenamed("id", "blk"));
        StructType candidate = new StructType().add("user", userType, false).add("rank", DataTypes.IntegerType, false)
                .add("iid", DataTypes.IntegerType, false).add("score", DataTypes.FloatType, false)
                .add("interest", DataTypes.IntegerType, false);
        // One broadcast, one set of block indexes: a later topN (another model, or other blocks) replaces them.
        String cacheKey = table.id() + "#" + blocks;
        MapPartitionsFunction<Row, Row> score = it -> new ScoringIterator(it, table, cacheKey, blocks, n, exclude);
        Dataset<Row> candidates = work.mapPartitions(score, Encoders.row(candidate));
        if (blocks > 1) {
            // Merge the per-block lists in the order used within a block: score, then the lower id.
            candidates = candidates.withColumn("rank", row_number().over(
                    Window.partitionBy("user").orderBy(col("score").desc(), col("iid").asc())))
                    .filter(col("rank").leq(n));
        }
        return candidates.select("user", "rank", "iid", "score", "interest").map(
                (MapFunction<Row, Row>) r -> RowFactory.create(r.get(0), r.getInt(1),
                        names.value()[r.getInt(2)], r.getFloat(3), r.getInt(4)),
                Encoders.row(topNSchema(userType)));
    }

    static boolean historyIsInternal(Dataset<Row> users) {
        DataType t = users.schema().apply("history").dataType();
        if (!(t instanceof ArrayType a)) {
            throw new IllegalArgumentException("column history must be an array, got " + t.simpleString());
        }
        if (a.elementType().equals(DataTypes.StringType)) return false;
        if (a.elementType().equals(DataTypes.IntegerType)) return true;
        throw new IllegalArgumentException("column history must be an array of string or int, got " + t.simpleString());
    }

    /** A user with the known history in internal ids. */
    private record UserRow(Object user, List<String> history, int[] known) {}

    private interface BatchSink {
        void accept(List<UserRow> batch, float[][][] interests);
    }

    /** Runs the model's batched encoder over the users with at least one known history item. */
    private static void forEachBatch(InterestModel model, Iterator<Row> rows, boolean internal, BatchSink sink) {
        ItemCatalog catalog = model.catalog();
        List<UserRow> batch = new ArrayList<>(USER_BATCH);
        while (true) {
            boolean more = rows.hasNext();
            if (more) {
                Row r = rows.next();
                List<Object> h = r.getList(1);
                List<String> names = new ArrayList<>(h.size());
                int[] known = new int[h.size()];
                int m = 0;
                for (Object o : h) {
                    if (internal) {
                        int id = (Integer) o;
                        if (id < 1 || id > catalog.size()) continue;
                        names.add(catalog.externalId(id));
                        known[m++] = id;
                    } else {
                        Optional<Integer> id = catalog.internalId((String) o);
                        if (id.isEmpty()) continue;
                        names.add((String) o);
                        known[m++] = id.get();
                    }
                }
                if (m > 0) batch.add(new UserRow(r.get(0), names, Arrays.copyOf(known, m)));
            }
            if (!batch.isEmpty() && (batch.size() == USER_BATCH || !more)) {
                List<List<String>> histories = new ArrayList<>(batch.size());
                for (UserRow u : batch) histories.add(u.history);
                sink.accept(batch, model.interestsAll(histories).toArray(float[][][]::new));
                batch = new ArrayList<>(USER_BATCH);
            }
            if (!more) return;
        }
    }

    record Scored(int id, float score, int interest) {}

    /**
     * Scores a partition's (user, known, vectors, block) rows lazily, {@link #USER_BATCH} rows at a time grouped by
     * block, so that a partition's output is never held in memory at once.
     */
    private static final class ScoringIterator implements Iterator<Row> {
        private final Iterator<Row> in;
        private final Broadcast<float[][]> table;
        private final String cacheKey;
        private final int blocks;
        private final int n;
        private final boolean exclude;
        private final java.util.ArrayDeque<Row> ready = new java.util.ArrayDeque<>();

        ScoringIterator(Iterator<Row> in, Broadcast<float[][]> table, String cacheKey, int blocks, int n, boolean exclude) {
            // after the repartition this executor may not have loaded the model, which sets the engine's threads
            ModelCache.oneThreadPerTask();
            this.in = in;
            this.table = table;
            this.cacheKey = cacheKey;
            this.blocks = blocks;
            this.n = n;
            this.exclude = exclude;
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty() && in.hasNext()) {
                java.util.Map<Integer, List<Row>> byBlock = new java.util.TreeMap<>();
                for (int i = 0; i < USER_BATCH && in.hasNext(); i++) {
                    Row r = in.next();
                    byBlock.computeIfAbsent((int) r.getLong(3), b -> new ArrayList<>()).add(r);
                }
                byBlock.forEach(this::score);
            }
            return !ready.isEmpty();
        }

        @Override
        public Row next() {
            if (!hasNext()) throw new java.util.NoSuchElementException();
            return ready.poll();
        }

        private void score(int blk, List<Row> rows) {
            float[][] items = table.value();
            int from = (int) ((long) items.length * blk / blocks);
            int to = (int) ((long) items.length * (blk + 1) / blocks);
            ExactItemIndex index = blockIndexFor(cacheKey, blk, items, from, to);
            float[][][] interests = new float[rows.size()][][];
            int[][] known = new int[rows.size()][];
            for (int u = 0; u < rows.size(); u++) {
                Row r = rows.get(u);
                List<Object> vs = r.getList(2);
                interests[u] = new float[vs.size()][];
                for (int k = 0; k < vs.size(); k++) interests[u][k] = floats(vs.get(k));
                List<Integer> kn = r.getList(1);
                known[u] = exclude ? kn.stream().mapToInt(Integer::intValue).toArray() : new int[0];
            }
            List<List<Scored>> top = blockTopBatch(index, from, interests, n, known);
            for (int u = 0; u < rows.size(); u++) {
                int rank = 1;
                for (Scored s : top.get(u)) {
                    ready.add(RowFactory.create(rows.get(u).get(0), rank++, s.id, s.score, s.interest));
                }
            }
        }
    }

    /**
     * Per JVM: the exact index over each block of the latest broadcast item table, built by the first task that
     * needs it; the indexes of an earlier broadcast are dropped when a new one arrives, so that a long-lived
     * executor keeps one table's worth.
     */
    private static final java.util.concurrent.ConcurrentHashMap<String, ExactItemIndex> BLOCK_INDEXES =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static ExactItemIndex blockIndexFor(String tableKey, int blk, float[][] items, int from, int to) {
        String key = tableKey + "#" + blk;
        ExactItemIndex index = BLOCK_INDEXES.get(key);
        if (index != null) return index;
        synchronized (BLOCK_INDEXES) {
            BLOCK_INDEXES.keySet().removeIf(k -> !k.startsWith(tableKey + "#"));
            return BLOCK_INDEXES.computeIfAbsent(key, k -> blockIndex(items, from, to));
        }
    }

    /** An exact index over rows {@code from..to-1} of the embedding table: its local id s is internal id from + s. */
    static ExactItemIndex blockIndex(float[][] items, int from, int to) {
        int d = items.length == 0 ? 0 : items[0].length;
        float[][] sub = new float[to - from + 1][];
        sub[0] = new float[d];
        for (int row = from; row < to; row++) sub[row - from + 1] = items[row];
        return ExactItemIndex.of(sub);
    }

    /**
     * {@link #blockTop} for a batch of users of one block, through the exact index's batched matrix products (the
     * single-machine serving kernel): the same items, scores up to float rounding, and order.
     *
     * @param index     {@link #blockIndex} of the block
     * @param from      the block's first row (internal id from + 1)
     * @param interests per user, K x d
     * @param n         items per user
     * @param known     per user, internal ids to exclude
     */
    static List<List<Scored>> blockTopBatch(ExactItemIndex index, int from, float[][][] interests, int n, int[][] known) {
        IntPredicate[] excluded = new IntPredicate[interests.length];
        for (int u = 0; u < interests.length; u++) {
            int[] sorted = known[u].clone();
            Arrays.sort(sorted);
            excluded[u] = sorted.length == 0 ? null : local -> Arrays.binarySearch(sorted, local + from) >= 0;
        }
        List<List<ScoredItem>> top = index.topNBatch(interests, n, excluded);
        List<List<Scored>> out = new ArrayList<>(top.size());
        for (List<ScoredItem> t : top) {
            List<Scored> l = new ArrayList<>(t.size());
            for (ScoredItem s : t) l.add(new Scored(s.itemId() + from, s.score(), s.interest()));
            out.add(l);
        }
        return out;
    }

    /**
     * The best {@code n} of items {@code from..to-1} (rows of the embedding table; internal id = row + 1) for one
     * user's interests, best first, excluding {@code known} (internal ids): the reference form of
     * {@link #blockTopBatch}, which the jobs run and the tests compare with it.
     */
    static List<Scored> blockTop(float[][] interests, float[][] items, int from, int to, int n, int[] known) {
        int[] excluded = known.clone();
        Arrays.sort(excluded);
        // Min-heap on (score, -id): its head is the worst kept candidate.
        PriorityQueue<Scored> heap = new PriorityQueue<>(n + 1, (a, b) -> a.score != b.score
                ? Float.compare(a.score, b.score) : Integer.compare(b.id, a.id));
        int d = items.length == 0 ? 0 : items[0].length;
        for (int row = from; row < to; row++) {
            int id = row + 1;
            if (Arrays.binarySearch(excluded, id) >= 0) continue;
            float[] e = items[row];
            float best = Float.NEGATIVE_INFINITY;
            int arg = 0;
            for (int k = 0; k < interests.length; k++) {
                float[] v = interests[k];
                float s = 0f;
                for (int j = 0; j < d; j++) s += v[j] * e[j];
                if (s > best) { best = s; arg = k; }
            }
            if (heap.size() < n) {
                heap.add(new Scored(id, best, arg));
            } else {
                Scored worst = heap.peek();
                if (best > worst.score || (best == worst.score && id < worst.id)) {
                    heap.poll();
                    heap.add(new Scored(id, best, arg));
                }
            }
        }
        List<Scored> out = new ArrayList<>(heap);
        out.sort((a, b) -> a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.id, b.id));
        return out;
    }

    static List<Float> boxed(float[] v) {
        List<Float> out = new ArrayList<>(v.length);
        for (float x : v) out.add(x);
        return out;
    }

    /** Spark's row encoder takes arrays as Scala sequences. */
    static scala.collection.Seq<?> seq(List<?> list) {
        return scala.jdk.javaapi.CollectionConverters.asScala(list);
    }

    /** An array<float> cell nested in another array: Spark hands it over as a Scala sequence. */
    static float[] floats(Object cell) {
        List<?> v = cell instanceof scala.collection.Seq<?> s ? scala.jdk.javaapi.CollectionConverters.asJava(s)
                : (List<?>) cell;
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) out[i] = (Float) v.get(i);
        return out;
    }
}
