package dev.eimf.cli;

import dev.eimf.data.Dataset;
import dev.eimf.eval.EvalConfig;
import dev.eimf.eval.Evaluator;
import dev.eimf.eval.MetricsResult;
import dev.eimf.eval.MostPopular;
import dev.eimf.eval.Split;
import dev.eimf.internal.io.OutputPreflight;
import dev.eimf.internal.model.EncoderNames;
import dev.eimf.internal.model.ModelMetadata;
import dev.eimf.internal.pipeline.EimfConfig;
import dev.eimf.internal.pipeline.EimfPipeline;
import dev.eimf.internal.pipeline.EimfResult;
import dev.eimf.internal.pipeline.SemanticTargets;
import dev.eimf.internal.pipeline.Semantics;
import dev.eimf.internal.train.Trainer;
import dev.eimf.internal.train.TrainerConfig;
import dev.eimf.internal.train.TrainingResult;
import java.io.IOException;
import dev.eimf.internal.train.RunOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code eimf train}: trains ComiRec-SA, ComiRec-DR or MIND, reports valid/test metrics next to MostPopular.
 * With {@code --eimf} the whole EIMF pipeline runs instead (warm-up, ESIM, multi-task training).
 */
final class TrainCommand implements Command {
    @Override
    public String name() { return "train"; }

    @Override
    public String summary() { return "train a multi-interest model (ComiRec-SA, ComiRec-DR, MIND), optionally with EIMF, and evaluate it"; }

    @Override
    public List<Option> options() {
        List<Option> o = new ArrayList<>(DataOptions.options());
        o.add(Option.required("model", EncoderNames.choices(), "backbone"));
        o.addAll(Protocols.options());
        o.add(Protocols.diversityOption());
        o.addAll(TrainOptions.options(3000, 1000));
        o.add(Option.optional("out", "MODEL_DIR", "save the trained model to this directory", null));
        o.add(Option.optional("json", "FILE", "also write the results as JSON", null));
        o.add(Option.optional("checkpoint", "FILE", "write a checkpoint (weights, optimiser and random state) "
                + "to FILE every --checkpoint-every steps and at the end; atomic, checksummed", null));
        o.add(Option.optional("checkpoint-every", "N", "steps between checkpoints", "1000"));
        o.add(Option.flag("resume", "continue from --checkpoint FILE when it exists: a killed run ends exactly as "
                + "an uninterrupted one"));
        o.add(Option.flag("eimf", "run the EIMF pipeline: warm-up, ESIM on typical users, multi-task training"));
        o.addAll(eimfOnly());
        return o;
    }

    /** The options that only {@code --eimf} reads. */
    private static List<Option> eimfOnly() {
        List<Option> o = new ArrayList<>(EimfOptions.options());
        o.addAll(EsimOptions.options("metadata"));
        o.add(Option.optional("store", "DIR", "interest store directory (--eimf)", "WORK/store, else temporary"));
        o.add(Option.optional("work", "DIR", "checkpoints of every stage, so a rerun resumes (--eimf)", "temporary"));
        return o;
    }

    @Override
    public int run(Args args) throws Exception {
        String modelName = args.choice("model", null, "comirec-sa", "comirec-dr", "mind");
        long seed = args.getLong("seed", 1);
        EvalConfig evalConfig = Protocols.evalConfig(args);
        double diversity = Protocols.diversity(args);
        TrainOptions.Parsed tp = TrainOptions.parse(args, modelName, seed, 3000, 1000, evalConfig);
        TrainerConfig config = tp.config();
        boolean eimf = args.flag("eimf");
        EsimOptions.Choice esim = null;
        EimfOptions.Parsed mt = null;
        if (eimf) {
            if (args.get("checkpoint").isPresent() || args.flag("resume")) {
                throw new Args.UsageException("with --eimf, --work DIR holds the checkpoints of every stage (no --checkpoint/--resume)");
            }
            esim = EsimOptions.parse(args, "metadata", EimfOptions.clusterSeed(args, seed));
            mt = EimfOptions.parse(args);
        } else {
            for (Option x : eimfOnly()) {
                if (args.get(x.name()).isPresent() || args.flag(x.name())) {
                    throw new Args.UsageException("--" + x.name() + " needs --eimf");
                }
            }
        }

        DataOptions.Loaded loaded = DataOptions.load(args, System.out);
        Dataset ds = loaded.dataset();
        Split split = Protocols.protocol(args).split(ds, seed);
        System.out.printf("train %s%s on %s, protocol %s, seed %d: %d train / %d valid / %d test users, %d items%n",
                modelName, eimf ? " with EIMF" : "", Terminal.safe(ds.name()), split.protocol(), seed, split.train().length,
                split.valid().size(), split.test().size(), split.numItems());
        System.out.printf("d=%d K=%d T=%d batch=%d lr=%s steps=%d eval-every=%d patience=%d%n", tp.encoder().dim(),
                tp.encoder().numInterests(), tp.encoder().maxLen(), config.batchSize(), config.adam().learningRate(),
                tp.steps(), config.evalEvery(), config.patience());
        System.out.printf("threads %d; dot products: %s%n", dev.eimf.internal.tensor.Parallel.threads(),
                dev.eimf.internal.tensor.Simd.description());

        // Before training: a read-only or full output location would otherwise be found only at the end.
        long n = split.numItems();
        int dim = tp.encoder().dim();
        Optional<Path> outPath = args.path("out");
        if (outPath.isPresent()) {
            OutputPreflight.check("--out", outPath.get(), true, OutputPreflight.modelBytes(n, dim, 2));
        }
        Optional<Path> ckptPath = args.path("checkpoint");
        if (ckptPath.isPresent()) {
            OutputPreflight.check("--checkpoint", ckptPath.get(), false, OutputPreflight.modelBytes(n, dim, 8));
        }
        Optional<Path> workPath = args.path("work");
        if (workPath.isPresent()) {
            OutputPreflight.check("--work", workPath.get(), true, OutputPreflight.modelBytes(n, dim, 8));
        }

        TrainingResult res;
        EimfRun run = null;
        if (eimf) {
            run = eimf(args, tp, esim, mt, ds, split);
            res = run.result().training();
        } else {
            RunOptions ro = RunOptions.defaults();
            Optional<Path> ckpt = args.path("checkpoint");
            if (ckpt.isPresent()) {
                ro = ro.withCheckpoint(ckpt.get(), args.getInt("checkpoint-every", 1000));
                if (args.flag("resume") && Files.exists(ckpt.get())) {
                    ro = ro.withResume(ckpt.get());
                    System.out.println("resuming from " + ckpt.get());
                }
            } else if (args.flag("resume")) {
                throw new Args.UsageException("--resume needs --checkpoint FILE");
            }
            res = new Trainer(config).train(split, new ProgressPrinter(System.err, config), ro);
        }
        Evaluator ev = Protocols.evaluator(args, evalConfig, ds.catalog());
        // Measured again rather than taken from training: this evaluator adds Diversity@N and --diversity.
        MetricsResult valid = ev.evaluateValid(res.model(), split);
        MetricsResult test = ev.evaluateTest(res.model(), split);
        MostPopular pop = MostPopular.fit(split);
        MetricsResult popValid = ev.evaluateValid(pop, split);
        MetricsResult popTest = ev.evaluateTest(pop, split);

        if (run != null) printEsim(run, esim);
        System.out.printf("stopped: %s after %d steps; best step %d; %.1f s training (%.2f s per 1000 steps), %.1f s validation%n",
                res.stopReason().name().toLowerCase(Locale.ROOT), res.steps(), res.bestStep(), res.trainSeconds(),
                res.secondsPer1000Steps(), res.evalSeconds());
        Map<String, MetricsResult> rows = new LinkedHashMap<>();
        rows.put("valid", valid);
        rows.put("test", test);
        rows.put("pop valid", popValid);
        rows.put("pop test", popTest);
        Tables.metrics(System.out, rows);

        Path out = args.path("out").orElse(null);
        if (out != null) {
            ModelMetadata md = ModelMetadata.of(res, ds.name(), split.protocol())
                    .with("data.kcore", String.valueOf(args.getInt("kcore", 5)))
                    .with("data.min_rating", args.get("min-rating", "none"));
            Optional<Semantics> semantics = run == null ? Optional.empty() : run.result().semantics();
            if (run != null) md = md.with("eimf", "true");
            ModelFiles.save(out, res.model(), ds.catalog(), md, semantics);
            System.out.println("model saved to " + out + (semantics.isPresent() ? " (with " + ModelFiles.SEMANTICS_FILE
                    + ": 'eimf recommend --explain' names its interests)" : ""));
        }
        if (args.get("json").isPresent()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("model", modelName);
            json.put("dataset", ds.name());
            json.put("protocol", split.protocol());
            json.put("seed", seed);
            json.put("diversity", diversity);
            json.put("threads", dev.eimf.internal.tensor.Parallel.threads());
            json.put("vector_api", dev.eimf.internal.tensor.Simd.vectorised());
            json.put("steps", res.steps());
            json.put("best_step", res.bestStep());
            json.put("stop_reason", res.stopReason().name().toLowerCase(Locale.ROOT));
            json.put("train_seconds", res.trainSeconds());
            json.put("eval_seconds", res.evalSeconds());
            json.put("seconds_per_1000_steps", res.secondsPer1000Steps());
            json.put("final_loss", res.finalLoss());
            json.put("settings", tp.json());
            json.put("valid", Json.metrics(valid));
            json.put("test", Json.metrics(test));
            Map<String, Object> popJson = new LinkedHashMap<>();
            popJson.put("valid", Json.metrics(popValid));
            popJson.put("test", Json.metrics(popTest));
            json.put("most_popular", popJson);
            if (run != null) {
                Map<String, Object> e = mt.json();
                e.putAll(EsimOptions.settingsJson(args, esim));
                e.put("encoder", run.encoderName());
                json.put("eimf", e);
                json.put("esim", esimJson(run, esim));
            }
            if (out != null) json.put("model_dir", out.toString());
            Json.write(Path.of(args.require("json")), json);
        }
        return 0;
    }

    /** What an EIMF run of this command produced. */
    record EimfRun(EimfResult result, String encoderName) {}

    private static EimfRun eimf(Args args, TrainOptions.Parsed tp, EsimOptions.Choice esim, EimfOptions.Parsed mt,
                                Dataset ds, Split split) throws IOException {
        Path work = args.path("work").orElse(null);
        Path store = args.path("store").orElse(work == null ? null : work.resolve("store"));
        if (work != null) {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("command", "train --eimf");
            settings.put("dataset", ds.name());
            settings.put("items", ds.numItems());
            settings.put("users", ds.numUsers());
            settings.put("protocol", split.protocol());
            settings.put("model", tp.modelName());
            settings.put("seed", tp.config().seed());
            settings.putAll(tp.json());
            settings.putAll(mt.json());
            settings.putAll(EsimOptions.settingsJson(args, esim));
            if (WorkDirs.claim(work, settings)) System.err.println("resuming from " + work);
        }
        Path temporaryStore = store == null ? Files.createTempDirectory("eimf-store") : null;
        try (EsimOptions.Services services = EsimOptions.open(args, esim, tp.encoder().numInterests())) {
            EimfConfig cfg;
            try {
                cfg = EimfConfig.builder(tp.config()).warmupSteps(mt.warmupSteps()).typical(esim.sampling())
                        .aux(mt.aux()).propagate(mt.propagate()).extractor(services.extractor)
                        .textEncoder(services.encoder).storeDir(store == null ? temporaryStore : store).workDir(work)
                        .esimConcurrency(esim.concurrency()).build();
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException(e.getMessage());
            }
            EimfResult r = new EimfPipeline(cfg).run(ds, split, new ProgressPrinter(System.err, tp.config()));
            return new EimfRun(r, services.encoder.name());
        } finally {
            if (temporaryStore != null) dev.eimf.internal.io.AtomicFiles.deleteTreeQuietly(temporaryStore);
        }
    }

    private static void printEsim(EimfRun run, EsimOptions.Choice esim) {
        EimfResult r = run.result();
        if (r.esim().isEmpty()) return;
        int clusters = r.typical().map(t -> t.numClusters()).orElse(0);
        System.out.printf(Locale.ROOT, "esim: %d typical users in %d clusters (%s), encoder %s; %s%n",
                r.esim().get().stats().typicalUsers(), clusters, esim.sampling().strategy().id(), run.encoderName(),
                EsimOptions.statsLine(esim, r.esim().get().stats(), EsimOptions.calls(esim, r.esim().get())));
        r.objective().ifPresent(o -> {
            SemanticTargets t = o.targets();
            System.out.printf(Locale.ROOT, "semantic targets: %d typical users with interests, %d inherited them, of %d training users%n",
                    t.ownCount(), t.propagatedCount(), t.size());
        });
        if (r.semantics().isEmpty()) {
            System.out.println("warning: no typical user got usable interests; the auxiliary tasks had nothing to learn from");
        }
    }

    static Map<String, Object> esimJson(EimfRun run, EsimOptions.Choice esim) {
        EimfResult r = run.result();
        Map<String, Object> m = r.esim().map(e -> EsimOptions.statsJson(esim, e)).orElseGet(LinkedHashMap::new);
        r.objective().ifPresent(o -> {
            m.put("own_targets", o.targets().ownCount());
            m.put("propagated_targets", o.targets().propagatedCount());
        });
        m.put("pipeline_seconds", r.esimSeconds());
        return m;
    }
}
