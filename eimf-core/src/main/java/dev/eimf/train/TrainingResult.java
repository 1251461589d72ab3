package dev.eimf.train;

import dev.eimf.model.InterestModel;
import java.util.Objects;

/**
 * What {@link Trainer#train} returns: the model, with the best validated weights, and the run's report.
 *
 * @param model  the trained model, ready to serve and save
 * @param report how the run went
 */
public record TrainingResult(InterestModel model, TrainingReport report) {
    /** Validates. */
    public TrainingResult {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(report, "report");
    }
}
