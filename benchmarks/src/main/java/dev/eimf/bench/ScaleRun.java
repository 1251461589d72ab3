package dev.eimf.bench;

import static dev.eimf.bench.BenchArgs.integer;

import dev.eimf.data.Dataset;
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
import dev.eimf.eval.MostPopular;
import dev.eimf.eval.Split;
import dev.eimf.internal.ibim.EncoderConfig;
import dev.eimf.internal.ibim.EncoderType;
import dev.eimf.internal.ibim.Encoders;
import dev.eimf.internal.serve.ExactItemIndex;
import dev.eimf.internal.serve.HnswItemIndex;
import dev.eimf.internal.serve.ItemIndex;
import dev.eimf.internal.serve.ScoredItem;
import dev.eimf.internal.synth.SyntheticConfig;
import dev.eimf.internal.synth.SyntheticDataset;
import dev.eimf.internal.synth.SyntheticGenerator;
import dev.eimf.internal.synth.WriteSummary;
import dev.eimf.internal.train.Progress;
import dev.eimf.internal.train.TrainedModel;
import dev.eimf.internal.train.Trainer;
import dev.eimf.internal.train.TrainerConfig;
import dev.eimf.internal.train.TrainingResult;
import java.io.IOException;
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
import java.util.function.IntPredicate;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The scale run: generate a synthetic dataset of millions of interactions over a million items, load it back
 * as a user would, split it with the ComiRec protocol, train ComiRec-SA for a fixed number of steps, and serve
 * top-50 retrieval over the whole catalogue. Reports time and memory per phase, time per 1000 training steps
 * and retrieval latency, as a table on standard output and as JSON.
 *
 * <pre>
 * java -Xmx8g -cp benchmarks/target/benchmarks.jar dev.eimf.bench.ScaleRun --dir /tmp/eimf-scale [options]
 * </pre>
 * Options (defaults in brackets): {@code --users} [500000], {@code --items} [1000000], {@code --interactions}
 * [10000000], {@code --topics} [200], {@code --topics-per-user MIN-MAX} [1-3], {@code --popularity} Zipf
 * exponent [0.7], {@code --noise} [0.05], {@code --seed} [42], {@code --format} CSV|RECBOLE|MOVIELENS [CSV],
 * {@code --in-memory} (generate in memory, no files), {@code --reuse} (load files an earlier run wrote to
 * {@code --dir}), {@code --steps} [2000], {@code --batch} [128], {@code --dim} [64], {@code --interests} [4],
 * {@code --maxlen} [20], {@code --threads} [available processors], {@code --valid-users} users of the
 * validation set scored after training, 0 = none [1000], {@code --queries} single-user queries [200],
 * {@code --batch-users} [1000], {@code --batch-repeats} [3], {@code --chunk-users} users per matrix product of
 * the batch query [0 = the index's default], {@code --top} [50], {@code --hnsw} (also measure
 * {@link HnswItemIndex}: build time and memory, recall@top against exact, latency), {@code --hnsw-m} [32],
 * {@code --hnsw-efc} [100], {@code --hnsw-ef} query beam widths [50,100,200], {@code --hnsw-threads} build
 * threads [available processors], {@code --json} [DIR/scale-run.json].
 *
 * <p>The item k-core is off (users keep the 5-core): a 5-core on a power-law catalogue removes the long tail,
 * and the point of the run is a catalogue of about a million items.
 */
public final class ScaleRun {
    private ScaleRun() {
    }

    /** Parsed command line. */
    record Options(Path dir, DatasetFormat format, boolean inMemory, boolean reuse, int users, int items,
                   long interactions, int topics, int minTopics, int maxTopics, double popularity, double noise,
                   long seed, int steps, int batch, int dim, int interests, int maxLen, int threads, int validUsers,
                   int queries, int batchUsers, int batchRepeats, int chunkUsers, int top, boolean hnsw, int hnswM,
                   int hnswEfc, int[] hnswEf, int hnswThreads, Path json) {

        static Options parse(String[] args) {
            Map<String, String> m = BenchArgs.parse(args, Set.of("in-memory", "reuse", "hnsw"),
                    List.of("dir", "format", "in-memory", "reuse", "users", "items", "interactions",
                    "topics", "topics-per-user", "popularity", "noise", "seed", "steps", "batch", "dim", "interests",
                    "maxlen", "threads", "valid-users", "queries", "batch-users", "batch-repeats", "chunk-users",
                    "top", "hnsw", "hnsw-m", "hnsw-efc", "hnsw-ef", "hnsw-threads", "json"));
            Path dir = Path.of(m.getOrDefault("dir", "/tmp/eimf-scale"));
            String[] tpu = m.getOrDefault("topics-per-user", "1-3").split("-");
            if (tpu.length != 2) throw new IllegalArgumentException("--topics-per-user wants MIN-MAX, e.g. 1-3");
            Options o = new Options(dir, DatasetFormat.valueOf(m.getOrDefault("format", "CSV").toUpperCase(Locale.ROOT)),
                    m.containsKey("in-memory"), m.containsKey("reuse"), integer(m, "users", 500_000),
                    integer(m, "items", 1_000_000), Long.parseLong(m.getOrDefault("interactions", "10000000")),
                    integer(m, "topics", 200), Integer.parseInt(tpu[0]), Integer.parseInt(tpu[1]),
                    Double.parseDouble(m.getOrDefault("popularity", "0.7")),
                    Double.parseDouble(m.getOrDefault("noise", "0.05")), Long.parseLong(m.getOrDefault("seed", "42")),
                    integer(m, "steps", 2000), integer(m, "batch", 128), integer(m, "dim", 64),
                    integer(m, "interests", 4), integer(m, "maxlen", 20),
                    integer(m, "threads", Runtime.getRuntime().availableProcessors()), integer(m, "valid-users", 1000),
                    integer(m, "queries", 200), integer(m, "batch-users", 1000), integer(m, "batch-repeats", 3),
                    integer(m, "chunk-users", 0), integer(m, "top", 50), m.containsKey("hnsw"),
                    integer(m, "hnsw-m", 32), integer(m, "hnsw-efc", 100),
                    Arrays.stream(m.getOrDefault("hnsw-ef", "50,100,200").split(",")).mapToInt(Integer::parseInt)
                            .toArray(), integer(m, "hnsw-threads", Runtime.getRuntime().availableProcessors()),
                    Path.of(m.getOrDefault("json", dir.resolve("scale-run.json").toString())));
            if (o.inMemory && o.reuse) throw new IllegalArgumentException("--in-memory and --reuse exclude each other");
            if (o.steps < 1 || o.queries < 1 || o.batchUsers < 1 || o.batchRepeats < 1 || o.top < 1) {
                throw new IllegalArgumentException("--steps, --queries, --batch-users, --batch-repeats and --top must"
                        + " be positive");
            }
            return o;
        }

        SyntheticConfig synthetic() {
            return SyntheticConfig.builder().name("scale").users(users).items(items).interactions(interactions)
                    .topics(topics).topicsPerUser(minTopics, maxTopics).popularityExponent(popularity).noise(noise)
                    .seed(seed).build();
        }
    }

    /**
     * Runs the scale run.
     *
     * @param args see the class comment
     */
    public static void main(String[] args) throws IOException {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ScaleRun: " + e.getMessage());
            System.exit(2);
            return;
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("options", o);
        report.put("machine", machine());
        List<MemoryProbe.Phase> phases = new ArrayList<>();
        report.put("phases", phases);
        Map<String, Object> figures = new LinkedHashMap<>();
        report.put("figures", figures);

        try (MemoryProbe probe = new MemoryProbe(100)) {
            figures.put("vmhwm_reset_per_phase", probe.hwmPerPhase());
            SyntheticConfig sc = o.synthetic();
            RawData raw;
            if (o.inMemory) {
                probe.start("generate (in memory)");
                SyntheticDataset ds = SyntheticGenerator.generate(sc);
                raw = ds.data();
                phases.add(log(probe.end(raw)));
            } else {
                if (!o.reuse) {
                    probe.start("generate (write " + o.format + ")");
                    WriteSummary ws = new SyntheticGenerator(sc).write(o.dir, o.format);
                    phases.add(log(probe.end()));
                    long bytes = 0;
                    for (Path f : ws.files()) bytes += Files.size(f);
                    figures.put("files", ws.files().stream().map(Path::toString).toList());
                    figures.put("file_mb", bytes / (double) (1 << 20));
                    figures.put("written_interactions", ws.interactions());
                }
                probe.start("load (DatasetLoaders, strict)");
                raw = DatasetLoaders.load(o.dir, o.format, LoadOptions.strict());
                phases.add(log(probe.end(raw)));
            }
            figures.put("raw_interactions", raw.interactions().size());

            probe.start("preprocess + ComiRec split");
            Dataset dataset = new Preprocessor(PreprocessConfig.builder().userCore(5).itemCore(1).build()).process(raw);
            raw = null; // what a user keeps from here on: the dataset (catalogue) and the split
            Split split = ComiRecProtocol.defaults().split(dataset, o.seed);
            phases.add(log(probe.end(dataset, split)));
            figures.put("users", dataset.numUsers());
            figures.put("items", dataset.numItems());
            figures.put("interactions", dataset.numInteractions());
            figures.put("train_users", split.train().length);
            System.out.printf(Locale.ROOT, "dataset: %,d users, %,d items, %,d interactions; %,d training users%n",
                    dataset.numUsers(), dataset.numItems(), dataset.numInteractions(), split.train().length);

            EncoderConfig ec = EncoderConfig.builder(EncoderType.SA).dim(o.dim).numInterests(o.interests)
                    .maxLen(o.maxLen).build();
            TrainerConfig tc = TrainerConfig.builder(rng -> Encoders.create(ec, rng)).batchSize(o.batch)
                    .maxSteps(o.steps).evalEvery(0).logEvery(100).seed(o.seed).threads(o.threads).build();
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            List<Map<String, Object>> intervals = new ArrayList<>();
            long[] lastCpu = {os.getProcessCpuTime()};
            long[] lastWall = {System.nanoTime()};
            probe.start("train ComiRec-SA");
            TrainingResult res = new Trainer(tc).train(split, p -> {
                long cpu = os.getProcessCpuTime();
                long wall = System.nanoTime();
                intervals.add(interval(p, (cpu - lastCpu[0]) / 1e9, (wall - lastWall[0]) / 1e9));
                lastCpu[0] = cpu;
                lastWall[0] = wall;
                System.out.printf(Locale.ROOT, "  step %,6d  loss %.4f  %.1f steps/s  load %.1f%n", p.step(), p.loss(),
                        p.stepsPerSecond(), os.getSystemLoadAverage());
            });
            MemoryProbe.Phase train = probe.end(res);
            phases.add(log(train));
            TrainedModel model = res.model();
            figures.put("train_steps", res.steps());
            figures.put("train_seconds_per_1000_steps", res.secondsPer1000Steps());
            figures.put("train_cpu_seconds_per_1000_steps", train.cpuSeconds() * 1000 / res.steps());
            figures.put("train_seconds_per_1000_steps_after_200", steadyRate(intervals, "wall_s"));
            figures.put("train_cpu_seconds_per_1000_steps_after_200", steadyRate(intervals, "cpu_s"));
            figures.put("train_final_loss", res.finalLoss());
            figures.put("train_intervals", intervals);

            if (o.validUsers > 0) {
                probe.start("validate (" + o.validUsers + " users, full ranking)");
                List<EvalCase> cases = split.valid().subList(0, Math.min(o.validUsers, split.valid().size()));
                // Small scoring batches: a batch holds one float row per item per user (4 MB each at 1M items).
                Evaluator ev = new Evaluator(EvalConfig.builder().batchSize(16).build());
                MetricsResult m = ev.evaluate(model, split.numItems(), cases);
                MetricsResult pop = ev.evaluate(MostPopular.fit(split), split.numItems(), cases);
                phases.add(log(probe.end(model)));
                figures.put("valid_users", cases.size());
                figures.put("valid_recall@50", m.recall(50));
                figures.put("valid_ndcg@50", m.ndcg(50));
                figures.put("valid_recall@50_most_popular", pop.recall(50));
                System.out.printf(Locale.ROOT, "validation on %d users: recall@50 %.4f (most popular %.4f)%n",
                        cases.size(), m.recall(50), pop.recall(50));
            }

            probe.start("build ExactItemIndex from the INDArray table");
            ExactItemIndex index = exactBuilder(ExactItemIndex.builder(model.itemTable()), o).build();
            phases.add(log(probe.end(index)));
            // The same index from a float[][] filled by one bulk copy of the table, to tell the cost of
            // ExactItemIndex itself from that of the INDArray-to-float[][] conversion in builder(INDArray).
            probe.start("build ExactItemIndex from float[][] (bulk copy)");
            ExactItemIndex bulk = exactBuilder(ExactItemIndex.builder(rows(model.itemTable())), o).build();
            phases.add(log(probe.end(bulk)));
            bulk = null;

            int warm = Math.min(20, o.queries);
            List<EvalCase> test = split.test();
            int needed = Math.max(warm + o.queries, o.batchUsers);
            if (test.size() < needed) {
                throw new IllegalStateException("need " + needed + " test users, the split has " + test.size());
            }
            int[][] histories = new int[needed][];
            for (int i = 0; i < needed; i++) histories[i] = test.get(i).history();

            probe.start("encode " + needed + " users (batch forward)");
            float[][][] interests = interests(model, histories);
            MemoryProbe.Phase enc = probe.end((Object) interests);
            phases.add(log(enc));
            figures.put("encode_ms_per_user_batched", enc.wallSeconds() * 1000 / needed);

            long[] encodeOne = new long[o.queries];
            for (int i = 0; i < warm + o.queries; i++) {
                long t0 = System.nanoTime();
                interests(model, new int[][] {histories[i]});
                if (i >= warm) encodeOne[i - warm] = System.nanoTime() - t0;
            }
            figures.put("encode_single_user_ms", percentiles(encodeOne));

            IntPredicate[] seen = new IntPredicate[needed];
            for (int u = 0; u < needed; u++) seen[u] = seen(histories[u]);
            Queries queries = new Queries(interests, seen, warm, o.queries, o.batchUsers, o.top);
            double flop = 2.0 * o.interests * o.dim * (double) dataset.numItems();

            probe.start("exact top-" + o.top + ", single users (" + o.queries + " + " + warm + " warm-up)");
            List<List<ScoredItem>> exact = queries.single(index);
            phases.add(log(probe.end(index)));
            Map<String, Object> single = percentiles(queries.latencies);
            figures.put("exact_single_user_ms", single);
            figures.put("exact_single_user_gflops_at_p50", flop / ((Double) single.get("p50") * 1e6));

            probe.start("exact top-" + o.top + ", batch of " + o.batchUsers + " users x " + o.batchRepeats);
            Map<String, Object> b = percentiles(queries.batch(index, o.batchRepeats));
            phases.add(log(probe.end(index)));
            figures.put("exact_batch_ms", b);
            figures.put("exact_batch_ms_per_user_at_p50", (Double) b.get("p50") / o.batchUsers);
            figures.put("exact_batch_gflops_at_p50", flop * o.batchUsers / ((Double) b.get("p50") * 1e6));
            long checksum = exact.get(0).get(0).itemId();

            if (o.hnsw) {
                index = null; // the graph needs the room more than the exact index
                probe.start("build HnswItemIndex (M " + o.hnswM + ", efConstruction " + o.hnswEfc + ", "
                        + o.hnswThreads + " threads)");
                HnswItemIndex hnsw = HnswItemIndex.builder(rows(model.itemTable())).m(o.hnswM)
                        .efConstruction(o.hnswEfc).threads(o.hnswThreads).seed(o.seed).build();
                phases.add(log(probe.end(hnsw)));
                List<Map<String, Object>> efRows = new ArrayList<>();
                for (int ef : o.hnswEf) {
                    HnswItemIndex h = hnsw.withEf(ef);
                    probe.start("HNSW ef " + ef + ": single users, then batch of " + o.batchUsers);
                    List<List<ScoredItem>> approx = queries.single(h);
                    Map<String, Object> lat = percentiles(queries.latencies);
                    Map<String, Object> hb = percentiles(queries.batch(h, 1));
                    phases.add(log(probe.end(h)));
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("ef", ef);
                    row.put("recall@" + o.top + "_vs_exact", recall(approx, exact, warm));
                    row.put("single_user_ms", lat);
                    row.put("batch_ms", hb.get("p50"));
                    row.put("batch_ms_per_user", (Double) hb.get("p50") / o.batchUsers);
                    efRows.add(row);
                    System.out.printf(Locale.ROOT, "HNSW ef %d: recall@%d %.4f, p50 %.3f ms, p99 %.3f ms%n", ef, o.top,
                            (Double) row.get("recall@" + o.top + "_vs_exact"), (Double) lat.get("p50"),
                            (Double) lat.get("p99"));
                }
                figures.put("hnsw", efRows);
            } else {
                figures.put("hnsw", "not run (add --hnsw; the graph build takes tens of minutes on 2 cores)");
            }
            figures.put("checksum", checksum);
            figures.put("peak_heap_mb_pools", phases.stream().mapToDouble(MemoryProbe.Phase::heapPoolPeakMb).max()
                    .orElse(0));
            figures.put("peak_heap_mb_sampled", phases.stream().mapToDouble(MemoryProbe.Phase::heapSampledPeakMb)
                    .max().orElse(0));
            figures.put("peak_rss_mb", phases.stream().mapToDouble(MemoryProbe.Phase::rssPeakMb).max().orElse(0));
            figures.put("peak_native_estimate_mb", phases.stream().mapToDouble(MemoryProbe.Phase::nativePeakMb).max()
                    .orElse(0));
            figures.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (double) (1 << 20));
        }
        report.put("uptime_end", uptime());
        Files.createDirectories(o.json.toAbsolutePath().getParent());
        Files.writeString(o.json, JsonOut.write(report), StandardCharsets.UTF_8);
        printSummary(phases, figures);
        System.out.println("JSON: " + o.json);
    }

    private static Map<String, Object> interval(Progress p, double cpuSeconds, double wallSeconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", p.step());
        m.put("loss", p.loss());
        m.put("steps_per_s", p.stepsPerSecond());
        m.put("wall_s", wallSeconds);
        m.put("cpu_s", cpuSeconds);
        return m;
    }

    /** Seconds per 1000 steps over the intervals after step 200 (JIT warm-up excluded). */
    private static double steadyRate(List<Map<String, Object>> intervals, String key) {
        double seconds = 0;
        long steps = 0;
        long prev = 0;
        for (Map<String, Object> m : intervals) {
            long step = (Long) m.get("step");
            if (prev >= 200) {
                seconds += (Double) m.get(key);
                steps += step - prev;
            }
            prev = step;
        }
        return steps == 0 ? Double.NaN : seconds * 1000 / steps;
    }

    /**
     * The users queried, with their interests and exclusions: the first {@code warm} are warm-up queries, the
     * next {@code measured} are timed one at a time, and the first {@code batchUsers} form the batch.
     */
    static final class Queries {
        private final float[][][] interests;
        private final IntPredicate[] seen;
        private final int warm;
        private final int measured;
        private final int batchUsers;
        private final int top;
        /** Latencies of the last {@link #single} call, nanoseconds, measured queries only. */
        long[] latencies;

        Queries(float[][][] interests, IntPredicate[] seen, int warm, int measured, int batchUsers, int top) {
            this.interests = interests;
            this.seen = seen;
            this.warm = warm;
            this.measured = measured;
            this.batchUsers = batchUsers;
            this.top = top;
        }

        /** One query at a time, each timed; returns every result list, warm-up included. */
        List<List<ScoredItem>> single(ItemIndex index) {
            latencies = new long[measured];
            List<List<ScoredItem>> out = new ArrayList<>();
            for (int i = 0; i < warm + measured; i++) {
                long t0 = System.nanoTime();
                List<ScoredItem> r = index.topN(interests[i], top, seen[i]);
                long dt = System.nanoTime() - t0;
                if (i >= warm) latencies[i - warm] = dt;
                out.add(r);
            }
            return out;
        }

        /** The batch, {@code repeats} times; returns the time of each repeat in nanoseconds. */
        long[] batch(ItemIndex index, int repeats) {
            float[][][] v = Arrays.copyOf(interests, batchUsers);
            IntPredicate[] ex = Arrays.copyOf(seen, batchUsers);
            long[] ns = new long[repeats];
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                List<List<ScoredItem>> out = index.topNBatch(v, top, ex);
                ns[r] = System.nanoTime() - t0;
                if (out.size() != batchUsers) throw new IllegalStateException("batch returned " + out.size());
            }
            return ns;
        }
    }

    /** Mean over the measured queries of |approximate top n ∩ exact top n| / |exact top n|. */
    private static double recall(List<List<ScoredItem>> approx, List<List<ScoredItem>> exact, int warm) {
        double sum = 0;
        for (int i = warm; i < exact.size(); i++) {
            java.util.Set<Integer> truth = new java.util.HashSet<>();
            for (ScoredItem s : exact.get(i)) truth.add(s.itemId());
            int hit = 0;
            for (ScoredItem s : approx.get(i)) if (truth.contains(s.itemId())) hit++;
            sum += truth.isEmpty() ? 1 : hit / (double) truth.size();
        }
        return sum / (exact.size() - warm);
    }

    private static ExactItemIndex.Builder exactBuilder(ExactItemIndex.Builder b, Options o) {
        return o.chunkUsers > 0 ? b.chunkUsers(o.chunkUsers) : b;
    }

    /** The rows of a [n+1, d] table, copied out of native memory in one bulk read. */
    private static float[][] rows(INDArray table) {
        int n = (int) table.size(0);
        int d = (int) table.size(1);
        float[] flat = table.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) out[i] = Arrays.copyOfRange(flat, i * d, (i + 1) * d);
        return out;
    }

    private static float[][][] interests(TrainedModel model, int[][] histories) {
        INDArray v = model.interests(histories).castTo(DataType.FLOAT);
        int b = histories.length;
        int k = (int) v.size(1);
        int d = (int) v.size(2);
        float[] flat = v.dup('c').data().asFloat();
        float[][][] out = new float[b][k][d];
        for (int u = 0; u < b; u++) {
            for (int q = 0; q < k; q++) System.arraycopy(flat, (u * k + q) * d, out[u][q], 0, d);
        }
        return out;
    }

    /** Excludes the user's history, as a recommender serving new items does. */
    private static IntPredicate seen(int[] history) {
        int[] sorted = history.clone();
        Arrays.sort(sorted);
        return id -> Arrays.binarySearch(sorted, id) >= 0;
    }

    private static Map<String, Object> percentiles(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", s.length);
        m.put("p50", s[(int) Math.floor(0.50 * (s.length - 1))] / 1e6);
        m.put("p90", s[(int) Math.floor(0.90 * (s.length - 1))] / 1e6);
        m.put("p99", s[(int) Math.floor(0.99 * (s.length - 1))] / 1e6);
        m.put("min", s[0] / 1e6);
        m.put("max", s[s.length - 1] / 1e6);
        m.put("mean", Arrays.stream(s).average().orElse(0) / 1e6);
        return m;
    }

    private static MemoryProbe.Phase log(MemoryProbe.Phase p) {
        System.out.printf(Locale.ROOT, "%-48s %8.1f s wall %8.1f s cpu  heap peak %,7.0f MB  live %,7.0f MB  rss %,7.0f MB"
                        + "  load %.1f-%.1f%n", p.name(), p.wallSeconds(), p.cpuSeconds(), p.heapPoolPeakMb(),
                p.heapLiveAfterMb(), p.rssPeakMb(), p.loadStart(), p.loadEnd());
        return p;
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("cpu_model", firstLine(Path.of("/proc/cpuinfo"), "model name"));
        m.put("mem_total", firstLine(Path.of("/proc/meminfo"), "MemTotal"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("jvm_args", ManagementFactory.getRuntimeMXBean().getInputArguments());
        m.put("uptime_start", uptime());
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

    /** The output of {@code uptime} (load averages), or /proc/loadavg where the command is missing. */
    private static String uptime() {
        try {
            Process p = new ProcessBuilder("uptime").redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() == 0 && !s.isEmpty()) return s;
        } catch (IOException e) {
            // fall through to /proc
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            return "loadavg " + Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private static void printSummary(List<MemoryProbe.Phase> phases, Map<String, Object> f) {
        System.out.println();
        System.out.println("| phase | wall s | CPU s | GC s | heap peak MB (pools) | heap live after MB | RSS peak MB |"
                + " load 1m start-end |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---|");
        for (MemoryProbe.Phase p : phases) {
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %,.0f | %,.0f | %,.0f | %.1f-%.1f |%n", p.name(),
                    p.wallSeconds(), p.cpuSeconds(), p.gcSeconds(), p.heapPoolPeakMb(), p.heapLiveAfterMb(),
                    p.rssPeakMb(), p.loadStart(), p.loadEnd());
        }
        System.out.println();
        System.out.println("| figure | value |");
        System.out.println("|---|---|");
        for (Map.Entry<String, Object> e : f.entrySet()) {
            if (e.getKey().equals("train_intervals")) continue;
            System.out.println("| " + e.getKey() + " | " + format(e.getValue()) + " |");
        }
    }

    private static String format(Object v) {
        if (v instanceof Double d) return String.format(Locale.ROOT, "%.4g", d);
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (sb.length() > 0) sb.append(", ");
                sb.append(e.getKey()).append(' ').append(format(e.getValue()));
            }
            return sb.toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder();
            for (Object x : l) {
                if (sb.length() > 0) sb.append("; ");
                sb.append(x instanceof Map<?, ?> ? "{" + format(x) + "}" : format(x));
            }
            return sb.toString();
        }
        return String.valueOf(v);
    }
}
