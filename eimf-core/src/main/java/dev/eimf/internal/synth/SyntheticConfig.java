package dev.eimf.internal.synth;

/**
 * Settings of {@link SyntheticGenerator}. Immutable; build with {@link #builder()}, which validates.
 *
 * <p>The number of interactions is random: each user's sequence length is {@code minSequenceLength} plus an
 * exponentially distributed extra part, capped at {@code maxSequenceLength}, so that the expected length is
 * close to {@code meanSequenceLength} (slightly below it when the cap bites). {@link Builder#interactions(long)}
 * sets the mean from a target total.
 *
 * @param name               dataset name, used for the RecBole file names ({@code name.inter}); letters, digits,
 *                           {@code _ - .} only
 * @param users              number of users, at least 1
 * @param items              number of items, at least {@code topics}
 * @param meanSequenceLength expected interactions per user, in [{@code minSequenceLength}, {@code maxSequenceLength}]
 * @param minSequenceLength  shortest sequence, at least 1
 * @param maxSequenceLength  longest sequence, at most {@code items} (a user never repeats an item)
 * @param topics             number of planted topics, at least 1
 * @param minTopicsPerUser   fewest topics a user mixes, at least 1
 * @param maxTopicsPerUser   most topics a user mixes, at most {@code topics}
 * @param topicConcentration Dirichlet concentration of a user's topic weights; small values give one dominant
 *                           topic, large values near-equal weights; positive
 * @param noise              probability that an interaction ignores the user's topics and follows global
 *                           popularity, in [0, 1]
 * @param popularityExponent Zipf exponent s of item popularity (weight of the item of popularity rank r is
 *                           1/r^s); 0 means uniform; in [0, 5]
 * @param seed               seed of every random choice
 * @param timestampStart     earliest possible timestamp
 * @param timestampStep      time unit between consecutive interactions of a user (gaps are 1 to 3 steps);
 *                           positive
 */
public record SyntheticConfig(String name, int users, int items, double meanSequenceLength, int minSequenceLength,
                              int maxSequenceLength, int topics, int minTopicsPerUser, int maxTopicsPerUser,
                              double topicConcentration, double noise, double popularityExponent, long seed,
                              long timestampStart, long timestampStep) {

    /** Largest gap, in steps, between two consecutive interactions of a user. */
    static final int MAX_GAP_STEPS = 3;

    public SyntheticConfig {
        if (name == null || !name.matches("[A-Za-z0-9_.-]+") || name.startsWith(".")) {
            throw new IllegalArgumentException("name must be letters, digits, '_', '-' or '.', not starting with '.'"
                    + ", got '" + name + "'");
        }
        require(users >= 1, "users must be at least 1, got " + users);
        require(topics >= 1, "topics must be at least 1, got " + topics);
        require(items >= topics, "items (" + items + ") must be at least topics (" + topics
                + ") so that every topic has an item");
        require(minSequenceLength >= 1, "minSequenceLength must be at least 1, got " + minSequenceLength);
        require(maxSequenceLength >= minSequenceLength, "maxSequenceLength (" + maxSequenceLength
                + ") must be at least minSequenceLength (" + minSequenceLength + ")");
        require(maxSequenceLength <= items, "maxSequenceLength (" + maxSequenceLength
                + ") must not exceed items (" + items + "): a user never repeats an item");
        require(meanSequenceLength >= minSequenceLength && meanSequenceLength <= maxSequenceLength,
                "meanSequenceLength must be in [" + minSequenceLength + ", " + maxSequenceLength + "], got "
                        + meanSequenceLength);
        require(minTopicsPerUser >= 1, "minTopicsPerUser must be at least 1, got " + minTopicsPerUser);
        require(maxTopicsPerUser >= minTopicsPerUser, "maxTopicsPerUser (" + maxTopicsPerUser
                + ") must be at least minTopicsPerUser (" + minTopicsPerUser + ")");
        require(maxTopicsPerUser <= topics, "maxTopicsPerUser (" + maxTopicsPerUser + ") must not exceed topics ("
                + topics + ")");
        require(topicConcentration > 0 && Double.isFinite(topicConcentration),
                "topicConcentration must be positive and finite, got " + topicConcentration);
        require(noise >= 0 && noise <= 1, "noise must be in [0, 1], got " + noise);
        require(popularityExponent >= 0 && popularityExponent <= 5,
                "popularityExponent must be in [0, 5], got " + popularityExponent);
        require(timestampStep >= 1, "timestampStep must be positive, got " + timestampStep);
        try {
            long span = Math.multiplyExact(timestampStep,
                    Math.addExact((long) users, (long) MAX_GAP_STEPS * maxSequenceLength));
            Math.addExact(timestampStart, span);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("timestampStart + timestampStep * (users + "
                    + MAX_GAP_STEPS + " * maxSequenceLength) overflows a long");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    /** Expected total number of interactions, ignoring the cap on sequence length. */
    public double expectedInteractions() {
        return users * meanSequenceLength;
    }

    /** A builder holding the defaults: 1,000 users, 5,000 items, mean length 20, 20 topics, 1-3 per user. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder; validated by {@link #build()}. */
    public static final class Builder {
        private String name = "synthetic";
        private int users = 1000;
        private int items = 5000;
        private double meanSequenceLength = 20;
        private long interactions = -1;
        private int minSequenceLength = 5;
        private int maxSequenceLength = 200;
        private int topics = 20;
        private int minTopicsPerUser = 1;
        private int maxTopicsPerUser = 3;
        private double topicConcentration = 1.0;
        private double noise = 0.05;
        private double popularityExponent = 1.0;
        private long seed = 42;
        private long timestampStart = 1_600_000_000L;
        private long timestampStep = 60;

        private Builder() {
        }

        /** Dataset name (RecBole file base name). */
        public Builder name(String v) { this.name = v; return this; }

        /** Number of users. */
        public Builder users(int v) { this.users = v; return this; }

        /** Number of items. */
        public Builder items(int v) { this.items = v; return this; }

        /** Expected interactions per user; clears a target set by {@link #interactions(long)}. */
        public Builder meanSequenceLength(double v) { this.meanSequenceLength = v; this.interactions = -1; return this; }

        /**
         * Target total interactions: the mean sequence length becomes {@code v / users} when built. The
         * generated total is random around it.
         */
        public Builder interactions(long v) {
            if (v < 1) throw new IllegalArgumentException("interactions must be positive, got " + v);
            this.interactions = v;
            return this;
        }

        /** Shortest sequence. */
        public Builder minSequenceLength(int v) { this.minSequenceLength = v; return this; }

        /** Longest sequence. */
        public Builder maxSequenceLength(int v) { this.maxSequenceLength = v; return this; }

        /** Number of planted topics. */
        public Builder topics(int v) { this.topics = v; return this; }

        /** Range of the number of topics a user mixes. */
        public Builder topicsPerUser(int min, int max) {
            this.minTopicsPerUser = min;
            this.maxTopicsPerUser = max;
            return this;
        }

        /** Dirichlet concentration of a user's topic weights. */
        public Builder topicConcentration(double v) { this.topicConcentration = v; return this; }

        /** Probability of an off-topic interaction. */
        public Builder noise(double v) { this.noise = v; return this; }

        /** Zipf exponent of item popularity. */
        public Builder popularityExponent(double v) { this.popularityExponent = v; return this; }

        /** Seed of every random choice. */
        public Builder seed(long v) { this.seed = v; return this; }

        /** Earliest timestamp and the time unit between consecutive interactions. */
        public Builder timestamps(long start, long step) {
            this.timestampStart = start;
            this.timestampStep = step;
            return this;
        }

        /** Validates and builds. */
        public SyntheticConfig build() {
            double mean = interactions > 0 ? (double) interactions / users : meanSequenceLength;
            return new SyntheticConfig(name, users, items, mean, minSequenceLength, maxSequenceLength, topics,
                    minTopicsPerUser, maxTopicsPerUser, topicConcentration, noise, popularityExponent, seed,
                    timestampStart, timestampStep);
        }
    }
}
