package dev.eimf.internal.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small test files. */
public final class TestFiles {
    private TestFiles() {}

    public static Path write(Path dir, String name, String text) {
        return write(dir, name, text, StandardCharsets.UTF_8);
    }

    public static Path write(Path dir, String name, String text, Charset cs) {
        try {
            return Files.write(dir.resolve(name), text.getBytes(cs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
