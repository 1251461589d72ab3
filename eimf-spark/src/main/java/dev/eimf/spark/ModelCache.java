package dev.eimf.spark;

import dev.eimf.model.InterestModel;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link InterestModel} per model directory per JVM: Spark runs many tasks in an executor, and loading the
 * model for each would repeat the file reads and the native set-up.
 */
final class ModelCache {
    private static final ConcurrentHashMap<String, InterestModel> MODELS = new ConcurrentHashMap<>();

    private ModelCache() {}

    static InterestModel get(String dir) {
        return MODELS.computeIfAbsent(dir, d -> {
            oneThreadPerTask();
            return InterestModel.load(Path.of(d));
        });
    }

    /**
     * Spark already runs one task per core: the engine's own pools and OpenMP would oversubscribe them. Set before
     * the engine's first use in this JVM; a user's explicit setting wins.
     */
    static void oneThreadPerTask() {
        if (System.getProperty("eimf.threads") == null) System.setProperty("eimf.threads", "1");
        if (System.getProperty("eimf.blas.threads") == null) System.setProperty("eimf.blas.threads", "1");
    }
}
