package dev.eimf.internal.esim;

import dev.eimf.esim.SelectionStrategy;

/**
 * Settings of {@link TypicalSampleSelector}. Immutable; build with {@link #builder()}.
 *
 * @param strategy      how users are chosen (default {@link SelectionStrategy#KMEANS})
 * @param clusters      C, the number of K-means clusters (default 50)
 * @param perCluster    m, the users taken nearest each centroid (default 4)
 * @param seed          seed of every random choice (default 42)
 * @param maxIterations upper bound on Lloyd iterations of K-means (default 100)
 */
public record TypicalSampleConfig(SelectionStrategy strategy, int clusters, int perCluster, long seed, int maxIterations) {
    public TypicalSampleConfig {
        if (strategy == null) throw new IllegalArgumentException("strategy must not be null");
        if (clusters < 1) throw new IllegalArgumentException("clusters must be >= 1, got " + clusters);
        if (perCluster < 1) throw new IllegalArgumentException("perCluster must be >= 1, got " + perCluster);
        if (maxIterations < 1) throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
    }

    /** The defaults of docs/METHOD.md, section 4.2: K-means, C = 50, m = 4, seed 42, 100 iterations. */
    public static TypicalSampleConfig defaults() {
        return builder().build();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder().strategy(strategy).clusters(clusters).perCluster(perCluster).seed(seed).maxIterations(maxIterations);
    }

    /** The number of users the K-means and random strategies aim for: C * m. */
    public int targetCount() {
        return Math.multiplyExact(clusters, perCluster);
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private SelectionStrategy strategy = SelectionStrategy.KMEANS;
        private int clusters = 50;
        private int perCluster = 4;
        private long seed = 42;
        private int maxIterations = 100;

        private Builder() {}

        /** Selection strategy. */
        public Builder strategy(SelectionStrategy v) { strategy = v; return this; }
        /** C, number of clusters. */
        public Builder clusters(int v) { clusters = v; return this; }
        /** m, users per cluster. */
        public Builder perCluster(int v) { perCluster = v; return this; }
        /** Seed of every random choice. */
        public Builder seed(long v) { seed = v; return this; }
        /** Upper bound on K-means iterations. */
        public Builder maxIterations(int v) { maxIterations = v; return this; }

        /** Validates and builds. */
        public TypicalSampleConfig build() {
            TypicalSampleConfig c = new TypicalSampleConfig(strategy, clusters, perCluster, seed, maxIterations);
            c.targetCount(); // overflow check
            return c;
        }
    }
}
