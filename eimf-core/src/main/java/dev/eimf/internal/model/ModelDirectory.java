package dev.eimf.internal.model;

import dev.eimf.internal.pipeline.Semantics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A model directory: the model ({@link ModelStore}) and, for a model trained with explicit interests, the
 * semantics ({@value #SEMANTICS_FILE}) that name its interests. The model records the semantics file's
 * SHA-256, so a semantics file left over from another run is never used to explain this model.
 */
public final class ModelDirectory {
    /** The semantics file inside a model directory. */
    public static final String SEMANTICS_FILE = "semantics.eimf";
    /** Metadata key of the semantics file's digest. */
    public static final String SEMANTICS_SHA256 = "eimf.semantics_sha256";

    private ModelDirectory() {
    }

    /** Saves the model, with the semantics when present; without them an older semantics file is removed. */
    public static void save(Path dir, SavedModel model, Optional<Semantics> semantics) throws IOException {
        if (semantics.isEmpty()) {
            ModelStore.save(dir, model, java.util.Map.of(), java.util.Set.of(SEMANTICS_FILE));
            return;
        }
        // The model records the semantics' digest, so they are written first, beside the directory, and
        // then replaced together with the model: a failure leaves the old pair as it was.
        Path parent = dir.toAbsolutePath().normalize().getParent();
        Files.createDirectories(parent);
        Path staged = Files.createTempFile(parent, ".semantics-", ".eimf");
        try {
            semantics.get().save(staged);
            SavedModel m = model.withMetadata(model.metadata().with(SEMANTICS_SHA256, sha256(staged)));
            ModelStore.save(dir, m, java.util.Map.of(SEMANTICS_FILE, staged), java.util.Set.of());
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    /**
     * The semantics of a saved model: empty when the directory has no semantics file.
     *
     * @throws IllegalArgumentException when the file does not belong to this model
     */
    public static Optional<Semantics> semantics(Path dir, SavedModel model) throws IOException {
        Path file = (Files.isDirectory(dir) ? dir : dir.toAbsolutePath().getParent()).resolve(SEMANTICS_FILE);
        if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        // A link, FIFO or device in its place is refused before anything is read from it.
        dev.eimf.internal.io.SafeFiles.regularFile(file, "semantics file");
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

    /** The SHA-256 of a file, in hex. */
    public static String sha256(Path file) throws IOException {
        try (java.io.InputStream in = Files.newInputStream(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
