package dev.eimf.train;

import dev.eimf.eval.MetricsResult;

/**
 * One validation during training.
 *
 * @param step    steps done when it ran
 * @param metrics the validation users' metrics
 */
public record ValidationPoint(long step, MetricsResult metrics) {
}
