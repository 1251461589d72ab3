package dev.eimf.cli;

import dev.eimf.data.Dataset;
import dev.eimf.eval.EvalConfig;
import dev.eimf.eval.Evaluator;
import dev.eimf.eval.MetricsResult;
import dev.eimf.eval.MostPopular;
import dev.eimf.eval.Split;
import dev.eimf.ibim.EncoderConfig;
import dev.eimf.ibim.EncoderType;
import dev.eimf.ibim.Encoders;
import dev.eimf.model.EncoderNames;
import dev.eimf.model.ModelMetadata;
import dev.eimf.model.ModelStore;
import dev.eimf.train.Progress;
import dev.eimf.train.Trainer;
import dev.eimf.train.TrainerConfig;
import dev.eimf.train.TrainingResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code eimf train}: trains ComiRec-SA, ComiRec-DR or MIND, reports valid/test metrics next to MostPopular. */
final class TrainCommand implements Command {
    @Override
    public String name() { return "train"; }

    @Override
    public String summary() { return "train a multi-interest model (ComiRec-SA, ComiRec-DR, MIND) and evaluate it"; }

    @Override
    public List<Option> options() {
        List<Option> o = new ArrayList<>(DataOptions.options());
        o.add(Option.required("model", EncoderNames.choices(), "backbone"));
        o.addAll(Protocols.options());
        o.add(Option.optional("steps", "N", "training steps (step budget)", "3000"));
        o.add(Option.optional("dim", "D", "embedding size d", "64"));
        o.add(Option.optional("interests", "K", "interests per user", "4"));
        o.add(Option.optional("max-len", "T", "history length", "20"));
        o.add(Option.optional("batch", "B", "users per step", "128"));
        o.add(Option.optional("lr", "X", "Adam learning rate", "1e-3; 5e-3 for comirec-dr"));
        o.add(Option.optional("eval-every", "N", "validate every N steps (0 = only at the end)", "1000"));
        o.add(Option.optional("patience", "N", "stop after N validations without improvement", "50"));
        o.add(Option.optional("time-budget", "DURATION", "wall-clock budget, e.g. 90s, 10m, 1h (makes results machine-dependent)", "none"));
        o.add(Option.optional("log-every", "N", "progress line every N steps", "100"));
        o.add(Option.optional("out", "MODEL_DIR", "save the trained model to this directory", null));
        o.add(Option.optional("json", "FILE", "also write the results as JSON", null));
        return o;
    }

    @Override
    public int run(Args args) throws Exception {
        String modelName = args.choice("model", null, "comirec-sa", "comirec-dr", "mind");
        EncoderType type = EncoderNames.parse(modelName).orElseThrow();
        long seed = args.getLong("seed", 1);
        long steps = positive(args, "steps", args.getLong("steps", 3000));
        int evalEvery = args.getInt("eval-every", 1000);
        if (evalEvery < 0) throw new Args.UsageException("--eval-every must be >= 0, got " + evalEvery);
        EncoderConfig encoder;
        try {
            encoder = EncoderConfig.builder(type).dim(args.getInt("dim", 64)).numInterests(args.getInt("interests", 4))
                    .maxLen(args.getInt("max-len", 20)).build();
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        EvalConfig evalConfig = Protocols.evalConfig(args);
        TrainerConfig.Builder tb = TrainerConfig.builder(rng -> Encoders.create(encoder, rng))
                .batchSize(args.getInt("batch", 128))
                .learningRate(args.getDouble("lr", TrainerConfig.recommendedLearningRate(modelName)))
                .maxSteps(steps)
                // 0 = validate only once, at the end, so the best (= last) weights are still measured.
                .evalEvery(evalEvery == 0 ? (int) Math.min(Integer.MAX_VALUE, steps) : evalEvery)
                .patience(args.getInt("patience", 50))
                .logEvery(args.getInt("log-every", 100))
                .evalConfig(evalConfig)
                .seed(seed);
        args.get("time-budget").ifPresent(v -> tb.timeBudget(duration("time-budget", v)));
        TrainerConfig config;
        try {
            config = tb.build();
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }

        DataOptions.Loaded loaded = DataOptions.load(args, System.out);
        Dataset ds = loaded.dataset();
        Split split = Protocols.protocol(args).split(ds, seed);
        System.out.printf("train %s on %s, protocol %s, seed %d: %d train / %d valid / %d test users, %d items%n",
                modelName, ds.name(), split.protocol(), seed, split.train().length, split.valid().size(),
                split.test().size(), split.numItems());
        System.out.printf("d=%d K=%d T=%d batch=%d lr=%s steps=%d eval-every=%d patience=%d%n", encoder.dim(),
                encoder.numInterests(), encoder.maxLen(), config.batchSize(), config.adam().learningRate(), steps,
                config.evalEvery(), config.patience());

        TrainingResult res = new Trainer(config).train(split, new ProgressPrinter(System.err, config));
        Evaluator ev = new Evaluator(evalConfig);
        // The trainer measured the kept weights already; the same evaluator gives the same numbers.
        MetricsResult valid = res.bestValidation().orElseGet(() -> ev.evaluateValid(res.model(), split));
        MetricsResult test = ev.evaluateTest(res.model(), split);
        MostPopular pop = MostPopular.fit(split);
        MetricsResult popValid = ev.evaluateValid(pop, split);
        MetricsResult popTest = ev.evaluateTest(pop, split);

        System.out.printf("stopped: %s after %d steps; best step %d; %.1f s training (%.2f s per 1000 steps), %.1f s validation%n",
                res.stopReason().name().toLowerCase(Locale.ROOT), res.steps(), res.bestStep(), res.trainSeconds(),
                res.secondsPer1000Steps(), res.evalSeconds());
        Map<String, MetricsResult> rows = new LinkedHashMap<>();
        rows.put("valid", valid);
        rows.put("test", test);
        rows.put("pop valid", popValid);
        rows.put("pop test", popTest);
        Tables.metrics(System.out, rows);

        Path out = args.path("out").orElse(null);
        if (out != null) {
            ModelMetadata md = ModelMetadata.of(res, ds.name(), split.protocol())
                    .with("data.kcore", String.valueOf(args.getInt("kcore", 5)))
                    .with("data.min_rating", args.get("min-rating", "none"));
            ModelStore.save(out, res.model(), ds.catalog(), md);
            System.out.println("model saved to " + out);
        }
        if (args.get("json").isPresent()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("model", modelName);
            json.put("dataset", ds.name());
            json.put("protocol", split.protocol());
            json.put("seed", seed);
            json.put("steps", res.steps());
            json.put("best_step", res.bestStep());
            json.put("stop_reason", res.stopReason().name().toLowerCase(Locale.ROOT));
            json.put("train_seconds", res.trainSeconds());
            json.put("eval_seconds", res.evalSeconds());
            json.put("seconds_per_1000_steps", res.secondsPer1000Steps());
            json.put("final_loss", res.finalLoss());
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("dim", encoder.dim());
            settings.put("interests", encoder.numInterests());
            settings.put("max_len", encoder.maxLen());
            settings.put("batch", config.batchSize());
            settings.put("lr", config.adam().learningRate());
            settings.put("max_steps", steps);
            settings.put("eval_every", config.evalEvery());
            settings.put("patience", config.patience());
            json.put("settings", settings);
            json.put("valid", Json.metrics(valid));
            json.put("test", Json.metrics(test));
            Map<String, Object> popJson = new LinkedHashMap<>();
            popJson.put("valid", Json.metrics(popValid));
            popJson.put("test", Json.metrics(popTest));
            json.put("most_popular", popJson);
            if (out != null) json.put("model_dir", out.toString());
            Json.write(Path.of(args.require("json")), json);
        }
        return 0;
    }

    private static long positive(Args args, String name, long v) {
        if (v < 1) throw new Args.UsageException("--" + name + " must be >= 1, got " + v);
        return v;
    }

    /** Seconds as a number, or a number with a unit: {@code 90s}, {@code 10m}, {@code 1.5h}. */
    static Duration duration(String option, String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        double unit = 1;
        if (s.endsWith("ms")) {
            unit = 1e-3;
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("s")) {
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            unit = 60;
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("h")) {
            unit = 3600;
            s = s.substring(0, s.length() - 1);
        }
        double seconds;
        try {
            seconds = Double.parseDouble(s) * unit;
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--" + option + " expects a duration such as 90s, 10m or 1h, got '" + v + "'");
        }
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new Args.UsageException("--" + option + " must be positive, got '" + v + "'");
        }
        return Duration.ofNanos((long) (seconds * 1e9));
    }

    /** Progress lines: step, loss, speed, latest validation value and time left. */
    static final class ProgressPrinter implements dev.eimf.train.TrainingListener {
        private final PrintStream out;
        private final String metric;
        private final int width;

        ProgressPrinter(PrintStream out, TrainerConfig config) {
            this.out = out;
            this.metric = config.selectionMetric();
            this.width = String.valueOf(config.maxSteps()).length();
        }

        @Override
        public void onProgress(Progress p) {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "step %" + width + "d/%d  loss %.4f  %7.1f steps/s", p.step(),
                    p.maxSteps(), p.loss(), p.stepsPerSecond()));
            if (p.latestValidation().isPresent()) {
                sb.append(String.format(Locale.ROOT, "  valid %s %.4f (best %.4f)", short_(metric),
                        p.latestValidation().get().get(metric), p.bestValue()));
            }
            double eta = p.stepsPerSecond() > 0 ? (p.maxSteps() - p.step()) / p.stepsPerSecond() : Double.NaN;
            if (p.timeLeft().isPresent()) {
                double budget = p.timeLeft().get().toMillis() / 1000.0;
                eta = Double.isNaN(eta) ? budget : Math.min(eta, budget);
            }
            if (!Double.isNaN(eta)) sb.append("  time left ").append(clock(eta));
            if (p.timeLeft().isPresent()) sb.append(" (budget ").append(clock(p.timeLeft().get().toMillis() / 1000.0)).append(')');
            out.println(sb);
        }

        /** {@code recall@50} as {@code R@50}. */
        private static String short_(String metric) {
            int at = metric.indexOf('@');
            return at > 0 ? Character.toUpperCase(metric.charAt(0)) + metric.substring(at) : metric;
        }

        private static String clock(double seconds) {
            long s = Math.round(seconds);
            return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                    : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        }
    }
}
