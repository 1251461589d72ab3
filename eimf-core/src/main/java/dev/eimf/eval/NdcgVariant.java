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
     * The public ComiRec code ({@code evaluate_full} in THUDM/ComiRec {@code src/train.py}, the
     * revision with {@code item_cor_list}, commit a3489dfe):
     * <pre>
     * true_item_set = set(iid_list)            # the user's targets
     * recall = 0; dcg = 0.0
     * for no, iid in enumerate(I[i]):          # top-N by score, 0-based rank "no"
     *     if iid in true_item_set:
     *         recall += 1
     *         dcg += 1.0 / math.log(no + 2, 2)
     * idcg = 0.0
     * for no in range(recall):                 # ideal over the NUMBER OF HITS, not of targets
     *     idcg += 1.0 / math.log(no + 2, 2)
     * total_recall += recall / len(iid_list)
     * if recall &gt; 0:
     *     total_ndcg += dcg / idcg             # users with no hit add 0
     *     total_hitrate += 1
     * </pre>
     * IDCG counts only as many positions as there were hits, so it measures where the hits sit, not
     * how many targets were missed; it is never below {@link #STANDARD}. (An earlier revision of that
     * file, commit 6eca9366, discounted each hit by the target's position in the time-ordered target
     * list instead of its rank, and in the multi-interest branch ranked a {@code set}; neither is
     * reproduced here: ranks always follow the score order.)
     */
    COMIREC
}
