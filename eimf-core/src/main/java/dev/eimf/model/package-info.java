/**
 * Saved models: {@link dev.eimf.model.ModelStore} writes a trained multi-interest model (encoder
 * configuration, training settings, item catalogue with text, item table and encoder weights) to a
 * directory and reads it back as a {@link dev.eimf.model.SavedModel}, which scores items
 * ({@link dev.eimf.eval.ItemScorer}), yields interests ({@link dev.eimf.serve.UserInterests}) and builds a
 * {@link dev.eimf.serve.Recommender}. {@link dev.eimf.model.ModelExports} writes item embeddings and users'
 * interest vectors as {@code .npy} files with an id table. Layout: {@code docs/MODEL-FORMAT.md}, section 4.
 */
package dev.eimf.model;
