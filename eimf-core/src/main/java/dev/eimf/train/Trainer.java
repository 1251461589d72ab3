package dev.eimf.train;

import com.google.gson.Gson;
import dev.eimf.backbone.BackboneConfig;
import dev.eimf.data.Dataset;
import dev.eimf.esim.InterestExtractor;
import dev.eimf.internal.esim.TypicalSampleConfig;
import dev.eimf.eval.Split;
import dev.eimf.internal.io.AtomicFiles;
import dev.eimf.internal.model.ModelAccess;
import dev.eimf.internal.model.ModelMetadata;
import dev.eimf.internal.model.SavedModel;
import dev.eimf.internal.mtl.AuxTasksConfig;
import dev.eimf.internal.pipeline.EimfConfig;
import dev.eimf.internal.pipeline.EimfPipeline;
import dev.eimf.internal.pipeline.EimfResult;
import dev.eimf.internal.pipeline.PipelineListener;
import dev.eimf.internal.pipeline.Semantics;
import dev.eimf.internal.train.DataFingerprint;
import dev.eimf.internal.train.EngineConfigs;
import dev.eimf.internal.train.RunOptions;
import dev.eimf.internal.train.WorkDirectory;
import dev.eimf.model.InterestModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Trains a model of multi-interest users: the backbone alone, or with the explicit-interest stages when
 * the configuration has them ({@link TrainerConfig#explicitInterests()}). One call, one listener, one
 * result: the model with its best validated weights, and the run's report.
 *
 * <pre>{@code
 * Trainer trainer = new Trainer(config, RunSettings.builder().workDir(Path.of("work")).build());
 * TrainingResult result = trainer.train(dataset, split, progress -> System.err.println(progress.step()));
 * result.model().save(Path.of("model"));
 * }</pre>
 *
 * <p>Training is sequential steps of data-parallel work on the engine's process-wide threads
 * ({@link RunSettings#threads()}); the same seed and thread count give the same model. With a work
 * directory every stage writes checkpoints: a rerun after a crash continues where it stopped, a rerun with
 * a larger step budget extends the run, and a rerun with other settings or data is refused or restarted
 * ({@link WorkDirPolicy}). A {@link TrainingControl} (or an interrupt) stops a run early with its best
 * weights. A {@code Trainer} holds no state between calls and may be reused; concurrent runs in one JVM
 * share the process's compute threads.
 */
public final class Trainer {
    private static final Gson GSON = new Gson();
    private final TrainerConfig config;
    private final RunSettings settings;

    /** A trainer with {@link RunSettings#defaults()}. */
    public Trainer(TrainerConfig config) {
        this(config, RunSettings.defaults());
    }

    /**
     * @param config   the hyperparameters
     * @param settings how the run executes
     */
    public Trainer(TrainerConfig config, RunSettings settings) {
        this.config = Objects.requireNonNull(config, "config");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The hyperparameters. */
    public TrainerConfig config() {
        return config;
    }

    /** The run settings. */
    public RunSettings settings() {
        return settings;
    }

    /** Trains without reports. */
    public TrainingResult train(Dataset data, Split split) {
        return train(data, split, TrainingListener.NONE, new TrainingControl());
    }

    /** Trains, reporting to {@code listener}. */
    public TrainingResult train(Dataset data, Split split, TrainingListener listener) {
        return train(data, split, listener, new TrainingControl());
    }

    /**
     * Trains a model.
     *
     * @param data     the dataset the split was made from (item catalogue, user ids, item text)
     * @param split    training sequences and validation cases (validation needs cases unless
     *                 {@code evalEvery} is 0)
     * @param listener receives progress, validations, stage changes and extraction progress
     * @param control  stops the run early from any thread
     * @return the model with the best validated weights (the last weights without validation) and the report
     * @throws IllegalArgumentException when the split does not fit the data or has no validation cases
     * @throws IllegalStateException    when the work directory holds another run ({@link WorkDirPolicy#REFUSE})
     * @throws UncheckedIOException     naming the path when a checkpoint, the store or the work directory
     *                                  cannot be read or written
     */
    public TrainingResult train(Dataset data, Split split, TrainingListener listener, TrainingControl control) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(control, "control");
        if (split.numItems() != data.numItems()) {
            throw new IllegalArgumentException("the split has " + split.numItems() + " items but the dataset "
                    + data.numItems() + ": make the split from this dataset");
        }
        if (config.evalEvery() > 0 && split.valid().isEmpty()) {
            throw new IllegalArgumentException("the split has no validation cases; set evalEvery(0) to train without");
        }
        dev.eimf.internal.train.TrainerConfig engine = EngineConfigs.engine(config, settings.threads());
        String fingerprint = DataFingerprint.of(split);
        Path work = null;
        boolean temporary = settings.workDir().isEmpty();
        try {
            work = temporary ? Files.createTempDirectory("eimf-work") : settings.workDir().get();
            WorkDirectory dir = new WorkDirectory(work);
            Path store = settings.storeDir().orElse(work.resolve("store"));
            dir.prepare(manifest(fingerprint), config.maxSteps(), settings.workDirPolicy() == WorkDirPolicy.RESTART,
                    List.of(work.resolve("store")));
            // Without a work directory nothing will resume, so only what the stages hand on is written.
            return config.explicitInterests().isEmpty()
                    ? backbone(data, split, engine, listener, control, work, fingerprint, !temporary)
                    : withInterests(data, split, engine, listener, control, work, store, fingerprint, !temporary);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } finally {
            if (temporary && work != null) {
                AtomicFiles.deleteTreeQuietly(work);
            }
            control.restoreInterrupt();
        }
    }

    private TrainingResult backbone(Dataset data, Split split, dev.eimf.internal.train.TrainerConfig engine,
                                    TrainingListener listener, TrainingControl control, Path work, String fingerprint,
                                    boolean checkpoints) throws IOException {
        Path ckpt = work.resolve("backbone.ckpt");
        RunOptions options = RunOptions.defaults().withStop(control::poll);
        if (checkpoints) {
            options = options.withCheckpoint(ckpt, settings.checkpointEvery());
        }
        if (checkpoints && Files.exists(ckpt)) {
            options = options.withResume(ckpt);
        }
        listener.onStage(Stage.TRAINING, "backbone training to step " + config.maxSteps());
        dev.eimf.internal.train.TrainingResult r = new dev.eimf.internal.train.Trainer(engine)
                .train(split, p -> report(listener, Stage.TRAINING, p), options);
        TrainingReport report = report(r, 0, Optional.empty());
        return new TrainingResult(model(r, data, split, fingerprint, Optional.empty(), false), report);
    }

    private TrainingResult withInterests(Dataset data, Split split, dev.eimf.internal.train.TrainerConfig engine,
                                         TrainingListener listener, TrainingControl control, Path work, Path store,
                                         String fingerprint, boolean checkpoints) throws IOException {
        ExplicitInterestsConfig x = config.explicitInterests().orElseThrow();
        // The warm-up hands its state to the main stage through its final checkpoint, so that one is always written.
        EimfConfig ec = eimfConfig(engine, x, work, store, checkpoints ? settings.checkpointEvery() : Integer.MAX_VALUE);
        PipelineListener pl = new PipelineListener() {
            @Override
            public void stage(String stage, String detail) {
                listener.onStage(Trainer.stage(stage), detail);
            }

            @Override
            public void extraction(int done, int total) {
                listener.onExtraction(done, total);
            }

            @Override
            public void training(String stage, dev.eimf.internal.train.Progress progress) {
                report(listener, Trainer.stage(stage), progress);
            }
        };
        EimfResult r = new EimfPipeline(ec).run(data, split, pl, control::poll);
        Optional<InterestsReport> interests = r.esim().map(e -> new InterestsReport(e.stats().typicalUsers(),
                r.typical().map(t -> t.numClusters()).orElse(0), e.stats().llmCalls(), e.stats().cached(),
                e.stats().failed(), r.objective().map(o -> o.targets().ownCount()).orElse(0),
                r.objective().map(o -> o.targets().propagatedCount()).orElse(0), r.esimSeconds()));
        TrainingReport report = report(r.training(), r.warmup().steps(), interests);
        return new TrainingResult(model(r.training(), data, split, fingerprint, r.semantics(), true), report);
    }

    /** The engine's pipeline settings for these explicit-interest settings. */
    private EimfConfig eimfConfig(dev.eimf.internal.train.TrainerConfig engine, ExplicitInterestsConfig x, Path work,
                                  Path store, int checkpointEvery) {
        TypicalSampleConfig typical = TypicalSampleConfig.builder().strategy(x.selection()).clusters(x.clusters())
                .perCluster(x.perCluster()).seed(x.selectionSeed().orElse(config.seed())).build();
        AuxTasksConfig aux = AuxTasksConfig.builder().lambdaAlign(x.alignWeight()).lambdaSemantic(x.semanticWeight())
                .alignEnabled(x.alignWeight() > 0).semanticEnabled(x.semanticWeight() > 0).tau(x.temperature())
                .matching(dev.eimf.internal.mtl.Matching.valueOf(x.matching().name()))
                .propagationTemperature(x.propagationTemperature()).lambdaItem(x.itemAlignWeight()).build();
        return EimfConfig.builder(engine).warmupSteps(x.warmupSteps()).typical(typical).aux(aux).propagate(x.propagate())
                .extractor(x.extractor()).textEncoder(x.textEncoder()).storeDir(store).workDir(work)
                .checkpointEvery(checkpointEvery).esimConcurrency(settings.extractionConcurrency()).build();
    }

    private static Stage stage(String name) {
        return switch (name) {
            case "warmup" -> Stage.WARMUP;
            case "esim" -> Stage.INTERESTS;
            default -> Stage.TRAINING;
        };
    }

    private static void report(TrainingListener listener, Stage stage, dev.eimf.internal.train.Progress p) {
        if (p.evaluated() && p.latestValidation().isPresent()) {
            listener.onValidation(stage, new ValidationPoint(p.step(), p.latestValidation().get()));
        }
        listener.onProgress(new Progress(stage, p.step(), p.maxSteps(), p.loss(), p.stepsPerSecond(), p.evaluated(),
                p.latestValidation(), p.bestValue(), p.timeLeft()));
    }

    private static TrainingReport report(dev.eimf.internal.train.TrainingResult r, long warmupSteps,
                                         Optional<InterestsReport> interests) {
        List<ValidationPoint> vs = new ArrayList<>();
        for (dev.eimf.internal.train.ValidationPoint v : r.validations()) {
            vs.add(new ValidationPoint(v.step(), v.metrics()));
        }
        return new TrainingReport(StopReason.valueOf(r.stopReason().name()), r.steps(), r.bestStep(), r.bestValidation(),
                vs, r.trainSeconds(), r.evalSeconds(), r.secondsPer1000Steps(), r.finalLoss(), warmupSteps, interests);
    }

    private InterestModel model(dev.eimf.internal.train.TrainingResult r, Dataset data, Split split, String fingerprint,
                                Optional<Semantics> semantics, boolean withInterests) {
        ModelMetadata md = new ModelMetadata(data.name(), split.protocol(), r.steps(), r.bestStep(), Map.of())
                .with("eimf.library_version", EngineConfigs.libraryVersion())
                .with("eimf.data_fingerprint", fingerprint)
                .with("eimf.settings", GSON.toJson(describe()));
        if (withInterests) {
            md = md.with("eimf", "true");
        }
        SavedModel saved = SavedModel.of(r.model(), data.catalog(), md);
        return ModelAccess.get().create(saved, semantics);
    }

    /** Every hyperparameter by name, for provenance. */
    private Map<String, String> describe() {
        Map<String, String> m = new TreeMap<>(manifestSettings());
        m.put("max_steps", Long.toString(config.maxSteps()));
        m.put("eval_every", Integer.toString(config.evalEvery()));
        m.put("patience", Integer.toString(config.patience()));
        config.timeBudget().ifPresent(t -> m.put("time_budget", t.toString()));
        return m;
    }

    /** The settings a continued run must share with the run that wrote the checkpoints. */
    private Map<String, String> manifestSettings() {
        Map<String, String> m = new TreeMap<>();
        BackboneConfig b = config.backbone();
        m.put("backbone", b.name());
        m.put("dim", Integer.toString(b.dim()));
        m.put("interests", Integer.toString(b.numInterests()));
        m.put("max_len", Integer.toString(b.maxLen()));
        b.options().forEach((k, v) -> m.put("backbone." + k, v));
        m.put("batch_size", Integer.toString(config.batchSize()));
        m.put("learning_rate", Double.toString(config.learningRate()));
        m.put("negative_multiplier", Integer.toString(config.negativeMultiplier()));
        m.put("negatives", config.negatives().name().toLowerCase(java.util.Locale.ROOT));
        m.put("clip_norm", Double.toString(config.clipNorm()));
        m.put("selection_metric", config.selectionMetric());
        m.put("seed", Long.toString(config.seed()));
        config.explicitInterests().ifPresent(x -> {
            InterestExtractor extractor = x.extractor().withInterests(b.numInterests());
            m.put("interests.extractor", extractor.name() + ":" + extractor.modelName());
            m.put("interests.text_encoder", x.textEncoder().name());
            m.put("interests.warmup_steps", Long.toString(effectiveWarmup(x)));
            m.put("interests.clusters", Integer.toString(x.clusters()));
            m.put("interests.per_cluster", Integer.toString(x.perCluster()));
            m.put("interests.selection", x.selection().name().toLowerCase(java.util.Locale.ROOT));
            m.put("interests.selection_seed", Long.toString(x.selectionSeed().orElse(config.seed())));
            m.put("interests.align_weight", Double.toString(x.alignWeight()));
            m.put("interests.semantic_weight", Double.toString(x.semanticWeight()));
            m.put("interests.temperature", Double.toString(x.temperature()));
            m.put("interests.matching", x.matching().name().toLowerCase(java.util.Locale.ROOT));
            m.put("interests.propagate", Boolean.toString(x.propagate()));
            m.put("interests.propagation_temperature", Double.toString(x.propagationTemperature()));
            m.put("interests.item_align_weight", Double.toString(x.itemAlignWeight()));
        });
        return m;
    }

    /** The warm-up the pipeline runs (as {@code EimfConfig.effectiveWarmupSteps}): it decides which users are typical. */
    private long effectiveWarmup(ExplicitInterestsConfig x) {
        long w = x.warmupSteps() > 0 ? x.warmupSteps() : config.evalEvery();
        if (w <= 0) {
            w = Math.max(1, config.maxSteps() / 10);
        }
        return Math.min(w, config.maxSteps());
    }

    private Map<String, String> manifest(String fingerprint) {
        Map<String, String> m = manifestSettings();
        m.put("data_fingerprint", fingerprint);
        return m;
    }
}
