package dev.eimf.cli;

import dev.eimf.data.ItemCatalog;
import dev.eimf.internal.model.ModelDirectory;
import dev.eimf.internal.model.ModelMetadata;
import dev.eimf.internal.model.SavedModel;
import dev.eimf.internal.pipeline.Semantics;
import dev.eimf.internal.train.TrainedModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A model directory as the CLI writes it: the model (ModelStore) and, for an EIMF model, the
 * semantics ({@value #SEMANTICS_FILE}) that name its interests. The model records the semantics file's
 * SHA-256, so a semantics file left over from another run is never used to explain this model.
 */
final class ModelFiles {
    /** The semantics file inside a model directory. */
    static final String SEMANTICS_FILE = ModelDirectory.SEMANTICS_FILE;

    private ModelFiles() {}

    /** Saves the model, with the semantics when present; without them an older semantics file is removed. */
    static void save(Path dir, TrainedModel model, ItemCatalog catalog, ModelMetadata metadata,
                     Optional<Semantics> semantics) throws IOException {
        ModelDirectory.save(dir, SavedModel.of(model, catalog, metadata), semantics);
    }

    /**
     * The semantics of a saved model: empty when the directory has no semantics file.
     *
     * @throws IllegalArgumentException when the file does not belong to this model
     */
    static Optional<Semantics> semantics(Path dir, SavedModel model) throws IOException {
        return ModelDirectory.semantics(dir, model);
    }
}
