package dev.eimf.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.eimf.data.Dataset;
import dev.eimf.esim.SelectionStrategy;
import dev.eimf.eval.EvalConfig;
import dev.eimf.eval.Evaluator;
import dev.eimf.eval.MetricsResult;
import dev.eimf.eval.Split;
import dev.eimf.internal.model.EncoderNames;
import dev.eimf.internal.pipeline.EimfConfig;
import dev.eimf.internal.pipeline.EimfPipeline;
import dev.eimf.internal.pipeline.EimfResult;
import dev.eimf.internal.train.TrainingResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import dev.eimf.internal.mtl.AuxTasksConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code eimf ablation}: every EIMF variant over several seeds, with mean and standard deviation of the
 * valid and test metrics. Per seed the variants share one work directory, so the warm-up is trained once
 * and each variant continues from it; all seeds share one interest store. A rerun with the same
 * {@code --work} skips finished variants and resumes the unfinished one from its checkpoint.
 *
 * <p>By default every run trains to convergence: a budget of {@value #STEPS} steps that validation stops
 * after {@value #PATIENCE} checks ({@value #EVAL_EVERY} steps apart) without a gain, keeping the best
 * weights. A comparison at a fixed short budget measures speed of convergence rather than the end result.
 */
final class AblationCommand implements Command {
    /** The variants, in the order they run and are reported. */
    static final List<String> VARIANTS = List.of("backbone", "item", "align", "semantic", "eimf-no-item", "eimf",
            "eimf-random", "eimf-no-propagation");
    private static final String[] KEYS = {"recall@20", "recall@50", "ndcg@20", "ndcg@50", "hitrate@20", "hitrate@50"};
    private static final String HEADLINE = "recall@50";
    static final long STEPS = 30000;
    static final int EVAL_EVERY = 1000;
    static final int PATIENCE = 5;

    @Override
    public String name() { return "ablation"; }

    @Override
    public String summary() { return "EIMF ablation: backbone, item-side alignment alone, +alignment, +semantic prediction, EIMF without and with item-side alignment, random samples, no propagation"; }

    @Override
    public List<Option> options() {
        List<Option> o = new ArrayList<>(DataOptions.options());
        o.add(Option.required("model", EncoderNames.choices(), "backbone"));
        o.add(Option.optional("seeds", "S", "runs with seeds 1..S per variant", "3"));
        o.add(Option.optional("split-seed", "N|each", "seed of the user split, the same for every run; 'each' = the run's seed", "1"));
        o.add(Option.optional("variants", "V,V,...", "variants to run (" + String.join(",", VARIANTS) + ")", "all"));
        for (Option p : Protocols.options()) if (!p.name().equals("seed")) o.add(p);
        o.addAll(TrainOptions.options(STEPS, EVAL_EVERY, PATIENCE));
        o.addAll(EimfOptions.options());
        o.addAll(EsimOptions.options("metadata"));
        o.add(Option.optional("work", "DIR", "checkpoints and finished results; rerun with the same DIR to resume", "ablation-work"));
        o.add(Option.optional("store", "DIR", "interest store shared by all runs", "WORK/store"));
        o.add(Option.optional("json", "FILE", "also write the means and standard deviations as JSON", null));
        return o;
    }

    @Override
    public int run(Args args) throws Exception {
        String modelName = args.choice("model", null, "comirec-sa", "comirec-dr", "mind");
        int seeds = args.getInt("seeds", 3);
        if (seeds < 1) throw new Args.UsageException("--seeds must be >= 1, got " + seeds);
        String splitSeedText = args.get("split-seed", "1");
        Long splitSeed = splitSeedText.equals("each") ? null : args.getLong("split-seed", 1);
        List<String> variants = variants(args.get("variants", "all"));
        EvalConfig evalConfig = Protocols.evalConfig(args);
        // Parsed once up front so a usage error shows before any data is read.
        TrainOptions.Parsed first = TrainOptions.parse(args, modelName, 1, STEPS, EVAL_EVERY, PATIENCE, evalConfig);
        EimfOptions.Parsed mt = EimfOptions.parse(args);
        EsimOptions.Choice esimFirst = EsimOptions.parse(args, "metadata", EimfOptions.clusterSeed(args, 1));
        Path work = Path.of(args.get("work", "ablation-work"));
        Path store = args.path("store").orElse(work.resolve("store"));

        Dataset ds = DataOptions.load(args, System.out).dataset();
        // Every seed and variant checkpoints each stage here; checked before the first run, not after it.
        dev.eimf.internal.io.OutputPreflight.check("--work", work, true, dev.eimf.internal.io.OutputPreflight
                .modelBytes(ds.numItems(), first.encoder().dim(), 8 * Math.max(1, seeds)));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("dataset", ds.name());
        settings.put("users", ds.numUsers());
        settings.put("items", ds.numItems());
        settings.put("protocol", Protocols.name(args));
        settings.put("split_seed", splitSeed == null ? "each" : splitSeed);
        settings.put("model", modelName);
        settings.putAll(first.json());
        settings.putAll(mt.json());
        settings.putAll(EsimOptions.settingsJson(args, esimFirst));
        settings.remove("cluster_seed"); // per run: --cluster-seed, else the run's seed
        settings.put("cluster_seed", args.get("cluster-seed", "the run's seed"));
        if (WorkDirs.claim(work, settings)) System.err.println("resuming from " + work);
        System.out.printf("ablation of %s on %s: %d seed(s), variants %s, up to %d steps, validation every %d, patience %d; work %s%n",
                modelName, ds.name(), seeds, String.join(",", variants), first.steps(), first.config().evalEvery(),
                first.config().patience(), work);

        Map<String, List<Outcome>> results = new LinkedHashMap<>();
        for (String v : variants) results.put(v, new ArrayList<>());
        long t0 = System.nanoTime();
        try (EsimOptions.Services services = EsimOptions.open(args, esimFirst, first.encoder().numInterests())) {
            for (int seed = 1; seed <= seeds; seed++) {
                Split split = Protocols.protocol(args).split(ds, splitSeed == null ? seed : splitSeed);
                TrainOptions.Parsed tp = TrainOptions.parse(args, modelName, seed, STEPS, EVAL_EVERY, PATIENCE, evalConfig);
                EsimOptions.Choice esim = EsimOptions.parse(args, "metadata", EimfOptions.clusterSeed(args, seed));
                Path seedWork = work.resolve("seed-" + seed);
                Files.createDirectories(seedWork);
                EimfConfig base = EimfConfig.builder(tp.config()).warmupSteps(mt.warmupSteps()).typical(esim.sampling())
                        .aux(mt.aux()).propagate(mt.propagate()).extractor(services.extractor)
                        .textEncoder(services.encoder).storeDir(store).workDir(seedWork)
                        .esimConcurrency(esim.concurrency()).build();
                for (String v : variants) {
                    String label = "seed " + seed + "/" + seeds + " " + v;
                    Path done = seedWork.resolve(v + ".result.json");
                    Outcome o;
                    if (Files.exists(done)) {
                        o = Outcome.read(done);
                        System.err.printf(Locale.ROOT, "[%s] finished in an earlier run: test %s %.4f%n", label,
                                HEADLINE, o.test().get(HEADLINE));
                    } else {
                        System.err.println("[" + label + "] starting");
                        EimfResult r = new EimfPipeline(variant(base, v)).run(ds, split,
                                new ProgressPrinter(System.err, tp.config(), label));
                        o = Outcome.of(seed, r, new Evaluator(evalConfig), split, esim);
                        Json.write(done, o.json());
                        // The result file marks the variant finished; its checkpoint is not read again.
                        Files.deleteIfExists(seedWork.resolve(v + ".ckpt"));
                        System.err.printf(Locale.ROOT, "[%s] done: valid %s %.4f, test %s %.4f; stopped at step %d (%s), best step %d (%s elapsed)%n",
                                label, HEADLINE, o.valid().get(HEADLINE), HEADLINE, o.test().get(HEADLINE), o.steps(),
                                o.stopReason(), o.bestStep(), ProgressPrinter.clock((System.nanoTime() - t0) / 1e9));
                    }
                    results.get(v).add(o);
                }
            }
        }

        System.out.println();
        System.out.printf("test users: mean ± std over %d seed(s)%n", seeds);
        table(System.out, results, "test");
        System.out.println();
        System.out.printf("validation users: mean ± std over %d seed(s)%n", seeds);
        table(System.out, results, "valid");
        System.out.println();
        stopping(System.out, results);
        Map<String, Object> headline = headline(results);
        if (headline != null) {
            System.out.println();
            System.out.println((String) headline.get("text"));
        }
        if (args.get("json").isPresent()) {
            Map<String, Object> json = new LinkedHashMap<>();
            List<Map<String, Object>> list = new ArrayList<>();
            for (Map.Entry<String, List<Outcome>> e : results.entrySet()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("variant", e.getKey());
                m.put("test", summary(e.getValue(), "test"));
                m.put("valid", summary(e.getValue(), "valid"));
                List<Map<String, Object>> runs = new ArrayList<>();
                for (Outcome o : e.getValue()) runs.add(o.json());
                m.put("runs", runs);
                list.add(m);
            }
            json.put("variants", list);
            if (headline != null) {
                Map<String, Object> h = new LinkedHashMap<>(headline);
                h.remove("text");
                json.put("eimf_vs_backbone", h);
            }
            Map<String, Object> s = new LinkedHashMap<>(settings);
            s.put("seeds", seeds);
            s.put("std", "sample standard deviation (n - 1); 0 for one seed");
            s.put("work", work.toString());
            s.put("store", store.toString());
            json.put("settings", s);
            Json.write(Path.of(args.require("json")), json);
        }
        return 0;
    }

    static List<String> variants(String text) {
        if (text.equals("all")) return VARIANTS;
        List<String> out = new ArrayList<>();
        for (String v : text.split(",", -1)) {
            String t = v.trim();
            if (!VARIANTS.contains(t)) {
                throw new Args.UsageException("--variants: unknown variant '" + t + "' (known: " + String.join(",", VARIANTS) + ")");
            }
            if (!out.contains(t)) out.add(t);
        }
        // Reported (and run) in the canonical order, so tables from different runs line up.
        out.sort((a, b) -> Integer.compare(VARIANTS.indexOf(a), VARIANTS.indexOf(b)));
        return out;
    }

    /** The configuration of one variant; {@code runName} keeps its checkpoint apart from the others'. */
    static EimfConfig variant(EimfConfig base, String v) {
        EimfConfig.Builder b = base.toBuilder().runName(v);
        return switch (v) {
            case "backbone" -> b.semantic(false).build();
            case "item" -> b.aux(base.aux().toBuilder().alignEnabled(false).semanticEnabled(false)
                    .lambdaItem(base.aux().lambdaItem() > 0 ? base.aux().lambdaItem() : AuxTasksConfig.defaults().lambdaItem())
                    .build()).build();
            case "eimf-no-item" -> b.aux(base.aux().toBuilder().lambdaItem(0).build()).build();
            case "align" -> b.aux(base.aux().toBuilder().semanticEnabled(false).lambdaItem(0).build()).build();
            case "semantic" -> b.aux(base.aux().toBuilder().alignEnabled(false).lambdaItem(0).build()).build();
            case "eimf" -> b.build();
            case "eimf-random" -> b.typical(base.typical().toBuilder().strategy(SelectionStrategy.RANDOM).build()).build();
            case "eimf-no-propagation" -> b.propagate(false).build();
            default -> throw new IllegalArgumentException("unknown variant " + v);
        };
    }

    /** One finished run of one variant. */
    record Outcome(int seed, Map<String, Double> valid, Map<String, Double> test, long steps, long bestStep,
                   String stopReason, double trainSeconds, Map<String, Object> esim) {
        /** Validation stopped the run (no gain for the patience's checks): it converged. */
        boolean converged() {
            return stopReason.equals("early_stop");
        }

        static Outcome of(int seed, EimfResult r, Evaluator ev, Split split, EsimOptions.Choice choice) {
            TrainingResult t = r.training();
            MetricsResult valid = t.bestValidation().orElseGet(() -> ev.evaluateValid(t.model(), split));
            MetricsResult test = ev.evaluateTest(t.model(), split);
            Map<String, Object> esim = r.esim().map(e -> EsimOptions.statsJson(choice, e)).orElse(null);
            if (esim != null && r.objective().isPresent()) {
                // the auxiliary losses at the end of training, and what an input-blind head would score
                var obj = r.objective().get();
                esim.put("align_loss", obj.averageAlignLoss());
                esim.put("semantic_loss", obj.averageSemanticLoss());
                esim.put("item_loss", obj.averageItemLoss());
                esim.put("semantic_loss_constant", obj.targets().constantPredictorLoss(obj.tasks().config().centerTargets()));
            }
            return new Outcome(seed, valid.values(), test.values(), t.steps(), t.bestStep(),
                    t.stopReason().name().toLowerCase(Locale.ROOT), r.warmup().trainSeconds() + t.trainSeconds(), esim);
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seed", seed);
            m.put("valid", new LinkedHashMap<>(valid));
            m.put("test", new LinkedHashMap<>(test));
            m.put("steps", steps);
            m.put("stopping_step", steps);
            m.put("best_step", bestStep);
            m.put("stop_reason", stopReason);
            m.put("converged", converged());
            m.put("train_seconds", trainSeconds);
            if (esim != null) m.put("esim", esim);
            return m;
        }

        static Outcome read(Path file) throws IOException {
            try {
                JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
                Map<String, Object> esim = null;
                if (o.has("esim")) {
                    esim = new LinkedHashMap<>();
                    for (String k : o.getAsJsonObject("esim").keySet()) {
                        com.google.gson.JsonElement v = o.getAsJsonObject("esim").get(k);
                        esim.put(k, v.isJsonNull() ? Double.NaN : v.getAsNumber());
                    }
                }
                return new Outcome(o.get("seed").getAsInt(), metrics(o.getAsJsonObject("valid")),
                        metrics(o.getAsJsonObject("test")), o.get("steps").getAsLong(), o.get("best_step").getAsLong(),
                        o.has("stop_reason") ? o.get("stop_reason").getAsString() : "unknown", o.get("train_seconds").getAsDouble(), esim);
            } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException e) {
                throw new IOException(file + ": not a finished ablation result (" + e + "); delete it to rerun that variant", e);
            }
        }

        private static Map<String, Double> metrics(JsonObject o) {
            Map<String, Double> m = new LinkedHashMap<>();
            // Json writes a value that is not finite as null.
            for (String k : o.keySet()) m.put(k, o.get(k).isJsonNull() ? Double.NaN : o.get(k).getAsDouble());
            return m;
        }

        Map<String, Double> part(String name) {
            return name.equals("test") ? test : valid;
        }
    }

    /** Mean and sample standard deviation. */
    record Stat(double mean, double std) {
        static Stat of(List<Double> xs) {
            double mean = 0;
            for (double x : xs) mean += x / xs.size();
            double ss = 0;
            for (double x : xs) ss += (x - mean) * (x - mean);
            return new Stat(mean, xs.size() > 1 ? Math.sqrt(ss / (xs.size() - 1)) : 0);
        }
    }

    static Stat stat(List<Outcome> runs, String part, String key) {
        List<Double> xs = new ArrayList<>();
        for (Outcome o : runs) {
            Double v = o.part(part).get(key);
            if (v != null) xs.add(v);
        }
        return xs.isEmpty() ? null : Stat.of(xs);
    }

    private static Map<String, Object> summary(List<Outcome> runs, String part) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>();
        for (Outcome o : runs) for (String k : o.part(part).keySet()) if (!keys.contains(k)) keys.add(k);
        for (String k : keys) {
            Stat s = stat(runs, part, k);
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("mean", s.mean());
            v.put("std", s.std());
            m.put(k, v);
        }
        return m;
    }

    /** Where each run stopped and why: a run that used its whole budget may not have converged. */
    private static void stopping(PrintStream out, Map<String, List<Outcome>> results) {
        out.println("stopping step (best step) per seed; * = stopped by its step budget, not by validation:");
        int budget = 0;
        for (Map.Entry<String, List<Outcome>> e : results.entrySet()) {
            StringBuilder sb = new StringBuilder(String.format("%-20s", e.getKey()));
            for (Outcome o : e.getValue()) {
                sb.append(String.format(Locale.ROOT, " %6d%s(%d)", o.steps(), o.converged() ? " " : "*", o.bestStep()));
                if (!o.converged()) budget++;
            }
            out.println(sb);
        }
        out.println(budget == 0 ? "every run converged (validation stopped it)"
                : budget + " run(s) did not stop on validation: raise --steps, or read their numbers as a fixed budget's");
    }

    private static void table(PrintStream out, Map<String, List<Outcome>> results, String part) {
        StringBuilder head = new StringBuilder(String.format("%-20s", "variant"));
        for (String k : KEYS) head.append(String.format(" %17s", k));
        out.println(head);
        for (Map.Entry<String, List<Outcome>> e : results.entrySet()) {
            StringBuilder sb = new StringBuilder(String.format("%-20s", e.getKey()));
            for (String k : KEYS) {
                Stat s = stat(e.getValue(), part, k);
                sb.append(s == null ? String.format(" %17s", "-")
                        : String.format(Locale.ROOT, " %8.4f ± %6.4f", s.mean(), s.std()));
            }
            out.println(sb);
        }
    }

    /** EIMF against the backbone on test Recall@50: relative change of the means, and per seed. */
    private static Map<String, Object> headline(Map<String, List<Outcome>> results) {
        List<Outcome> b = results.get("backbone");
        List<Outcome> e = results.get("eimf");
        if (b == null || e == null) return null;
        Stat sb = stat(b, "test", HEADLINE);
        Stat se = stat(e, "test", HEADLINE);
        if (sb == null || se == null || sb.mean() <= 0) return null;
        double rel = (se.mean() - sb.mean()) / sb.mean();
        int above = 0;
        for (int i = 0; i < Math.min(b.size(), e.size()); i++) {
            if (e.get(i).test().get(HEADLINE) > b.get(i).test().get(HEADLINE)) above++;
        }
        boolean beyond = se.mean() - sb.mean() > sb.std() + se.std();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metric", "test " + HEADLINE);
        m.put("backbone_mean", sb.mean());
        m.put("eimf_mean", se.mean());
        m.put("relative_change", rel);
        m.put("seeds_eimf_above", above);
        m.put("seeds", Math.min(b.size(), e.size()));
        m.put("beyond_spread", beyond);
        m.put("text", String.format(Locale.ROOT,
                "EIMF vs backbone, test Recall@50: %+.2f%% relative (%.4f ± %.4f vs %.4f ± %.4f); EIMF above in %d of %d seed(s); "
                        + "difference %s the sum of the standard deviations",
                100 * rel, se.mean(), se.std(), sb.mean(), sb.std(), above, Math.min(b.size(), e.size()),
                beyond ? "exceeds" : "does not exceed"));
        return m;
    }
}
