package dev.eimf.internal.model;

import dev.eimf.internal.train.TrainingResult;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a saved model records about where it came from; none of it is needed to serve the model.
 *
 * @param dataset  dataset name (e.g. {@code ml-100k}); {@code ""} when unknown
 * @param protocol evaluation protocol of the split it was trained on ({@code comirec}, {@code loo}); {@code ""}
 *                 when unknown
 * @param steps    training steps run
 * @param bestStep step whose weights were kept (the best validated ones)
 * @param extra    any further string key/values (keys must not be one of {@link #RESERVED})
 */
public record ModelMetadata(String dataset, String protocol, long steps, long bestStep, Map<String, String> extra) {

    /** Keys the fields above are stored under; {@code extra} may not use them. */
    public static final Set<String> RESERVED = Set.of("dataset", "protocol", "steps", "best_step");

    public ModelMetadata {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(protocol, "protocol");
        if (steps < 0) throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        if (bestStep < 0 || bestStep > steps) {
            throw new IllegalArgumentException("bestStep must be in 0.." + steps + ", got " + bestStep);
        }
        extra = java.util.Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(extra, "extra")));
        for (Map.Entry<String, String> e : extra.entrySet()) {
            Objects.requireNonNull(e.getValue(), "extra value for " + e.getKey());
            if (RESERVED.contains(e.getKey())) {
                throw new IllegalArgumentException("extra metadata key '" + e.getKey() + "' is reserved");
            }
        }
    }

    /** Metadata of a training run. */
    public static ModelMetadata of(TrainingResult result, String dataset, String protocol) {
        return new ModelMetadata(dataset, protocol, result.steps(), result.bestStep(), Map.of());
    }

    /** Metadata with nothing known. */
    public static ModelMetadata empty() {
        return new ModelMetadata("", "", 0, 0, Map.of());
    }

    /** A copy with one more extra key/value. */
    public ModelMetadata with(String key, String value) {
        Map<String, String> m = new TreeMap<>(extra);
        m.put(key, value);
        return new ModelMetadata(dataset, protocol, steps, bestStep, m);
    }
}
