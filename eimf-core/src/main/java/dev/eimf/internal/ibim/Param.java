package dev.eimf.internal.ibim;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trainable parameter and its gradient buffer (same shape). Backward passes add into {@code grad};
 * the optimiser reads it and the trainer zeroes it between steps.
 *
 * @param name  stable name, used in model files and error messages
 * @param value the weights
 * @param grad  the accumulated gradient
 */
public record Param(String name, INDArray value, INDArray grad) {
}
