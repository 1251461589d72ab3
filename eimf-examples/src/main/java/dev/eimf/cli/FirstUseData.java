package dev.eimf.cli;

import dev.eimf.data.DataPaths;
import java.io.Console;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where {@code eimf quickstart} finds MovieLens-100K, and fetching it into the per-user data cache on first
 * use: after asking on the terminal, or at once with {@code --download}. Without a terminal and without
 * {@code --download} nothing is fetched; when the data stays missing the instructions for getting it by
 * hand are printed and the command exits with status 2.
 *
 * <p>The cache is {@code $EIMF_DATA} when set (the same variable the tests and every {@code --data}-less
 * lookup use), else {@code $XDG_CACHE_HOME/eimf}, else {@code ~/.cache/eimf} on Linux and other Unix
 * systems; {@code ~/Library/Caches/eimf} on macOS and {@code %LOCALAPPDATA%\eimf} on Windows.
 */
final class FirstUseData {
    /** Asks the person at the terminal a yes/no question; empty when there is nobody to ask. */
    interface Asker {
        Optional<Boolean> ask(String question);
    }

    private final Path cache;
    private final List<Path> elsewhere;
    private final DatasetDownload download;
    private final Asker asker;

    /** The real thing: the per-user cache, the shared data folders, the official zip, the console. */
    FirstUseData() {
        this(cacheDir(System::getenv, System.getProperty("os.name", ""), System.getProperty("user.home", ".")),
                defaultPlaces(), DatasetDownload.movieLens100k(), FirstUseData::askConsole);
    }

    /**
     * Package-private so that only tests choose the cache, the other places looked at, the download's
     * server and digests, and the answer to the question.
     */
    FirstUseData(Path cache, List<Path> elsewhere, DatasetDownload download, Asker asker) {
        this.cache = cache;
        this.elsewhere = List.copyOf(elsewhere);
        this.download = download;
        this.asker = asker;
    }

    Path cache() {
        return cache;
    }

    /**
     * The per-user data cache: {@code eimf.data} (system property) or {@code EIMF_DATA}, else the
     * platform's cache directory plus {@code eimf}. A relative {@code XDG_CACHE_HOME} is ignored, as the XDG
     * Base Directory specification asks.
     */
    static Path cacheDir(UnaryOperator<String> env, String osName, String userHome) {
        String data = System.getProperty("eimf.data", env.apply("EIMF_DATA"));
        if (data != null && !data.isBlank()) return Path.of(data);
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String local = env.apply("LOCALAPPDATA");
            if (local != null && !local.isBlank()) return Path.of(local, "eimf");
            return Path.of(userHome, "AppData", "Local", "eimf");
        }
        if (os.startsWith("mac")) return Path.of(userHome, "Library", "Caches", "eimf");
        String xdg = env.apply("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) return Path.of(xdg, "eimf");
        return Path.of(userHome, ".cache", "eimf");
    }

    /** $EIMF_DATA/ml-100k or ../shared/data/ml-100k beside the repository, then ../shared/data/ml-100k here. */
    private static List<Path> defaultPlaces() {
        List<Path> places = new ArrayList<>();
        DataPaths.root().ifPresent(r -> places.add(r.resolve(QuickstartCommand.DATASET)));
        places.add(Path.of("..", "shared", "data", QuickstartCommand.DATASET));
        return places;
    }

    static boolean isMovieLens100k(Path dir) {
        return Files.isRegularFile(dir.resolve("u.data")) && Files.isRegularFile(dir.resolve("u.item"));
    }

    /** MovieLens-100K from {@code --data}, the usual places or the cache, without fetching anything. */
    Optional<Path> locate(Args args) {
        if (args.get("data").isPresent()) {
            Path p = Path.of(args.require("data"));
            return isMovieLens100k(p) ? Optional.of(p) : Optional.empty();
        }
        for (Path p : elsewhere) if (isMovieLens100k(p)) return Optional.of(p);
        Path cached = cache.resolve(QuickstartCommand.DATASET);
        return isMovieLens100k(cached) ? Optional.of(cached) : Optional.empty();
    }

    /**
     * {@link #locate}, else (without {@code --data}) the download into the cache if {@code --download} is
     * given or the person at the terminal agrees. Empty after the instructions were printed to {@code err}.
     */
    Optional<Path> find(Args args, PrintStream err) {
        Optional<Path> found = locate(args);
        if (found.isPresent() || args.get("data").isPresent()) {
            if (found.isEmpty()) QuickstartCommand.howToGetData(err, args.get("data"), cache, null);
            return found;
        }
        String reason;
        boolean go = args.flag("download");
        if (go) {
            reason = null;
        } else {
            Optional<Boolean> answer = asker.ask("MovieLens-100K (5 MB) is not on this machine. Download it from "
                    + download.uri() + " into " + cache + " now?\nGroupLens's terms apply: research use, no redistribution. [y/N] ");
            go = answer.orElse(false);
            reason = answer.isEmpty()
                    ? "Not downloaded: nobody to ask (no terminal) and no --download."
                    : go ? null : "Not downloaded: declined.";
        }
        if (go) {
            err.println("downloading " + download.uri() + " into " + cache + " ...");
            try {
                Path p = download.install(cache);
                err.println("MovieLens-100K is in " + p + " (checksum verified)");
                return Optional.of(p);
            } catch (DatasetDownload.Failure f) {
                reason = "The download failed: " + f.getMessage() + ".";
            }
        }
        QuickstartCommand.howToGetData(err, Optional.empty(), cache, reason);
        return Optional.empty();
    }

    /** Asks on {@link System#console()}; empty when the JVM has none (input or output redirected). */
    static Optional<Boolean> askConsole(String question) {
        Console c = System.console();
        if (c == null) return Optional.empty();
        String line = c.readLine("%s", question);
        if (line == null) return Optional.of(false);
        String a = line.trim().toLowerCase(Locale.ROOT);
        return Optional.of(a.equals("y") || a.equals("yes"));
    }
}
