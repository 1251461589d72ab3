package dev.eimf.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.eimf.eval.ComiRecProtocol;
import dev.eimf.eval.EvalCase;
import dev.eimf.eval.EvalConfig;
import dev.eimf.eval.Evaluator;
import dev.eimf.eval.MetricsResult;
import dev.eimf.eval.Split;
import dev.eimf.model.InterestModel;
import dev.eimf.model.Recommendation;
import dev.eimf.model.RecommendRequest;
import dev.eimf.model.RecommendationList;
import dev.eimf.train.Trainer;
import dev.eimf.train.TrainerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch top-N and evaluation on Spark against single-machine serving and the Evaluator, on ml-100k. */
class SparkTopNTest {
    private static final SparkSession SPARK = SparkTestSession.get();
    private static final float SCORE_TOLERANCE = 1e-4f;

    @TempDir
    static Path tmp;

    static Dataset data;
    static SparkData sparkData;
    static org.apache.spark.sql.Dataset<Row> splitTable;
    static Split split;
    static InterestModel model;
    static String modelDir;

    @BeforeAll
    static void trainSmallModel() {
        Optional<Path> ml = DataPaths.dataset("ml-100k");
        assumeTrue(ml.isPresent(), "ml-100k not present");
        RawData raw = DatasetLoaders.load(ml.get(), DatasetFormat.MOVIELENS, LoadOptions.strict());
        sparkData = new SparkPreprocessor(PreprocessConfig.builder().core(5).build())
                .process("ml-100k", SparkPreprocessor.fromRaw(SPARK, raw));
        data = sparkData.toDataset();
        splitTable = SparkSplits.comiRec(sparkData, ComiRecProtocol.defaults(), 1).cache();
        split = SparkSplits.toSplit(splitTable, ComiRecProtocol.NAME, data.numItems());
        BackboneConfig sa = BackboneConfig.builder(BackboneConfig.COMIREC_SA).dim(16).interests(4).maxLen(20).build();
        model = new Trainer(TrainerConfig.builder(sa).maxSteps(200).evalEvery(100).seed(1).build())
                .train(data, split).model();
        modelDir = tmp.resolve("model").toString();
        model.save(Path.of(modelDir));
    }

    @Test
    void evaluationEqualsTheEvaluator() {
        EvalConfig config = EvalConfig.builder().cutoffs(20, 50).build();
        MetricsResult expected = new Evaluator(config).evaluateTest(model, split);
        MetricsResult actual = new SparkEvaluator(SPARK, config, 3)
                .evaluate(modelDir, SparkSplits.cases(splitTable, SparkSplits.TEST));
        assertEquals(expected.users(), actual.users());
        assertEquals(expected.values().keySet(), actual.values().keySet());
        for (String k : expected.values().keySet()) {
            assertEquals(expected.get(k), actual.get(k), 1e-3, k);
        }
        assertTrue(actual.recall(50) > 0, "a trained model finds some targets: " + actual);
    }

    @Test
    void topNEqualsSingleMachineServingAndIsIndependentOfTheBlocks() {
        List<EvalCase> cases = split.test();
        List<RecommendRequest> requests = new ArrayList<>();
        for (EvalCase c : cases) requests.add(RecommendRequest.of(externals(c.history()), 10));
        List<RecommendationList> expected = model.recommendAll(requests);

        org.apache.spark.sql.Dataset<Row> users = SparkSplits.cases(splitTable, SparkSplits.TEST).select("user", "history");
        Map<Integer, List<Row>> one = byUser(new SparkTopN(SPARK, modelDir, 1, true).topN(users, 10));
        Map<Integer, List<Row>> four = byUser(new SparkTopN(SPARK, modelDir, 4, true).topN(users, 10));
        assertEquals(cases.size(), one.size());
        for (int i = 0; i < cases.size(); i++) {
            List<Recommendation> want = expected.get(i).items();
            List<Row> got = one.get(cases.get(i).user());
            assertEquals(want.size(), got.size());
            for (int r = 0; r < want.size(); r++) {
                Row row = got.get(r);
                assertEquals(r + 1, row.getInt(1));
                assertEquals(want.get(r).score(), row.getFloat(3), SCORE_TOLERANCE, "score at rank " + (r + 1));
                // Items may swap only where their scores tie within rounding.
                if (!want.get(r).itemId().equals(row.getString(2))) {
                    assertEquals(want.get(r).score(), row.getFloat(3), SCORE_TOLERANCE);
                } else {
                    assertEquals(want.get(r).interest(), row.getInt(4), "interest of " + row.getString(2));
                }
            }
            // The blocks' matrix products sum in another order: the same list up to float rounding.
            List<Row> blocked = four.get(cases.get(i).user());
            assertEquals(got.size(), blocked.size());
            for (int r = 0; r < got.size(); r++) {
                assertEquals(got.get(r).getFloat(3), blocked.get(r).getFloat(3), SCORE_TOLERANCE, "blocked score at rank " + (r + 1));
                if (!got.get(r).getString(2).equals(blocked.get(r).getString(2))) {
                    assertEquals(got.get(r).getFloat(3), blocked.get(r).getFloat(3), SCORE_TOLERANCE, "swap only on a tie");
                }
            }
        }
    }

    @Test
    void interestsEqualTheModels() {
        List<EvalCase> cases = split.test().subList(0, 5);
        List<List<String>> histories = new ArrayList<>();
        for (EvalCase c : cases) histories.add(externals(c.history()));
        List<float[][]> expected = model.interestsAll(histories);
        Map<Integer, float[][]> got = new HashMap<>();
        for (Row r : new SparkTopN(SPARK, modelDir, 1, true)
                .interests(SparkSplits.cases(splitTable, SparkSplits.TEST).select("user", "history")).collectAsList()) {
            float[][] v = got.computeIfAbsent(r.getInt(0), u -> new float[model.numInterests()][]);
            List<Float> x = r.getList(2);
            float[] a = new float[x.size()];
            for (int j = 0; j < a.length; j++) a[j] = x.get(j);
            v[r.getInt(1)] = a;
        }
        for (int i = 0; i < cases.size(); i++) {
            float[][] g = got.get(cases.get(i).user());
            for (int k = 0; k < model.numInterests(); k++) {
                assertArrayEquals(expected.get(i)[k], g[k], 1e-5f, "interest " + k);
            }
        }
    }

    private static List<String> externals(int[] ids) {
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) out.add(model.catalog().externalId(id));
        return out;
    }

    private static Map<Integer, List<Row>> byUser(org.apache.spark.sql.Dataset<Row> topN) {
        Map<Integer, List<Row>> out = new HashMap<>();
        for (Row r : topN.collectAsList()) out.computeIfAbsent(r.getInt(0), u -> new ArrayList<>()).add(r);
        out.values().forEach(l -> l.sort((a, b) -> Integer.compare(a.getInt(1), b.getInt(1))));
        return out;
    }
}
