/**
 * Evaluation: protocols that split a {@link dev.eimf.data.Dataset} into training sequences and
 * {@link dev.eimf.eval.EvalCase}s ({@link dev.eimf.eval.ComiRecProtocol} for strong generalisation,
 * {@link dev.eimf.eval.LeaveOneOutProtocol} for weak generalisation), the
 * {@link dev.eimf.eval.Evaluator} that ranks all items for each case through any
 * {@link dev.eimf.eval.ItemScorer} and averages Recall, NDCG and HitRate at several cut-offs
 * ({@link dev.eimf.eval.Metrics}), and two reference baselines, {@link dev.eimf.eval.MostPopular}
 * and {@link dev.eimf.eval.ItemKnn}.
 *
 * <p>Typical use:
 * <pre>{@code
 * Split split = ComiRecProtocol.defaults().split(dataset, 1230);
 * MetricsResult r = new Evaluator().evaluateTest(MostPopular.fit(split), split);
 * double recall50 = r.recall(50);
 * }</pre>
 * To reproduce a split made by the ComiRec Python code, use
 * {@code ComiRecProtocol.builder().shuffle(UserShuffle.CPYTHON).build()} with the same seed and a
 * dataset whose users are in the Python code's order.
 */
package dev.eimf.eval;
