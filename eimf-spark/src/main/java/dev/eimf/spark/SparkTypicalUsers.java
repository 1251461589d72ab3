package dev.eimf.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import dev.eimf.data.ItemCatalog;
import dev.eimf.data.ItemInfo;
import dev.eimf.esim.ExplicitInterest;
import dev.eimf.esim.InterestExtractor;
import dev.eimf.esim.TextEncoder;
import dev.eimf.esim.UserHistory;
import dev.eimf.internal.esim.EsimResult;
import dev.eimf.internal.esim.EsimRunner;
import dev.eimf.internal.esim.InterestStore;
import dev.eimf.internal.esim.UserInterests;
import dev.eimf.model.InterestModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Typical users and the propagation of their explicit interests on Spark (docs/METHOD.md, sections 4.2 to 4.8),
 * for user tables too large for one machine's selection. Four steps, each also callable on its own:
 *
 * <ol>
 *   <li>{@link #behaviourVectors}: each user's behaviour vector {@code b_u}, the L2-normalised mean of its K
 *       interests under a saved model, on the executors (the model is loaded once per executor, as in
 *       {@link SparkTopN}); the arithmetic is that of the single-machine pipeline;</li>
 *   <li>{@link #select}: MLlib {@link KMeans} over the {@code b_u}; every user belongs to its nearest centre
 *       (Euclidean, ties to the lower cluster); the {@code m} users of each cluster nearest its centre (ties
 *       by user) are its typical users, and a cluster with fewer than {@code m} members is topped up with the
 *       users nearest its centre not yet chosen, as on one machine;</li>
 *   <li>{@link #extract}: the {@code C*m} typical users' histories are collected to the driver and go through
 *       the interest extractor, the text encoder and the interest store there, so a rerun asks nothing
 *       twice (section 4.7);</li>
 *   <li>{@link #propagate}: every user's semantic target, on the executors, by the single-machine rule
 *       (section 4.8): a typical user with usable interests keeps them with weight 1; with propagation on,
 *       every other user inherits those of its cluster's most central typical user with usable interests,
 *       with weight {@code exp(-dist/temperature)}; everyone else has none.</li>
 * </ol>
 *
 * <p>Differences from the single machine: MLlib's K-means (k-means|| seeding, its own random numbers, stopping
 * when no centre moves more than {@link Config#tolerance()}) is not Commons Math's K-means++, so the clusters
 * are not the single machine's for the same seed; ties between users at the same distance go to the smaller
 * {@code user} value here, to the earlier training user there. Clusters that end up without members are
 * dropped and the others numbered {@code 0..C'-1} in the order of MLlib's centres.
 *
 * <p>The users' table has a column {@code user} (int, long or string; distinct) and a column {@code history}
 * (array of int, internal ids of the model's catalogue, or array of string, item ids), as {@link SparkTopN}
 * reads it. Users none of whose history items are in the model have no behaviour vector and appear in no
 * output.
 */
public final class SparkTypicalUsers {
    /** Column of {@link #targetsSchema}: the user. */
    public static final String USER = "user";

    private final SparkSession spark;
    private final String modelDir;
    private final Config config;

    /**
     * @param spark    the session
     * @param modelDir a directory written by {@link InterestModel#save}, at the same path on every executor
     * @param config   clusters, users per cluster, seed, iterations, propagation
     */
    public SparkTypicalUsers(SparkSession spark, String modelDir, Config config) {
        this.spark = Objects.requireNonNull(spark, "spark");
        this.modelDir = Objects.requireNonNull(modelDir, "modelDir");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The settings. */
    public Config config() {
        return config;
    }

    /**
     * Settings. Immutable; build with {@link #builder()}.
     *
     * @param clusters      C, the number of K-means centres asked for (default 50; at least 1)
     * @param perCluster    m, typical users per cluster (default 4)
     * @param seed          seed of MLlib's K-means (default 42)
     * @param maxIterations most Lloyd iterations (default 100)
     * @param tolerance     K-means stops when no centre moves farther than this (default 1e-4, MLlib's; 0 runs
     *                      until no centre moves or {@code maxIterations})
     * @param temperature   propagation weight {@code exp(-dist/temperature)} (default 1.0)
     * @param propagate     whether non-typical users inherit their cluster's interests (default true)
     * @param concurrency   extractions in flight at once on the driver (default 4)
     */
    public record Config(int clusters, int perCluster, long seed, int maxIterations, double tolerance,
                         double temperature, boolean propagate, int concurrency) {
        public Config {
            if (clusters < 1) throw new IllegalArgumentException("clusters must be >= 1, got " + clusters);
            if (perCluster < 1) throw new IllegalArgumentException("perCluster must be >= 1, got " + perCluster);
            if (maxIterations < 1) throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
            if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
                throw new IllegalArgumentException("tolerance must be finite and >= 0, got " + tolerance);
            }
            if (!(temperature > 0) || Double.isInfinite(temperature)) {
                throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
            }
            if (concurrency < 1) throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
            Math.multiplyExact(clusters, perCluster);
        }

        /** The defaults of docs/METHOD.md: C = 50, m = 4, seed 42, 100 iterations, temperature 1, propagation on. */
        public static Config defaults() {
            return builder().build();
        }

        /** A builder holding the defaults. */
        public static Builder builder() {
            return new Builder();
        }

        /** A builder starting from this configuration. */
        public Builder toBuilder() {
            return new Builder().clusters(clusters).perCluster(perCluster).seed(seed).maxIterations(maxIterations)
                    .tolerance(tolerance).temperature(temperature).propagate(propagate).concurrency(concurrency);
        }

        /** Mutable builder; {@link #build()} validates. */
        public static final class Builder {
            private int clusters = 50;
            private int perCluster = 4;
            private long seed = 42;
            private int maxIterations = 100;
            private double tolerance = 1e-4;
            private double temperature = 1.0;
            private boolean propagate = true;
            private int concurrency = 4;

            private Builder() {}

            /** C, the number of clusters. */
            public Builder clusters(int v) { clusters = v; return this; }
            /** m, typical users per cluster. */
            public Builder perCluster(int v) { perCluster = v; return this; }
            /** Seed of K-means. */
            public Builder seed(long v) { seed = v; return this; }
            /** Most K-means iterations. */
            public Builder maxIterations(int v) { maxIterations = v; return this; }
            /** K-means convergence tolerance. */
            public Builder tolerance(double v) { tolerance = v; return this; }
            /** Propagation temperature. */
            public Builder temperature(double v) { temperature = v; return this; }
            /** Whether non-typical users inherit their cluster's interests. */
            public Builder propagate(boolean v) { propagate = v; return this; }
            /** Extractions in flight at once. */
            public Builder concurrency(int v) { concurrency = v; return this; }

            /** Validates and builds. */
            public Config build() {
                return new Config(clusters, perCluster, seed, maxIterations, tolerance, temperature, propagate, concurrency);
            }
        }
    }

    /**
     * One typical user.
     *
     * @param user     the {@code user} value
     * @param cluster  the cluster it was chosen for
     * @param distance its Euclidean distance to that cluster's centre
     * @param member   true when it belongs to that cluster, false when it tops up a cluster with fewer than
     *                 {@code m} members (it then belongs to another)
     */
    public record Typical(Object user, int cluster, double distance, boolean member) {}

    /**
     * The outcome of {@link #select}.
     *
     * @param assignments every user's cluster: rows ({@code user}, {@code cluster} int, {@code distance} double,
     *                    Euclidean distance to the cluster's centre)
     * @param centres     per cluster, its centre
     * @param sizes       per cluster, its number of members
     * @param typical     the typical users by cluster, each cluster's members nearest first, then its top-ups
     */
    public record Selection(Dataset<Row> assignments, double[][] centres, long[] sizes, List<Typical> typical) {
        public Selection {
            Objects.requireNonNull(assignments, "assignments");
            centres = centres.clone();
            sizes = sizes.clone();
            typical = List.copyOf(typical);
        }

        /** Number of clusters. */
        public int numClusters() {
            return centres.length;
        }

        /** Per cluster, its centre (a copy). */
        @Override
        public double[][] centres() {
            double[][] c = new double[centres.length][];
            for (int i = 0; i < c.length; i++) c[i] = centres[i].clone();
            return c;
        }

        /** Per cluster, its number of members (a copy). */
        @Override
        public long[] sizes() {
            return sizes.clone();
        }
    }

    /**
     * One typical user's explicit interests.
     *
     * @param typical   the user and its cluster
     * @param ok        whether the extraction succeeded and was encoded
     * @param reason    why it failed, or a note; {@code ""} when there is nothing to say
     * @param interests the interests (empty on failure)
     * @param vectors   one text vector per interest (empty on failure)
     * @param cached    whether the extraction came from the store
     */
    public record TypicalInterests(Typical typical, boolean ok, String reason, List<ExplicitInterest> interests,
                                   List<float[]> vectors, boolean cached) {
        public TypicalInterests {
            Objects.requireNonNull(typical, "typical");
            reason = reason == null ? "" : reason;
            interests = List.copyOf(interests);
            List<float[]> copy = new ArrayList<>(vectors.size());
            for (float[] v : vectors) copy.add(v.clone());
            vectors = List.copyOf(copy);
        }
    }

    /**
     * The outcome of {@link #extract}.
     *
     * @param users    one entry per typical user, in {@link Selection#typical()} order
     * @param cached   users whose extraction came from the store
     * @param failed   users without usable interests
     * @param llmCalls chat requests sent (0 for the metadata extractor)
     */
    public record Extracted(List<TypicalInterests> users, int cached, int failed, int llmCalls) {
        public Extracted {
            users = List.copyOf(users);
        }
    }

    /**
     * The outcome of {@link #run}.
     *
     * @param selection clusters and typical users
     * @param extracted the typical users' interests
     * @param targets   every user's semantic target ({@link #targetsSchema})
     */
    public record Result(Selection selection, Extracted extracted, Dataset<Row> targets) {}

    /** Schema of {@link #behaviourVectors}: user, vector (array of float, unit length). */
    public static StructType vectorsSchema(DataType user) {
        return new StructType().add(USER, user, false)
                .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false);
    }

    /** Schema of {@link Selection#assignments()}: user, cluster, distance. */
    public static StructType assignmentsSchema(DataType user) {
        return new StructType().add(USER, user, false).add("cluster", DataTypes.IntegerType, false)
                .add("distance", DataTypes.DoubleType, false);
    }

    /**
     * Schema of {@link #propagate}, one row per user: {@code user}, {@code cluster} (its K-means cluster),
     * {@code distance} (to that cluster's centre), {@code typical} (boolean), then the semantic target, all null
     * for a user without one: {@code source} (int: the cluster the target is attributed to, the typical user's
     * own cluster of choice for a typical user; users with the same source are never each other's negatives,
     * section 5.3), {@code source_user} (whose interests they are), {@code weight} (double), {@code names}
     * (array of string, the interests' names) and {@code interests} (array of array of float, J text vectors).
     */
    public static StructType targetsSchema(DataType user) {
        return new StructType().add(USER, user, false).add("cluster", DataTypes.IntegerType, false)
                .add("distance", DataTypes.DoubleType, false).add("typical", DataTypes.BooleanType, false)
                .add("source", DataTypes.IntegerType, true).add("source_user", user, true)
                .add("weight", DataTypes.DoubleType, true)
                .add("names", DataTypes.createArrayType(DataTypes.StringType, false), true)
                .add("interests", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType, false), false), true);
    }

    /**
     * Every step: behaviour vectors (cached, as K-means and the later steps read them several times), selection,
     * extraction on the driver, propagation.
     *
     * @param users     (user, history)
     * @param items     item text by item id for the extractor's prompts; items missing here take the model
     *                  catalogue's text (which is only their id when the model was trained on ids alone)
     * @param extractor the extractor (asked for the model's K interests unless its number was set explicitly)
     * @param encoder   the text encoder of the interests
     * @param storeDir  the interest store's directory on the driver
     * @throws IOException when the store cannot be read or written
     */
    public Result run(Dataset<Row> users, Map<String, ItemInfo> items, InterestExtractor extractor,
                      TextEncoder encoder, Path storeDir) throws IOException {
        Dataset<Row> vectors = behaviourVectors(users).cache();
        Selection selection = select(vectors);
        Extracted extracted = extract(selection, users, items, extractor, encoder, storeDir);
        return new Result(selection, extracted, propagate(selection, extracted));
    }

    /**
     * Each user's behaviour vector {@code b_u = mean_k v_k / |mean_k v_k|} under the model
     * (docs/METHOD.md, section 4.2), computed on the executors: rows ({@code user}, {@code vector}).
     */
    public Dataset<Row> behaviourVectors(Dataset<Row> users) {
        requireColumns(users);
        DataType userType = users.schema().apply(USER).dataType();
        return new SparkTopN(spark, modelDir, 1, false).encoded(users).map((MapFunction<Row, Row>) r -> {
            List<Object> vs = r.getList(2);
            float[][] v = new float[vs.size()][];
            for (int k = 0; k < v.length; k++) v[k] = SparkTopN.floats(vs.get(k));
            float[] b = behaviourVector(v);
            for (int i = 0; i < b.length; i++) {
                if (!Float.isFinite(b[i])) {
                    throw new IllegalStateException("behaviour vector of user " + r.get(0) + " has a non-finite value at " + i);
                }
            }
            return RowFactory.create(r.get(0), SparkTopN.seq(SparkTopN.boxed(b)));
        }, Encoders.row(vectorsSchema(userType)));
    }

    /**
     * The L2-normalised mean of K interest vectors, with the float operations of the single-machine pipeline
     * ({@code dev.eimf.internal.pipeline.EimfPipeline.behaviourVectors}) in the same order.
     */
    static float[] behaviourVector(float[][] interests) {
        int k = interests.length;
        int d = interests[0].length;
        float[] mean = new float[d];
        for (float[] v : interests) {
            for (int c = 0; c < d; c++) mean[c] += v[c] / k;
        }
        double n2 = 0;
        for (float x : mean) n2 += (double) x * x;
        double norm = Math.sqrt(n2);
        if (norm > 0) {
            for (int c = 0; c < d; c++) mean[c] /= (float) norm;
        }
        return mean;
    }

    /**
     * MLlib K-means over the behaviour vectors, then each cluster's typical users (docs/METHOD.md, section 4.2).
     * Reads {@code vectors} several times: cache it.
     *
     * @param vectors rows ({@code user}, {@code vector}) as {@link #behaviourVectors} writes them
     * @throws IllegalArgumentException when there are no vectors
     */
    public Selection select(Dataset<Row> vectors) {
        int m = config.perCluster();
        double[][] found = centres(vectors);
        // A centre nearest to no user (MLlib keeps an emptied centre where it was) is dropped, as on one machine;
        // dropping it changes no user's nearest centre.
        long[] counts = new long[found.length];
        for (Row r : assign(vectors, found).groupBy("cluster").count().collectAsList()) {
            counts[r.getInt(0)] = r.getLong(1);
        }
        List<double[]> kept = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        for (int c = 0; c < found.length; c++) {
            if (counts[c] > 0) {
                kept.add(found[c]);
                sizes.add(counts[c]);
            }
        }
        double[][] centres = kept.toArray(double[][]::new);
        long[] size = sizes.stream().mapToLong(Long::longValue).toArray();
        Dataset<Row> assignments = assign(vectors, centres);

        List<List<Typical>> perCluster = new ArrayList<>();
        for (int c = 0; c < centres.length; c++) perCluster.add(new ArrayList<>());
        Set<Object> taken = new HashSet<>();
        for (Row r : nearest(assignments, "cluster", m)) {
            perCluster.get(r.getInt(1)).add(new Typical(r.get(0), r.getInt(1), r.getDouble(2), true));
            taken.add(r.get(0));
        }
        topUp(vectors, centres, size, perCluster, taken);
        List<Typical> typical = new ArrayList<>();
        perCluster.forEach(typical::addAll);
        return new Selection(assignments, centres, size, typical);
    }

    /**
     * The K-means centres: MLlib's, or for one cluster (MLlib asks for two or more) the mean of every vector,
     * where Lloyd's first step lands.
     */
    private double[][] centres(Dataset<Row> vectors) {
        if (vectors.isEmpty()) throw new IllegalArgumentException("no behaviour vectors to cluster");
        if (config.clusters() == 1) {
            // (sum of the vectors, then the count in the last slot)
            double[] sum = vectors.javaRDD().map(r -> {
                double[] x = doubles(r.getList(1));
                double[] out = Arrays.copyOf(x, x.length + 1);
                out[x.length] = 1;
                return out;
            }).reduce((a, b) -> {
                double[] out = new double[a.length];
                for (int i = 0; i < out.length; i++) out[i] = a[i] + b[i];
                return out;
            });
            double[] mean = new double[sum.length - 1];
            for (int i = 0; i < mean.length; i++) mean[i] = sum[i] / sum[mean.length];
            return new double[][] {mean};
        }
        Dataset<Row> features = vectors.map((MapFunction<Row, Row>) r -> RowFactory.create(
                Vectors.dense(doubles(r.getList(1)))), Encoders.row(new StructType()
                .add("features", SQLDataTypes.VectorType(), false)));
        KMeansModel model = new KMeans().setK(config.clusters()).setSeed(config.seed())
                .setMaxIter(config.maxIterations()).setTol(config.tolerance()).setFeaturesCol("features")
                .fit(features);
        Vector[] v = model.clusterCenters();
        double[][] out = new double[v.length][];
        for (int c = 0; c < v.length; c++) out[c] = v[c].toArray();
        return out;
    }

    /** Every user's nearest centre (ties to the lower index) and its distance: rows (user, cluster, distance). */
    private Dataset<Row> assign(Dataset<Row> vectors, double[][] centres) {
        Broadcast<double[][]> b = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(centres);
        DataType userType = vectors.schema().apply(USER).dataType();
        return vectors.map((MapFunction<Row, Row>) r -> {
            double[] x = doubles(r.getList(1));
            double[][] cs = b.value();
            int best = 0;
            double bestD = Double.POSITIVE_INFINITY;
            for (int c = 0; c < cs.length; c++) {
                double d = euclidean(x, cs[c]);
                if (d < bestD) {
                    bestD = d;
                    best = c;
                }
            }
            return RowFactory.create(r.get(0), best, bestD);
        }, Encoders.row(assignmentsSchema(userType)));
    }

    /** Per value of {@code group}, its {@code n} rows of smallest (distance, user), ordered by group and rank. */
    private static List<Row> nearest(Dataset<Row> rows, String group, int n) {
        return rows.withColumn("rank", row_number().over(Window.partitionBy(group)
                        .orderBy(col("distance").asc(), col(USER).asc())))
                .filter(col("rank").leq(n)).orderBy(col(group), col("rank"))
                .select(col(USER), col(group), col("distance")).collectAsList();
    }

    /**
     * Clusters with fewer than m members take the users nearest their centre not yet chosen, cluster by
     * cluster, so that there are C*m typical users whenever there are that many users (docs/METHOD.md,
     * section 4.2). Each small cluster's candidates are its nearest {@code m + C*m} users: at most C*m are
     * taken before it, so that many always suffice.
     */
    private void topUp(Dataset<Row> vectors, double[][] centres, long[] sizes, List<List<Typical>> perCluster,
                       Set<Object> taken) {
        int m = config.perCluster();
        List<Integer> small = new ArrayList<>();
        for (int c = 0; c < centres.length; c++) {
            if (sizes[c] < m) small.add(c);
        }
        if (small.isEmpty()) return;
        double[][] smallCentres = new double[small.size()][];
        int[] smallIds = new int[small.size()];
        for (int i = 0; i < smallIds.length; i++) {
            smallIds[i] = small.get(i);
            smallCentres[i] = centres[smallIds[i]];
        }
        Broadcast<double[][]> b = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(smallCentres);
        DataType userType = vectors.schema().apply(USER).dataType();
        StructType schema = new StructType().add(USER, userType, false).add("target", DataTypes.IntegerType, false)
                .add("distance", DataTypes.DoubleType, false);
        Dataset<Row> distances = vectors.flatMap((FlatMapFunction<Row, Row>) r -> {
            double[] x = doubles(r.getList(1));
            double[][] cs = b.value();
            List<Row> out = new ArrayList<>(cs.length);
            for (int i = 0; i < cs.length; i++) out.add(RowFactory.create(r.get(0), smallIds[i], euclidean(x, cs[i])));
            return out.iterator();
        }, Encoders.row(schema));
        Map<Integer, List<Row>> candidates = new HashMap<>();
        for (Row r : nearest(distances, "target", m + centres.length * m)) {
            candidates.computeIfAbsent(r.getInt(1), c -> new ArrayList<>()).add(r);
        }
        for (int c : smallIds) {
            List<Typical> mine = perCluster.get(c);
            for (Row r : candidates.getOrDefault(c, List.of())) {
                if (mine.size() >= m) break;
                if (taken.add(r.get(0))) mine.add(new Typical(r.get(0), c, r.getDouble(2), false));
            }
        }
    }

    /**
     * The typical users' explicit interests, on the driver: their histories are collected, rendered with the
     * item text, and go through {@link EsimRunner} with the interest store in {@code storeDir}, exactly as the
     * single-machine pipeline runs them (docs/METHOD.md, sections 4.3 to 4.7).
     *
     * @param selection the typical users
     * @param users     the table the behaviour vectors came from, (user, history)
     * @param items     item text by item id; items missing here take the model catalogue's text
     * @param extractor the extractor (asked for the model's K interests unless its number was set explicitly)
     * @param encoder   the text encoder of the interests
     * @param storeDir  the interest store's directory on the driver
     * @throws IOException when the store cannot be read or written
     */
    public Extracted extract(Selection selection, Dataset<Row> users, Map<String, ItemInfo> items,
                             InterestExtractor extractor, TextEncoder encoder, Path storeDir) throws IOException {
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(extractor, "extractor");
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(storeDir, "storeDir");
        requireColumns(users);
        List<Typical> typical = selection.typical();
        if (typical.isEmpty()) return new Extracted(List.of(), 0, 0, 0);
        InterestModel model = ModelCache.get(modelDir);
        ItemCatalog catalog = model.catalog();
        Object[] ids = typical.stream().map(Typical::user).toArray();
        Map<Object, List<Object>> histories = new HashMap<>();
        for (Row r : users.filter(col(USER).isin(ids)).select(USER, "history").collectAsList()) {
            if (histories.put(r.get(0), r.getList(1)) != null) {
                throw new IllegalArgumentException("user " + r.get(0) + " has more than one row");
            }
        }
        List<UserHistory> asked = new ArrayList<>(typical.size());
        for (Typical t : typical) {
            List<Object> h = histories.get(t.user());
            if (h == null) throw new IllegalStateException("typical user " + t.user() + " is not in the users' table");
            List<ItemInfo> infos = new ArrayList<>(h.size());
            for (Object o : h) {
                Optional<Integer> id = o instanceof Integer i ? Optional.of(i).filter(x -> x >= 1 && x <= catalog.size())
                        : catalog.internalId(o.toString());
                if (id.isEmpty()) continue; // skipped by the model as well
                ItemInfo info = items.get(catalog.externalId(id.get()));
                infos.add(info != null ? info : catalog.info(id.get()));
            }
            asked.add(new UserHistory(String.valueOf(t.user()), infos));
        }
        EsimResult result;
        try (InterestStore store = InterestStore.open(storeDir)) {
            result = EsimRunner.builder().extractor(extractor.withInterests(model.numInterests())).encoder(encoder)
                    .store(store).concurrency(config.concurrency()).build().run(asked);
        }
        List<TypicalInterests> out = new ArrayList<>(typical.size());
        for (int i = 0; i < typical.size(); i++) {
            UserInterests u = result.users().get(i);
            boolean ok = u.ok() && !u.vectors().isEmpty();
            out.add(new TypicalInterests(typical.get(i), ok, u.reason(), ok ? u.interests() : List.of(),
                    ok ? u.vectors() : List.of(), u.cached()));
        }
        return new Extracted(out, result.stats().cached(), result.stats().failed(), result.stats().llmCalls());
    }

    /**
     * Every user's semantic target ({@link #targetsSchema}), on the executors, by the rule of the single-machine
     * {@code SemanticTargets} (docs/METHOD.md, section 4.8): a typical user with usable interests keeps them
     * (weight 1, source its cluster of choice); with propagation on, any other user of a cluster that has a
     * typical user with usable interests inherits those of the first such one in {@link Selection#typical()}
     * order, the most central, with weight {@code exp(-distance/temperature)} and source its cluster; a
     * typical user whose extraction failed, and every user of a cluster without usable interests, has none.
     */
    public Dataset<Row> propagate(Selection selection, Extracted extracted) {
        int n = extracted.users().size();
        HashMap<Object, Integer> typical = new HashMap<>();
        HashMap<Object, Integer> own = new HashMap<>();
        Object[] sourceUsers = new Object[n];
        String[][] names = new String[n][];
        float[][][] vectors = new float[n][][];
        int[] clusterSource = new int[selection.numClusters()];
        Arrays.fill(clusterSource, -1);
        for (int i = 0; i < n; i++) {
            TypicalInterests t = extracted.users().get(i);
            Object u = t.typical().user();
            typical.put(u, t.typical().cluster());
            if (!t.ok()) continue;
            own.put(u, i);
            sourceUsers[i] = u;
            names[i] = t.interests().stream().map(ExplicitInterest::name).toArray(String[]::new);
            vectors[i] = t.vectors().toArray(float[][]::new);
            // typical users come nearest first within a cluster: the first usable one is the most central
            if (clusterSource[t.typical().cluster()] < 0) clusterSource[t.typical().cluster()] = i;
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<Payload> b = jsc.broadcast(new Payload(typical, own, sourceUsers, names, vectors, clusterSource));
        boolean propagate = config.propagate();
        double temperature = config.temperature();
        Dataset<Row> assignments = selection.assignments();
        DataType userType = assignments.schema().apply(USER).dataType();
        return assignments.map((MapFunction<Row, Row>) r -> {
            Payload p = b.value();
            Object u = r.get(0);
            int c = r.getInt(1);
            double d = r.getDouble(2);
            Integer chosenFor = p.typical.get(u);
            int src = -1;
            int source = -1;
            double w = 0;
            if (chosenFor != null) {
                Integer i = p.own.get(u);
                if (i != null) {
                    src = i;
                    source = chosenFor;
                    w = 1.0;
                }
            } else if (propagate && p.clusterSource[c] >= 0) {
                double x = Math.exp(-d / temperature);
                if (x > 0) {
                    src = p.clusterSource[c];
                    source = c;
                    w = x;
                }
            }
            if (src < 0) return RowFactory.create(u, c, d, chosenFor != null, null, null, null, null, null);
            List<Object> vs = new ArrayList<>(p.vectors[src].length);
            for (float[] v : p.vectors[src]) vs.add(SparkTopN.seq(SparkTopN.boxed(v)));
            return RowFactory.create(u, c, d, chosenFor != null, source, p.sourceUsers[src], w,
                    SparkTopN.seq(List.of(p.names[src])), SparkTopN.seq(vs));
        }, Encoders.row(targetsSchema(userType)));
    }

    /** What propagation broadcasts: the typical users, their interests and each cluster's source. */
    private record Payload(HashMap<Object, Integer> typical, HashMap<Object, Integer> own, Object[] sourceUsers,
                           String[][] names, float[][][] vectors, int[] clusterSource) implements java.io.Serializable {}

    private static double[] doubles(List<?> v) {
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Number) v.get(i)).doubleValue();
        return out;
    }

    /** Euclidean distance, as the single-machine selector computes it. */
    static double euclidean(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /** Fails with a clear message when the users' table lacks a column the steps read. */
    private static void requireColumns(Dataset<Row> users) {
        StructType s = users.schema();
        for (String c : new String[] {USER, "history"}) {
            if (!List.of(s.fieldNames()).contains(c)) {
                throw new IllegalArgumentException("the users' table needs a column " + c + "; it has " + List.of(s.fieldNames()));
            }
        }
        SparkTopN.historyIsInternal(users); // an array of int or string, or a clear error
    }
}
