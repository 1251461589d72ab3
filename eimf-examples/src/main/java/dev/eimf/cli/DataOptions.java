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
                Command.Option.flag("lenient", "skip malformed lines (reported) instead of stopping"),
                Command.Option.optional("max-skipped-share", "S", "with --lenient, the largest share (0-1) of a file's "
                        + "lines or bytes that may be skipped", String.valueOf(LoadOptions.DEFAULT_MAX_SKIPPED_SHARE)),
                Command.Option.optional("max-line-length", "N", "longest line (record) read, in characters",
                        String.valueOf(LoadOptions.DEFAULT_MAX_LINE_LENGTH)));
    }

    /** Raw data plus the preprocessed dataset. */
    record Loaded(RawData raw, Dataset dataset) {}

    static RawData loadRaw(Args args, PrintStream log) throws IOException {
        Path dir = Path.of(args.require("data"));
        if (!Files.isDirectory(dir)) {
            throw new Args.UsageException("--data " + dir + " is not a directory");
        }
        String fmt = args.choice("format", "auto", "auto", "movielens", "recbole", "csv");
        LoadOptions lo = loadOptions(args);
        RawData raw = fmt.equals("auto")
                ? DatasetLoaders.load(dir, lo)
                : DatasetLoaders.load(dir, DatasetFormat.valueOf(fmt.toUpperCase(Locale.ROOT)), lo);
        LoadReport report = raw.report();
        if (report.skippedCount() > 0) {
            log.printf(Locale.ROOT, "skipped %d malformed record(s) (--lenient): %d of %d lines (%.3f%%), %d of %d bytes"
                            + " (%.3f%%)%n", report.skippedCount(), report.skippedLines(), report.linesRead(),
                    100.0 * report.skippedLines() / Math.max(1, report.linesRead()), report.skippedBytes(),
                    report.bytesRead(), 100.0 * report.skippedBytes() / Math.max(1, report.bytesRead()));
            for (Map.Entry<String, Integer> e : report.countsByReason().entrySet()) {
                log.printf("  %-40s %d%n", Terminal.safe(e.getKey()), e.getValue());
            }
            log.println("  first: " + Terminal.safe(report.skipped().get(0).getMessage()));
        }
        return raw;
    }

    static LoadOptions loadOptions(Args args) {
        double share = args.getDouble("max-skipped-share", LoadOptions.DEFAULT_MAX_SKIPPED_SHARE);
        int maxLine = args.getInt("max-line-length", LoadOptions.DEFAULT_MAX_LINE_LENGTH);
        try {
            return new LoadOptions(args.flag("lenient"), maxLine, share);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage().replace("LoadOptions.maxSkippedShare", "--max-skipped-share")
                    .replace("LoadOptions.maxLineLength", "--max-line-length"));
        }
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
