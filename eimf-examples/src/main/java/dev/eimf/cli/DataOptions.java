package dev.eimf.cli;

import dev.eimf.data.Dataset;
import dev.eimf.data.DatasetFormat;
import dev.eimf.data.DatasetLoaders;
import dev.eimf.data.LoadOptions;
import dev.eimf.data.LoadReport;
import dev.eimf.data.PreprocessConfig;
import dev.eimf.data.Preprocessor;
import dev.eimf.data.RawData;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The options every data-reading command shares, and the loading they drive. */
final class DataOptions {
    private DataOptions() {}

    static List<Command.Option> options() {
        return List.of(
                Command.Option.required("data", "DIR", "dataset directory (MovieLens, RecBole atomic files or plain CSV)"),
                Command.Option.optional("format", "auto|movielens|recbole|csv", "file format", "auto"),
                Command.Option.optional("min-rating", "R", "keep interactions rated at least R", "none"),
                Command.Option.optional("kcore", "K", "iterative k-core filter on users and items (0 = off)", "5"),
                Command.Option.flag("lenient", "skip malformed lines (reported) instead of stopping"));
    }

    /** Raw data plus the preprocessed dataset. */
    record Loaded(RawData raw, Dataset dataset) {}

    static RawData loadRaw(Args args, PrintStream log) throws IOException {
        Path dir = Path.of(args.require("data"));
        if (!Files.isDirectory(dir)) {
            throw new Args.UsageException("--data " + dir + " is not a directory");
        }
        String fmt = args.choice("format", "auto", "auto", "movielens", "recbole", "csv");
        LoadOptions lo = new LoadOptions(args.flag("lenient"));
        RawData raw = fmt.equals("auto")
                ? DatasetLoaders.load(dir, lo)
                : DatasetLoaders.load(dir, DatasetFormat.valueOf(fmt.toUpperCase(Locale.ROOT)), lo);
        LoadReport report = raw.report();
        if (report.skippedCount() > 0) {
            log.printf("skipped %d malformed line(s) (--lenient):%n", report.skippedCount());
            for (Map.Entry<String, Integer> e : report.countsByReason().entrySet()) {
                log.printf("  %-40s %d%n", e.getKey(), e.getValue());
            }
            log.println("  first: " + report.skipped().get(0).getMessage());
        }
        return raw;
    }

    static PreprocessConfig preprocessConfig(Args args) {
        PreprocessConfig.Builder b = PreprocessConfig.builder().core(args.getInt("kcore", 5));
        if (args.get("min-rating").isPresent()) b.minRating(args.getDouble("min-rating", 0));
        return b.build();
    }

    static Loaded load(Args args, PrintStream log) throws IOException {
        RawData raw = loadRaw(args, log);
        return new Loaded(raw, new Preprocessor(preprocessConfig(args)).process(raw));
    }
}
