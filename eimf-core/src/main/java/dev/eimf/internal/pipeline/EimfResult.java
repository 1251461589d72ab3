package dev.eimf.internal.pipeline;

import dev.eimf.internal.esim.EsimResult;
import dev.eimf.internal.esim.TypicalSamples;
import dev.eimf.internal.train.TrainedModel;
import dev.eimf.internal.train.TrainingResult;
import java.util.Optional;

/**
 * What {@link EimfPipeline#run} produced. The model serves from behaviour alone (IBIM only); the
 * semantics (g and the interest phrases) are kept for naming interests.
 *
 * @param model         the trained model (best validated weights over both stages)
 * @param warmup        the warm-up stage's record
 * @param training      the multi-task stage's record (its validations include the warm-up's)
 * @param typical       the typical samples; empty without the semantic stages
 * @param esim          the ESIM outcome; empty without the semantic stages
 * @param objective     the auxiliary objective (holds g); empty without the semantic stages
 * @param semantics     interest phrases and g, for naming; empty without the semantic stages
 * @param esimSeconds   wall-clock seconds of typical-sample selection and ESIM
 */
public record EimfResult(TrainedModel model, TrainingResult warmup, TrainingResult training,
                         Optional<TypicalSamples> typical, Optional<EsimResult> esim,
                         Optional<SemanticObjective> objective, Optional<Semantics> semantics, double esimSeconds) {
}
