package dev.eimf.internal.ibim;

import java.util.List;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A multi-interest encoder: a batch of item-embedding histories with masks in, K interest vectors per
 * user out, and the backward pass. The item table itself is not part of the encoder: the caller
 * gathers rows into {@code x} and scatters the returned gradient back.
 */
public interface InterestEncoder {

    /** Embedding size d. */
    int dim();

    /** Number of interests K. */
    int numInterests();

    /** Maximum history length T. */
    int maxLen();

    /** The encoder's own trainable parameters (not the item table), in a stable order. */
    List<Param> parameters();

    /**
     * Runs the encoder.
     *
     * @param x        tensor [B, T, d] of the encoder's data type (FLOAT unless configured otherwise): item
     *                 embeddings of the histories, left-aligned
     * @param mask     tensor [B, T]: 1 for real positions, 0 for padding
     * @param training true during training (some encoders draw random routing logits)
     * @param rng      source of any randomness the forward pass needs
     * @return the pass, holding interests [B, K, d] and what backward needs
     */
    Pass forward(INDArray x, INDArray mask, boolean training, RandomGenerator rng);

    /**
     * {@link #forward(INDArray, INDArray, boolean, RandomGenerator)} with a promise that positions with
     * the same key hold the same row of {@code x} (an item embedding: the key is the item id), so that an
     * encoder may compute work that depends only on a row's content once per key. The interests are the
     * same as without keys (up to rounding). The pass's {@link Pass#backward} then returns a gradient of
     * which only the sums over positions of equal key are defined: exactly what a caller that adds the
     * rows of dX into an embedding table by key needs (individual rows may hold another key's share).
     * Parameter gradients are as usual. The default ignores the keys.
     *
     * @param keys [B*T] key of position (b, t) at index {@code b*T + t}; padded positions are not read
     */
    default Pass forward(INDArray x, INDArray mask, int[] keys, boolean training, RandomGenerator rng) {
        return forward(x, mask, training, rng);
    }

    /** One forward pass and its cached activations. */
    interface Pass {
        /** Interest vectors [B, K, d], of the encoder's data type. */
        INDArray interests();

        /**
         * Back-propagates {@code dInterests} ([B, K, d]): adds parameter gradients into each
         * {@link Param#grad()} and returns the gradient with respect to {@code x} ([B, T, d]).
         */
        INDArray backward(INDArray dInterests);

        /**
         * Declares the pass finished: the encoder may reuse its buffers, including the arrays returned by
         * {@link #interests()} and {@link #backward}, for a later forward pass. Optional; a pass that is
         * never released simply keeps its buffers until garbage-collected. No method may be called after.
         */
        default void release() {
        }
    }
}
