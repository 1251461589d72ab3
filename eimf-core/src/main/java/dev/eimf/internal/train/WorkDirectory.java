package dev.eimf.internal.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.reflect.TypeToken;
import dev.eimf.internal.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A training run's work directory: its checkpoints, and a manifest ({@value #MANIFEST}) of the settings and
 * data fingerprint that produced them, so that a rerun either continues the same run or is told plainly
 * what differs. Settings that a continued run may change (the step budget, validation interval, patience,
 * time budget) are not in the manifest.
 */
public final class WorkDirectory {
    /** The manifest's file name. */
    public static final String MANIFEST = "run.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private final Path dir;

    /** @param dir the directory (created if needed) */
    public WorkDirectory(Path dir) throws IOException {
        this.dir = Objects.requireNonNull(dir, "dir");
        Files.createDirectories(dir);
    }

    /** The directory. */
    public Path dir() {
        return dir;
    }

    /**
     * Checks the directory against this run's manifest: an empty directory or the same manifest passes; with
     * {@code restart} a different one is cleared (checkpoints, manifest and {@code extra} paths inside it);
     * otherwise it is refused with the keys that differ. Then checks that no checkpoint is past
     * {@code maxSteps}. Writes the manifest.
     *
     * @throws IllegalStateException naming what differs, or the checkpoint past the budget
     */
    public void prepare(Map<String, String> manifest, long maxSteps, boolean restart, List<Path> extra) throws IOException {
        Map<String, String> want = new TreeMap<>(manifest);
        Path file = dir.resolve(MANIFEST);
        if (Files.exists(file)) {
            Map<String, String> have = read(file);
            if (!have.equals(want)) {
                if (!restart) {
                    throw new IllegalStateException("the work directory " + dir + " holds a run with other settings or data: "
                            + differences(have, want) + "; use another directory, or WorkDirPolicy.RESTART to discard it");
                }
                clear(extra);
            }
        } else if (hasCheckpoints()) {
            if (!restart) {
                throw new IllegalStateException("the work directory " + dir + " holds checkpoints but no " + MANIFEST
                        + " saying what produced them; use another directory, or WorkDirPolicy.RESTART to discard them");
            }
            clear(extra);
        }
        for (Path ckpt : checkpoints()) {
            long step = Checkpoint.step(ckpt);
            if (step > maxSteps) {
                if (!restart) {
                    throw new IllegalStateException("the work directory " + dir + " holds a run already trained to step "
                            + step + " (" + ckpt.getFileName() + "), more than the " + maxSteps + " steps asked for; "
                            + "raise maxSteps to continue it, or use WorkDirPolicy.RESTART to train afresh");
                }
                // Same settings and data: only the checkpoints go; the interest store stays valid.
                clear(List.of());
                break;
            }
        }
        byte[] json = GSON.toJson(want).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(json));
    }

    private boolean hasCheckpoints() throws IOException {
        return !checkpoints().isEmpty();
    }

    private List<Path> checkpoints() throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.ckpt")) {
            for (Path p : s) out.add(p);
        }
        out.sort(null);
        return out;
    }

    private void clear(List<Path> extra) throws IOException {
        for (Path p : checkpoints()) Files.deleteIfExists(p);
        Files.deleteIfExists(dir.resolve(MANIFEST));
        for (Path p : extra) {
            if (p.toAbsolutePath().normalize().startsWith(dir.toAbsolutePath().normalize())) {
                AtomicFiles.deleteTreeQuietly(p);
            }
        }
    }

    private static Map<String, String> read(Path file) throws IOException {
        try {
            Map<String, String> m = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8),
                    new TypeToken<Map<String, String>>() { }.getType());
            return m == null ? Map.of() : new TreeMap<>(m);
        } catch (RuntimeException e) {
            throw new IOException(file + " is not a run manifest: " + e.getMessage(), e);
        }
    }

    private static String differences(Map<String, String> have, Map<String, String> want) {
        StringBuilder sb = new StringBuilder();
        TreeSet<String> keys = new TreeSet<>(have.keySet());
        keys.addAll(want.keySet());
        for (String k : keys) {
            String a = have.get(k);
            String b = want.get(k);
            if (!Objects.equals(a, b)) {
                if (sb.length() > 0) sb.append(", ");
                sb.append(k).append(" was ").append(a == null ? "unset" : a).append(", now ").append(b == null ? "unset" : b);
            }
        }
        return sb.toString();
    }
}
