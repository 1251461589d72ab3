package dev.eimf.eval;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How the {@link Evaluator} ranks and scores. Immutable; build with {@link #builder()}.
 *
 * @param cutoffs        the N of every metric@N, ascending and distinct (default 20, 50)
 * @param ndcgVariant    NDCG normalisation (default {@link NdcgVariant#STANDARD})
 * @param excludeHistory whether items in a case's history are removed from its ranking (default
 *                       true). ComiRec's own evaluation does not remove them; with removal a target
 *                       that repeats a history item cannot be hit.
 * @param batchSize      histories per {@link ItemScorer#scoreBatch} call (default 256)
 * @param diversity      lambda of ComiRec's controllable diversity ({@code docs/METHOD.md}, section 3.8):
 *                       each ranking picks its N items greedily by relevance plus lambda per already picked
 *                       item of another category (default 0: the plain ranking by score). A value above 0
 *                       needs an {@link Evaluator} given {@link dev.eimf.data.ItemCategories}.
 */
public record EvalConfig(List<Integer> cutoffs, NdcgVariant ndcgVariant, boolean excludeHistory, int batchSize,
                         double diversity) {
    public EvalConfig {
        cutoffs = Arrays.stream(Metrics.validCutoffs(cutoffs)).boxed().toList();
        Objects.requireNonNull(ndcgVariant, "ndcgVariant");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        if (!(diversity >= 0) || Double.isInfinite(diversity)) {
            throw new IllegalArgumentException("diversity must be finite and >= 0, got " + diversity);
        }
    }

    /** The defaults: cut-offs 20 and 50, standard NDCG, history excluded, batches of 256, no diversity. */
    public static EvalConfig defaults() {
        return builder().build();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The largest cut-off. */
    public int maxCutoff() {
        return cutoffs.get(cutoffs.size() - 1);
    }

    /** Builder; validated by {@link #build()}. */
    public static final class Builder {
        private List<Integer> cutoffs = List.of(20, 50);
        private NdcgVariant ndcgVariant = NdcgVariant.STANDARD;
        private boolean excludeHistory = true;
        private int batchSize = 256;
        private double diversity = 0;

        private Builder() {
        }

        /** The cut-offs N (positive, distinct; any order). */
        public Builder cutoffs(int... v) {
            this.cutoffs = Arrays.stream(v).boxed().toList();
            return this;
        }

        /** The cut-offs N (positive, distinct; any order). */
        public Builder cutoffs(List<Integer> v) {
            this.cutoffs = List.copyOf(v);
            return this;
        }

        /** NDCG normalisation. */
        public Builder ndcgVariant(NdcgVariant v) { this.ndcgVariant = v; return this; }

        /** Whether history items are removed from the ranking. */
        public Builder excludeHistory(boolean v) { this.excludeHistory = v; return this; }

        /** Histories per scoring batch. */
        public Builder batchSize(int v) { this.batchSize = v; return this; }

        /** Lambda of the controllable diversity, {@code >= 0} (default 0: ranking by score alone). */
        public Builder diversity(double lambda) { this.diversity = lambda; return this; }

        /** Validates and builds. */
        public EvalConfig build() {
            return new EvalConfig(cutoffs, ndcgVariant, excludeHistory, batchSize, diversity);
        }
    }
}
