package dev.eimf.internal.train;

import dev.eimf.eval.MetricsResult;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of {@link Trainer#train}.
 *
 * @param model              the model, holding the best validated weights (the last weights when
 *                           validation is off)
 * @param stopReason         why training ended
 * @param steps              steps run
 * @param bestStep           step of the restored weights
 * @param bestValidation     validation metrics of the restored weights; empty when validation is off
 * @param validations        every validation run, in order
 * @param trainSeconds       wall-clock seconds spent in training steps (evaluation excluded)
 * @param evalSeconds        wall-clock seconds spent in validation
 * @param secondsPer1000Steps training seconds per 1000 steps
 * @param finalLoss          mean training loss over the last (up to) {@code logEvery} steps
 */
public record TrainingResult(TrainedModel model, StopReason stopReason, long steps, long bestStep,
                             Optional<MetricsResult> bestValidation, List<ValidationPoint> validations,
                             double trainSeconds, double evalSeconds, double secondsPer1000Steps,
                             double finalLoss) {
    public TrainingResult {
        validations = List.copyOf(validations);
    }
}
