package dev.eimf.backbone;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A multi-interest encoder of your own: B histories of item embeddings in, K interest vectors per user
 * out, and the backward pass. The item table is not part of it: the trainer gathers each history's
 * embeddings into {@link BackboneInput#embeddings()} and scatters the returned gradient back.
 *
 * <p>Register a factory under a name with {@link Backbones#register} and name it in a
 * {@link BackboneConfig}: the trainer builds it, the model saves its parameters by name, and
 * {@code InterestModel.load} rebuilds it through the same factory. Extend
 * {@code dev.eimf.testkit.BackboneContract} (artifact {@code eimf-testkit}) in your tests to check an
 * implementation: shapes, determinism, gradients against finite differences, save and load.
 *
 * <p>The built-in encoders do not go through this interface: they run on the engine's own kernels.
 * One instance is used by one thread at a time; serving builds one instance per serving thread.
 */
public interface Backbone {

    /** The configuration it was built from (its d, K and T). */
    BackboneConfig config();

    /** The trainable parameters, in a stable order with unique names. */
    List<Parameter> parameters();

    /**
     * Runs the encoder.
     *
     * @param input    the batch
     * @param training true during training (an encoder may then draw randomness, e.g. routing logits)
     * @param rng      the source of any randomness
     * @return the pass, holding interests and what the backward pass needs
     */
    Pass forward(BackboneInput input, boolean training, RandomGenerator rng);

    /** One forward pass and its cached activations. */
    interface Pass {
        /** Interest vectors, row-major [B, K, d]. */
        float[] interests();

        /**
         * Back-propagates {@code dInterests} (row-major [B, K, d]): adds the parameters' gradients into
         * their {@link Parameter#grad()} and returns the gradient with respect to the input embeddings,
         * row-major [B, T, d].
         */
        float[] backward(float[] dInterests);
    }
}
