package dev.eimf.cli;

import dev.eimf.internal.pipeline.PipelineListener;
import dev.eimf.internal.train.Progress;
import dev.eimf.internal.train.TrainerConfig;
import dev.eimf.internal.train.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress lines for the terminal: step, loss, speed, latest validation value and time left; and, for the
 * EIMF pipeline, one line per stage. An optional prefix tells runs apart when a command trains several.
 */
final class ProgressPrinter implements TrainingListener, PipelineListener {
    private final PrintStream out;
    private final String prefix;
    private final String metric;
    private final int width;

    ProgressPrinter(PrintStream out, TrainerConfig config) {
        this(out, config, "");
    }

    /**
     * @param out    where the lines go (stderr)
     * @param config the run's trainer settings (selection metric, step budget)
     * @param label  printed in brackets before every line; empty for none
     */
    ProgressPrinter(PrintStream out, TrainerConfig config, String label) {
        this.out = out;
        this.prefix = label.isEmpty() ? "" : "[" + label + "] ";
        this.metric = config.selectionMetric();
        this.width = String.valueOf(config.maxSteps()).length();
    }

    @Override
    public void stage(String stage, String detail) {
        out.println(prefix + stage + ": " + detail);
    }

    @Override
    public void training(String stage, Progress progress) {
        line(stage + " ", progress);
    }

    @Override
    public void onProgress(Progress p) {
        line("", p);
    }

    private void line(String stage, Progress p) {
        StringBuilder sb = new StringBuilder(prefix).append(stage);
        sb.append(String.format(Locale.ROOT, "step %" + width + "d/%d  loss %.4f  %7.1f steps/s", p.step(),
                p.maxSteps(), p.loss(), p.stepsPerSecond()));
        if (p.latestValidation().isPresent()) {
            sb.append(String.format(Locale.ROOT, "  valid %s %.4f (best %.4f)", shortName(metric),
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
    static String shortName(String metric) {
        int at = metric.indexOf('@');
        return at > 0 ? Character.toUpperCase(metric.charAt(0)) + metric.substring(at) : metric;
    }

    /** Seconds as {@code m:ss} or {@code h:mm:ss}. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
