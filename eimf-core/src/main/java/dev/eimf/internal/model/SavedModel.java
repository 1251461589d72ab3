package dev.eimf.internal.model;

import dev.eimf.backbone.BackboneConfig;
import dev.eimf.internal.ibim.EncoderRecipe;

import dev.eimf.data.ItemCatalog;
import dev.eimf.eval.ItemScorer;
import dev.eimf.internal.ibim.CapsuleEncoder;
import dev.eimf.internal.ibim.EncoderConfig;
import dev.eimf.internal.ibim.Encoders;
import dev.eimf.internal.ibim.InterestEncoder;
import dev.eimf.internal.ibim.Param;
import dev.eimf.internal.ibim.SelfAttentiveEncoder;
import dev.eimf.internal.serve.ExactItemIndex;
import dev.eimf.internal.serve.ItemIndex;
import dev.eimf.internal.serve.Recommender;
import dev.eimf.internal.serve.UserInterests;
import dev.eimf.internal.train.TrainedModel;
import dev.eimf.internal.train.TrainerConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained multi-interest model detached from its trainer: encoder configuration and weights, item
 * table, item catalogue (ids and text), training settings and metadata. It scores items exactly as the
 * {@link TrainedModel} it came from ({@code max_k <v_k, e_i>}, same interests for the same history), and
 * builds a {@link Recommender} that takes external ids and names items by title.
 *
 * <p>Obtain one from {@link ModelStore#load} or, in memory, from {@link #of}; write it with
 * {@link ModelStore#save}.
 *
 * <p>Thread-safe. The encoders reuse work buffers between passes, so each thread that calls this model
 * gets its own replica of the encoder (a {@link ThreadLocal}, built on first use from the stored weights;
 * a few MB at most). The item table is shared and only read. Long-lived pools of many threads therefore
 * hold one encoder replica per thread.
 */
public final class SavedModel implements UserInterests, ItemScorer {
    private final EncoderRecipe recipe;
    private final TrainingSettings training;
    private final ModelMetadata metadata;
    private final ItemCatalog catalog;
    private final INDArray table;                 // [n+1, d], never handed out
    private final Map<String, INDArray> weights;  // encoder parameter name -> value, in parameter order
    private final TrainerConfig trainerConfig;
    private final ThreadLocal<TrainedModel> replicas;
    private volatile Recommender recommender;

    SavedModel(EncoderConfig encoderConfig, TrainingSettings training, ModelMetadata metadata, ItemCatalog catalog,
               INDArray table, Map<String, INDArray> weights) {
        this(new EncoderRecipe.BuiltIn(encoderConfig), training, metadata, catalog, table, weights);
    }

    SavedModel(EncoderRecipe recipe, TrainingSettings training, ModelMetadata metadata, ItemCatalog catalog,
               INDArray table, Map<String, INDArray> weights) {
        this.recipe = Objects.requireNonNull(recipe, "recipe");
        BackboneConfig encoderConfig = recipe.backbone();
        this.training = Objects.requireNonNull(training, "training");
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.table = Objects.requireNonNull(table, "table");
        this.weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        if (table.rank() != 2 || table.size(0) != catalog.tableSize() || table.size(1) != encoderConfig.dim()) {
            throw new IllegalArgumentException("item table has shape " + java.util.Arrays.toString(table.shape())
                    + ", expected [" + catalog.tableSize() + ", " + encoderConfig.dim() + "] (catalogue items + padding, d)");
        }
        if (table.dataType() != recipe.dataType()) {
            throw new IllegalArgumentException("item table is " + table.dataType() + " but the encoder is "
                    + recipe.dataType());
        }
        this.trainerConfig = training.toTrainerConfig(recipe);
        // Fail now, not on a serving thread, if the weights do not fit the configuration.
        TrainedModel first = newReplica();
        this.replicas = ThreadLocal.withInitial(this::newReplica);
        this.replicas.set(first);
    }

    /**
     * A saved model holding a copy of a trained model's weights (later training does not change it).
     *
     * @param model    the trained model; its encoder is a built-in one or a registered {@code Backbone}
     * @param catalog  the catalogue of the dataset it was trained on (same item ids)
     * @param metadata where it came from
     * @throws IllegalArgumentException when the encoder cannot be rebuilt from a file (an {@link InterestEncoder}
     *                                  that is neither built in nor a registered backbone), or the catalogue does
     *                                  not match the item table
     */
    public static SavedModel of(TrainedModel model, ItemCatalog catalog, ModelMetadata metadata) {
        Objects.requireNonNull(model, "model");
        EncoderRecipe cfg = EncoderRecipe.of(model.encoder());
        Map<String, INDArray> w = new LinkedHashMap<>();
        for (Param p : model.encoder().parameters()) {
            if (w.put(p.name(), p.value().dup('c')) != null) {
                throw new IllegalArgumentException("encoder has two parameters named '" + p.name() + "'");
            }
        }
        return new SavedModel(cfg, TrainingSettings.of(model.config()), metadata, catalog, model.itemTable().dup('c'), w);
    }

    private TrainedModel newReplica() {
        InterestEncoder enc = recipe.create(new SplittableRandom(0));
        List<Param> params = enc.parameters();
        if (params.size() != weights.size()) {
            throw new IllegalArgumentException("the " + recipe.backbone().name() + " encoder has parameters "
                    + names(params) + " but the weights are " + weights.keySet());
        }
        for (Param p : params) {
            INDArray v = weights.get(p.name());
            if (v == null) {
                throw new IllegalArgumentException("no weights for encoder parameter '" + p.name() + "'; the weights are "
                        + weights.keySet());
            }
            if (!java.util.Arrays.equals(v.shape(), p.value().shape()) || v.dataType() != p.value().dataType()) {
                throw new IllegalArgumentException("weights of '" + p.name() + "' are " + v.dataType()
                        + java.util.Arrays.toString(v.shape()) + ", the encoder needs " + p.value().dataType()
                        + java.util.Arrays.toString(p.value().shape()));
            }
            p.value().assign(v);
        }
        return new TrainedModel(table, enc, trainerConfig);
    }

    private static List<String> names(List<Param> params) {
        List<String> out = new ArrayList<>(params.size());
        for (Param p : params) out.add(p.name());
        return out;
    }

    /** The same model with other metadata (the weights are shared, not copied). */
    public SavedModel withMetadata(ModelMetadata md) {
        return new SavedModel(recipe, training, md, catalog, table, weights);
    }

    /**
     * The built-in encoder's configuration.
     *
     * @throws IllegalStateException for a model of a user's backbone ({@link #recipe()} describes every model)
     */
    public EncoderConfig encoderConfig() {
        if (recipe instanceof EncoderRecipe.BuiltIn b) return b.config();
        throw new IllegalStateException("the model's backbone '" + recipe.backbone().name() + "' is not a built-in encoder");
    }

    /** How the encoder is rebuilt: backbone name, d, K, T and options. */
    public EncoderRecipe recipe() {
        return recipe;
    }

    /** The training settings. */
    public TrainingSettings training() {
        return training;
    }

    /** Dataset, protocol, steps and any extra metadata. */
    public ModelMetadata metadata() {
        return metadata;
    }

    /** The item catalogue: internal ids, external ids and item text. */
    public ItemCatalog catalog() {
        return catalog;
    }

    /** Number of real items. */
    public int numItems() {
        return catalog.size();
    }

    /** Embedding size d. */
    public int dim() {
        return recipe.backbone().dim();
    }

    /** Number of interests K. */
    @Override
    public int numInterests() {
        return recipe.backbone().numInterests();
    }

    /** A copy of the item table {@code [n+1, d]} as float rows (row 0 is padding). */
    public float[][] itemTable() {
        return dev.eimf.internal.tensor.Buf.toFloatRows(table);
    }

    /** The live item table, for {@link ModelStore} and {@link ModelExports} (never modified). */
    INDArray tableArray() {
        return table;
    }

    /** A copy of the encoder weights by parameter name, in the encoder's parameter order. */
    public Map<String, INDArray> encoderWeights() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        weights.forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }

    /**
     * A new, independent {@link TrainedModel} with these weights (its own table copy and encoder), e.g. to
     * evaluate with the trainer's tools. Like every {@code TrainedModel}, not thread-safe.
     */
    public TrainedModel toTrainedModel() {
        TrainedModel r = newReplica();
        return new TrainedModel(table.dup('c'), r.encoder(), trainerConfig);
    }

    /**
     * Interests of many histories as an array {@code [B, K, d]} (inference mode; same values as the
     * source {@link TrainedModel#interests}).
     */
    public INDArray interestsArray(int[][] histories) {
        return replicas.get().interests(histories);
    }

    @Override
    public float[][] interests(int[] history) {
        return interestsBatch(new int[][] {history})[0];
    }

    @Override
    public float[][][] interestsBatch(int[][] histories) {
        if (histories.length == 0) return new float[0][][];
        INDArray v = interestsArray(histories).castTo(DataType.FLOAT);
        int b = histories.length;
        int k = numInterests();
        int d = dim();
        float[] flat = v.dup('c').data().asFloat();
        float[][][] out = new float[b][k][];
        for (int u = 0; u < b; u++) {
            for (int q = 0; q < k; q++) {
                int off = (u * k + q) * d;
                out[u][q] = java.util.Arrays.copyOfRange(flat, off, off + d);
            }
        }
        return out;
    }

    @Override
    public void score(int[] history, float[] out) {
        replicas.get().score(history, out);
    }

    @Override
    public void scoreBatch(int[][] histories, float[][] out) {
        replicas.get().scoreBatch(histories, out);
    }

    @Override
    public void scoreInterestsBatch(int[][] histories, float[][][] out) {
        replicas.get().scoreInterestsBatch(histories, out);
    }

    /**
     * A recommender over the whole catalogue with exact max-over-K retrieval ({@link ExactItemIndex}),
     * built on first call and shared afterwards.
     */
    public Recommender recommender() {
        Recommender r = recommender;
        if (r == null) {
            synchronized (this) {
                r = recommender;
                if (r == null) {
                    r = recommender(ExactItemIndex.of(table));
                    recommender = r;
                }
            }
        }
        return r;
    }

    /** The exact item index over this model's table (a new one per call: callers keep it). */
    public ItemIndex itemIndex() {
        return ExactItemIndex.of(table);
    }

    /** A recommender with another retrieval index over the same item table. */
    public Recommender recommender(ItemIndex index) {
        return new Recommender(this, index, catalog);
    }

    @Override
    public String toString() {
        return "SavedModel[" + recipe.backbone().name() + ", d=" + dim() + ", K=" + numInterests()
                + ", T=" + recipe.backbone().maxLen() + ", items=" + numItems() + ", dataset=" + metadata.dataset() + "]";
    }
}
