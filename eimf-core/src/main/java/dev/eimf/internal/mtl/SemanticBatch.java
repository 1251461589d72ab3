package dev.eimf.internal.mtl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The semantic interests of the users in one training batch, one {@link Row} per batch row, in batch order.
 * Arrays are not copied: do not change them while the batch is in use.
 *
 * @param rows one entry per batch row
 */
public record SemanticBatch(List<Row> rows) {

    /** Validates and copies the list (not the arrays). */
    public SemanticBatch {
        if (rows == null) {
            throw new IllegalArgumentException("rows must not be null");
        }
        for (int b = 0; b < rows.size(); b++) {
            if (rows.get(b) == null) {
                throw new IllegalArgumentException("row " + b + " is null; use SemanticBatch.Row.none()");
            }
        }
        rows = List.copyOf(rows);
    }

    /** A batch of the given rows. */
    public static SemanticBatch of(Row... rows) {
        return new SemanticBatch(Arrays.asList(rows));
    }

    /**
     * A batch from parallel arrays.
     *
     * @param semantics per row a float[J][D] of semantic vectors, or null for a user without semantics
     * @param weights   per row the weight (1 for own semantics, exp(-dist/temperature) for inherited ones)
     */
    public static SemanticBatch of(float[][][] semantics, double[] weights) {
        if (semantics.length != weights.length) {
            throw new IllegalArgumentException("semantics has " + semantics.length + " rows, weights "
                    + weights.length);
        }
        List<Row> rows = new ArrayList<>(semantics.length);
        for (int b = 0; b < semantics.length; b++) {
            try {
                rows.add(semantics[b] == null ? Row.none() : new Row(semantics[b], weights[b], Row.NO_SOURCE));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("row " + b + ": " + e.getMessage(), e);
            }
        }
        return new SemanticBatch(rows);
    }

    /** Number of batch rows. */
    public int size() {
        return rows.size();
    }

    /** Row {@code b}. */
    public Row row(int b) {
        return rows.get(b);
    }

    /**
     * One user's semantic interests.
     *
     * @param interests J x D semantic vectors (the text encoder's output), or null for a user without semantics
     * @param weight    the user's weight in both auxiliary losses, finite and >= 0; 0 excludes the user
     * @param source    where the semantics come from (e.g. the ESIM cluster id), or {@link #NO_SOURCE}; see
     *                  {@link AuxTasksConfig#excludeSameSource()}
     */
    public record Row(float[][] interests, double weight, int source) {
        /** The source of semantics that share nothing with any other row's. */
        public static final int NO_SOURCE = -1;

        private static final Row NONE = new Row(null, 0, NO_SOURCE);

        /** Validates shape, values and weight. */
        public Row {
            if (!(weight >= 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("weight must be finite and >= 0, got " + weight);
            }
            if (source < NO_SOURCE) {
                throw new IllegalArgumentException("source must be >= 0 or NO_SOURCE (-1), got " + source);
            }
            if (interests != null) {
                if (interests.length == 0) {
                    throw new IllegalArgumentException("interests must not be empty; use Row.none()");
                }
                for (int j = 0; j < interests.length; j++) {
                    float[] s = interests[j];
                    if (s == null || s.length == 0) {
                        throw new IllegalArgumentException("interests[" + j + "] is null or empty");
                    }
                    if (s.length != interests[0].length) {
                        throw new IllegalArgumentException("interests[" + j + "] has dimension " + s.length
                                + ", interests[0] has " + interests[0].length);
                    }
                    double norm2 = 0;
                    for (int i = 0; i < s.length; i++) {
                        if (!Float.isFinite(s[i])) {
                            throw new IllegalArgumentException("interests[" + j + "][" + i + "] is not finite: "
                                    + s[i]);
                        }
                        norm2 += (double) s[i] * s[i];
                    }
                    if (norm2 == 0) {
                        throw new IllegalArgumentException("interests[" + j + "] is the zero vector: its cosine "
                                + "to anything is undefined");
                    }
                }
            }
        }

        /** A user without semantic interests: the auxiliary losses skip it. */
        public static Row none() {
            return NONE;
        }

        /** A typical user's own semantics: weight 1, no shared source. */
        public static Row own(float[][] interests) {
            return new Row(interests, 1, NO_SOURCE);
        }

        /** Whether this row takes part in the auxiliary losses: it has semantics and a positive weight. */
        public boolean active() {
            return interests != null && weight > 0;
        }
    }
}
