package dev.eimf.internal.train;

import dev.eimf.eval.MetricsResult;
import java.time.Duration;
import java.util.Optional;

/**
 * A progress report for a {@link TrainingListener}.
 *
 * @param step             steps done so far
 * @param maxSteps         the step budget
 * @param loss             mean training loss over the steps since the previous report
 * @param stepsPerSecond   training steps per second since the previous report (evaluation time excluded)
 * @param evaluated        whether this report follows a validation run
 * @param latestValidation the most recent validation metrics; empty before the first evaluation
 * @param bestValue        best validation value of the selection metric so far ({@code NaN} before any)
 * @param timeLeft         what remains of the time budget; empty without a budget
 */
public record Progress(long step, long maxSteps, double loss, double stepsPerSecond, boolean evaluated,
                       Optional<MetricsResult> latestValidation, double bestValue, Optional<Duration> timeLeft) {
}
