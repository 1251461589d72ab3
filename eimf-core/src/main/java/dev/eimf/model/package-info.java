/**
 * The trained model and serving: {@link dev.eimf.model.InterestModel} recommends for one user or many
 * ({@link dev.eimf.model.RecommendRequest} with exclusions, candidate restrictions and
 * {@link dev.eimf.model.UnknownItems}), explains interests, exports interest vectors and item embeddings, and
 * saves and loads itself with its {@link dev.eimf.model.ModelProvenance}. It is safe to serve from many
 * threads. Exceptions follow the policy of {@link dev.eimf.train}.
 */
package dev.eimf.model;
