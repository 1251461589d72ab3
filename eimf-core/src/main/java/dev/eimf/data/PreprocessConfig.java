package dev.eimf.data;

import java.util.OptionalDouble;

/**
 * How {@link Preprocessor} filters raw interactions. Immutable; build with {@link #builder()}.
 * Defaults: no rating filter, 5-core on users and items.
 */
public final class PreprocessConfig {
    private final double minRating; // NaN = no rating filter
    private final int userCore;
    private final int itemCore;

    private PreprocessConfig(Builder b) {
        this.minRating = b.minRating;
        this.userCore = b.userCore;
        this.itemCore = b.itemCore;
    }

    /** The defaults: no rating filter, 5-core on users and items. */
    public static PreprocessConfig defaults() {
        return builder().build();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Smallest rating kept, if set. When set, an interaction without a rating fails the filter (it cannot be
     * shown to reach the minimum); when not set, ratings are ignored and every interaction counts.
     */
    public OptionalDouble minRating() {
        return Double.isNaN(minRating) ? OptionalDouble.empty() : OptionalDouble.of(minRating);
    }

    /** Each kept user has at least this many interactions; 0 or 1 disables the user side of the k-core. */
    public int userCore() { return userCore; }

    /** Each kept item has at least this many interactions; 0 or 1 disables the item side of the k-core. */
    public int itemCore() { return itemCore; }

    @Override
    public String toString() {
        return "PreprocessConfig[minRating=" + (Double.isNaN(minRating) ? "none" : minRating)
                + ", userCore=" + userCore + ", itemCore=" + itemCore + "]";
    }

    /** Builder for {@link PreprocessConfig}; validated in {@link #build()}. */
    public static final class Builder {
        private double minRating = Double.NaN;
        private int userCore = 5;
        private int itemCore = 5;

        private Builder() {}

        /** Keep only interactions with a rating of at least {@code min} (see {@link PreprocessConfig#minRating()}). */
        public Builder minRating(double min) {
            this.minRating = min;
            return this;
        }

        /** Removes the rating filter. */
        public Builder noRatingFilter() {
            this.minRating = Double.NaN;
            return this;
        }

        /** Minimum interactions per user (k-core); 0 or 1 disables. */
        public Builder userCore(int k) {
            this.userCore = k;
            return this;
        }

        /** Minimum interactions per item (k-core); 0 or 1 disables. */
        public Builder itemCore(int k) {
            this.itemCore = k;
            return this;
        }

        /** Same k for users and items. */
        public Builder core(int k) {
            return userCore(k).itemCore(k);
        }

        /**
         * @throws IllegalArgumentException if a core is negative or the minimum rating is infinite
         */
        public PreprocessConfig build() {
            if (userCore < 0) throw new IllegalArgumentException("userCore must be >= 0, got " + userCore);
            if (itemCore < 0) throw new IllegalArgumentException("itemCore must be >= 0, got " + itemCore);
            if (Double.isInfinite(minRating)) {
                throw new IllegalArgumentException("minRating must be finite, got " + minRating);
            }
            return new PreprocessConfig(this);
        }
    }
}
