package dev.eimf.model;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where a model came from, saved with it: the library version that trained it, its settings, a fingerprint
 * of the data, the seed and the training length. Models saved before provenance was recorded load with
 * {@code "unknown"} for what they lack.
 *
 * @param libraryVersion  EIMF-Java's version at training time
 * @param dataset         the dataset's name
 * @param protocol        the evaluation split protocol ({@code comirec}, {@code loo}, ...)
 * @param dataFingerprint SHA-256 over the training sequences and the validation and test cases
 * @param seed            the training seed
 * @param steps           steps trained
 * @param bestStep        step of the kept weights
 * @param settings        hyperparameters by name (backbone, d, K, T, learning rate, batch, ...), sorted
 */
public record ModelProvenance(String libraryVersion, String dataset, String protocol, String dataFingerprint, long seed,
                              long steps, long bestStep, Map<String, String> settings) {
    /** Copies. */
    public ModelProvenance {
        Objects.requireNonNull(libraryVersion, "libraryVersion");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(dataFingerprint, "dataFingerprint");
        settings = java.util.Collections.unmodifiableMap(new TreeMap<>(settings));
    }
}
