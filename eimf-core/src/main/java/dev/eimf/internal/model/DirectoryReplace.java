package dev.eimf.internal.model;

import dev.eimf.internal.io.AtomicFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Replaces a model directory as a whole. Two files renamed one after the other can leave a directory that
 * no longer loads (the item file of the new model beside the archive of the old one when the second write
 * fails on a full disk); writing everything into a sibling temporary directory, syncing it, and then
 * renaming old to backup and new to target, keeps the old model loadable until the new one is complete.
 * Files of the old directory that the save does not write (e.g. {@code semantics.eimf}) are carried over.
 */
final class DirectoryReplace {
    /** Writes the new directory's files. */
    @FunctionalInterface
    interface Body {
        void writeInto(Path tmp) throws IOException;
    }

    /** One I/O step. */
    @FunctionalInterface
    interface Step {
        void run() throws IOException;
    }

    /** Where a test injects a failure: called with "write" before each file and "swap" before the renames. */
    @FunctionalInterface
    interface Hook {
        void at(String point, Path path) throws IOException;
    }

    /** Failure injection for tests; no-op otherwise. */
    static volatile Hook hook = (point, path) -> { };

    private DirectoryReplace() {
    }

    /** Runs a file's write, with the test hook, naming the file in any error. */
    static void writing(Path file, Step step) throws IOException {
        try {
            hook.at("write", file);
            step.run();
        } catch (IOException e) {
            throw named(file, "cannot write", e);
        }
    }

    /**
     * Replaces {@code dir} with what {@code body} writes into a temporary sibling directory.
     *
     * @param own the names {@code body} writes; other entries of an existing directory are carried over
     * @throws IOException naming the path that failed; the old directory is then as it was
     */
    static void replace(Path dir, Body body, Set<String> own) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (parent == null || target.getFileName() == null) {
            throw new IOException(dir + ": a model directory cannot be a file system root");
        }
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw named(parent, "cannot create the model's parent directory", e);
        }
        BasicFileAttributes old = null;
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            old = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (old.isSymbolicLink()) {
                throw new IOException(target + ": the model directory is a symbolic link; a save replaces the "
                        + "directory by renames, so pass the directory it points to");
            }
            if (!old.isDirectory()) {
                throw new IOException(target + ": exists and is not a directory; a model is saved as a directory");
            }
        }
        String name = target.getFileName().toString();
        Path tmp = sibling(parent, name, "saving");
        boolean swapped = false;
        try {
            body.writeInto(tmp);
            if (old != null) carryOver(target, tmp, own);
            syncDirectory(tmp);
            hook.at("swap", target);
            if (old == null) {
                move(tmp, target);
                swapped = true;
                syncDirectory(parent);
            } else {
                Path backup = sibling(parent, name, "replaced");
                Files.delete(backup); // only its name was reserved
                move(target, backup);
                try {
                    move(tmp, target);
                } catch (IOException e) {
                    try {
                        move(backup, target);
                    } catch (IOException again) {
                        e.addSuppressed(again);
                        throw named(target, "the new model could not take its place and the old one is kept at "
                                + backup, e);
                    }
                    throw e;
                }
                swapped = true;
                syncDirectory(parent);
                AtomicFiles.deleteTreeQuietly(backup);
            }
        } finally {
            if (!swapped) AtomicFiles.deleteTreeQuietly(tmp);
        }
    }

    /** A new, empty sibling directory {@code .NAME.KIND-RANDOM}. */
    private static Path sibling(Path parent, String name, String kind) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = parent.resolve("." + name + "." + kind + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            try {
                return Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 10) throw e;
            } catch (IOException e) {
                throw named(p, "cannot create a temporary directory beside the model (is " + parent + " writable?)", e);
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw named(from, "cannot rename to " + to, e);
        }
    }

    /** Copies the old directory's other entries (files, subdirectories, links as links) into the new one. */
    private static void carryOver(Path from, Path to, Set<String> own) throws IOException {
        List<Path> entries;
        try (Stream<Path> s = Files.list(from)) {
            entries = s.filter(p -> !own.contains(p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw named(from, "cannot list the old model directory", e);
        }
        for (Path e : entries) {
            try (Stream<Path> tree = Files.walk(e)) {
                for (Path src : (Iterable<Path>) tree::iterator) {
                    Path dst = to.resolve(from.relativize(src).toString());
                    try {
                        Files.copy(src, dst, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
                    } catch (IOException x) {
                        throw named(src, "cannot carry over into the new model directory", x);
                    }
                    if (Files.isRegularFile(dst, LinkOption.NOFOLLOW_LINKS)) {
                        try (FileChannel c = FileChannel.open(dst, StandardOpenOption.WRITE)) {
                            c.force(true);
                        }
                    }
                }
            }
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some platforms cannot sync a directory; the files in it are synced already.
        }
    }

    /** An IOException whose message starts with the path, keeping the cause. */
    static IOException named(Path path, String what, IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (m.startsWith(path.toString())) {
            return e;
        }
        return new IOException(path + ": " + what + ": " + m, e);
    }
}
