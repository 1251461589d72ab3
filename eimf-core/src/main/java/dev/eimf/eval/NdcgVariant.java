package dev.eimf.eval;

/**
 * How NDCG@N is normalised. Both use the same DCG: the sum over hits at 0-based rank {@code r < N} of
 * {@code 1 / log2(r + 2)} (equivalently {@code 1 / log2(rank + 1)} for 1-based ranks).
 */
public enum NdcgVariant {
    /**
     * The textbook form: IDCG is the DCG of an ideal ranking that puts all targets first, over
     * {@code min(N, |distinct targets|)} positions. 1.0 only when the top of the ranking is all
     * targets.
     */
    STANDARD,
    /**
     * The public ComiRec code ({@code evaluate_full} in THUDM/ComiRec {@code src/train.py}):
     * <pre>
     * recall = 0; dcg = 0.0
     * for no, iid in enumerate(I[i]):          # top-N, 0-based rank "no"
     *     if iid in item_list:
     *         recall += 1
     *         dcg += 1.0 / math.log(no + 2, 2)
     * idcg = 0.0
     * for no in range(recall):                 # ideal over the NUMBER OF HITS, not of targets
     *     idcg += 1.0 / math.log(no + 2, 2)
     * if recall > 0:
     *     total_ndcg += dcg / idcg             # users with no hit add 0
     * </pre>
     * IDCG counts only as many positions as there were hits, so it measures where the hits sit, not
     * how many targets were missed; it is never below {@link #STANDARD}. (In the multi-interest branch
     * the Python code walks a {@code set} of the merged top-N, so its ranks there follow set
     * iteration order; here ranks always follow the score order.)
     */
    COMIREC
}
