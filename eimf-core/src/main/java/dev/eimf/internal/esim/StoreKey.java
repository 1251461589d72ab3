package dev.eimf.internal.esim;

import dev.eimf.esim.ExtractionRequest;
import dev.eimf.esim.InterestExtractor;

import java.util.Objects;

/**
 * The key of an {@link InterestStore} entry.
 *
 * @param extractor  {@link InterestExtractor#name()}
 * @param model      {@link InterestExtractor#modelName()}
 * @param promptHash {@link ExtractionRequest#promptHash()}
 */
public record StoreKey(String extractor, String model, String promptHash) {
    public StoreKey {
        Objects.requireNonNull(extractor, "extractor");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(promptHash, "promptHash");
    }
}
