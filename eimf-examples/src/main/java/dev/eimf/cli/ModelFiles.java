package dev.eimf.cli;

import dev.eimf.data.ItemCatalog;
import dev.eimf.internal.model.ModelMetadata;
import dev.eimf.internal.model.ModelStore;
import dev.eimf.internal.model.SavedModel;
import dev.eimf.internal.pipeline.Semantics;
import dev.eimf.internal.train.TrainedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A model directory as the CLI writes it: the model ({@link ModelStore}) and, for an EIMF model, the
 * semantics ({@value #SEMANTICS_FILE}) that name its interests. The model records the semantics file's
 * SHA-256, so a semantics file left over from another run is never used to explain this model.
 */
final class ModelFiles {
    /** The semantics file inside a model directory. */
    static final String SEMANTICS_FILE = "semantics.eimf";
    /** Metadata key of the semantics file's digest. */
    static final String SEMANTICS_SHA256 = "eimf.semantics_sha256";

    private ModelFiles() {}

    /**
     * Saves the model, with the semantics when present; without them an older semantics file is removed.
     */
    static void save(Path dir, TrainedModel model, ItemCatalog catalog, ModelMetadata metadata,
                     Optional<Semantics> semantics) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(SEMANTICS_FILE);
        ModelMetadata md = metadata;
        if (semantics.isPresent()) {
            semantics.get().save(file);
            md = md.with(SEMANTICS_SHA256, sha256(file));
        } else {
            Files.deleteIfExists(file);
        }
        ModelStore.save(dir, model, catalog, md);
    }

    /**
     * The semantics of a saved model: empty when the directory has no semantics file.
     *
     * @throws IllegalArgumentException when the file does not belong to this model
     */
    static Optional<Semantics> semantics(Path dir, SavedModel model) throws IOException {
        Path file = (Files.isDirectory(dir) ? dir : dir.toAbsolutePath().getParent()).resolve(SEMANTICS_FILE);
        if (!Files.isRegularFile(file)) return Optional.empty();
        String want = model.metadata().extra().get(SEMANTICS_SHA256);
        if (want == null || !want.equals(sha256(file))) {
            throw new IllegalArgumentException(file + " was not written with this model (its digest is not the one "
                    + "the model records); retrain with 'eimf train --eimf --out " + dir + "'");
        }
        Semantics s = Semantics.load(file);
        if (s.tasks().interestDim() != model.dim()) {
            throw new IllegalArgumentException(file + " is for interests of dimension " + s.tasks().interestDim()
                    + " but the model's are " + model.dim());
        }
        return Optional.of(s);
    }

    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
