package dev.eimf.internal.pipeline;

import dev.eimf.data.Dataset;
import dev.eimf.internal.esim.EsimResult;
import dev.eimf.internal.esim.EsimRunner;
import dev.eimf.internal.esim.InterestStore;
import dev.eimf.internal.esim.TypicalSampleSelector;
import dev.eimf.internal.esim.TypicalSamples;
import dev.eimf.esim.UserHistory;
import dev.eimf.internal.esim.UserInterests;
import dev.eimf.eval.Split;
import dev.eimf.internal.mtl.AuxiliaryTasks;
import dev.eimf.internal.train.RunOptions;
import dev.eimf.internal.train.TrainedModel;
import dev.eimf.internal.train.Trainer;
import dev.eimf.internal.train.TrainerConfig;
import dev.eimf.internal.train.TrainingResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The whole EIMF method in one call (docs/METHOD.md, sections 4 and 5):
 * <ol>
 *   <li><b>warm-up</b>: the backbone (IBIM) trains alone for {@link EimfConfig#effectiveWarmupSteps()};</li>
 *   <li><b>ESIM</b>: each training user is represented by the L2-normalised mean of its K interests under the
 *       warm model; typical users are selected; their explicit interests are extracted (LLM or metadata),
 *       encoded and stored; semantic targets are built (with propagation when on);</li>
 *   <li><b>multi-task training</b>: training continues from the warm-up state with the auxiliary tasks
 *       added, up to {@code trainer.maxSteps()} steps in total.</li>
 * </ol>
 * Every stage resumes after a crash: training from its checkpoint in the work directory, ESIM from the
 * interest store. The returned model serves from behaviour alone.
 *
 * <pre>{@code
 * EimfConfig cfg = EimfConfig.builder(trainerConfig)
 *         .extractor(MetadataInterestExtractor.builder().build())
 *         .textEncoder(myEncoder).storeDir(Path.of("store")).workDir(Path.of("work")).build();
 * EimfResult r = new EimfPipeline(cfg).run(dataset, split, PipelineListener.NONE);
 * }</pre>
 */
public final class EimfPipeline {
    /** Training users whose interests are computed per forward pass when selecting typical users. */
    private static final int CHUNK = 512;

    private final EimfConfig config;

    /** @param config the pipeline settings */
    public EimfPipeline(EimfConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The settings. */
    public EimfConfig config() {
        return config;
    }

    /**
     * Runs every stage.
     *
     * @param dataset  the dataset the split was made from (user ids and item texts)
     * @param split    training sequences and validation cases
     * @param listener progress
     * @throws UncheckedIOException when the store or a checkpoint cannot be read or written
     */
    public EimfResult run(Dataset dataset, Split split, PipelineListener listener) {
        return run(dataset, split, listener, () -> false);
    }

    /**
     * Runs every stage, polling {@code stop} after every training step: a stop ends the current stage with
     * its best weights restored and skips the stages after it (the result's training record then has
     * {@link dev.eimf.internal.train.StopReason#CANCELLED}).
     */
    public EimfResult run(Dataset dataset, Split split, PipelineListener listener, java.util.function.BooleanSupplier stop) {
        Objects.requireNonNull(stop, "stop");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(listener, "listener");
        Path work = null;
        boolean temporary = config.workDir().isEmpty();
        try {
            work = temporary ? Files.createTempDirectory("eimf-work") : config.workDir().get();
            Files.createDirectories(work);
            return stages(dataset, split, listener, work, stop);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (temporary && work != null) {
                dev.eimf.internal.io.AtomicFiles.deleteTreeQuietly(work);
            }
        }
    }

    private EimfResult stages(Dataset dataset, Split split, PipelineListener listener, Path work,
                              java.util.function.BooleanSupplier stop) throws IOException {
        TrainerConfig full = config.trainer();
        long warmSteps = config.effectiveWarmupSteps();
        Path warmCkpt = work.resolve("warmup.ckpt");
        Path mainCkpt = work.resolve(config.runName() + ".ckpt");

        listener.stage("warmup", "backbone alone for " + warmSteps + " steps");
        RunOptions warmOptions = RunOptions.defaults().withRestoreBest(false).withStop(stop).withCheckpoint(warmCkpt, config.checkpointEvery());
        if (Files.exists(warmCkpt)) {
            warmOptions = warmOptions.withResume(warmCkpt);
        }
        TrainingResult warm = new Trainer(full.toBuilder().maxSteps(warmSteps).build())
                .train(split, p -> listener.training("warmup", p), warmOptions);
        if (warm.stopReason() == dev.eimf.internal.train.StopReason.CANCELLED) {
            // stopped inside the warm-up, which then restored its best weights
            return new EimfResult(warm.model(), warm, warm, Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), 0);
        }
        if (stop.getAsBoolean()) {
            return cancelledAfterWarmup(warm);
        }

        RunOptions mainOptions = RunOptions.defaults().withStop(stop).withCheckpoint(mainCkpt, config.checkpointEvery())
                .withResume(Files.exists(mainCkpt) ? mainCkpt : warmCkpt);
        Optional<TypicalSamples> typical = Optional.empty();
        Optional<EsimResult> esim = Optional.empty();
        Optional<SemanticObjective> objective = Optional.empty();
        Optional<Semantics> semantics = Optional.empty();
        double esimSeconds = 0;
        if (config.semantic()) {
            long t0 = System.nanoTime();
            String[] userIds = new String[split.train().length];
            for (int i = 0; i < userIds.length; i++) {
                userIds[i] = dataset.userId(split.trainUsers()[i]);
            }
            float[][] behaviour = behaviourVectors(warm.model(), split.train());
            TypicalSamples samples = new TypicalSampleSelector(config.typical()).select(Arrays.asList(userIds), behaviour);
            listener.stage("esim", String.format(Locale.ROOT, "%d typical users from %d clusters (%s)",
                    samples.chosen().size(), samples.numClusters(), config.typical().strategy()));
            List<UserHistory> histories = new ArrayList<>();
            for (TypicalSamples.TypicalUser t : samples.chosen()) {
                histories.add(UserHistory.of(t.userId(), split.train()[t.index()], dataset.catalog()));
            }
            if (stop.getAsBoolean()) {
                return cancelledAfterWarmup(warm);
            }
            EsimResult result;
            try (InterestStore store = InterestStore.open(config.storeDir())) {
                result = EsimRunner.builder().extractor(config.extractor().withInterests(warm.model().encoder().numInterests()))
                        .encoder(config.textEncoder()).store(store).concurrency(config.esimConcurrency())
                        .progress(listener::extraction).stop(stop).build().run(histories);
            } catch (java.util.concurrent.CancellationException e) {
                // What was extracted is in the store; a rerun reuses it.
                return cancelledAfterWarmup(warm);
            }
            Map<String, UserInterests> byUser = new HashMap<>();
            for (UserInterests u : result.users()) {
                byUser.put(u.userId(), u);
            }
            SemanticTargets targets = SemanticTargets.build(samples, byUser, config.aux(), config.propagate());
            listener.stage("esim", String.format(Locale.ROOT,
                    "%d extractions (%d fresh, %d LLM calls, %d cached, %d failed); semantic targets: %d own, %d propagated of %d users",
                    result.stats().typicalUsers(), result.stats().typicalUsers() - result.stats().cached(),
                    result.stats().llmCalls(), result.stats().cached(),
                    result.stats().failed(), targets.ownCount(), targets.propagatedCount(), targets.size()));
            AuxiliaryTasks tasks = new AuxiliaryTasks(config.aux(), warm.model().encoder().dim(),
                    config.textEncoder().dimension(), full.seed() ^ 0x4549_4D46L);
            if (config.aux().centerTargets() && targets.mean().isPresent()) {
                tasks.centreTargets(targets.mean().get());
            }
            SemanticObjective obj = new SemanticObjective(tasks, targets);
            if (config.aux().itemAlignEnabled()) {
                long t1 = System.nanoTime();
                float[][] byItem = itemTextVectors(dataset.catalog(), config.textEncoder(), stop);
                if (byItem == null) {
                    return cancelledAfterWarmup(warm);
                }
                obj.itemTexts(byItem);
                listener.stage("esim", String.format(Locale.ROOT, "item texts: %d of %d items encoded in %.1f s",
                        Arrays.stream(byItem).filter(Objects::nonNull).count(), dataset.catalog().size(),
                        (System.nanoTime() - t1) / 1e9));
            }
            mainOptions = mainOptions.withAuxiliary(obj);
            typical = Optional.of(samples);
            esim = Optional.of(result);
            objective = Optional.of(obj);
            esimSeconds = (System.nanoTime() - t0) / 1e9;
            if (targets.ownCount() > 0) {
                semantics = Optional.of(Semantics.of(tasks, result));
            }
        }
        listener.stage("train", config.semantic() ? "multi-task training to step " + full.maxSteps()
                : "backbone training to step " + full.maxSteps());
        TrainingResult main = new Trainer(full).train(split, p -> listener.training("train", p), mainOptions);
        return new EimfResult(main.model(), warm, main, typical, esim, objective, semantics, esimSeconds);
    }

    /**
     * The result of a run stopped after its warm-up: the warm-up's model (its last weights, those of its
     * closing validation), reported as cancelled.
     */
    private static EimfResult cancelledAfterWarmup(TrainingResult warm) {
        TrainingResult r = new TrainingResult(warm.model(), dev.eimf.internal.train.StopReason.CANCELLED, warm.steps(),
                warm.steps(), warm.validations().isEmpty() ? Optional.empty()
                        : Optional.of(warm.validations().get(warm.validations().size() - 1).metrics()),
                warm.validations(), warm.trainSeconds(), warm.evalSeconds(), warm.secondsPer1000Steps(), warm.finalLoss());
        return new EimfResult(r.model(), warm, r, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0);
    }

    /** Items encoded per call of the text encoder. */
    private static final int ITEM_TEXT_BATCH = 256;

    /**
     * Every item's text vector for item-side alignment, indexed by item id (null where the item has no title,
     * category or brand): the encoder's vector of {@link #itemText}; null when {@code stop} asked to stop.
     */
    static float[][] itemTextVectors(dev.eimf.data.ItemCatalog catalog, dev.eimf.esim.TextEncoder encoder,
                                     java.util.function.BooleanSupplier stop) throws IOException {
        float[][] out = new float[catalog.tableSize()][];
        List<Integer> ids = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int id = 1; id < catalog.tableSize(); id++) {
            String text = itemText(catalog.info(id));
            if (text.isEmpty()) {
                continue;
            }
            ids.add(id);
            texts.add(text);
            if (texts.size() == ITEM_TEXT_BATCH) {
                if (stop.getAsBoolean()) {
                    return null;
                }
                encodeInto(encoder, ids, texts, out);
            }
        }
        if (!texts.isEmpty()) {
            encodeInto(encoder, ids, texts, out);
        }
        return out;
    }

    private static void encodeInto(dev.eimf.esim.TextEncoder encoder, List<Integer> ids, List<String> texts,
                                   float[][] out) throws IOException {
        List<float[]> v = encoder.encode(texts);
        if (v.size() != texts.size()) {
            throw new IllegalStateException("text encoder " + encoder.name() + " returned " + v.size()
                    + " vectors for " + texts.size() + " texts");
        }
        for (int i = 0; i < ids.size(); i++) {
            out[ids.get(i)] = v.get(i);
        }
        ids.clear();
        texts.clear();
    }

    /** An item as text: its title, then its categories as a path, then its brand; empty when it has none. */
    static String itemText(dev.eimf.data.ItemInfo item) {
        StringBuilder b = new StringBuilder(item.title().strip());
        String cats = String.join(" > ", item.categories().stream().map(String::strip).filter(c -> !c.isEmpty()).toList());
        if (!cats.isEmpty()) {
            b.append(b.length() > 0 ? ". " : "").append(cats);
        }
        if (!item.brand().isBlank()) {
            b.append(b.length() > 0 ? ". " : "").append("Brand: ").append(item.brand().strip());
        }
        return b.toString();
    }

    /** The L2-normalised mean of each sequence's K interests (last T items) under the model. */
    static float[][] behaviourVectors(TrainedModel model, int[][] sequences) {
        return behaviourVectors(model::interests, sequences);
    }

    /**
     * Each sequence's behavioural vector for typical-sample selection (docs/METHOD.md, section 4.2): the
     * L2-normalised mean of its K interests.
     *
     * @param interests histories to interests [B, K, d] (a model's inference pass)
     * @param sequences item ids per user, oldest first
     */
    public static float[][] behaviourVectors(java.util.function.Function<int[][], INDArray> interests,
                                             int[][] sequences) {
        float[][] out = new float[sequences.length][];
        for (int from = 0; from < sequences.length; from += CHUNK) {
            int to = Math.min(sequences.length, from + CHUNK);
            INDArray v = interests.apply(Arrays.copyOfRange(sequences, from, to));
            int k = (int) v.size(1);
            int d = (int) v.size(2);
            float[] flat = v.data().asFloat();
            for (int i = from; i < to; i++) {
                float[] mean = new float[d];
                int base = (i - from) * k * d;
                for (int j = 0; j < k; j++) {
                    for (int c = 0; c < d; c++) {
                        mean[c] += flat[base + j * d + c] / k;
                    }
                }
                double n2 = 0;
                for (float x : mean) {
                    n2 += (double) x * x;
                }
                double norm = Math.sqrt(n2);
                if (norm > 0) {
                    for (int c = 0; c < d; c++) {
                        mean[c] /= (float) norm;
                    }
                }
                out[i] = mean;
            }
        }
        return out;
    }
}
