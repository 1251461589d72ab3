package dev.eimf.train;

import dev.eimf.esim.InterestExtractor;
import dev.eimf.esim.SelectionStrategy;
import dev.eimf.esim.TextEncoder;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The explicit-interest stages that EIMF adds to a backbone's training (see {@code docs/METHOD.md}):
 * after a warm-up, users are clustered on their behavioural interests, a few typical users per cluster get
 * explicit interests from an {@link InterestExtractor} (a language model, or the offline metadata
 * extractor), a {@link TextEncoder} embeds them, and two auxiliary tasks (alignment and semantic
 * prediction) pull the behavioural interests towards them for the rest of training. The extractor asks for
 * the backbone's K interests unless its own number was set explicitly. Serving never calls either service.
 * Build with {@link #builder(InterestExtractor, TextEncoder)}.
 *
 * @param extractor      explicit interests of a typical user's history
 * @param textEncoder    embeds interest phrases
 * @param warmupSteps    backbone-only steps before extraction; 0 = until the first validation (default)
 * @param clusters       C, clusters of users (default 50)
 * @param perCluster     m, typical users per cluster (default 4)
 * @param selection      how typical users are chosen (default k-means, nearest m to each centre)
 * @param selectionSeed  seed of the clustering; empty = the training seed (default)
 * @param alignWeight    weight of the alignment loss (default 0.1); 0 turns it off
 * @param semanticWeight weight of the semantic-prediction loss (default 0.1); 0 turns it off
 * @param temperature    tau of both contrastive losses (default 0.1)
 * @param matching       how each behavioural interest is matched to a phrase (default {@link Matching#ARGMAX})
 * @param propagate      whether users who were not typical inherit their cluster's interests (default true)
 * @param propagationTemperature softness of that inheritance (default 1.0)
 * @param itemAlignWeight weight of item-side alignment (default 0.1; 0 turns it off): each item's embedding
 *                       is pulled towards its own text (title, categories, brand) embedded by the same
 *                       {@link TextEncoder}, so that semantics reach items no typical user touched
 */
public record ExplicitInterestsConfig(InterestExtractor extractor, TextEncoder textEncoder, long warmupSteps,
                                      int clusters, int perCluster, SelectionStrategy selection,
                                      OptionalLong selectionSeed, double alignWeight, double semanticWeight,
                                      double temperature, Matching matching, boolean propagate,
                                      double propagationTemperature, double itemAlignWeight) {

    /** How a behavioural interest picks the phrase it is pulled towards. */
    public enum Matching {
        /** Each interest its most similar phrase, independently. */
        ARGMAX,
        /** A one-to-one assignment maximising total similarity (Hungarian algorithm). */
        HUNGARIAN
    }

    /** Validates. */
    public ExplicitInterestsConfig {
        Objects.requireNonNull(extractor, "extractor");
        Objects.requireNonNull(textEncoder, "textEncoder");
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(selectionSeed, "selectionSeed");
        Objects.requireNonNull(matching, "matching");
        if (warmupSteps < 0) throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
        if (clusters < 1) throw new IllegalArgumentException("clusters must be >= 1, got " + clusters);
        if (perCluster < 1) throw new IllegalArgumentException("perCluster must be >= 1, got " + perCluster);
        for (double w : new double[] {alignWeight, semanticWeight}) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("alignWeight and semanticWeight must be finite and >= 0, got " + w);
            }
        }
        if (alignWeight == 0 && semanticWeight == 0 && itemAlignWeight == 0) {
            throw new IllegalArgumentException("alignWeight, semanticWeight and itemAlignWeight are all 0: train without explicit interests instead");
        }
        if (!(itemAlignWeight >= 0) || Double.isInfinite(itemAlignWeight)) {
            throw new IllegalArgumentException("itemAlignWeight must be finite and >= 0, got " + itemAlignWeight);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a positive number, got " + temperature);
        }
        if (!(propagationTemperature > 0) || Double.isInfinite(propagationTemperature)) {
            throw new IllegalArgumentException("propagationTemperature must be a positive number, got " + propagationTemperature);
        }
    }

    /** A builder with the defaults above. */
    public static Builder builder(InterestExtractor extractor, TextEncoder textEncoder) {
        return new Builder(extractor, textEncoder);
    }

    /** Builder for {@link ExplicitInterestsConfig}; {@link #build()} validates. */
    public static final class Builder {
        private final InterestExtractor extractor;
        private final TextEncoder textEncoder;
        private long warmupSteps;
        private int clusters = 50;
        private int perCluster = 4;
        private SelectionStrategy selection = SelectionStrategy.KMEANS;
        private Long selectionSeed;
        private double alignWeight = 0.1;
        private double semanticWeight = 0.1;
        private double temperature = 0.1;
        private Matching matching = Matching.ARGMAX;
        private boolean propagate = true;
        private double propagationTemperature = 1.0;
        private double itemAlignWeight = 0.1;

        private Builder(InterestExtractor extractor, TextEncoder textEncoder) {
            this.extractor = extractor;
            this.textEncoder = textEncoder;
        }

        /** Backbone-only steps first; 0 = until the first validation (default). */
        public Builder warmupSteps(long v) { warmupSteps = v; return this; }

        /** C, clusters of users (default 50). */
        public Builder clusters(int v) { clusters = v; return this; }

        /** m, typical users per cluster (default 4). */
        public Builder perCluster(int v) { perCluster = v; return this; }

        /** How typical users are chosen (default k-means). */
        public Builder selection(SelectionStrategy v) { selection = v; return this; }

        /** Seed of the clustering (default: the training seed). */
        public Builder selectionSeed(long v) { selectionSeed = v; return this; }

        /** Weight of the alignment loss (default 0.1; 0 = off). */
        public Builder alignWeight(double v) { alignWeight = v; return this; }

        /** Weight of the semantic-prediction loss (default 0.1; 0 = off). */
        public Builder semanticWeight(double v) { semanticWeight = v; return this; }

        /** Temperature tau of the contrastive losses (default 0.1). */
        public Builder temperature(double v) { temperature = v; return this; }

        /** Interest-to-phrase matching (default argmax). */
        public Builder matching(Matching v) { matching = v; return this; }

        /** Whether other users inherit their cluster's interests (default true). */
        public Builder propagate(boolean v) { propagate = v; return this; }

        /** Softness of the inheritance (default 1.0). */
        public Builder propagationTemperature(double v) { propagationTemperature = v; return this; }

        /** Weight of item-side alignment (default 0.1; 0 = off). */
        public Builder itemAlignWeight(double v) { itemAlignWeight = v; return this; }

        /** Validates and builds. */
        public ExplicitInterestsConfig build() {
            return new ExplicitInterestsConfig(extractor, textEncoder, warmupSteps, clusters, perCluster, selection,
                    selectionSeed == null ? OptionalLong.empty() : OptionalLong.of(selectionSeed), alignWeight,
                    semanticWeight, temperature, matching, propagate, propagationTemperature, itemAlignWeight);
        }
    }
}
