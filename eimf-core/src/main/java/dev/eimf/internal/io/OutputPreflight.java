package dev.eimf.internal.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Checks, before a long run starts, that its outputs can be written: a read-only location or a full disk
 * found only when the model is saved hours later loses the work. Each check names the option and the path.
 */
public final class OutputPreflight {
    private OutputPreflight() {
    }

    /**
     * Checks that {@code target} can be created or replaced, and that its file system has room.
     *
     * @param option      the option that names it, for messages (e.g. {@code --out})
     * @param target      a file or directory to be written (need not exist; its parents are created later)
     * @param directory   whether {@code target} is a directory
     * @param neededBytes about how many bytes the output takes
     * @throws IOException naming the option and path when it is of the wrong kind, not writable, or short of space
     */
    public static void check(String option, Path target, boolean directory, long neededBytes) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new IOException(option + " " + target + ": no part of the path exists");
        }
        if (existing.equals(abs)) {
            if (directory && !Files.isDirectory(abs)) {
                throw new IOException(option + " " + target + ": exists and is not a directory");
            }
            if (!directory && !Files.isRegularFile(abs, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(option + " " + target + ": exists and is not a regular file");
            }
        } else if (!Files.isDirectory(existing)) {
            throw new IOException(option + " " + target + ": " + existing + " is not a directory");
        }
        // The directory in which new files or directories will appear.
        Path where = existing.equals(abs) && !directory ? abs.getParent() : existing;
        Path probe;
        try {
            probe = Files.createTempFile(where, ".eimf-preflight-", ".tmp");
            Files.delete(probe);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IOException(option + " " + target + ": cannot write in " + where + " (" + e.getMessage() + ")", e);
        }
        long usable = Files.getFileStore(where).getUsableSpace();
        if (usable < neededBytes) {
            throw new IOException(String.format(Locale.ROOT, "%s %s: needs about %s but only %s is free on the file "
                    + "system of %s", option, target, mib(neededBytes), mib(usable), where));
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }

    /**
     * About the bytes of a saved model or checkpoint of a table of {@code items + 1} rows of {@code dim} floats:
     * {@code copies} tables (1 for a model, 4 for a checkpoint: weights, two Adam moments, best copy), the
     * encoder's weights estimated as {@code copies} times 20 d^2, and 1 KiB of text per item.
     */
    public static long modelBytes(long items, long dim, int copies) {
        try {
            long table = Math.multiplyExact(Math.multiplyExact(items + 1, dim), 4L);
            long encoder = Math.multiplyExact(Math.multiplyExact(dim, dim), 80L);
            return Math.addExact(Math.multiplyExact(Math.addExact(table, encoder), (long) copies),
                    Math.multiplyExact(items, 1024L));
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
