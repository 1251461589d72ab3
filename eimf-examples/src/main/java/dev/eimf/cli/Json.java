package dev.eimf.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import dev.eimf.eval.MetricsResult;
import dev.eimf.internal.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes the JSON result files of the commands. */
final class Json {
    /**
     * NaN and the infinities are not JSON; a reader would refuse the whole file for one of them (a resumed run
     * that trained no further step has no final loss). They are written as {@code null}, which JSON has for
     * "no value"; nulls are therefore written, not dropped.
     */
    private static final TypeAdapter<Number> FINITE_OR_NULL = new TypeAdapter<>() {
        @Override
        public void write(JsonWriter out, Number value) throws IOException {
            if (value == null || !Double.isFinite(value.doubleValue())) {
                out.nullValue();
            } else {
                out.value(value);
            }
        }

        @Override
        public Number read(JsonReader in) {
            throw new UnsupportedOperationException("Json only writes");
        }
    };
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping()
            .registerTypeAdapter(Double.class, FINITE_OR_NULL).registerTypeAdapter(double.class, FINITE_OR_NULL)
            .registerTypeAdapter(Float.class, FINITE_OR_NULL).registerTypeAdapter(float.class, FINITE_OR_NULL)
            .create();

    private Json() {}

    /** The JSON text of a value, as {@link #write} writes it. */
    static String toJson(Object value) {
        return GSON.toJson(value) + "\n";
    }

    /**
     * Writes the file through {@link AtomicFiles}: a crash leaves the old file or the new one, never half of one
     * (the ablation reads its finished results back on a rerun), and the temporary file has a fresh name that
     * is created, never opened if something (a symbolic link) is already there.
     */
    static void write(Path file, Object value) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        byte[] bytes = toJson(value).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    static Map<String, Object> metrics(MetricsResult m) {
        return new LinkedHashMap<>(m.values());
    }
}
