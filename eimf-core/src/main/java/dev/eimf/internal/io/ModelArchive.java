package dev.eimf.internal.io;

import dev.eimf.data.ItemCatalog;
import dev.eimf.data.ItemInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Everything a trained model needs to be served elsewhere, as one immutable value: configuration
 * key/values, free metadata, the item id mapping and named tensors. {@link #write(Path)} and
 * {@link #read(Path)} use the versioned binary format documented in {@code docs/MODEL-FORMAT.md}.
 *
 * <p>Configuration and metadata values are strings, so that a value reads back exactly as written
 * whatever its type; the typed getters parse them. Keys are kept sorted and tensors in insertion
 * order, so the same archive always writes the same bytes.
 */
public final class ModelArchive {
    /** The format version this library writes and the only one it reads. */
    public static final int FORMAT_VERSION = 1;

    private final Map<String, String> config;
    private final Map<String, String> metadata;
    private final List<String> itemIds;
    private final Map<String, TensorData> tensors;

    private ModelArchive(Builder b) {
        config = Collections.unmodifiableMap(new TreeMap<>(b.config));
        metadata = Collections.unmodifiableMap(new TreeMap<>(b.metadata));
        itemIds = List.copyOf(b.itemIds);
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(b.tensors));
    }

    /** A new, empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Configuration key/values (what is needed to rebuild the model), sorted by key. */
    public Map<String, String> config() {
        return config;
    }

    /** Free metadata (dataset, creation time, library version...), sorted by key. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** External item ids in internal order: element 0 is internal id 1 (id 0 is padding). */
    public List<String> itemIds() {
        return itemIds;
    }

    /** Named tensors in the order they were added. */
    public Map<String, TensorData> tensors() {
        return tensors;
    }

    /**
     * The tensor of this name.
     *
     * @throws NoSuchElementException naming the tensors that exist
     */
    public TensorData tensor(String name) {
        TensorData t = tensors.get(name);
        if (t == null) throw new NoSuchElementException("no tensor '" + name + "'; the archive holds " + tensors.keySet());
        return t;
    }

    /**
     * A configuration value.
     *
     * @throws NoSuchElementException when the key is absent
     */
    public String configString(String key) {
        String v = config.get(key);
        if (v == null) throw new NoSuchElementException("no config key '" + key + "'; the archive holds " + config.keySet());
        return v;
    }

    /** A configuration value parsed as an int; the exception names the key and the bad value. */
    public int configInt(String key) {
        String v = configString(key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("config key '" + key + "' is not an int: '" + v + "'", e);
        }
    }

    /** A configuration value parsed as a double; the exception names the key and the bad value. */
    public double configDouble(String key) {
        String v = configString(key);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("config key '" + key + "' is not a number: '" + v + "'", e);
        }
    }

    /** An id-only catalogue of the stored item ids (titles are not part of a model file). */
    public ItemCatalog idOnlyCatalog() {
        List<ItemInfo> items = new ArrayList<>(itemIds.size());
        for (String id : itemIds) items.add(ItemInfo.idOnly(id));
        return new ItemCatalog(items);
    }

    /** Writes the archive atomically (temporary file, fsync, rename). */
    public void write(Path file) throws IOException {
        ModelArchiveWriter.write(this, file);
    }

    /**
     * Reads and verifies an archive.
     *
     * @throws ModelFormatException when the file is foreign, truncated, damaged or from another version
     */
    public static ModelArchive read(Path file) throws IOException {
        return ModelArchiveReader.read(file);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ModelArchive)) return false;
        ModelArchive a = (ModelArchive) o;
        return config.equals(a.config) && metadata.equals(a.metadata) && itemIds.equals(a.itemIds)
                && tensors.equals(a.tensors) && List.copyOf(tensors.keySet()).equals(List.copyOf(a.tensors.keySet()));
    }

    @Override
    public int hashCode() {
        return Objects.hash(config, metadata, itemIds, tensors);
    }

    @Override
    public String toString() {
        return "ModelArchive[config=" + config.keySet() + ", items=" + itemIds.size() + ", tensors=" + tensors + "]";
    }

    /** Collects the parts of an archive; {@link #build()} validates them. */
    public static final class Builder {
        private final Map<String, String> config = new TreeMap<>();
        private final Map<String, String> metadata = new TreeMap<>();
        private final List<String> itemIds = new ArrayList<>();
        private final Map<String, TensorData> tensors = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets a configuration value. */
        public Builder config(String key, String value) {
            config.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value for " + key));
            return this;
        }

        /** Sets a configuration value from a number or boolean ({@code String.valueOf}). */
        public Builder config(String key, Object value) {
            return config(key, String.valueOf(Objects.requireNonNull(value, "value for " + key)));
        }

        /** Sets all configuration values of a map. */
        public Builder config(Map<String, String> values) {
            values.forEach(this::config);
            return this;
        }

        /** Sets a metadata value. */
        public Builder metadata(String key, String value) {
            metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value for " + key));
            return this;
        }

        /** Sets the item id mapping: external ids in internal order (element 0 is internal id 1). */
        public Builder itemIds(List<String> externalIds) {
            itemIds.clear();
            itemIds.addAll(externalIds);
            return this;
        }

        /** Sets the item id mapping from a catalogue. */
        public Builder items(ItemCatalog catalog) {
            List<String> ids = new ArrayList<>(catalog.size());
            for (int i = 1; i <= catalog.size(); i++) ids.add(catalog.externalId(i));
            return itemIds(ids);
        }

        /** Adds a tensor; names are unique. */
        public Builder tensor(String name, TensorData tensor) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(tensor, "tensor " + name);
            if (tensors.putIfAbsent(name, tensor) != null) {
                throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
            }
            return this;
        }

        /** Adds a copy of an ND4J array (FLOAT or DOUBLE), e.g. a {@code Param}'s value. */
        public Builder tensor(String name, INDArray array) {
            return tensor(name, TensorData.of(array));
        }

        /** Validates and builds. */
        public ModelArchive build() {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < itemIds.size(); i++) {
                String id = itemIds.get(i);
                if (id == null) throw new IllegalArgumentException("item id at internal id " + (i + 1) + " is null");
                if (!seen.add(id)) {
                    throw new IllegalArgumentException("duplicate external item id '" + id + "' at internal id " + (i + 1));
                }
            }
            for (String name : tensors.keySet()) {
                if (name.isEmpty()) throw new IllegalArgumentException("tensor name is empty");
            }
            return new ModelArchive(this);
        }
    }
}
