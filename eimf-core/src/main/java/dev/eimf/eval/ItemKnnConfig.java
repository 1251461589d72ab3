package dev.eimf.eval;

/**
 * Settings of {@link ItemKnn}. Immutable; build with {@link #builder()}.
 *
 * @param neighbours   neighbours kept per item (default 100)
 * @param window       co-occurrence window in positions; 0 (default) means the whole sequence
 * @param recencyDecay weight factor per step back in the history, in (0, 1]; 1 (default) means no
 *                     recency weighting
 */
public record ItemKnnConfig(int neighbours, int window, double recencyDecay) {
    public ItemKnnConfig {
        if (neighbours < 1) {
            throw new IllegalArgumentException("neighbours must be positive, got " + neighbours);
        }
        if (window < 0) {
            throw new IllegalArgumentException("window must be 0 (whole sequence) or positive, got " + window);
        }
        if (!(recencyDecay > 0 && recencyDecay <= 1)) {
            throw new IllegalArgumentException("recencyDecay must be in (0, 1], got " + recencyDecay);
        }
    }

    /** 100 neighbours, whole-sequence co-occurrence, no recency weighting. */
    public static ItemKnnConfig defaults() {
        return builder().build();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder; validated by {@link #build()}. */
    public static final class Builder {
        private int neighbours = 100;
        private int window = 0;
        private double recencyDecay = 1.0;

        private Builder() {
        }

        /** Neighbours kept per item. */
        public Builder neighbours(int v) { this.neighbours = v; return this; }

        /** Co-occurrence window; 0 for the whole sequence. */
        public Builder window(int v) { this.window = v; return this; }

        /** Recency decay in (0, 1]. */
        public Builder recencyDecay(double v) { this.recencyDecay = v; return this; }

        /** Validates and builds. */
        public ItemKnnConfig build() {
            return new ItemKnnConfig(neighbours, window, recencyDecay);
        }
    }
}
