package dev.eimf.backbone;

import java.util.Objects;

/**
 * One batch as a {@link Backbone} sees it: the item embeddings of B histories, each left-aligned in T
 * positions of d floats, and a mask of 1 for real positions and 0 for padding.
 *
 * @param batchSize  B
 * @param maxLen     T
 * @param dim        d
 * @param embeddings row-major [B, T, d]
 * @param mask       row-major [B, T]
 */
public record BackboneInput(int batchSize, int maxLen, int dim, float[] embeddings, float[] mask) {
    /** Checks the sizes. */
    public BackboneInput {
        Objects.requireNonNull(embeddings, "embeddings");
        Objects.requireNonNull(mask, "mask");
        if ((long) batchSize * maxLen * dim != embeddings.length || (long) batchSize * maxLen != mask.length) {
            throw new IllegalArgumentException("embeddings must be [" + batchSize + ", " + maxLen + ", " + dim
                    + "] and mask [" + batchSize + ", " + maxLen + "], got " + embeddings.length + " and " + mask.length + " values");
        }
    }
}
