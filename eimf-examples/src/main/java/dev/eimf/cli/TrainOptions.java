package dev.eimf.cli;

import dev.eimf.eval.EvalConfig;
import dev.eimf.internal.ibim.EncoderConfig;
import dev.eimf.internal.ibim.EncoderType;
import dev.eimf.internal.train.EncoderFactory;
import dev.eimf.internal.model.EncoderNames;
import dev.eimf.internal.train.TrainerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The backbone and trainer options shared by {@code train}, {@code quickstart} and {@code ablation}. */
final class TrainOptions {
    private TrainOptions() {}

    /**
     * The options (the backbone's {@code --model} and the seed are left to each command).
     *
     * @param steps     default of {@code --steps}
     * @param evalEvery default of {@code --eval-every}
     */
    static List<Command.Option> options(long steps, int evalEvery) {
        return options(steps, evalEvery, 50);
    }

    /**
     * The options with a default of {@code --patience} of the command's own.
     *
     * @param steps     default of {@code --steps}
     * @param evalEvery default of {@code --eval-every}
     * @param patience  default of {@code --patience}
     */
    static List<Command.Option> options(long steps, int evalEvery, int patience) {
        List<Command.Option> o = new ArrayList<>();
        o.add(Command.Option.optional("steps", "N", "training steps (step budget)", String.valueOf(steps)));
        o.add(Command.Option.optional("dim", "D", "embedding size d", "64"));
        o.add(Command.Option.optional("interests", "K", "interests per user", "4"));
        o.add(Command.Option.optional("max-len", "T", "history length", "20"));
        o.add(Command.Option.optional("batch", "B", "users per step", "128"));
        o.add(Command.Option.optional("lr", "X", "Adam learning rate", "1e-3; 5e-3 for comirec-dr"));
        o.add(Command.Option.optional("eval-every", "N", "validate every N steps (0 = only at the end)", String.valueOf(evalEvery)));
        o.add(Command.Option.optional("patience", "N", "stop after N validations without improvement", String.valueOf(patience)));
        o.add(Command.Option.optional("time-budget", "DURATION", "wall-clock budget, e.g. 90s, 10m, 1h (makes results machine-dependent)", "none"));
        o.add(Command.Option.optional("log-every", "N", "progress line every N steps", "100"));
        return o;
    }

    /**
     * Parsed backbone and trainer settings.
     *
     * @param modelName the backbone's name
     * @param encoder   its configuration
     * @param config    the trainer configuration
     */
    record Parsed(String modelName, EncoderConfig encoder, TrainerConfig config) {
        long steps() {
            return config.maxSteps();
        }

        /** The settings object of the JSON files. */
        Map<String, Object> json() {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("dim", encoder.dim());
            settings.put("interests", encoder.numInterests());
            settings.put("max_len", encoder.maxLen());
            settings.put("batch", config.batchSize());
            settings.put("lr", config.adam().learningRate());
            settings.put("max_steps", config.maxSteps());
            settings.put("eval_every", config.evalEvery());
            settings.put("patience", config.patience());
            return settings;
        }
    }

    /**
     * Parses the options.
     *
     * @param modelName  comirec-sa, comirec-dr or mind
     * @param seed       seed of the training run
     * @param steps      default of {@code --steps}
     * @param evalEvery  default of {@code --eval-every}
     * @param evalConfig metrics of the validations
     */
    static Parsed parse(Args args, String modelName, long seed, long steps, int evalEvery, EvalConfig evalConfig) {
        return parse(args, modelName, seed, steps, evalEvery, 50, evalConfig);
    }

    /** {@link #parse(Args, String, long, long, int, EvalConfig)} with the command's own default of {@code --patience}. */
    static Parsed parse(Args args, String modelName, long seed, long steps, int evalEvery, int patience,
                        EvalConfig evalConfig) {
        EncoderType type = EncoderNames.parse(modelName)
                .orElseThrow(() -> new Args.UsageException("unknown backbone '" + modelName + "'"));
        long n = args.getLong("steps", steps);
        if (n < 1) throw new Args.UsageException("--steps must be >= 1, got " + n);
        int every = args.getInt("eval-every", evalEvery);
        if (every < 0) throw new Args.UsageException("--eval-every must be >= 0, got " + every);
        EncoderConfig encoder;
        try {
            encoder = EncoderConfig.builder(type).dim(args.getInt("dim", 64)).numInterests(args.getInt("interests", 4))
                    .maxLen(args.getInt("max-len", 20)).build();
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        TrainerConfig.Builder tb = TrainerConfig.builder(EncoderFactory.of(encoder))
                .batchSize(args.getInt("batch", 128))
                .learningRate(args.getDouble("lr", TrainerConfig.recommendedLearningRate(modelName)))
                .maxSteps(n)
                // 0 = validate only once, at the end, so the best (= last) weights are still measured.
                .evalEvery(every == 0 ? (int) Math.min(Integer.MAX_VALUE, n) : every)
                .patience(args.getInt("patience", patience))
                .logEvery(args.getInt("log-every", 100))
                .evalConfig(evalConfig)
                .seed(seed);
        args.get("time-budget").ifPresent(v -> tb.timeBudget(duration("time-budget", v)));
        try {
            return new Parsed(modelName, encoder, tb.build());
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
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
}
