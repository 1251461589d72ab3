package dev.eimf.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads files whose path or content comes from data that may be forged (a model's header, a checkpoint
 * option): only regular files, never through a symbolic link, and never more bytes than a limit checked
 * before reading. A FIFO would block the reader forever, a device such as {@code /dev/zero} never ends, and
 * a link can point anywhere; all three are refused without being opened.
 */
public final class SafeFiles {
    /** The most bytes one file read whole may have: the limit of a Java array. */
    public static final long HARD_CAP = Integer.MAX_VALUE - 64;

    private SafeFiles() {
    }

    /**
     * The attributes of a regular file that is not a symbolic link.
     *
     * @param what names the file in messages ("model file", "checkpoint")
     * @throws NoSuchFileException when nothing is there
     * @throws IOException         naming the path, when it is a link, directory, FIFO, device or socket
     */
    public static BasicFileAttributes regularFile(Path file, String what) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, what + " does not exist");
        }
        if (a.isSymbolicLink()) {
            throw new IOException(file + ": " + what + " is a symbolic link; it is not followed (pass the file it "
                    + "points to)");
        }
        if (!a.isRegularFile()) {
            String kind = a.isDirectory() ? "a directory" : "not a regular file (a FIFO, device or socket)";
            throw new IOException(file + ": " + what + " is " + kind + "; only regular files are read");
        }
        return a;
    }

    /**
     * Reads a regular file whole, refusing links, special files and files over {@code maxBytes} (and over
     * {@link #HARD_CAP}) before reading a byte. The file is opened without following links, so it cannot be
     * swapped for a link between the check and the read; bytes that arrive after the check are not read
     * beyond the limit.
     *
     * @param what names the file in messages
     */
    public static byte[] readAll(Path file, long maxBytes, String what) throws IOException {
        long cap = Math.min(maxBytes, HARD_CAP);
        BasicFileAttributes a = regularFile(file, what);
        if (a.size() > cap) {
            throw new IOException(file + ": " + what + " has " + a.size() + " bytes, more than the " + cap
                    + " allowed" + (cap < HARD_CAP ? " for what the model declares" : ""));
        }
        try (SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = ch.size();
            if (size > cap) {
                throw new IOException(file + ": " + what + " has " + size + " bytes, more than the " + cap + " allowed");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            while (buf.hasRemaining()) {
                if (ch.read(buf) < 0) break;
            }
            if (buf.hasRemaining()) {
                throw new IOException(file + ": " + what + " shrank while being read (" + buf.position() + " of "
                        + size + " bytes)");
            }
            return buf.array();
        }
    }

    /**
     * A file name stored in a model, resolved inside its directory: a plain name, with no separator, no
     * {@code .} or {@code ..}, no NUL.
     *
     * @param dir  the model's directory
     * @param name the stored name
     * @param what names the field in messages (e.g. the config key)
     * @throws IOException naming the field and the name, when the name could leave the directory
     */
    public static Path inside(Path dir, String name, String what) throws IOException {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            throw new IOException(dir + ": " + what + " is '" + name + "', which is not a plain file name inside the "
                    + "model directory; it is not followed");
        }
        Path base = dir.toAbsolutePath().normalize();
        Path p = base.resolve(name).normalize();
        if (!base.equals(p.getParent())) {
            throw new IOException(dir + ": " + what + " '" + name + "' resolves outside the model directory");
        }
        return p;
    }
}
