package dev.eimf.cli;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Guards a work directory that a rerun resumes from. The trainer's checkpoints check the data, batch and
 * seed, but not the step budget, the loss weights or the ESIM settings; resuming a directory written with
 * other settings would silently mix two experiments. The first run writes its settings to
 * {@value #FILE}; later runs must match them.
 */
final class WorkDirs {
    /** The settings file inside a work directory. */
    static final String FILE = "settings.json";
    private static final Gson GSON = new Gson();

    private WorkDirs() {}

    /**
     * Creates {@code dir} and records {@code settings} there, or checks them against those recorded.
     *
     * @return true when the directory was already in use (a resumed run)
     * @throws Args.UsageException naming the settings that differ
     */
    static boolean claim(Path dir, Map<String, Object> settings) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        JsonObject now = GSON.toJsonTree(settings).getAsJsonObject();
        if (!Files.exists(file)) {
            Json.write(file, settings);
            return false;
        }
        JsonObject before;
        try {
            before = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException(file + ": not a settings file written by eimf (" + e.getMessage() + ")", e);
        }
        List<String> differ = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(now.keySet());
        for (String k : keys) {
            String a = text(before.get(k));
            String b = text(now.get(k));
            if (!a.equals(b)) differ.add(k + " was " + a + ", now " + b);
        }
        if (!differ.isEmpty()) {
            throw new Args.UsageException("work directory " + dir + " holds a run with other settings ("
                    + String.join("; ", differ) + "); pass another --work, or delete it to start afresh");
        }
        return true;
    }

    private static String text(JsonElement e) {
        return e == null ? "(none)" : e.toString();
    }
}
