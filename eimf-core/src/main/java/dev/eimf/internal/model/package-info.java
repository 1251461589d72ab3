/**
 * Saved models: {@link dev.eimf.internal.model.ModelStore} writes a trained multi-interest model (encoder
 * configuration, training settings, item catalogue with text, item table and encoder weights) to a
 * directory and reads it back as a {@link dev.eimf.internal.model.SavedModel}, which scores items
 * ({@link dev.eimf.eval.ItemScorer}), yields interests ({@link dev.eimf.internal.serve.UserInterests}) and builds a
 * {@link dev.eimf.internal.serve.Recommender}. {@link dev.eimf.internal.model.ModelExports} writes item embeddings and users'
 * interest vectors as {@code .npy} files with an id table. Layout: {@code docs/MODEL-FORMAT.md}, section 4.
 */
package dev.eimf.internal.model;
