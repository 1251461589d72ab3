package dev.eimf.cli;

import dev.eimf.data.Dataset;
import dev.eimf.data.DatasetLoaders;
import dev.eimf.data.LoadOptions;
import dev.eimf.data.PreprocessConfig;
import dev.eimf.data.Preprocessor;
import dev.eimf.eval.ComiRecProtocol;
import dev.eimf.eval.EvalCase;
import dev.eimf.eval.EvalConfig;
import dev.eimf.eval.Evaluator;
import dev.eimf.eval.MetricsResult;
import dev.eimf.eval.Split;
import dev.eimf.internal.model.ModelMetadata;
import dev.eimf.internal.model.SavedModel;
import dev.eimf.internal.pipeline.EimfConfig;
import dev.eimf.internal.pipeline.EimfPipeline;
import dev.eimf.internal.pipeline.EimfResult;
import dev.eimf.internal.pipeline.InterestExplainer;
import dev.eimf.internal.pipeline.Semantics;
import dev.eimf.internal.serve.Recommendation;
import dev.eimf.internal.train.TrainingResult;
import dev.eimf.internal.train.ValidationPoint;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code eimf quickstart}: the main job on MovieLens-100K. Trains the backbone and EIMF (offline metadata
 * extractor, in-JVM MiniLM encoder) with the same seed and steps, sharing the warm-up; prints both metric
 * tables side by side and a few test users' named interests with their recommendations; plots validation
 * Recall@50 against steps for both runs.
 */
final class QuickstartCommand implements Command {
    static final String DATASET = "ml-100k";
    static final String ZIP_URL = "https://files.grouplens.org/datasets/movielens/ml-100k.zip";
    /** RecBole's hosted atomic files (its dataset list, recbole/properties/dataset/url.yaml). */
    static final String AMAZON_BEAUTY_URL = "https://recbole.s3-accelerate.amazonaws.com/ProcessedDatasets/Amazon_ratings/Amazon_Beauty.zip";
    static final String PLOT = "validation.png";
    static final String JSON = "quickstart.json";
    private static final String METRIC = "recall@50";

    private final FirstUseData data;

    QuickstartCommand() {
        this(new FirstUseData());
    }

    /** Tests choose where the data is looked for and downloaded from. */
    QuickstartCommand(FirstUseData data) {
        this.data = data;
    }

    @Override
    public String name() { return "quickstart"; }

    @Override
    public String summary() { return "the main job: backbone vs EIMF on MovieLens-100K, tables, named interests, a plot"; }

    @Override
    public List<Option> options() {
        List<Option> o = new ArrayList<>();
        o.add(Option.optional("data", "DIR", "MovieLens-100K directory (u.data, u.item)",
                "$EIMF_DATA/ml-100k, else ../shared/data/ml-100k, else ml-100k in the data cache"));
        o.add(Option.flag("download", "without --data: if MovieLens-100K is not found, download it from GroupLens into the "
                + "data cache ($EIMF_DATA, else $XDG_CACHE_HOME/eimf or ~/.cache/eimf), check its checksum, then run; "
                + "without this flag it asks first (only on a terminal)"));
        o.add(Option.optional("out", "DIR", "where the plot, JSON, model, interest store and checkpoints go", "quickstart-out"));
        o.add(Option.optional("model", "comirec-sa|comirec-dr|mind", "backbone", "comirec-sa"));
        o.add(Option.optional("seed", "N", "seed of the split and of both runs", "1"));
        o.addAll(TrainOptions.options(3000, 250));
        o.add(Option.optional("users", "N", "test users whose interests and recommendations are shown", "3"));
        o.addAll(EimfOptions.options());
        o.addAll(EsimOptions.options("metadata"));
        return o;
    }

    @Override
    public int run(Args args) throws Exception {
        long t0 = System.nanoTime();
        Optional<Path> found = data.find(args, System.err);
        if (found.isEmpty()) return 2;
        Path dataDir = found.get();
        String modelName = args.choice("model", "comirec-sa", "comirec-sa", "comirec-dr", "mind");
        long seed = args.getLong("seed", 1);
        int shown = args.getInt("users", 3);
        if (shown < 0) throw new Args.UsageException("--users must be >= 0, got " + shown);
        EvalConfig evalConfig = EvalConfig.builder().cutoffs(new int[] {20, 50}).build();
        TrainOptions.Parsed tp = TrainOptions.parse(args, modelName, seed, 3000, 250, evalConfig);
        EsimOptions.Choice esim = EsimOptions.parse(args, "metadata", EimfOptions.clusterSeed(args, seed));
        EimfOptions.Parsed mt = EimfOptions.parse(args);
        Path out = Path.of(args.get("out", "quickstart-out"));

        Dataset ds = new Preprocessor(PreprocessConfig.builder().core(5).build())
                .process(DatasetLoaders.load(dataDir, new LoadOptions(false)));
        Split split = ComiRecProtocol.defaults().split(ds, seed);
        // Two runs' checkpoints, a model and the plot: checked before training, not found missing after it.
        dev.eimf.internal.io.OutputPreflight.check("--out", out, true,
                dev.eimf.internal.io.OutputPreflight.modelBytes(split.numItems(), tp.encoder().dim(), 18));
        System.out.printf("quickstart: %s backbone vs EIMF on %s (%s), seed %d, %d steps, validation every %d%n",
                modelName, Terminal.safe(ds.name()), Terminal.safe(String.valueOf(dataDir)), seed, tp.steps(),
                tp.config().evalEvery());
        System.out.printf("%d users, %d items, %d interactions; comirec split: %d train / %d valid / %d test users%n",
                ds.numUsers(), ds.numItems(), ds.numInteractions(), split.train().length, split.valid().size(),
                split.test().size());

        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("dataset", ds.name());
        settings.put("items", ds.numItems());
        settings.put("users", ds.numUsers());
        settings.put("model", modelName);
        settings.put("seed", seed);
        settings.putAll(tp.json());
        settings.putAll(mt.json());
        settings.putAll(EsimOptions.settingsJson(args, esim));
        // One work directory per settings: a rerun resumes (or finishes at once), other settings start afresh.
        Path work = out.resolve("work").resolve("run-" + digest(settings));
        if (WorkDirs.claim(work, settings)) System.err.println("resuming from " + work);
        Path store = out.resolve("store");

        EimfResult backbone;
        EimfResult eimf;
        String encoderName;
        try (EsimOptions.Services services = EsimOptions.open(args, esim, tp.encoder().numInterests())) {
            encoderName = services.encoder.name();
            EimfConfig base = EimfConfig.builder(tp.config()).warmupSteps(mt.warmupSteps()).typical(esim.sampling())
                    .aux(mt.aux()).propagate(mt.propagate()).extractor(services.extractor).textEncoder(services.encoder)
                    .storeDir(store).workDir(work).esimConcurrency(esim.concurrency()).build();
            System.err.println("[backbone] the backbone alone, " + tp.steps() + " steps");
            backbone = new EimfPipeline(base.toBuilder().semantic(false).runName("backbone").build())
                    .run(ds, split, new ProgressPrinter(System.err, tp.config(), "backbone"));
            System.err.println("[eimf] EIMF: the same warm-up, then ESIM and multi-task training to step " + tp.steps());
            eimf = new EimfPipeline(base.toBuilder().runName("eimf").build())
                    .run(ds, split, new ProgressPrinter(System.err, tp.config(), "eimf"));
        }

        Evaluator ev = new Evaluator(evalConfig);
        Run b = Run.of("backbone", backbone.training(), ev, split);
        Run e = Run.of("eimf", eimf.training(), ev, split);
        System.out.println();
        sideBySide(System.out, b, e);
        eimf.esim().ifPresent(r -> System.out.printf(Locale.ROOT,
                "ESIM: %d typical users (%s, C=%d, m=%d), %s extractor, %s encoder: %d extractions, %d cached, %d failed, %.1f s%n",
                r.stats().typicalUsers(), esim.sampling().strategy().id(), esim.sampling().clusters(),
                esim.sampling().perCluster(), esim.extractor(), encoderName, EsimOptions.calls(esim, r), r.stats().cached(),
                r.stats().failed(), r.stats().seconds()));

        List<Map<String, Object>> usersJson = new ArrayList<>();
        Path modelDir = out.resolve("model");
        ModelMetadata md = ModelMetadata.of(eimf.training(), ds.name(), split.protocol()).with("eimf", "true")
                .with("data.kcore", "5").with("data.min_rating", "none");
        ModelFiles.save(modelDir, eimf.model(), ds.catalog(), md, eimf.semantics());
        if (eimf.semantics().isPresent() && shown > 0) {
            showUsers(ds, split, eimf.model(), eimf.semantics().get(), md, shown, usersJson);
        } else if (shown > 0) {
            System.out.println("(no interest names: ESIM gave no typical user usable interests)");
        }

        Path plot = out.resolve(PLOT);
        long marker = eimf.warmup().steps();
        ValidationPlot.write(plot, "Validation Recall@50 on " + ds.name() + ": " + modelName + " vs EIMF (seed " + seed + ")",
                "validation Recall@50", List.of(b.series("backbone (" + modelName + ")"), e.series("EIMF")),
                marker, "ESIM (step " + marker + ")");
        double wall = (System.nanoTime() - t0) / 1e9;

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dataset", ds.name());
        json.put("data_dir", dataDir.toString());
        json.put("protocol", split.protocol());
        json.put("settings", settings);
        json.put("backbone", b.json());
        json.put("eimf", e.json());
        eimf.esim().ifPresent(r -> {
            Map<String, Object> m = EsimOptions.statsJson(esim, r);
            m.put("encoder", encoderName);
            json.put("esim", m);
        });
        json.put("relative_change", relativeChanges(b, e));
        json.put("users", usersJson);
        json.put("plot", plot.toString());
        json.put("model_dir", modelDir.toString());
        json.put("wall_seconds", wall);
        json.put("processors", Runtime.getRuntime().availableProcessors());
        Json.write(out.resolve(JSON), json);

        System.out.println();
        System.out.println("plot:  " + plot + " (validation Recall@50 against steps, both runs)");
        System.out.println("json:  " + out.resolve(JSON));
        System.out.println("model: " + modelDir + "  (try: bin/eimf recommend --model " + modelDir
                + " --history " + exampleHistory(ds, split) + " --explain)");
        System.out.printf(Locale.ROOT, "done in %s (%d processors)%n", ProgressPrinter.clock(wall),
                Runtime.getRuntime().availableProcessors());
        return 0;
    }

    /**
     * Exactly how to get the data by hand, after {@code reason} (why it was not downloaded) when given.
     * Amazon Beauty is named too: it is never downloaded, because RecBole publishes no checksum to pin.
     */
    static void howToGetData(PrintStream err, Optional<String> given, Path cache, String reason) {
        if (given.isPresent()) {
            err.println("eimf quickstart: --data " + given.get() + " is not a MovieLens-100K folder (it needs u.data and u.item).");
        } else {
            err.println("eimf quickstart: MovieLens-100K was not found (looked for $EIMF_DATA/" + DATASET
                    + ", ../shared/data/" + DATASET + " and " + cache.resolve(DATASET) + ").");
        }
        if (reason != null) err.println(reason);
        err.println("It is not part of this repository (GroupLens does not allow redistribution). Get it (5 MB):");
        err.println();
        err.println("  curl -LO " + ZIP_URL + "      # or download it with a browser");
        err.println("  unzip ml-100k.zip                 # creates ml-100k/ with u.data, u.item, u.genre, ...");
        err.println("  bin/eimf quickstart --data ml-100k");
        err.println();
        err.println("or set EIMF_DATA to the folder that holds ml-100k/ and run 'bin/eimf quickstart', or run");
        err.println("'bin/eimf quickstart --download' to have it fetched into " + cache + ".");
        err.println("Amazon Beauty (for --data in the other commands) is never downloaded automatically: RecBole's atomic");
        err.println("files are at " + AMAZON_BEAUTY_URL);
        err.println("(unzip; point --data at the folder holding Amazon_Beauty.inter and Amazon_Beauty.item).");
    }

    /** One run's numbers. */
    record Run(String name, TrainingResult training, MetricsResult valid, MetricsResult test) {
        static Run of(String name, TrainingResult r, Evaluator ev, Split split) {
            MetricsResult valid = r.bestValidation().orElseGet(() -> ev.evaluateValid(r.model(), split));
            return new Run(name, r, valid, ev.evaluateTest(r.model(), split));
        }

        ValidationPlot.Series series(String label) {
            List<ValidationPoint> v = training.validations();
            long[] steps = new long[v.size()];
            double[] values = new double[v.size()];
            for (int i = 0; i < v.size(); i++) {
                steps[i] = v.get(i).step();
                values[i] = v.get(i).metrics().get(METRIC);
            }
            return new ValidationPlot.Series(label, steps, values);
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("valid", Json.metrics(valid));
            m.put("test", Json.metrics(test));
            m.put("steps", training.steps());
            m.put("best_step", training.bestStep());
            m.put("stop_reason", training.stopReason().name().toLowerCase(Locale.ROOT));
            m.put("stopping_step", training.steps());
            m.put("converged", converged(this));
            m.put("train_seconds", training.trainSeconds());
            m.put("eval_seconds", training.evalSeconds());
            List<Map<String, Object>> curve = new ArrayList<>();
            for (ValidationPoint p : training.validations()) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("step", p.step());
                c.put(METRIC, p.metrics().get(METRIC));
                curve.add(c);
            }
            m.put("validation_curve", curve);
            return m;
        }
    }

    /** The two runs' valid and test metrics in one table, with EIMF's relative change. */
    static void sideBySide(PrintStream out, Run b, Run e) {
        out.printf("%-12s | %-33s | %-33s%n", "", center("validation users (" + b.valid().users() + ")", 33),
                center("test users (" + b.test().users() + ")", 33));
        out.printf("%-12s | %10s %10s %11s | %10s %10s %11s%n", "metric", "backbone", "EIMF", "change", "backbone", "EIMF", "change");
        out.println("-".repeat(12) + "-+-" + "-".repeat(33) + "-+-" + "-".repeat(33));
        for (String k : b.test().values().keySet()) {
            out.printf(Locale.ROOT, "%-12s | %10.4f %10.4f %11s | %10.4f %10.4f %11s%n", k, b.valid().get(k), e.valid().get(k),
                    change(b.valid().get(k), e.valid().get(k)), b.test().get(k), e.test().get(k),
                    change(b.test().get(k), e.test().get(k)));
        }
        out.printf(Locale.ROOT, "stopped at step: backbone %d (%s), EIMF %d (%s); best step: backbone %d, EIMF %d; "
                        + "training time: backbone %.0f s, EIMF %.0f s (both include the shared warm-up)%n",
                b.training().steps(), stopText(b), e.training().steps(), stopText(e),
                b.training().bestStep(), e.training().bestStep(), b.training().trainSeconds(), e.training().trainSeconds());
        out.println(converged(b) && converged(e)
                ? "converged: yes, validation stopped both runs"
                : "converged: no, " + (converged(b) || converged(e) ? "one run" : "both runs")
                        + " stopped at the step budget; this compares a short budget, where EIMF's gain is mostly faster "
                        + "convergence ('bin/eimf ablation' trains to convergence)");
    }

    static boolean converged(Run r) {
        return r.training().stopReason() == dev.eimf.internal.train.StopReason.EARLY_STOP;
    }

    private static String stopText(Run r) {
        return converged(r) ? "validation stopped it" : "step budget";
    }

    private static String center(String s, int w) {
        int pad = Math.max(0, w - s.length());
        return " ".repeat(pad / 2) + s + " ".repeat(pad - pad / 2);
    }

    static String change(double before, double after) {
        return before > 0 ? String.format(Locale.ROOT, "%+.1f%%", 100 * (after - before) / before) : "-";
    }

    private static Map<String, Object> relativeChanges(Run b, Run e) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String part : new String[] {"valid", "test"}) {
            Map<String, Object> p = new LinkedHashMap<>();
            MetricsResult mb = part.equals("valid") ? b.valid() : b.test();
            MetricsResult me = part.equals("valid") ? e.valid() : e.test();
            for (String k : mb.values().keySet()) {
                p.put(k, mb.get(k) > 0 ? (me.get(k) - mb.get(k)) / mb.get(k) : null);
            }
            m.put(part, p);
        }
        return m;
    }

    /** The first test users: their named interests and top-10 recommendations (held-out targets starred). */
    private static void showUsers(Dataset ds, Split split, dev.eimf.internal.train.TrainedModel model, Semantics semantics,
                                  ModelMetadata md, int shown, List<Map<String, Object>> usersJson) {
        InterestExplainer explainer = new InterestExplainer(model, semantics);
        SavedModel saved = SavedModel.of(model, ds.catalog(), md);
        System.out.println();
        System.out.println("Named interests of " + Math.min(shown, split.test().size()) + " test users (EIMF model, "
                + "each interest named by its nearest ESIM phrase, no LLM at serving time); * = a held-out item of the user:");
        for (int i = 0; i < Math.min(shown, split.test().size()); i++) {
            EvalCase c = split.test().get(i);
            List<InterestExplainer.Explained> ex = explainer.explain(c.history());
            List<Recommendation> recs = saved.recommender().recommend(c.history(), 10, true);
            Set<Integer> targets = new HashSet<>();
            for (int t : c.targets()) targets.add(t);
            int hits = 0;
            for (Recommendation r : recs) if (targets.contains(r.itemId())) hits++;
            System.out.println();
            System.out.printf("user %s: %d items watched, %d held out; %d of the top 10 are held-out items%n",
                    Terminal.safe(ds.userId(c.user())), c.history().length, c.targets().length, hits);
            Explanations.interests(System.out, "  ", ex, ds.catalog());
            Explanations.recommendations(System.out, "  ", recs, ex, targets);

            Map<String, Object> u = new LinkedHashMap<>();
            u.put("user_id", ds.userId(c.user()));
            u.put("history_length", c.history().length);
            u.put("interests", Explanations.json(ex, ds.catalog()));
            List<Map<String, Object>> list = new ArrayList<>();
            int rank = 1;
            for (Recommendation r : recs) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("rank", rank++);
                m.put("item_id", r.externalId());
                m.put("title", r.label());
                m.put("interest", r.interest());
                m.put("interest_name", ex.get(r.interest()).label());
                m.put("held_out", targets.contains(r.itemId()));
                list.add(m);
            }
            u.put("recommendations", list);
            u.put("hits_at_10", hits);
            usersJson.add(u);
        }
    }

    /** The last few items of the first test user, as ids of the data files, for the hint line. */
    private static String exampleHistory(Dataset ds, Split split) {
        if (split.test().isEmpty()) return "ID,ID,...";
        int[] h = split.test().get(0).history();
        List<String> ids = new ArrayList<>();
        for (int i = Math.max(0, h.length - 5); i < h.length; i++) ids.add(ds.catalog().externalId(h[i]));
        return String.join(",", ids);
    }

    private static String digest(Map<String, Object> settings) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(new com.google.gson.Gson().toJson(settings).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
