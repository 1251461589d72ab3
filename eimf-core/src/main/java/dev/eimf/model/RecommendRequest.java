package dev.eimf.model;

import java.util.List;
import java.util.Objects;

/**
 * One user's request: a history of item ids (oldest first, as in the data the model was trained on), how
 * many items, and which may be shown. Build with {@link #builder(List)}; {@link #of(List, int)} takes the
 * defaults.
 *
 * @param history        item ids, oldest first
 * @param n              how many items, {@code >= 0}
 * @param excludeHistory leave out the history's own items (default true)
 * @param filter         which items may be recommended (default all)
 * @param unknownItems   what to do with history ids the model does not know (default {@link UnknownItems#SKIP})
 * @param diversity      lambda of ComiRec's controllable diversity, {@code >= 0} (default 0, the ranking by score):
 *                       each interest proposes its top n items and n of them are picked greedily by score plus
 *                       lambda per picked item of another category (categories by
 *                       {@link InterestModel#categories()}; {@code docs/METHOD.md}, section 3.8)
 */
public record RecommendRequest(List<String> history, int n, boolean excludeHistory, ItemFilter filter,
                               UnknownItems unknownItems, double diversity) {
    /** Validates and copies. */
    public RecommendRequest {
        history = List.copyOf(history);
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, got " + n);
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(unknownItems, "unknownItems");
        if (!(diversity >= 0) || Double.isInfinite(diversity)) {
            throw new IllegalArgumentException("diversity must be finite and >= 0, got " + diversity);
        }
    }

    /** The top {@code n} for a history with the defaults. */
    public static RecommendRequest of(List<String> history, int n) {
        return builder(history).n(n).build();
    }

    /** A builder for a history; n defaults to 10. */
    public static Builder builder(List<String> history) {
        return new Builder(history);
    }

    /** Builder for {@link RecommendRequest}. */
    public static final class Builder {
        private final List<String> history;
        private int n = 10;
        private boolean excludeHistory = true;
        private ItemFilter filter = ItemFilter.all();
        private UnknownItems unknownItems = UnknownItems.SKIP;
        private double diversity = 0;

        private Builder(List<String> history) {
            this.history = Objects.requireNonNull(history, "history");
        }

        /** How many items (default 10). */
        public Builder n(int v) { n = v; return this; }

        /** Leave out the history's own items (default true). */
        public Builder excludeHistory(boolean v) { excludeHistory = v; return this; }

        /** Which items may be recommended; combined with any filter set before by {@link ItemFilter#and}. */
        public Builder filter(ItemFilter v) {
            filter = filter == null ? v : filter.and(v);
            return this;
        }

        /** Never recommend these items (e.g. already bought). */
        public Builder exclude(java.util.Collection<String> itemIds) { return filter(ItemFilter.exclude(itemIds)); }

        /** Recommend only among these items (e.g. in stock). */
        public Builder candidates(java.util.Collection<String> itemIds) { return filter(ItemFilter.only(itemIds)); }

        /** What to do with unknown history ids (default skip and count). */
        public Builder unknownItems(UnknownItems v) { unknownItems = v; return this; }

        /**
         * Lambda of the controllable diversity, {@code >= 0} (default 0: the ranking by score). Larger values
         * trade score for items of categories not yet in the list.
         */
        public Builder diversity(double lambda) { diversity = lambda; return this; }

        /** Validates and builds. */
        public RecommendRequest build() {
            return new RecommendRequest(history, n, excludeHistory, filter, unknownItems, diversity);
        }
    }
}
