package dev.eimf.train;

import dev.eimf.eval.MetricsResult;
import java.util.List;
import java.util.Optional;

/**
 * The record of a training run, apart from the model it produced.
 *
 * @param stopReason       why training ended
 * @param steps            steps run in total (warm-up included)
 * @param bestStep         step of the kept weights
 * @param bestValidation   validation metrics of the kept weights; empty when validation is off
 * @param validations      every validation, in order (warm-up's included)
 * @param trainSeconds     seconds spent in training steps (validation excluded)
 * @param validationSeconds seconds spent validating
 * @param secondsPer1000Steps training speed
 * @param finalLoss        mean training loss over the last reported steps
 * @param warmupSteps      steps of the warm-up stage; 0 without explicit interests
 * @param interests        what the explicit-interest stage did; empty without it
 */
public record TrainingReport(StopReason stopReason, long steps, long bestStep, Optional<MetricsResult> bestValidation,
                             List<ValidationPoint> validations, double trainSeconds, double validationSeconds,
                             double secondsPer1000Steps, double finalLoss, long warmupSteps,
                             Optional<InterestsReport> interests) {
    /** Copies. */
    public TrainingReport {
        validations = List.copyOf(validations);
    }
}
