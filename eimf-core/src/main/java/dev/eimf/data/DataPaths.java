package dev.eimf.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the shared datasets: the directory named by the {@code EIMF_DATA} environment variable
 * (or the {@code eimf.data} system property), else {@code ../shared/data} relative to the repository
 * root (system property {@code eimf.repo.root}, set by the build), else relative to the working directory.
 */
public final class DataPaths {
    private DataPaths() {}

    /** The data root, if one exists. */
    public static Optional<Path> root() {
        String env = System.getProperty("eimf.data", System.getenv("EIMF_DATA"));
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        }
        String repo = System.getProperty("eimf.repo.root");
        Path base = repo != null ? Path.of(repo) : Path.of("").toAbsolutePath();
        for (Path dir = base; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared/data").normalize();
            if (Files.isDirectory(candidate)) return Optional.of(candidate);
            if (Files.exists(dir.resolve(".git"))) break; // do not climb above the repository
        }
        return Optional.empty();
    }

    /** A named dataset directory such as {@code ml-100k}, if present. */
    public static Optional<Path> dataset(String name) {
        return root().map(r -> r.resolve(name)).filter(Files::isDirectory);
    }
}
