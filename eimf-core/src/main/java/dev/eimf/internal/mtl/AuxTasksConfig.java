package dev.eimf.internal.mtl;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Immutable configuration of the two EIMF auxiliary tasks (docs/METHOD.md, section 5); build with {@link #builder()}.
 * The paper leaves every field open; the defaults are those of docs/METHOD.md, section 7.
 *
 * @param lambdaAlign              weight of the modality-alignment loss in the objective (default 0.1)
 * @param lambdaSemantic           weight of the semantic-prediction loss (default 0.1)
 * @param tau                      InfoNCE temperature (default 0.1)
 * @param matching                 how behavioural interests are matched to semantic ones (default ARGMAX)
 * @param negatives                which other users' semantic interests are negatives (default ALL)
 * @param excludeSameSource        when true (default), two users whose semantics carry the same non-negative
 *                                 {@link SemanticBatch.Row#source()} (e.g. one ESIM cluster: a typical user and
 *                                 the users that inherit its interests) are not negatives for each other, because
 *                                 their semantic vectors are the same and would be false negatives
 * @param headHidden               hidden width of the semantic-prediction head h; 0 (default) means 2d. We pick
 *                                 2d rather than D because D (text-encoder width, 384 to 3072) can be far larger
 *                                 than d, and a small head keeps the work of predicting semantics in v itself
 * @param alignEnabled             modality alignment on (default true)
 * @param semanticEnabled          semantic prediction on (default true)
 * @param propagationTemperature   temperature of the soft-target weight {@code exp(-dist/temperature)} that the
 *                                 caller gives users who inherit their cluster's semantics (default 1.0); see
 *                                 {@link #propagationWeight(double)}
 * @param layerNormEps             epsilon of the layer norm in g (default 1e-5)
 * @param dataType                 FLOAT (default) or DOUBLE (for finite-difference gradient checks)
 * @param centerTargets            when true, semantic prediction predicts {@code s - mean(s)} rather than s, the
 *                                 mean taken over the typical users' semantic vectors (set by the caller with
 *                                 {@link AuxiliaryTasks#centreTargets(float[])}). Sentence encoders put most of
 *                                 every vector along one shared direction, so a head that outputs that direction
 *                                 for everyone already scores well; centring leaves only what differs between
 *                                 users for the head (and through it v) to predict. Default false
 * @param lambdaItem               weight of item-side alignment (default 0.1; 0 = off): InfoNCE between an item's
 *                                 embedding and g of its own text, the batch's other items as negatives, so that
 *                                 semantics reach items no typical user touched
 */
public record AuxTasksConfig(double lambdaAlign, double lambdaSemantic, double tau, Matching matching,
                             NegativeSet negatives, boolean excludeSameSource, int headHidden,
                             boolean alignEnabled, boolean semanticEnabled, double propagationTemperature,
                             double layerNormEps, DataType dataType, boolean centerTargets,
                             double lambdaItem) {

    /** Validates; prefer {@link #builder()}. */
    public AuxTasksConfig {
        nonNegative("lambdaAlign", lambdaAlign);
        nonNegative("lambdaSemantic", lambdaSemantic);
        nonNegative("lambdaItem", lambdaItem);
        positive("tau", tau);
        positive("propagationTemperature", propagationTemperature);
        positive("layerNormEps", layerNormEps);
        if (matching == null) {
            throw new IllegalArgumentException("matching must be set");
        }
        if (negatives == null) {
            throw new IllegalArgumentException("negatives must be set");
        }
        if (headHidden < 0) {
            throw new IllegalArgumentException("headHidden must be >= 0 (0 = 2d), got " + headHidden);
        }
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("dataType must be FLOAT or DOUBLE, got " + dataType);
        }
    }

    private static void nonNegative(String field, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(field + " must be finite and >= 0, got " + v);
        }
    }

    private static void positive(String field, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(field + " must be finite and > 0, got " + v);
        }
    }

    /** The defaults of docs/METHOD.md, section 7. */
    public static AuxTasksConfig defaults() {
        return builder().build();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder().lambdaAlign(lambdaAlign).lambdaSemantic(lambdaSemantic).tau(tau).matching(matching)
                .negatives(negatives).excludeSameSource(excludeSameSource).headHidden(headHidden)
                .alignEnabled(alignEnabled).semanticEnabled(semanticEnabled)
                .propagationTemperature(propagationTemperature).layerNormEps(layerNormEps).dataType(dataType)
                .centerTargets(centerTargets).lambdaItem(lambdaItem);
    }

    /** Whether item-side alignment is on ({@link #lambdaItem()} > 0). */
    public boolean itemAlignEnabled() {
        return lambdaItem > 0;
    }

    /** The head's hidden width for interest dimension d: {@link #headHidden()}, or 2d when that is 0. */
    public int headHiddenFor(int d) {
        return headHidden == 0 ? 2 * d : headHidden;
    }

    /**
     * The weight of a user who inherits its cluster's semantic interests at distance {@code dist} from them:
     * {@code exp(-dist / propagationTemperature)}.
     *
     * @throws IllegalArgumentException when dist is negative or not finite
     */
    public double propagationWeight(double dist) {
        if (!(dist >= 0) || Double.isInfinite(dist)) {
            throw new IllegalArgumentException("dist must be finite and >= 0, got " + dist);
        }
        return Math.exp(-dist / propagationTemperature);
    }

    /** Builder for {@link AuxTasksConfig}; {@link #build()} validates. */
    public static final class Builder {
        private double lambdaAlign = 0.1;
        private double lambdaSemantic = 0.1;
        private double tau = 0.1;
        private Matching matching = Matching.ARGMAX;
        private NegativeSet negatives = NegativeSet.ALL;
        private boolean excludeSameSource = true;
        private int headHidden;
        private boolean alignEnabled = true;
        private boolean semanticEnabled = true;
        private double propagationTemperature = 1.0;
        private double layerNormEps = 1e-5;
        private DataType dataType = DataType.FLOAT;
        private boolean centerTargets;
        private double lambdaItem = 0.1;

        private Builder() {
        }

        /** Weight of the alignment loss (default 0.1; 0 keeps it reported but without gradient). */
        public Builder lambdaAlign(double v) {
            lambdaAlign = v;
            return this;
        }

        /** Weight of the semantic-prediction loss (default 0.1). */
        public Builder lambdaSemantic(double v) {
            lambdaSemantic = v;
            return this;
        }

        /** InfoNCE temperature (default 0.1). */
        public Builder tau(double v) {
            tau = v;
            return this;
        }

        /** Matching rule (default ARGMAX). */
        public Builder matching(Matching v) {
            matching = v;
            return this;
        }

        /** Negative set of the alignment loss (default ALL). */
        public Builder negatives(NegativeSet v) {
            negatives = v;
            return this;
        }

        /** Whether users with the same semantic source are kept out of each other's negatives (default true). */
        public Builder excludeSameSource(boolean v) {
            excludeSameSource = v;
            return this;
        }

        /** Hidden width of the head h (default 0 = 2d). */
        public Builder headHidden(int v) {
            headHidden = v;
            return this;
        }

        /** Modality alignment on or off (default on). */
        public Builder alignEnabled(boolean v) {
            alignEnabled = v;
            return this;
        }

        /** Semantic prediction on or off (default on). */
        public Builder semanticEnabled(boolean v) {
            semanticEnabled = v;
            return this;
        }

        /** Temperature of the propagation weight (default 1.0). */
        public Builder propagationTemperature(double v) {
            propagationTemperature = v;
            return this;
        }

        /** Layer-norm epsilon (default 1e-5). */
        public Builder layerNormEps(double v) {
            layerNormEps = v;
            return this;
        }

        /** FLOAT (default) or DOUBLE. */
        public Builder dataType(DataType v) {
            dataType = v;
            return this;
        }

        /** Whether semantic prediction predicts centred targets (default false). */
        public Builder centerTargets(boolean v) {
            centerTargets = v;
            return this;
        }

        /** Weight of item-side alignment (default 0.1; 0 = off). */
        public Builder lambdaItem(double v) {
            lambdaItem = v;
            return this;
        }

        /** Validates and builds. */
        public AuxTasksConfig build() {
            return new AuxTasksConfig(lambdaAlign, lambdaSemantic, tau, matching, negatives, excludeSameSource,
                    headHidden, alignEnabled, semanticEnabled, propagationTemperature, layerNormEps, dataType,
                    centerTargets, lambdaItem);
        }
    }
}
