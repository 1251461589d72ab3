package dev.eimf.spark.bench;

import static dev.eimf.bench.BenchArgs.integer;
import static org.apache.spark.sql.functions.col;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.eimf.backbone.BackboneConfig;
import dev.eimf.bench.BenchArgs;
import dev.eimf.bench.JsonOut;
import dev.eimf.bench.MemoryProbe;
import dev.eimf.data.DatasetFormat;
import dev.eimf.data.DatasetLoaders;
import dev.eimf.data.LoadOptions;
import dev.eimf.data.PreprocessConfig;
import dev.eimf.data.Preprocessor;
import dev.eimf.data.RawData;
import dev.eimf.eval.ComiRecProtocol;
import dev.eimf.eval.EvalCase;
import dev.eimf.eval.EvalConfig;
import dev.eimf.eval.Evaluator;
import dev.eimf.eval.MetricsResult;
import dev.eimf.eval.Split;
import dev.eimf.internal.synth.SyntheticConfig;
import dev.eimf.internal.synth.SyntheticGenerator;
import dev.eimf.internal.synth.WriteSummary;
import dev.eimf.model.InterestModel;
import dev.eimf.model.Recommendation;
import dev.eimf.model.RecommendRequest;
import dev.eimf.model.RecommendationList;
import dev.eimf.spark.SparkData;
import dev.eimf.spark.SparkEvaluator;
import dev.eimf.spark.SparkPreprocessor;
import dev.eimf.spark.SparkSplits;
import dev.eimf.spark.SparkTopN;
import dev.eimf.train.Trainer;
import dev.eimf.train.TrainerConfig;
import dev.eimf.train.TrainingResult;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark scale run: the same serving work done by {@code eimf-spark}'s jobs on a local Spark and by the SDK on
 * one machine, stage by stage, with wall time and peak memory of each stage.
 *
 * <p>A synthetic dataset from {@link SyntheticGenerator} (power-law popularity, users mixing planted topics, as
 * {@code dev.eimf.bench.ScaleRun}) is written as {@code DIR/data/interactions.csv} (the generator's
 * {@code items.csv} is removed, so both paths read the same file and know items by id only). A preparation
 * step loads it, splits it (ComiRec protocol), trains a small ComiRec-SA on the training users (no validation:
 * quality does not matter here, serving cost does) and saves it to {@code DIR/model}. Then both paths run, each
 * in a JVM of its own (started with this JVM's options and class path), so that neither's memory counts in the
 * other's figures:
 * <ul>
 *   <li><b>Spark</b> (master from {@code spark.master}, else {@code local[2]}; OpenMP one thread per task,
 *       {@code OMP_NUM_THREADS=1}): start the session; read the CSV and {@link SparkPreprocessor#process} (no
 *       rating filter, users 5-core, items not filtered, as ScaleRun does, so that the catalogue stays about as
 *       large as generated); {@link SparkSplits#comiRec} and write sequences, items and split as Parquet; read
 *       the split back and write the test users' interest vectors ({@link SparkTopN#interests}); the top-N of the
 *       first {@code --topn-users} users, whole sequence as history ({@link SparkTopN#topN}, written as Parquet);
 *       {@link SparkEvaluator} over the first {@code --eval-cases} test cases.</li>
 *   <li><b>Single machine</b> (OpenMP and the engine at their defaults): {@link DatasetLoaders} (strict) and
 *       {@link Preprocessor}; {@link ComiRecProtocol#split}; {@link InterestModel#load}; interest vectors of the
 *       test users ({@link InterestModel#interestsAll}, kept in memory); the top-N of the same users
 *       ({@link InterestModel#recommendAll} in batches of {@value #SINGLE_BATCH}, written as TSV);
 *       {@link Evaluator} over the same cases.</li>
 * </ul>
 * Both paths use the model saved by the preparation; the Spark path loads it on first use (its interests
 * stage), the single-machine path in a stage of its own. Per stage: wall time, the heap peak (sum of the heap
 * pools' peaks, reset at the start of the stage) and the process's peak resident set (VmHWM, reset through
 * {@code /proc/self/clear_refs}), measured by {@link MemoryProbe} as in ScaleRun. In {@code local[2]} the Spark
 * executors are threads of the driver, so the Spark figures are those of the whole local Spark. As a check, the
 * run compares the two paths' dataset sizes, metrics and the top-N of the first users. It prints a Markdown table
 * and writes JSON ({@code DIR/spark-scale-run.json}; each path's own JSON beside it).
 *
 * <p>This class is in {@code benchmarks} (which depends on {@code eimf-spark} with Spark {@code provided}) rather
 * than in {@code eimf-spark}: it uses the engine's internals ({@link SyntheticGenerator}) and the benchmarks'
 * {@link MemoryProbe}, and the library's jar and API documentation carry no measurement code. Run it with
 * {@code bin/eimf-spark-scale}, which builds {@code benchmarks} and runs it on {@code bin/eimf-spark}'s class path
 * and JVM flags, with {@code -Xmx12g} unless {@code EIMF_JAVA_OPTS} says otherwise:
 *
 * <pre>
 * bin/eimf-spark-scale --dir /tmp/eimf-spark-scale --users 10000 --items 20000 --interactions 100000
 * bin/eimf-spark-scale --dir /tmp/eimf-spark-scale-1m --users 100000 --items 1000000 --interactions 1000000 \
 *     --eval-cases 2000
 * </pre>
 * Options (defaults in brackets): {@code --dir} [/tmp/eimf-spark-scale], {@code --users} [100000],
 * {@code --items} [1000000], {@code --interactions} [1000000] (a target: the mean sequence length is
 * interactions / users, at least 5, the generator's shortest sequence, so the 5-core keeps every user),
 * {@code --topics} [200], {@code --popularity} Zipf exponent [0.7], {@code --noise} [0.05], {@code --seed} [42],
 * {@code --reuse} (keep the CSV and the model an earlier run with the same data and model options left in
 * DIR), {@code --dim} [32], {@code --interests} [4], {@code --maxlen} [20], {@code --steps} [300],
 * {@code --batch} [128], {@code --top} [50], {@code --topn-users} users given a top-N, the first by internal id,
 * 0 = all [0], {@code --eval-cases} test cases evaluated, the first in the protocol's order, 0 = all [0],
 * {@code --cutoffs} [20,50], {@code --item-blocks} Spark's catalogue blocks, 0 = one per 250,000 items [0],
 * {@code --paths} [spark,single], {@code --json} [DIR/spark-scale-run.json]. Spark settings go in as system
 * properties, e.g. {@code EIMF_JAVA_OPTS="-Xmx12g -Dspark.sql.shuffle.partitions=8"}; the master as
 * {@code --master} of the launcher.
 */
public final class SparkScaleRun {
    private static final int SINGLE_BATCH = 1024;
    /** Users whose top-N both paths report, to check that they agree. */
    private static final int SAMPLE_USERS = 20;
    private static final String NAME = "spark-scale";

    // Stage keys, in table order.
    private static final String SESSION = "session";
    private static final String PREPROCESS = "preprocess";
    private static final String SPLIT = "split";
    private static final String LOAD_MODEL = "load-model";
    private static final String INTERESTS = "interests";
    private static final String TOPN = "topn";
    private static final String EVALUATE = "evaluate";
    private static final List<String> STAGES = List.of(SESSION, PREPROCESS, SPLIT, LOAD_MODEL, INTERESTS, TOPN, EVALUATE);

    private SparkScaleRun() {
    }

    /** Parsed command line. */
    record Options(Path dir, int users, int items, long interactions, int topics, double popularity, double noise,
                   long seed, boolean reuse, int dim, int interests, int maxLen, int steps, int batch, int top,
                   int topnUsers, int evalCases, int[] cutoffs, int itemBlocks, List<String> paths, Path json,
                   String child) {

        static Options parse(String[] args) {
            Map<String, String> m = BenchArgs.parse(args, Set.of("reuse"),
                    List.of("dir", "users", "items", "interactions", "topics", "popularity", "noise",
                    "seed", "reuse", "dim", "interests", "maxlen", "steps", "batch", "top", "topn-users", "eval-cases",
                    "cutoffs", "item-blocks", "paths", "json", "child"));
            Path dir = Path.of(m.getOrDefault("dir", "/tmp/eimf-spark-scale")).toAbsolutePath();
            List<String> paths = Arrays.stream(m.getOrDefault("paths", "spark,single").split(",")).map(String::trim)
                    .toList();
            for (String p : paths) {
                if (!p.equals("spark") && !p.equals("single")) {
                    throw new IllegalArgumentException("--paths takes spark and/or single, got " + p);
                }
            }
            String child = m.get("child");
            if (child != null && !List.of("prepare", "spark", "single").contains(child)) {
                throw new IllegalArgumentException("--child takes prepare, spark or single, got " + child);
            }
            Options o = new Options(dir, integer(m, "users", 100_000), integer(m, "items", 1_000_000),
                    Long.parseLong(m.getOrDefault("interactions", "1000000").replace("_", "")),
                    integer(m, "topics", 200), Double.parseDouble(m.getOrDefault("popularity", "0.7")),
                    Double.parseDouble(m.getOrDefault("noise", "0.05")), Long.parseLong(m.getOrDefault("seed", "42")),
                    m.containsKey("reuse"), integer(m, "dim", 32), integer(m, "interests", 4),
                    integer(m, "maxlen", 20), integer(m, "steps", 300), integer(m, "batch", 128),
                    integer(m, "top", 50), integer(m, "topn-users", 0), integer(m, "eval-cases", 0),
                    Arrays.stream(m.getOrDefault("cutoffs", "20,50").split(",")).map(String::trim)
                            .mapToInt(Integer::parseInt).toArray(), integer(m, "item-blocks", 0), paths,
                    Path.of(m.getOrDefault("json", dir.resolve("spark-scale-run.json").toString())), child);
            if (o.steps < 1 || o.top < 1 || o.topnUsers < 0 || o.evalCases < 0 || o.itemBlocks < 0) {
                throw new IllegalArgumentException("--steps and --top must be positive; --topn-users, --eval-cases and"
                        + " --item-blocks at least 0");
            }
            return o;
        }

        SyntheticConfig synthetic() {
            return SyntheticConfig.builder().name(NAME).users(users).items(items).interactions(interactions)
                    .topics(topics).topicsPerUser(1, 3).popularityExponent(popularity).noise(noise).seed(seed).build();
        }

        /** What the files of the preparation depend on: --reuse refuses files made with other values. */
        String preparedKey() {
            return String.format(Locale.ROOT, "users=%d items=%d interactions=%d topics=%d popularity=%s noise=%s "
                            + "seed=%d dim=%d interests=%d maxlen=%d steps=%d batch=%d", users, items, interactions,
                    topics, popularity, noise, seed, dim, interests, maxLen, steps, batch);
        }

        Path data() { return dir.resolve("data"); }

        Path model() { return dir.resolve("model"); }

        Path childJson(String name) { return dir.resolve(name + ".json"); }
    }

    /** Users 5-core, items not filtered, no rating filter: the same for both paths. */
    private static PreprocessConfig preprocessConfig() {
        return PreprocessConfig.builder().noRatingFilter().userCore(5).itemCore(1).build();
    }

    /**
     * Runs the scale run.
     *
     * @param args see the class comment
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("SparkScaleRun: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (o.child != null) {
            Map<String, Object> report = switch (o.child) {
                case "prepare" -> prepare(o);
                case "spark" -> spark(o);
                default -> single(o);
            };
            Files.writeString(o.childJson(o.child), JsonOut.write(report), StandardCharsets.UTF_8);
            return;
        }
        Files.createDirectories(o.dir);
        long t0 = System.nanoTime();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("options", o);
        report.put("machine", machine());
        Map<String, Double> processWall = new LinkedHashMap<>();
        boolean prepared;
        try {
            prepared = prepared(o);
        } catch (IllegalArgumentException e) {
            System.err.println("SparkScaleRun: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (!prepared) {
            processWall.put("prepare", child(args, "prepare"));
        } else {
            System.out.println("reusing the data and the model in " + o.dir);
        }
        for (String p : o.paths) processWall.put(p, child(args, p));
        report.put("process_wall_s", processWall);
        report.put("load_end", loadAverage());
        JsonObject prep = read(o.childJson("prepare"));
        JsonObject spark = o.paths.contains("spark") ? read(o.childJson("spark")) : null;
        JsonObject single = o.paths.contains("single") ? read(o.childJson("single")) : null;
        report.put("prepare_json", o.childJson("prepare").toString());
        Map<String, Object> checks = checks(spark, single);
        report.put("checks", checks);
        String table = table(prep, spark, single, processWall);
        report.put("table", table);
        report.put("total_wall_s", (System.nanoTime() - t0) / 1e9);
        Files.createDirectories(o.json.toAbsolutePath().getParent());
        Files.writeString(o.json, JsonOut.write(report), StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(table);
        for (Map.Entry<String, Object> e : checks.entrySet()) System.out.println(e.getKey() + ": " + e.getValue());
        System.out.printf(Locale.ROOT, "total %.1f s; JSON: %s%n", (System.nanoTime() - t0) / 1e9, o.json);
    }

    /** Whether --reuse finds the files of a preparation with the same options. */
    private static boolean prepared(Options o) throws IOException {
        if (!o.reuse) return false;
        Path json = o.childJson("prepare");
        if (!Files.isRegularFile(json) || !Files.isRegularFile(o.data().resolve("interactions.csv"))
                || !Files.isDirectory(o.model())) {
            return false;
        }
        String key = read(json).get("prepared_key").getAsString();
        if (!key.equals(o.preparedKey())) {
            throw new IllegalArgumentException("--reuse: " + o.dir + " holds a run with " + key + ", not "
                    + o.preparedKey() + "; drop --reuse or use another --dir");
        }
        return true;
    }

    /**
     * Runs one step in a JVM of its own with this JVM's options and class path; returns its wall time in seconds.
     * The Spark path gets one OpenMP thread per task, as {@code bin/eimf-spark} sets it; the single-machine path
     * OpenMP's default, as the {@code eimf} command runs.
     */
    private static double child(String[] args, String step) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(SparkScaleRun.class.getName());
        cmd.addAll(Arrays.asList(args));
        cmd.add("--child");
        cmd.add(step);
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        if (step.equals("spark")) {
            pb.environment().put("OMP_NUM_THREADS", "1");
        } else {
            pb.environment().remove("OMP_NUM_THREADS");
        }
        System.out.println("== " + step + " (own JVM)");
        long t0 = System.nanoTime();
        int rc = pb.start().waitFor();
        double s = (System.nanoTime() - t0) / 1e9;
        if (rc != 0) throw new IllegalStateException("step " + step + " failed with exit code " + rc);
        System.out.printf(Locale.ROOT, "== %s: %.1f s%n", step, s);
        return s;
    }

    // ---------------------------------------------------------------- preparation

    private static Map<String, Object> prepare(Options o) throws IOException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("prepared_key", o.preparedKey());
        Map<String, Object> stages = new LinkedHashMap<>();
        report.put("stages", stages);
        try (MemoryProbe probe = new MemoryProbe(100)) {
            probe.start("generate interactions.csv");
            WriteSummary ws = new SyntheticGenerator(o.synthetic()).write(o.data(), DatasetFormat.CSV);
            // Both paths read interactions.csv alone: Spark's reader does not read item files.
            Files.deleteIfExists(o.data().resolve("items.csv"));
            stages.put("generate", log(probe.end()));
            report.put("written_interactions", ws.interactions());
            report.put("csv_mb", Files.size(o.data().resolve("interactions.csv")) / (double) (1 << 20));

            probe.start("load + preprocess + split");
            RawData raw = DatasetLoaders.load(o.data(), DatasetFormat.CSV, LoadOptions.strict());
            dev.eimf.data.Dataset ds = new Preprocessor(preprocessConfig()).process(raw);
            raw = null;
            Split split = ComiRecProtocol.defaults().split(ds, o.seed);
            stages.put("load", log(probe.end(ds, split)));
            System.out.printf(Locale.ROOT, "dataset: %,d users, %,d items, %,d interactions; %,d training users, "
                            + "%,d test cases%n", ds.numUsers(), ds.numItems(), ds.numInteractions(), split.train().length,
                    split.test().size());
            report.put("users", ds.numUsers());
            report.put("items", ds.numItems());
            report.put("interactions", ds.numInteractions());
            report.put("train_users", split.train().length);
            report.put("test_cases", split.test().size());

            probe.start("train ComiRec-SA, " + o.steps + " steps");
            BackboneConfig sa = BackboneConfig.builder(BackboneConfig.COMIREC_SA).dim(o.dim).interests(o.interests)
                    .maxLen(o.maxLen).build();
            TrainerConfig tc = TrainerConfig.builder(sa).maxSteps(o.steps).batchSize(o.batch).evalEvery(0)
                    .seed(o.seed).build();
            // No validation: the model only has to exist; its quality is not what is measured.
            Split trainOnly = new Split(split.protocol(), split.numItems(), split.trainUsers(), split.train(),
                    List.of(), List.of());
            TrainingResult r = new Trainer(tc).train(ds, trainOnly);
            r.model().save(o.model());
            stages.put("train", log(probe.end()));
            report.put("model", o.model().toString());
            report.put("model_config", String.format(Locale.ROOT, "ComiRec-SA d=%d K=%d T=%d, %d steps of %d users",
                    o.dim, o.interests, o.maxLen, o.steps, o.batch));
        }
        return report;
    }

    // ---------------------------------------------------------------- Spark

    private static Map<String, Object> spark(Options o) {
        Map<String, Object> report = new LinkedHashMap<>();
        Map<String, Object> stages = new LinkedHashMap<>();
        report.put("path", "spark");
        report.put("stages", stages);
        String out = o.dir.resolve("spark-out").toString();
        String model = o.model().toString();
        try (MemoryProbe probe = new MemoryProbe(100)) {
            report.put("vmhwm_reset_per_stage", probe.hwmPerPhase());
            probe.start("start the Spark session");
            SparkSession.Builder b = SparkSession.builder().appName("SparkScaleRun").config("spark.log.level", "WARN")
                    // Loopback only: the run must not depend on the machine's network or host name.
                    .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1");
            if (!new SparkConf().contains("spark.master")) b.master("local[2]");
            SparkSession spark = b.getOrCreate();
            stages.put(SESSION, log(probe.end()));
            report.put("master", spark.sparkContext().master());
            try {
                probe.start("read CSV + preprocess");
                SparkData data = new SparkPreprocessor(preprocessConfig())
                        .process(NAME, SparkPreprocessor.readCsv(spark, o.data().toString()));
                stages.put(PREPROCESS, log(probe.end()));
                report.put("users", data.numUsers());
                report.put("items", data.numItems());

                probe.start("ComiRec split + write Parquet (sequences, items, split)");
                data.sequences().write().mode(SaveMode.Overwrite).parquet(out + "/sequences");
                data.items().write().mode(SaveMode.Overwrite).parquet(out + "/items");
                SparkSplits.comiRec(data, ComiRecProtocol.defaults(), o.seed).write().mode(SaveMode.Overwrite)
                        .parquet(out + "/split");
                stages.put(SPLIT, log(probe.end()));

                int blocks = o.itemBlocks > 0 ? o.itemBlocks : (int) Math.max(1, (data.numItems() + 249_999) / 250_000);
                report.put("item_blocks", blocks);
                Dataset<Row> split = spark.read().parquet(out + "/split");
                Dataset<Row> test = SparkSplits.cases(split, SparkSplits.TEST);
                report.put("test_cases", test.count());

                probe.start("interest vectors of the test users (write Parquet)");
                new SparkTopN(spark, model, blocks, true).interests(test.select("user", "history"))
                        .write().mode(SaveMode.Overwrite).parquet(out + "/interests");
                stages.put(INTERESTS, log(probe.end()));

                long topnUsers = o.topnUsers == 0 ? data.numUsers() : Math.min(o.topnUsers, data.numUsers());
                report.put("topn_users", topnUsers);
                report.put("top", o.top);
                Dataset<Row> users = spark.read().parquet(out + "/sequences").filter(col("user").lt(topnUsers))
                        .select(col("user"), col("items").as("history"));
                probe.start("top-" + o.top + " (write Parquet)");
                new SparkTopN(spark, model, blocks, true).topN(users, o.top).write().mode(SaveMode.Overwrite)
                        .parquet(out + "/topn");
                stages.put(TOPN, log(probe.end()));

                Dataset<Row> cases = o.evalCases == 0 ? test : split.filter(col("part").equalTo(SparkSplits.TEST))
                        .orderBy("pos").limit(o.evalCases).select("user", "history", "targets");
                probe.start("evaluate (SparkEvaluator)");
                MetricsResult m = new SparkEvaluator(spark, EvalConfig.builder().cutoffs(o.cutoffs).build(), blocks)
                        .evaluate(model, cases);
                stages.put(EVALUATE, log(probe.end()));
                System.out.println("spark: " + m);
                report.put("eval_cases", m.users());
                report.put("metrics", m.values());

                Map<String, List<String>> sample = new TreeMap<>();
                List<Row> rows = new ArrayList<>(spark.read().parquet(out + "/topn")
                        .filter(col("user").lt(SAMPLE_USERS)).collectAsList());
                rows.sort((x, y) -> x.getInt(0) != y.getInt(0) ? Integer.compare(x.getInt(0), y.getInt(0))
                        : Integer.compare(x.getInt(1), y.getInt(1)));
                for (Row r : rows) sample.computeIfAbsent(Integer.toString(r.getInt(0)), u -> new ArrayList<>())
                        .add(r.getString(2));
                report.put("topn_sample", sample);
            } finally {
                spark.stop();
            }
        }
        return report;
    }

    // ---------------------------------------------------------------- single machine

    private static Map<String, Object> single(Options o) throws IOException {
        Map<String, Object> report = new LinkedHashMap<>();
        Map<String, Object> stages = new LinkedHashMap<>();
        report.put("path", "single");
        report.put("stages", stages);
        Path out = o.dir.resolve("single-out");
        Files.createDirectories(out);
        try (MemoryProbe probe = new MemoryProbe(100)) {
            report.put("vmhwm_reset_per_stage", probe.hwmPerPhase());
            probe.start("read CSV + preprocess");
            RawData raw = DatasetLoaders.load(o.data(), DatasetFormat.CSV, LoadOptions.strict());
            dev.eimf.data.Dataset ds = new Preprocessor(preprocessConfig()).process(raw);
            raw = null; // what a user keeps from here on
            stages.put(PREPROCESS, log(probe.end(ds)));
            report.put("users", ds.numUsers());
            report.put("items", ds.numItems());

            probe.start("ComiRec split");
            Split split = ComiRecProtocol.defaults().split(ds, o.seed);
            stages.put(SPLIT, log(probe.end(ds, split)));
            report.put("test_cases", split.test().size());

            probe.start("load model");
            InterestModel model = InterestModel.load(o.model());
            stages.put(LOAD_MODEL, log(probe.end(ds, split, model)));

            probe.start("interest vectors of the test users (in memory)");
            List<EvalCase> test = split.test();
            List<float[][]> vectors = new ArrayList<>(test.size());
            for (int from = 0; from < test.size(); from += SINGLE_BATCH) {
                List<List<String>> histories = new ArrayList<>();
                for (EvalCase c : test.subList(from, Math.min(test.size(), from + SINGLE_BATCH))) {
                    histories.add(externals(model, c.history()));
                }
                vectors.addAll(model.interestsAll(histories));
            }
            stages.put(INTERESTS, log(probe.end(ds, split, model, vectors)));
            vectors = null;

            int topnUsers = o.topnUsers == 0 ? ds.numUsers() : Math.min(o.topnUsers, ds.numUsers());
            report.put("topn_users", topnUsers);
            report.put("top", o.top);
            Map<String, List<String>> sample = new TreeMap<>();
            probe.start("top-" + o.top + " (recommendAll, write TSV)");
            try (BufferedWriter w = Files.newBufferedWriter(out.resolve("topn.tsv"), StandardCharsets.UTF_8)) {
                for (int from = 0; from < topnUsers; from += SINGLE_BATCH) {
                    int to = Math.min(topnUsers, from + SINGLE_BATCH);
                    List<RecommendRequest> requests = new ArrayList<>(to - from);
                    for (int u = from; u < to; u++) {
                        requests.add(RecommendRequest.of(externals(model, ds.sequence(u)), o.top));
                    }
                    List<RecommendationList> lists = model.recommendAll(requests);
                    for (int i = 0; i < lists.size(); i++) {
                        int u = from + i;
                        List<String> items = lists.get(i).items().stream().map(Recommendation::itemId).toList();
                        w.append(Integer.toString(u)).append('\t').append(String.join(",", items)).append('\n');
                        if (u < SAMPLE_USERS) sample.put(Integer.toString(u), items);
                    }
                }
            }
            stages.put(TOPN, log(probe.end(ds, split, model)));

            List<EvalCase> cases = o.evalCases == 0 ? test : test.subList(0, Math.min(o.evalCases, test.size()));
            probe.start("evaluate (Evaluator)");
            MetricsResult m = new Evaluator(EvalConfig.builder().cutoffs(o.cutoffs).build())
                    .evaluate(model, ds.numItems(), cases);
            stages.put(EVALUATE, log(probe.end(ds, split, model)));
            System.out.println("single: " + m);
            report.put("eval_cases", m.users());
            report.put("metrics", m.values());
            report.put("topn_sample", sample);
        }
        return report;
    }

    private static List<String> externals(InterestModel model, int[] ids) {
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) out.add(model.catalog().externalId(id));
        return out;
    }

    // ---------------------------------------------------------------- report

    /** The two paths against each other: sizes, metrics (within 1e-3, as the tests hold them) and sample lists. */
    private static Map<String, Object> checks(JsonObject spark, JsonObject single) {
        Map<String, Object> c = new LinkedHashMap<>();
        if (spark == null || single == null) return c;
        for (String k : List.of("users", "items", "test_cases", "topn_users", "eval_cases")) {
            c.put(k, spark.get(k).getAsLong() == single.get(k).getAsLong() ? "equal (" + single.get(k) + ")"
                    : "DIFFER: spark " + spark.get(k) + ", single " + single.get(k));
        }
        double worst = 0;
        for (Map.Entry<String, JsonElement> e : single.getAsJsonObject("metrics").entrySet()) {
            worst = Math.max(worst, Math.abs(e.getValue().getAsDouble()
                    - spark.getAsJsonObject("metrics").get(e.getKey()).getAsDouble()));
        }
        c.put("metrics", String.format(Locale.ROOT, "largest difference %.2g (%s)", worst,
                worst <= 1e-3 ? "within 1e-3" : "MORE than 1e-3"));
        c.put("metrics_single", single.get("metrics").toString());
        c.put("metrics_spark", spark.get("metrics").toString());
        JsonObject a = single.getAsJsonObject("topn_sample");
        JsonObject b = spark.getAsJsonObject("topn_sample");
        int same = 0;
        for (String u : a.keySet()) if (a.get(u).equals(b.get(u))) same++;
        c.put("topn_sample", same + " of " + a.size() + " users' lists identical"
                + (same == a.size() ? "" : " (items whose scores tie within float rounding may swap)"));
        return c;
    }

    private static String table(JsonObject prep, JsonObject spark, JsonObject single, Map<String, Double> wall) {
        StringBuilder sb = new StringBuilder();
        JsonObject any = single != null ? single : spark;
        sb.append(String.format(Locale.ROOT, "dataset: %,d users, %,d items, %,d interactions (CSV %.1f MB), "
                        + "%,d test cases; model %s%n%n", prep.get("users").getAsLong(), prep.get("items").getAsLong(),
                prep.get("interactions").getAsLong(), prep.get("csv_mb").getAsDouble(),
                prep.get("test_cases").getAsLong(), prep.get("model_config").getAsString()));
        if (any == null) return sb.toString();
        sb.append("| stage | Spark wall s | Spark heap peak MB | Spark VmHWM MB | single wall s | single heap peak MB |"
                + " single VmHWM MB |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (String k : STAGES) {
            JsonObject s = stage(spark, k);
            JsonObject m = stage(single, k);
            if (s == null && m == null) continue;
            sb.append("| ").append(label(k, any)).append(" | ").append(cells(s)).append(" | ").append(cells(m))
                    .append(" |\n");
        }
        sb.append(String.format(Locale.ROOT, "| whole JVM, start to exit | %s | | | %s | | |%n",
                wall.containsKey("spark") ? String.format(Locale.ROOT, "%.1f", wall.get("spark")) : "-",
                wall.containsKey("single") ? String.format(Locale.ROOT, "%.1f", wall.get("single")) : "-"));
        return sb.toString();
    }

    /** The table's name of a stage; each path's own name of it is in its JSON. */
    private static String label(String key, JsonObject path) {
        return switch (key) {
            case SESSION -> "start the Spark session";
            case PREPROCESS -> "read CSV + preprocess (users 5-core)";
            case SPLIT -> "ComiRec split (Spark: + write sequences, items, split as Parquet)";
            case LOAD_MODEL -> "load the model (Spark: in its first job, the next stage)";
            case INTERESTS -> String.format(Locale.ROOT, "interest vectors of the %,d test users (Spark: write Parquet)",
                    path.get("test_cases").getAsLong());
            case TOPN -> String.format(Locale.ROOT, "top-%s of %,d users (Spark: write Parquet; single: TSV)",
                    path.get("top").getAsString(), path.get("topn_users").getAsLong());
            case EVALUATE -> String.format(Locale.ROOT, "evaluate %,d test cases (Recall, NDCG, HitRate)",
                    path.get("eval_cases").getAsLong());
            default -> key;
        };
    }

    private static JsonObject stage(JsonObject path, String key) {
        if (path == null || !path.getAsJsonObject("stages").has(key)) return null;
        return path.getAsJsonObject("stages").getAsJsonObject(key);
    }

    private static String cells(JsonObject p) {
        if (p == null) return "- | - | -";
        return String.format(Locale.ROOT, "%.1f | %,.0f | %,.0f", p.get("wallSeconds").getAsDouble(),
                p.get("heapPoolPeakMb").getAsDouble(), p.get("rssPeakMb").getAsDouble());
    }

    private static JsonObject read(Path json) {
        try {
            return JsonParser.parseString(Files.readString(json, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + json, e);
        }
    }

    private static MemoryProbe.Phase log(MemoryProbe.Phase p) {
        System.out.printf(Locale.ROOT, "%-56s %8.1f s wall %8.1f s cpu  heap peak %,7.0f MB  VmHWM %,7.0f MB  load %.1f-%.1f%n",
                p.name(), p.wallSeconds(), p.cpuSeconds(), p.heapPoolPeakMb(), p.rssPeakMb(), p.loadStart(), p.loadEnd());
        return p;
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("cpu_model", firstLine(Path.of("/proc/cpuinfo"), "model name"));
        m.put("mem_total", firstLine(Path.of("/proc/meminfo"), "MemTotal"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("jvm_args", ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("--add-opens")).toList());
        m.put("load_start", loadAverage());
        return m;
    }

    private static String firstLine(Path file, String prefix) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix)).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
