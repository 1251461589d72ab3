package dev.eimf.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Turns a JMH JSON result file ({@code -rf json -rff FILE}) into a Markdown table: time per operation,
 * p50 where JMH sampled, the analytic FLOPs of {@link Flops}, achieved GFLOP/s and the fraction of the
 * reference GEMM ({@link GemmBench}) of the same run.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.eimf.bench.Report results.json</pre>
 */
public final class Report {

    private Report() {
    }

    /** One benchmark result. */
    record Row(String benchmark, Map<String, String> params, String mode, double secondsPerOp, double error,
               double p50Seconds, OptionalDouble flops) {

        double gflops() {
            return flops.isPresent() ? flops.getAsDouble() / secondsPerOp / 1e9 : Double.NaN;
        }

        String shortName() {
            return benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
        }
    }

    /** Prints the table for the JSON file given as the only argument. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: Report RESULTS.json");
        }
        System.out.print(markdown(read(Path.of(args[0]))));
    }

    static List<Row> read(Path file) throws IOException {
        JsonArray all;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            all = JsonParser.parseReader(r).getAsJsonArray();
        }
        List<Row> rows = new ArrayList<>();
        for (JsonElement e : all) {
            JsonObject o = e.getAsJsonObject();
            String bench = o.get("benchmark").getAsString();
            Map<String, String> params = new LinkedHashMap<>();
            if (o.has("params")) {
                for (Map.Entry<String, JsonElement> p : o.getAsJsonObject("params").entrySet()) {
                    params.put(p.getKey(), p.getValue().getAsString());
                }
            }
            JsonObject pm = o.getAsJsonObject("primaryMetric");
            double toSeconds = toSeconds(pm.get("scoreUnit").getAsString(), bench);
            double score = pm.get("score").getAsDouble() * toSeconds;
            double err = pm.get("scoreError").isJsonPrimitive() && !pm.get("scoreError").getAsString().equals("NaN")
                    ? pm.get("scoreError").getAsDouble() * toSeconds : Double.NaN;
            double p50 = Double.NaN;
            if (pm.has("scorePercentiles") && "sample".equals(o.get("mode").getAsString())) {
                p50 = pm.getAsJsonObject("scorePercentiles").get("50.0").getAsDouble() * toSeconds;
            }
            rows.add(new Row(bench, params, o.get("mode").getAsString(), score, err, p50, Flops.of(bench, params)));
        }
        return rows;
    }

    private static double toSeconds(String unit, String bench) {
        return switch (unit) {
            case "s/op" -> 1.0;
            case "ms/op" -> 1e-3;
            case "us/op" -> 1e-6;
            case "ns/op" -> 1e-9;
            default -> throw new IllegalArgumentException(bench + ": unsupported score unit " + unit
                    + " (run in avgt or sample mode)");
        };
    }

    static String markdown(List<Row> rows) {
        double ref = Double.NaN;
        for (Row r : rows) {
            if (r.shortName().equals("GemmBench.gemm")) {
                ref = r.gflops();
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("| benchmark | params | mode | ms/op | ± | p50 ms | MFLOP/op | GFLOP/s | of ref |\n");
        sb.append("|---|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            StringBuilder ps = new StringBuilder();
            r.params().forEach((k, v) -> ps.append(ps.length() == 0 ? "" : ", ").append(k).append('=').append(v));
            double g = r.gflops();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    r.shortName(), ps, r.mode(), num(r.secondsPerOp() * 1e3), num(r.error() * 1e3),
                    num(r.p50Seconds() * 1e3),
                    r.flops().isPresent() ? String.format(Locale.ROOT, "%.1f", r.flops().getAsDouble() / 1e6) : "-",
                    Double.isNaN(g) ? "-" : String.format(Locale.ROOT, "%.2f", g),
                    Double.isNaN(g) || Double.isNaN(ref) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * g / ref)));
        }
        return sb.toString();
    }

    private static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : Math.abs(v) >= 1 ? "%.3f" : "%.4f", v);
    }
}
