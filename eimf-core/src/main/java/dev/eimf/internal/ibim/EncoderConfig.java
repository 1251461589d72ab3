package dev.eimf.internal.ibim;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Immutable configuration of a multi-interest encoder; build with {@link #builder(EncoderType)}.
 *
 * @param type                    backbone
 * @param dim                     embedding size d
 * @param numInterests            number of interests K
 * @param maxLen                  history length T
 * @param hidden                  SA hidden size h of the first dense layer (default 4d); unused otherwise
 * @param routingIterations       DR/MIND routing iterations (default 3); unused for SA
 * @param reluProjection          DR/MIND: dense d to d with ReLU after the capsules (default: on for MIND,
 *                                off for DR, as in the official code); must be off for SA
 * @param truncatedRoutingLogits  MIND: draw the routing logits from a normal truncated at 2 sigma as the
 *                                official code does, instead of N(0,1) (default false)
 * @param dataType                FLOAT (default) or DOUBLE (for gradient checks)
 */
public record EncoderConfig(EncoderType type, int dim, int numInterests, int maxLen, int hidden,
                            int routingIterations, boolean reluProjection, boolean truncatedRoutingLogits,
                            DataType dataType) {

    /** Validates; prefer {@link #builder(EncoderType)}. */
    public EncoderConfig {
        if (type == null) {
            throw new IllegalArgumentException("type must be set");
        }
        positive("dim", dim);
        positive("numInterests", numInterests);
        positive("maxLen", maxLen);
        positive("hidden", hidden);
        positive("routingIterations", routingIterations);
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("dataType must be FLOAT or DOUBLE, got " + dataType);
        }
        if (type == EncoderType.SA && reluProjection) {
            throw new IllegalArgumentException("reluProjection applies to DR and MIND only, not SA");
        }
        if (type != EncoderType.MIND && truncatedRoutingLogits) {
            throw new IllegalArgumentException("truncatedRoutingLogits applies to MIND only, not " + type);
        }
        // Every buffer is indexed with int: the largest is [B, T, K*d] per row of the batch.
        long perUser = (long) maxLen * Math.max((long) numInterests * dim, Math.max(hidden, dim));
        if (perUser > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("maxLen * numInterests * dim too large: " + perUser);
        }
    }

    private static void positive(String field, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(field + " must be >= 1, got " + v);
        }
    }

    /** A builder with the defaults of docs/METHOD.md, section 2: d = 64, K = 4, T = 20, h = 4d, 3 routing iterations, FLOAT. */
    public static Builder builder(EncoderType type) {
        return new Builder(type);
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder(type).dim(dim).numInterests(numInterests).maxLen(maxLen)
                .routingIterations(routingIterations).truncatedRoutingLogits(truncatedRoutingLogits)
                .dataType(dataType).hidden(hidden);
        b.reluProjection = reluProjection;
        return b;
    }

    /** Builder for {@link EncoderConfig}; {@link #build()} validates. */
    public static final class Builder {
        private final EncoderType type;
        private int dim = 64;
        private int numInterests = 4;
        private int maxLen = 20;
        private Integer hidden;
        private int routingIterations = 3;
        private Boolean reluProjection;
        private boolean truncatedRoutingLogits;
        private DataType dataType = DataType.FLOAT;

        private Builder(EncoderType type) {
            this.type = type;
        }

        /** Embedding size d. */
        public Builder dim(int v) {
            dim = v;
            return this;
        }

        /** Number of interests K. */
        public Builder numInterests(int v) {
            numInterests = v;
            return this;
        }

        /** History length T. */
        public Builder maxLen(int v) {
            maxLen = v;
            return this;
        }

        /** SA hidden size (default 4 * dim). */
        public Builder hidden(int v) {
            hidden = v;
            return this;
        }

        /** Routing iterations of DR and MIND. */
        public Builder routingIterations(int v) {
            routingIterations = v;
            return this;
        }

        /** ReLU projection after the capsules (DR, MIND). */
        public Builder reluProjection(boolean v) {
            reluProjection = v;
            return this;
        }

        /** MIND: truncated-normal routing logits as in the official code. */
        public Builder truncatedRoutingLogits(boolean v) {
            truncatedRoutingLogits = v;
            return this;
        }

        /** FLOAT or DOUBLE. */
        public Builder dataType(DataType v) {
            dataType = v;
            return this;
        }

        /** Validates and builds. */
        public EncoderConfig build() {
            int h = hidden != null ? hidden : 4 * dim;
            boolean relu = reluProjection != null ? reluProjection : type == EncoderType.MIND;
            return new EncoderConfig(type, dim, numInterests, maxLen, h, routingIterations, relu,
                    truncatedRoutingLogits, dataType);
        }
    }
}
