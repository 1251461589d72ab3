package dev.eimf.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.eimf.data.DataPaths;
import dev.eimf.data.Dataset;
import dev.eimf.data.DatasetFormat;
import dev.eimf.data.DatasetLoaders;
import dev.eimf.data.Interaction;
import dev.eimf.data.InteractionsBuilder;
import dev.eimf.data.LoadOptions;
import dev.eimf.data.PreprocessConfig;
import dev.eimf.data.Preprocessor;
import dev.eimf.data.RawData;
import dev.eimf.eval.ComiRecProtocol;
import dev.eimf.eval.EvalCase;
import dev.eimf.eval.LeaveOneOutProtocol;
import dev.eimf.eval.Split;
import dev.eimf.eval.UserShuffle;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkPreprocessorTest {
    private static final SparkSession SPARK = SparkTestSession.get();

    @TempDir
    Path tmp;

    static void assertSameDataset(Dataset expected, Dataset actual) {
        assertEquals(expected.numUsers(), actual.numUsers(), "users");
        assertEquals(expected.numItems(), actual.numItems(), "items");
        for (int u = 0; u < expected.numUsers(); u++) {
            assertEquals(expected.userId(u), actual.userId(u), "user " + u);
            assertArrayEquals(expected.sequence(u), actual.sequence(u), "sequence of user " + u);
        }
        for (int i = 1; i <= expected.numItems(); i++) {
            assertEquals(expected.catalog().externalId(i), actual.catalog().externalId(i), "item " + i);
        }
    }

    static void assertSameSplit(Split expected, Split actual) {
        assertEquals(expected.protocol(), actual.protocol());
        assertEquals(expected.numItems(), actual.numItems());
        assertArrayEquals(expected.trainUsers(), actual.trainUsers(), "training users in order");
        assertEquals(expected.train().length, actual.train().length);
        for (int i = 0; i < expected.train().length; i++) {
            assertArrayEquals(expected.train()[i], actual.train()[i], "training sequence " + i);
        }
        assertSameCases(expected.valid(), actual.valid());
        assertSameCases(expected.test(), actual.test());
    }

    private static void assertSameCases(List<EvalCase> expected, List<EvalCase> actual) {
        assertEquals(expected.size(), actual.size(), "cases");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).user(), actual.get(i).user(), "case " + i);
            assertArrayEquals(expected.get(i).history(), actual.get(i).history(), "history of case " + i);
            assertArrayEquals(expected.get(i).targets(), actual.get(i).targets(), "targets of case " + i);
        }
    }

    /** Ties everywhere: equal timestamps, equal item counts, and a k-core that needs three rounds. */
    @Test
    void tiesAndCascadingCoreMatchThePreprocessor() {
        InteractionsBuilder b = InteractionsBuilder.named("ties");
        String[] users = {"u3", "u1", "u2", "u4", "u5"};
        for (int r = 0; r < 4; r++) {
            for (String u : users) {
                b.add(u, "i" + ((r + u.hashCode()) % 5), 100 + (r / 2), r % 2 == 0 ? 5.0 : 3.0);
                b.add(u, "j" + (r % 3), 100, 4.0);
            }
        }
        // A chain that the 2-core removes one link at a time.
        b.add("x1", "y1", 1).add("x1", "y2", 1).add("x2", "y2", 1).add("x2", "y3", 1).add("x3", "y3", 1);
        b.add("u1", "y1", 7);
        RawData raw = b.build();
        for (PreprocessConfig config : List.of(PreprocessConfig.builder().core(2).build(),
                PreprocessConfig.builder().core(3).minRating(4).build())) {
            Dataset expected = new Preprocessor(config).process(raw);
            SparkData data = new SparkPreprocessor(config).process("ties", SparkPreprocessor.fromRaw(SPARK, raw));
            assertSameDataset(expected, data.toDataset());
            assertSameSplit(new LeaveOneOutProtocol().split(expected, 0),
                    SparkSplits.toSplit(SparkSplits.leaveOneOut(data), LeaveOneOutProtocol.NAME, expected.numItems()));
        }
    }

    @Test
    void nothingSurvivingIsAnError() {
        RawData raw = InteractionsBuilder.named("tiny").add("a", "b", 1).build();
        SparkPreprocessor p = new SparkPreprocessor(PreprocessConfig.defaults());
        assertThrows(IllegalArgumentException.class, () -> p.process("tiny", SparkPreprocessor.fromRaw(SPARK, raw)));
    }

    @Test
    void movieLensEqualsThePreprocessorAndTheProtocols() {
        Optional<Path> ml = DataPaths.dataset("ml-100k");
        assumeTrue(ml.isPresent(), "ml-100k not present");
        RawData raw = DatasetLoaders.load(ml.get(), DatasetFormat.MOVIELENS, LoadOptions.strict());
        PreprocessConfig config = PreprocessConfig.builder().core(5).minRating(3).build();
        Dataset expected = new Preprocessor(config).process(raw);
        SparkData data = new SparkPreprocessor(config).process("ml-100k", SparkPreprocessor.fromRaw(SPARK, raw));
        assertSameDataset(expected, data.toDataset());

        ComiRecProtocol java = ComiRecProtocol.defaults();
        ComiRecProtocol python = ComiRecProtocol.builder().shuffle(UserShuffle.CPYTHON).build();
        assertSameSplit(java.split(expected, 2024), SparkSplits.toSplit(
                SparkSplits.comiRec(data, java, 2024), ComiRecProtocol.NAME, expected.numItems()));
        assertSameSplit(python.split(expected, 1), SparkSplits.toSplit(
                SparkSplits.comiRec(data, python, 1), ComiRecProtocol.NAME, expected.numItems()));
        assertSameSplit(new LeaveOneOutProtocol().split(expected, 0),
                SparkSplits.toSplit(SparkSplits.leaveOneOut(data), LeaveOneOutProtocol.NAME, expected.numItems()));
    }

    /** The SDK's interactions.csv and Parquet, read by Spark's own readers, with the columns in another order. */
    @Test
    void csvAndParquetReadBySparkEqualThePreprocessor() throws IOException {
        Optional<Path> ml = DataPaths.dataset("ml-100k");
        assumeTrue(ml.isPresent(), "ml-100k not present");
        RawData movieLens = DatasetLoaders.load(ml.get(), DatasetFormat.MOVIELENS, LoadOptions.strict());
        Path dir = Files.createDirectories(tmp.resolve("csv"));
        try (Writer w = Files.newBufferedWriter(dir.resolve("interactions.csv"))) {
            w.write("timestamp,item,user,rating\n");
            List<Interaction> in = movieLens.interactions();
            for (int i = 0; i < in.size(); i++) {
                Interaction x = in.get(i);
                // Every tenth rating empty: "no rating", which the rating filter drops.
                w.write(x.timestamp() + "," + x.item() + "," + x.user() + "," + (i % 10 == 0 ? "" : (int) x.rating()) + "\n");
            }
        }
        RawData raw = DatasetLoaders.load(dir, DatasetFormat.CSV, LoadOptions.strict());
        PreprocessConfig config = PreprocessConfig.builder().core(5).minRating(2).build();
        Dataset expected = new Preprocessor(config).process(raw);
        SparkPreprocessor p = new SparkPreprocessor(config);
        assertSameDataset(expected, p.process("csv", SparkPreprocessor.readCsv(SPARK, dir.toString())).toDataset());

        String parquet = tmp.resolve("parquet").toString();
        SparkPreprocessor.readCsv(SPARK, dir.toString()).drop(SparkPreprocessor.ORDER).coalesce(1)
                .write().parquet(parquet);
        assertSameDataset(expected, p.process("parquet", SparkPreprocessor.readParquet(SPARK, parquet)).toDataset());
    }

    @Test
    void missingColumnIsNamed() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(dir.resolve("interactions.csv"), "user,item\na,b\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkPreprocessor.readCsv(SPARK, dir.toString()));
        assertEquals(true, e.getMessage().contains("timestamp"), e.getMessage());
    }

    @Test
    void comiRecRejectsShortSequences() {
        RawData raw = InteractionsBuilder.named("short").add("a", "x", 1).add("b", "x", 1).add("b", "y", 2).build();
        SparkData data = new SparkPreprocessor(PreprocessConfig.builder().core(1).build())
                .process("short", SparkPreprocessor.fromRaw(SPARK, raw));
        assertThrows(IllegalArgumentException.class, () -> SparkSplits.comiRec(data, ComiRecProtocol.defaults(), 1));
        List<Row> rows = data.sequences().collectAsList();
        assertEquals(2, rows.size());
    }
}
