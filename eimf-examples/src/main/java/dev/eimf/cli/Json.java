package dev.eimf.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.eimf.eval.MetricsResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes the JSON result files of the commands. */
final class Json {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .disableHtmlEscaping().create();

    private Json() {}

    static void write(Path file, Object value) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(file, GSON.toJson(value) + "\n");
    }

    static Map<String, Object> metrics(MetricsResult m) {
        return new LinkedHashMap<>(m.values());
    }
}
