/**
 * EIMF-Java: LLM-assisted explicit and implicit multi-interest sequential recommendation.
 *
 * <p>Packages, one concern each: {@code data} (records and loaders), {@code eval} (protocols,
 * metrics, evaluator, baselines), {@code ibim} (multi-interest encoders), {@code train} (losses,
 * samplers, optimisers, trainer), {@code serve} (recommender and item index), {@code io} (model
 * format), {@code tensor} (shared kernels), {@code esim} and {@code mtl} (explicit semantic interests
 * and the auxiliary tasks).
 */
package dev.eimf;
