package dev.eimf.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.eimf.backbone.BackboneConfig;
import dev.eimf.data.DataPaths;
import dev.eimf.data.Dataset;
import dev.eimf.data.DatasetFormat;
import dev.eimf.data.DatasetLoaders;
import dev.eimf.data.LoadOptions;
import dev.eimf.data.PreprocessConfig;
import dev.eimf.data.RawData;
import dev.eimf.esim.Extraction;
import dev.eimf.esim.ExtractionRequest;
import dev.eimf.esim.HashingTextEncoder;
import dev.eimf.esim.InterestExtractor;
import dev.eimf.esim.MetadataInterestExtractor;
import dev.eimf.esim.SelectionStrategy;
import dev.eimf.esim.TextEncoder;
import dev.eimf.esim.UserHistory;
import dev.eimf.eval.ComiRecProtocol;
import dev.eimf.eval.Split;
import dev.eimf.internal.esim.TypicalSamples;
import dev.eimf.internal.esim.UserInterests;
import dev.eimf.internal.model.ModelAccess;
import dev.eimf.internal.mtl.AuxTasksConfig;
import dev.eimf.internal.mtl.SemanticBatch;
import dev.eimf.internal.pipeline.EimfPipeline;
import dev.eimf.internal.pipeline.SemanticTargets;
import dev.eimf.internal.train.TrainedModel;
import dev.eimf.model.InterestModel;
import dev.eimf.train.Trainer;
import dev.eimf.train.TrainerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Typical users on Spark against the single-machine rules, on ml-100k with a briefly trained ComiRec-SA: the
 * behaviour vectors equal the pipeline's, the chosen users are each cluster's nearest (checked by brute force
 * with the K-means centres), propagation equals {@link SemanticTargets} for the same clusters, and extraction
 * goes through the interest store.
 */
class SparkTypicalUsersTest {
    private static final SparkSession SPARK = SparkTestSession.get();
    private static final TextEncoder ENCODER = new HashingTextEncoder(32, false);

    @TempDir
    static Path tmp;

    static RawData raw;
    static Split split;
    static InterestModel model;
    static String modelDir;
    static org.apache.spark.sql.Dataset<Row> users;
    static org.apache.spark.sql.Dataset<Row> vectors;

    @BeforeAll
    static void trainSmallModel() {
        Optional<Path> ml = DataPaths.dataset("ml-100k");
        assumeTrue(ml.isPresent(), "ml-100k not present");
        raw = DatasetLoaders.load(ml.get(), DatasetFormat.MOVIELENS, LoadOptions.strict());
        SparkData sparkData = new SparkPreprocessor(PreprocessConfig.builder().core(5).build())
                .process("ml-100k", SparkPreprocessor.fromRaw(SPARK, raw));
        Dataset data = sparkData.toDataset();
        org.apache.spark.sql.Dataset<Row> splitTable = SparkSplits.comiRec(sparkData, ComiRecProtocol.defaults(), 1).cache();
        split = SparkSplits.toSplit(splitTable, ComiRecProtocol.NAME, data.numItems());
        BackboneConfig sa = BackboneConfig.builder(BackboneConfig.COMIREC_SA).dim(16).interests(4).maxLen(20).build();
        model = new Trainer(TrainerConfig.builder(sa).maxSteps(200).evalEvery(100).seed(1).build())
                .train(data, split).model();
        modelDir = tmp.resolve("model").toString();
        model.save(Path.of(modelDir));
        users = splitTable.filter(splitTable.col("part").equalTo(SparkSplits.TRAIN)).select("user", "history").cache();
        vectors = typical(SparkTypicalUsers.Config.defaults()).behaviourVectors(users).cache();
    }

    private static SparkTypicalUsers typical(SparkTypicalUsers.Config config) {
        return new SparkTypicalUsers(SPARK, modelDir, config);
    }

    private static SparkTypicalUsers.Config config(int clusters, int perCluster) {
        // Few iterations keep the test short: the rules checked hold for any centres.
        return SparkTypicalUsers.Config.builder().clusters(clusters).perCluster(perCluster).seed(7).maxIterations(20).build();
    }

    @Test
    void behaviourVectorsEqualThePipelines() {
        TrainedModel trained = ModelAccess.get().saved(model).toTrainedModel();
        float[][] expected = EimfPipeline.behaviourVectors(trained::interests, split.train());
        Map<Integer, float[]> got = collectVectors();
        assertEquals(expected.length, got.size());
        for (int i = 0; i < expected.length; i++) {
            int user = split.trainUsers()[i];
            assertArrayEquals(expected[i], got.get(user), 1e-5f, "behaviour vector of user " + user);
        }
    }

    @Test
    void typicalUsersAreTheNearestOfTheirClusters() {
        SparkTypicalUsers.Selection s = typical(config(8, 3)).select(vectors);
        assertTrue(s.numClusters() >= 2 && s.numClusters() <= 8, "clusters: " + s.numClusters());
        assertEquals(8 * 3, s.typical().size(), "C*m typical users when no cluster is empty");
        checkSelection(s, collectVectors(), 3);
    }

    @Test
    void smallClustersAreToppedUpAndOneClusterIsTheMean() {
        // Three blobs of ten users and one lone user: the lone user's cluster has one member and takes the two
        // users nearest its centre from the others.
        List<Row> rows = new ArrayList<>();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        Map<Integer, float[]> points = new HashMap<>();
        for (int b = 0; b < 3; b++) {
            for (int i = 0; i < 10; i++) {
                float[] v = new float[4];
                v[b] = 1f;
                for (int j = 0; j < 4; j++) v[j] += (float) (0.05 * rng.nextGaussian());
                points.put(100 * b + i, v);
            }
        }
        points.put(999, new float[] {0.1f, 0.2f, 0.1f, 1f});
        for (Map.Entry<Integer, float[]> e : points.entrySet()) {
            List<Float> v = new ArrayList<>();
            for (float x : e.getValue()) v.add(x);
            rows.add(RowFactory.create(e.getKey(), v));
        }
        org.apache.spark.sql.Dataset<Row> synthetic = SPARK.createDataFrame(rows,
                SparkTypicalUsers.vectorsSchema(org.apache.spark.sql.types.DataTypes.IntegerType)).cache();

        SparkTypicalUsers.Selection s = typical(config(4, 3)).select(synthetic);
        assertEquals(4, s.numClusters());
        assertTrue(java.util.Arrays.stream(s.sizes()).anyMatch(n -> n < 3), "a cluster smaller than m");
        assertEquals(12, s.typical().size());
        assertTrue(s.typical().stream().anyMatch(t -> !t.member()), "a top-up");
        checkSelection(s, points, 3);

        SparkTypicalUsers.Selection one = typical(config(1, 5)).select(synthetic);
        double[] mean = new double[4];
        for (float[] v : points.values()) for (int j = 0; j < 4; j++) mean[j] += v[j];
        for (int j = 0; j < 4; j++) mean[j] /= points.size();
        assertArrayEquals(mean, one.centres()[0], 1e-12);
        assertEquals(5, one.typical().size());
        checkSelection(one, points, 5);
    }

    @Test
    void propagationEqualsSemanticTargetsForTheSameClusters() throws IOException {
        SparkTypicalUsers.Config config = config(6, 3).toBuilder().temperature(0.5).build();
        SparkTypicalUsers t = typical(config);
        SparkTypicalUsers.Selection s = t.select(vectors);
        // Every other typical user fails, so some clusters take a less central source and some typical users
        // have no target of their own.
        Counting extractor = new Counting(MetadataInterestExtractor.builder().build(), true);
        SparkTypicalUsers.Extracted x = t.extract(s, users, raw.items(), extractor, ENCODER, tmp.resolve("store-failing"));
        assertTrue(x.failed() > 0 && x.failed() < x.users().size(), "some failures: " + x.failed());
        Map<Integer, Row> got = new HashMap<>();
        for (Row r : t.propagate(s, x).collectAsList()) got.put(r.getInt(0), r);

        // The same selection as the single machine's TypicalSamples, then its SemanticTargets.
        List<Row> assigned = new ArrayList<>(s.assignments().collectAsList());
        assigned.sort(Comparator.comparingInt(r -> r.getInt(0)));
        List<String> ids = new ArrayList<>();
        Map<Object, Integer> index = new HashMap<>();
        int[] assignment = new int[assigned.size()];
        double[] distance = new double[assigned.size()];
        for (int i = 0; i < assigned.size(); i++) {
            ids.add(String.valueOf(assigned.get(i).getInt(0)));
            index.put(assigned.get(i).getInt(0), i);
            assignment[i] = assigned.get(i).getInt(1);
            distance[i] = assigned.get(i).getDouble(2);
        }
        List<TypicalSamples.TypicalUser> chosen = new ArrayList<>();
        Map<String, UserInterests> interests = new HashMap<>();
        for (SparkTypicalUsers.TypicalInterests ti : x.users()) {
            String id = String.valueOf(ti.typical().user());
            chosen.add(new TypicalSamples.TypicalUser(index.get(ti.typical().user()), id, ti.typical().cluster(),
                    ti.typical().distance()));
            interests.put(id, new UserInterests(id, null, ti.ok() ? Extraction.Status.OK : Extraction.Status.FAILED,
                    ti.reason(), ti.interests(), ti.vectors(), ti.cached()));
        }
        TypicalSamples samples = new TypicalSamples(SelectionStrategy.KMEANS, ids, chosen, assignment, distance,
                floats(s.centres()));
        SemanticTargets expected = SemanticTargets.build(samples, interests,
                AuxTasksConfig.builder().propagationTemperature(0.5).build(), true);

        assertEquals(ids.size(), got.size());
        int propagated = 0;
        for (int i = 0; i < ids.size(); i++) {
            SemanticBatch.Row want = expected.row(i);
            Row row = got.get(Integer.parseInt(ids.get(i)));
            if (want.interests() == null) {
                assertNull(row.get(6), "no target for user " + ids.get(i));
                continue;
            }
            assertNotNull(row.get(6), "a target for user " + ids.get(i));
            assertEquals(want.weight(), row.getDouble(6), 1e-12, "weight of user " + ids.get(i));
            assertEquals(want.source(), row.getInt(4), "source of user " + ids.get(i));
            List<Object> vs = row.getList(8);
            assertEquals(want.interests().length, vs.size());
            for (int j = 0; j < vs.size(); j++) {
                assertArrayEquals(want.interests()[j], SparkTopN.floats(vs.get(j)), "interest " + j + " of user " + ids.get(i));
            }
            if (!row.getBoolean(3)) propagated++;
        }
        assertEquals(expected.ownCount() + expected.propagatedCount(),
                got.values().stream().filter(r -> r.get(6) != null).count());
        assertEquals(expected.propagatedCount(), propagated);
        assertTrue(expected.ownCount() > 0 && expected.propagatedCount() > 0, "own and propagated targets");
    }

    @Test
    void extractionGoesThroughTheStoreAndASecondRunIsCached() throws IOException {
        Path store = tmp.resolve("store");
        Counting first = new Counting(MetadataInterestExtractor.builder().build(), false);
        SparkTypicalUsers.Result a = typical(config(5, 2)).run(users, raw.items(), first, ENCODER, store);
        int n = a.extracted().users().size();
        assertEquals(10, n);
        assertEquals(0, a.extracted().cached());
        assertEquals(0, a.extracted().failed(), "ml-100k titles and genres give every typical user interests");
        assertTrue(first.calls.get() > 0 && first.calls.get() <= n, "extractor calls: " + first.calls.get());
        for (SparkTypicalUsers.TypicalInterests ti : a.extracted().users()) {
            assertEquals(model.numInterests(), ti.interests().size(), "J = K interests");
            assertEquals(ENCODER.dimension(), ti.vectors().get(0).length);
        }

        // A second run over the same typical users (K-means, repeated with the same seed, would choose them again).
        Counting second = new Counting(MetadataInterestExtractor.builder().build(), false);
        SparkTypicalUsers t = typical(config(5, 2));
        SparkTypicalUsers.Extracted b = t.extract(a.selection(), users, raw.items(), second, ENCODER, store);
        assertEquals(0, second.calls.get(), "nothing asked twice");
        assertEquals(n, b.cached());
        assertTrue(b.users().stream().allMatch(SparkTypicalUsers.TypicalInterests::cached));
        List<Row> targets = a.targets().collectAsList();
        assertEquals(sorted(targets), sorted(t.propagate(a.selection(), b).collectAsList()));
        assertEquals(n, targets.stream().filter(r -> r.getBoolean(3) && r.get(6) != null).count());
    }

    /** The selection rules, by brute force on the driver with the selection's centres. */
    private static void checkSelection(SparkTypicalUsers.Selection s, Map<Integer, float[]> points, int m) {
        double[][] centres = s.centres();
        Map<Integer, Row> assigned = new HashMap<>();
        for (Row r : s.assignments().collectAsList()) assigned.put(r.getInt(0), r);
        assertEquals(points.size(), assigned.size());
        Map<Integer, List<Integer>> members = new HashMap<>();
        for (Map.Entry<Integer, float[]> e : points.entrySet()) {
            double[] x = doubles(e.getValue());
            int best = 0;
            for (int c = 1; c < centres.length; c++) {
                if (SparkTypicalUsers.euclidean(x, centres[c]) < SparkTypicalUsers.euclidean(x, centres[best])) best = c;
            }
            Row r = assigned.get(e.getKey());
            assertEquals(best, r.getInt(1), "cluster of user " + e.getKey());
            assertEquals(SparkTypicalUsers.euclidean(x, centres[best]), r.getDouble(2), 1e-12);
            members.computeIfAbsent(best, c -> new ArrayList<>()).add(e.getKey());
        }
        Set<Integer> taken = new HashSet<>();
        List<SparkTypicalUsers.Typical> want = new ArrayList<>();
        for (int c = 0; c < centres.length; c++) {
            List<Integer> mine = members.get(c);
            assertNotNull(mine, "cluster " + c + " has members");
            assertEquals(mine.size(), s.sizes()[c]);
            List<Integer> order = nearestFirst(mine, points, centres[c]);
            for (int u : order.subList(0, Math.min(m, order.size()))) {
                want.add(new SparkTypicalUsers.Typical(u, c, SparkTypicalUsers.euclidean(doubles(points.get(u)), centres[c]), true));
                taken.add(u);
            }
        }
        List<SparkTypicalUsers.Typical> topUps = new ArrayList<>();
        for (int c = 0; c < centres.length; c++) {
            int missing = m - members.get(c).size();
            for (int u : nearestFirst(new ArrayList<>(points.keySet()), points, centres[c])) {
                if (missing <= 0) break;
                if (taken.add(u)) {
                    topUps.add(new SparkTypicalUsers.Typical(u, c, SparkTypicalUsers.euclidean(doubles(points.get(u)), centres[c]), false));
                    missing--;
                }
            }
        }
        want.addAll(topUps);
        want.sort(Comparator.comparingInt(SparkTypicalUsers.Typical::cluster)
                .thenComparing(t -> !t.member()));
        assertEquals(want, s.typical());
    }

    private static List<Integer> nearestFirst(List<Integer> users, Map<Integer, float[]> points, double[] centre) {
        List<Integer> order = new ArrayList<>(users);
        order.sort(Comparator.<Integer>comparingDouble(u -> SparkTypicalUsers.euclidean(doubles(points.get(u)), centre))
                .thenComparingInt(u -> u));
        return order;
    }

    private static Map<Integer, float[]> collectVectors() {
        Map<Integer, float[]> out = new HashMap<>();
        for (Row r : vectors.collectAsList()) {
            List<Float> x = r.getList(1);
            float[] v = new float[x.size()];
            for (int j = 0; j < v.length; j++) v[j] = x.get(j);
            out.put(r.getInt(0), v);
        }
        return out;
    }

    private static List<String> sorted(List<Row> rows) {
        return rows.stream().map(Row::toString).sorted().toList();
    }

    private static double[] doubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    private static float[][] floats(double[][] v) {
        float[][] f = new float[v.length][];
        for (int i = 0; i < v.length; i++) {
            f[i] = new float[v[i].length];
            for (int j = 0; j < f[i].length; j++) f[i][j] = (float) v[i][j];
        }
        return f;
    }

    /** The metadata extractor, counting its extractions; optionally failing every user with an even id. */
    private static final class Counting implements InterestExtractor {
        final InterestExtractor delegate;
        final boolean failEven;
        final AtomicInteger calls;

        Counting(InterestExtractor delegate, boolean failEven) {
            this(delegate, failEven, new AtomicInteger());
        }

        private Counting(InterestExtractor delegate, boolean failEven, AtomicInteger calls) {
            this.delegate = delegate;
            this.failEven = failEven;
            this.calls = calls;
        }

        @Override public String name() { return delegate.name() + (failEven ? "-failing-even" : ""); }
        @Override public String modelName() { return delegate.modelName(); }
        @Override public ExtractionRequest prepare(UserHistory history) { return delegate.prepare(history); }
        @Override public InterestExtractor withInterests(int k) { return new Counting(delegate.withInterests(k), failEven, calls); }

        @Override
        public Extraction extract(ExtractionRequest request) throws IOException {
            calls.incrementAndGet();
            if (failEven && Integer.parseInt(request.userId()) % 2 == 0) {
                return new Extraction(Extraction.Status.FAILED, "failed on purpose", List.of(), List.of(), List.of(), 0, 0, 0);
            }
            return delegate.extract(request);
        }
    }
}
