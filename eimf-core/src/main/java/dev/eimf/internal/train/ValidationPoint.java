package dev.eimf.internal.train;

import dev.eimf.eval.MetricsResult;

/**
 * One validation run during training.
 *
 * @param step    steps done when it ran
 * @param metrics the validation metrics
 */
public record ValidationPoint(long step, MetricsResult metrics) {
}
