package dev.eimf.internal.train;

import dev.eimf.internal.ibim.Param;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An extra training objective on the interests, added to the recommendation loss each step (EIMF's
 * semantic prediction and modality alignment are one). Its parameters get their own Adam; the trainer
 * zeroes their gradients before each step.
 */
public interface AuxiliaryObjective {

    /** Trainable parameters, in a stable order (saved in checkpoints by name). */
    List<Param> parameters();

    /**
     * Computes the objective for one batch and ADDS its gradient into {@code dInterests} and into the
     * parameters' gradients.
     *
     * @param interests  the encoder's interests [B, K, d] for this batch
     * @param users      per batch row, the index of its training sequence in {@code Split.train()}
     * @param dInterests gradient buffer [B, K, d] that already holds the recommendation loss's gradient
     * @return the weighted loss this objective adds to the total
     */
    double forwardBackward(INDArray interests, int[] users, INDArray dInterests);

    /**
     * An objective on the item table for the batch's target items: ADDS its gradient into {@code tableGrad}
     * (rows = item ids) and into the parameters' gradients. Called after {@link #forwardBackward}, before the
     * gradients are clipped. The default adds nothing.
     *
     * @param table     the item table [numItems + 1, d] (row 0 is padding)
     * @param items     the batch's target item ids (may repeat)
     * @param tableGrad the table's sparse gradient of this step
     * @return the weighted loss this objective adds to the total
     */
    default double itemForwardBackward(INDArray table, int[] items, TableGradient tableGrad) {
        return 0;
    }
}
