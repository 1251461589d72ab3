package dev.eimf.internal.model;

import dev.eimf.backbone.BackboneConfig;
import dev.eimf.backbone.Backbones;
import dev.eimf.internal.ibim.EncoderRecipe;

import dev.eimf.data.ItemCatalog;
import dev.eimf.internal.ibim.EncoderConfig;
import dev.eimf.internal.ibim.EncoderType;
import dev.eimf.internal.io.AtomicFiles;
import dev.eimf.internal.io.ModelArchive;
import dev.eimf.internal.io.ModelFormatException;
import dev.eimf.internal.io.SafeFiles;
import dev.eimf.internal.io.TensorData;
import dev.eimf.internal.train.SamplerType;
import dev.eimf.internal.train.TrainedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Saves and loads {@link SavedModel}s. A saved model is a directory holding two files
 * ({@code docs/MODEL-FORMAT.md}, section 4):
 * <ul>
 *   <li>{@value #MODEL_FILE}: an {@link ModelArchive} (versioned, checksummed) with the encoder
 *       configuration, training settings, metadata, external item ids, the item table
 *       ({@value #TABLE_TENSOR}) and the encoder weights ({@value #ENCODER_PREFIX}{@code <parameter>});</li>
 *   <li>{@value ItemsFile#NAME}: the item text (titles, categories, brand, description), one JSON object per
 *       item; its SHA-256 is recorded in the archive, so a mismatched or damaged file is detected.</li>
 * </ul>
 * A save replaces the directory as a whole ({@link DirectoryReplace}): the files are written and synced in a
 * sibling temporary directory that then takes the target's place by renames, so a failure (a full disk, a
 * read-only file system) leaves the previous model loadable. Loading follows only a plain file name inside
 * the directory and reads only regular files of the declared size.
 */
public final class ModelStore {
    /** The archive's file name inside a model directory. */
    public static final String MODEL_FILE = "model.eimf";
    /** Value of the config key {@code model.kind}. */
    public static final String KIND = "eimf-ibim";
    /** Layout version of the keys and tensors inside the archive; the only one this library reads. */
    public static final int VERSION = 1;
    /** Name of the item table tensor. */
    public static final String TABLE_TENSOR = "item_embeddings";
    /** Prefix of encoder weight tensors. */
    public static final String ENCODER_PREFIX = "encoder.";
    /** Config keys of a registered backbone's options: {@code encoder.option.NAME}. */
    static final String OPTION_PREFIX = "encoder.option.";

    private ModelStore() {
    }

    /**
     * Saves a trained model.
     *
     * @param dir      the model directory (created if needed; an existing one is replaced as a whole, its
     *                 other files carried over; on failure it is left as it was)
     * @param model    the trained model; its encoder must be a built-in one
     * @param catalog  the catalogue of the dataset it was trained on
     * @param metadata where it came from
     * @return the directory
     * @throws IllegalArgumentException when the encoder is a custom {@code InterestEncoder}
     */
    public static Path save(Path dir, TrainedModel model, ItemCatalog catalog, ModelMetadata metadata)
            throws IOException {
        return save(dir, SavedModel.of(model, catalog, metadata));
    }

    /** Saves a model; see {@link #save(Path, TrainedModel, ItemCatalog, ModelMetadata)}. */
    public static Path save(Path dir, SavedModel model) throws IOException {
        return save(dir, model, java.util.Map.of(), Set.of());
    }

    /**
     * Saves a model with companion files, all replaced together.
     *
     * @param extra  files to copy into the directory, by name
     * @param remove names an older directory may hold that this save must not carry over
     */
    public static Path save(Path dir, SavedModel model, java.util.Map<String, Path> extra, Set<String> remove)
            throws IOException {
        byte[] items = ItemsFile.encode(model.catalog());
        ModelArchive archive = archive(model, ItemsFile.sha256(items), items.length);
        DirectoryReplace.replace(dir, tmp -> {
            Path itemsFile = tmp.resolve(ItemsFile.NAME);
            DirectoryReplace.writing(itemsFile, () -> AtomicFiles.write(itemsFile, out -> out.write(items)));
            Path modelFile = tmp.resolve(MODEL_FILE);
            DirectoryReplace.writing(modelFile, () -> archive.write(modelFile));
            for (java.util.Map.Entry<String, Path> e : extra.entrySet()) {
                Path to = tmp.resolve(e.getKey());
                DirectoryReplace.writing(to, () -> AtomicFiles.write(to, out -> Files.copy(e.getValue(), out)));
            }
        }, own(extra.keySet(), remove));
        return dir;
    }

    private static Set<String> own(Set<String> extra, Set<String> remove) {
        Set<String> out = new java.util.HashSet<>(Set.of(ItemsFile.NAME, MODEL_FILE));
        out.addAll(extra);
        out.addAll(remove);
        return out;
    }

    private static ModelArchive archive(SavedModel m, String itemsSha256, long itemsBytes) {
        ModelArchive.Builder a = ModelArchive.builder();
        a.config("model.kind", KIND);
        a.config("model.version", VERSION);
        if (m.recipe() instanceof EncoderRecipe.BuiltIn builtIn) {
            EncoderConfig e = builtIn.config();
            a.config("encoder.type", EncoderNames.name(e.type()));
            a.config("encoder.dim", e.dim());
            a.config("encoder.interests", e.numInterests());
            a.config("encoder.max_len", e.maxLen());
            a.config("encoder.hidden", e.hidden());
            a.config("encoder.routing_iterations", e.routingIterations());
            a.config("encoder.relu_projection", e.reluProjection());
            a.config("encoder.truncated_routing_logits", e.truncatedRoutingLogits());
            a.config("encoder.dtype", e.dataType() == DataType.DOUBLE ? "float64" : "float32");
        } else {
            BackboneConfig b = m.recipe().backbone();
            a.config("encoder.type", b.name());
            a.config("encoder.dim", b.dim());
            a.config("encoder.interests", b.numInterests());
            a.config("encoder.max_len", b.maxLen());
            a.config("encoder.dtype", "float32");
            b.options().forEach((k, v) -> a.config(OPTION_PREFIX + k, v));
        }
        TrainingSettings t = m.training();
        a.config("train.seed", t.seed());
        a.config("train.learning_rate", t.learningRate());
        a.config("train.batch_size", t.batchSize());
        a.config("train.negative_multiplier", t.negativeMultiplier());
        a.config("train.sampler", t.sampler().name().toLowerCase(Locale.ROOT));
        a.config("train.max_steps", t.maxSteps());
        a.config("items.file", ItemsFile.NAME);
        a.config("items.sha256", itemsSha256);
        a.config("items.bytes", itemsBytes);
        ModelMetadata md = m.metadata();
        a.metadata("dataset", md.dataset());
        a.metadata("protocol", md.protocol());
        a.metadata("steps", String.valueOf(md.steps()));
        a.metadata("best_step", String.valueOf(md.bestStep()));
        md.extra().forEach(a::metadata);
        a.items(m.catalog());
        a.tensor(TABLE_TENSOR, m.tableArray());
        m.encoderWeights().forEach((name, v) -> a.tensor(ENCODER_PREFIX + name, v));
        return a.build();
    }

    /**
     * Loads a model.
     *
     * @param path a model directory, or its {@value #MODEL_FILE} (the item file is read from beside it)
     * @throws NoSuchFileException   when there is no model file there
     * @throws ModelFormatException  naming the file, when a file is foreign, truncated, damaged, of another
     *                               version, of an unknown model kind or encoder type, or inconsistent
     */
    public static SavedModel load(Path path) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve(MODEL_FILE) : path;
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no saved model here (expected the file "
                    + MODEL_FILE + " that 'eimf train --out' or ModelStore.save writes)");
        }
        ModelArchive a = ModelArchive.read(file);
        Config c = new Config(file, a);
        String kind = c.string("model.kind");
        if (!KIND.equals(kind)) {
            throw new ModelFormatException(file, "holds a model of kind '" + kind + "', this library loads '" + KIND + "'");
        }
        int version = c.integer("model.version");
        if (version != VERSION) {
            throw new ModelFormatException(file, "model layout version " + version + " is not supported; this library "
                    + "reads version " + VERSION);
        }
        EncoderRecipe encoder = recipe(c);
        TrainingSettings training = trainingSettings(c, encoder);
        ModelMetadata metadata = metadata(file, a);

        // The header is protected by a CRC anyone can recompute: its file name may not lead out of the directory.
        Path itemsFile;
        try {
            itemsFile = SafeFiles.inside(file.toAbsolutePath().getParent(), c.string("items.file"), "config key 'items.file'");
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new ModelFormatException(file, e.getMessage());
        }
        long declared = a.config().containsKey("items.bytes") ? c.longValue("items.bytes") : -1;
        if (a.config().containsKey("items.bytes") && declared < 0) {
            throw new ModelFormatException(file, "config key 'items.bytes' is negative: " + declared);
        }
        ItemCatalog catalog = ItemsFile.read(itemsFile, a.itemIds(), c.string("items.sha256"), declared);

        INDArray table = tensor(file, a, TABLE_TENSOR, encoder, new int[] {catalog.tableSize(), encoder.backbone().dim()});
        Map<String, INDArray> weights = new LinkedHashMap<>();
        for (Map.Entry<String, TensorData> e : a.tensors().entrySet()) {
            String name = e.getKey();
            if (name.equals(TABLE_TENSOR)) continue;
            if (!name.startsWith(ENCODER_PREFIX)) {
                throw new ModelFormatException(file, "unexpected tensor '" + name + "'");
            }
            weights.put(name.substring(ENCODER_PREFIX.length()), tensor(file, a, name, encoder, null));
        }
        try {
            return new SavedModel(encoder, training, metadata, catalog, table, weights);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, "the weights do not fit the " + encoder.backbone().name()
                    + " encoder it configures: " + e.getMessage());
        }
    }

    /** A built-in encoder's configuration, or a registered backbone's with its saved options. */
    private static EncoderRecipe recipe(Config c) throws ModelFormatException {
        String typeName = c.string("encoder.type");
        if (EncoderNames.parse(typeName).isPresent()) {
            return new EncoderRecipe.BuiltIn(encoderConfig(c));
        }
        if (Backbones.lookup(typeName).isEmpty()) {
            throw new ModelFormatException(c.file, "unknown encoder type '" + typeName + "'; this library knows "
                    + Backbones.names() + " (a backbone of your own must be registered with Backbones.register before loading)");
        }
        Map<String, String> options = new TreeMap<>();
        for (String key : c.a.config().keySet()) {
            if (key.startsWith(OPTION_PREFIX)) {
                options.put(key.substring(OPTION_PREFIX.length()), c.string(key));
            }
        }
        try {
            return EncoderRecipe.of(new BackboneConfig(typeName, c.integer("encoder.dim"), c.integer("encoder.interests"),
                    c.integer("encoder.max_len"), options));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(c.file, "invalid backbone configuration: " + e.getMessage());
        }
    }

    private static EncoderConfig encoderConfig(Config c) throws ModelFormatException {
        String typeName = c.string("encoder.type");
        EncoderType type = EncoderNames.parse(typeName).orElseThrow(() -> new ModelFormatException(c.file,
                "unknown encoder type '" + typeName + "'; this library knows " + EncoderNames.choices()));
        String dtype = c.string("encoder.dtype");
        DataType dt = switch (dtype) {
            case "float32" -> DataType.FLOAT;
            case "float64" -> DataType.DOUBLE;
            default -> throw new ModelFormatException(c.file, "config key 'encoder.dtype' is '" + dtype
                    + "', expected float32 or float64");
        };
        try {
            EncoderConfig.Builder b = EncoderConfig.builder(type).dim(c.integer("encoder.dim"))
                    .numInterests(c.integer("encoder.interests")).maxLen(c.integer("encoder.max_len"))
                    .hidden(c.integer("encoder.hidden")).routingIterations(c.integer("encoder.routing_iterations"))
                    .reluProjection(c.bool("encoder.relu_projection"))
                    .truncatedRoutingLogits(c.bool("encoder.truncated_routing_logits")).dataType(dt);
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(c.file, "invalid encoder configuration: " + e.getMessage());
        }
    }

    private static TrainingSettings trainingSettings(Config c, EncoderRecipe encoder) throws ModelFormatException {
        String s = c.string("train.sampler");
        SamplerType sampler;
        try {
            sampler = SamplerType.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(c.file, "config key 'train.sampler' is '" + s + "', expected log_uniform or uniform");
        }
        try {
            TrainingSettings t = new TrainingSettings(c.longValue("train.seed"), c.number("train.learning_rate"),
                    c.integer("train.batch_size"), c.integer("train.negative_multiplier"), sampler,
                    c.longValue("train.max_steps"));
            t.toTrainerConfig(encoder); // validates the values
            return t;
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(c.file, "invalid training settings: " + e.getMessage());
        }
    }

    private static ModelMetadata metadata(Path file, ModelArchive a) throws ModelFormatException {
        Map<String, String> m = new TreeMap<>(a.metadata());
        String dataset = m.remove("dataset");
        String protocol = m.remove("protocol");
        String steps = m.remove("steps");
        String best = m.remove("best_step");
        try {
            return new ModelMetadata(dataset == null ? "" : dataset, protocol == null ? "" : protocol,
                    steps == null ? 0 : Long.parseLong(steps), best == null ? 0 : Long.parseLong(best), m);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, "invalid metadata: " + e.getMessage());
        }
    }

    /** A tensor of the encoder's data type, checked against an expected shape when one is given. */
    private static INDArray tensor(Path file, ModelArchive a, String name, EncoderRecipe enc, int[] shape)
            throws ModelFormatException {
        TensorData t = a.tensors().get(name);
        if (t == null) throw new ModelFormatException(file, "lacks the tensor '" + name + "'");
        TensorData.DType want = enc.dataType() == DataType.DOUBLE ? TensorData.DType.FLOAT64 : TensorData.DType.FLOAT32;
        if (t.dtype() != want) {
            throw new ModelFormatException(file, "tensor '" + name + "' is " + t.dtype().jsonName() + ", the encoder is "
                    + want.jsonName());
        }
        if (shape != null && !java.util.Arrays.equals(shape, t.shape())) {
            throw new ModelFormatException(file, "tensor '" + name + "' has shape " + java.util.Arrays.toString(t.shape())
                    + ", expected " + java.util.Arrays.toString(shape));
        }
        return t.toINDArray();
    }

    /** Typed access to the archive's config with errors that name the file and key. */
    private static final class Config {
        final Path file;
        final ModelArchive a;

        Config(Path file, ModelArchive a) {
            this.file = file;
            this.a = a;
        }

        String string(String key) throws ModelFormatException {
            try {
                return a.configString(key);
            } catch (NoSuchElementException e) {
                throw new ModelFormatException(file, "lacks the config key '" + key + "'; is it a model saved by "
                        + "ModelStore? (keys: " + a.config().keySet() + ")");
            }
        }

        int integer(String key) throws ModelFormatException {
            long v = longValue(key);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new ModelFormatException(file, "config key '" + key + "' is out of range: " + v);
            }
            return (int) v;
        }

        long longValue(String key) throws ModelFormatException {
            String v = string(key);
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new ModelFormatException(file, "config key '" + key + "' is not an integer: '" + v + "'");
            }
        }

        double number(String key) throws ModelFormatException {
            String v = string(key);
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new ModelFormatException(file, "config key '" + key + "' is not a number: '" + v + "'");
            }
        }

        boolean bool(String key) throws ModelFormatException {
            String v = string(key);
            if (v.equals("true")) return true;
            if (v.equals("false")) return false;
            throw new ModelFormatException(file, "config key '" + key + "' is not true or false: '" + v + "'");
        }
    }
}
