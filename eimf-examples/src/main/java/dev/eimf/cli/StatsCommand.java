package dev.eimf.cli;

import dev.eimf.data.Dataset;
import dev.eimf.data.DatasetStats;
import dev.eimf.data.Preprocessor;
import dev.eimf.data.RawData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code eimf stats}: dataset counts before and after filtering. */
final class StatsCommand implements Command {
    @Override
    public String name() { return "stats"; }

    @Override
    public String summary() { return "users, items, interactions and sequence lengths before and after filtering"; }

    @Override
    public List<Option> options() {
        List<Option> o = new ArrayList<>(DataOptions.options());
        o.add(Option.optional("json", "FILE", "also write the counts as JSON", null));
        return o;
    }

    @Override
    public int run(Args args) throws Exception {
        RawData raw = DataOptions.loadRaw(args, System.out);
        DatasetStats before = Preprocessor.rawStats(raw);
        Dataset ds = new Preprocessor(DataOptions.preprocessConfig(args)).process(raw);
        DatasetStats after = ds.stats();
        System.out.println("dataset: " + Terminal.safe(raw.name()) + " (" + Terminal.safe(args.require("data")) + ")");
        System.out.printf("%-10s %10s %10s %14s %8s %8s %8s%n", "", "users", "items", "interactions", "min len", "median", "max len");
        print("raw", before);
        print("filtered", after);
        System.out.println("filter: " + DataOptions.preprocessConfig(args));
        if (args.get("json").isPresent()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("dataset", raw.name());
            json.put("raw", toMap(before));
            json.put("filtered", toMap(after));
            json.put("skipped_records", raw.report().skippedCount());
            json.put("skipped_lines", raw.report().skippedLines());
            json.put("skipped_bytes", raw.report().skippedBytes());
            Json.write(Path.of(args.require("json")), json);
        }
        return 0;
    }

    private static void print(String label, DatasetStats s) {
        System.out.printf("%-10s %10d %10d %14d %8d %8.1f %8d%n", label, s.users(), s.items(), s.interactions(),
                s.minLength(), s.medianLength(), s.maxLength());
    }

    private static Map<String, Object> toMap(DatasetStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("users", s.users());
        m.put("items", s.items());
        m.put("interactions", s.interactions());
        Map<String, Object> len = new LinkedHashMap<>();
        len.put("min", s.minLength());
        len.put("median", s.medianLength());
        len.put("max", s.maxLength());
        m.put("sequence_length", len);
        return m;
    }
}
