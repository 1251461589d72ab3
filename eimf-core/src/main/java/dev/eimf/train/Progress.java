package dev.eimf.train;

import dev.eimf.eval.MetricsResult;
import java.time.Duration;
import java.util.Optional;

/**
 * A progress report.
 *
 * @param stage            the stage reporting ({@link Stage#WARMUP} or {@link Stage#TRAINING})
 * @param step             steps done so far (the warm-up's count towards the total)
 * @param maxSteps         the step budget of the whole run
 * @param loss             mean training loss since the previous report
 * @param stepsPerSecond   training speed since the previous report (validation excluded)
 * @param validated        whether a validation ran just before this report
 * @param latestValidation the most recent validation metrics; empty before the first
 * @param bestValue        the best value of the selection metric so far ({@code NaN} before any)
 * @param timeLeft         what remains of the time budget; empty without one
 */
public record Progress(Stage stage, long step, long maxSteps, double loss, double stepsPerSecond, boolean validated,
                       Optional<MetricsResult> latestValidation, double bestValue, Optional<Duration> timeLeft) {
}
