package dev.eimf.internal.mtl;

import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small random batches for the mtl tests. */
final class MtlFixtures {
    static final int B = 5;
    static final int K = 3;
    static final int D_SMALL = 5;
    static final int D_BIG = 6;

    private MtlFixtures() {
    }

    static float[][] vectors(SplittableRandom rng, int n, int dim) {
        float[][] out = new float[n][dim];
        for (float[] row : out) {
            for (int i = 0; i < dim; i++) {
                row[i] = (float) rng.nextGaussian();
            }
        }
        return out;
    }

    static INDArray interests(SplittableRandom rng, int b, int k, int d, DataType dt) {
        double[] flat = new double[b * k * d];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = rng.nextGaussian();
        }
        return Nd4j.createFromArray(flat).reshape('c', b, k, d).castTo(dt);
    }

    /**
     * Five rows: 0 own semantics with J = 4; 1 inherited (weight 0.4, source 7, J = 3); 2 none; 3 inherited
     * (weight 0.7, source 7, J = 3); 4 semantics but weight 0. With excludeSameSource, rows 1 and 3 are not
     * negatives for each other.
     */
    static SemanticBatch batch(SplittableRandom rng) {
        return SemanticBatch.of(
                SemanticBatch.Row.own(vectors(rng, 4, D_BIG)),
                new SemanticBatch.Row(vectors(rng, 3, D_BIG), 0.4, 7),
                SemanticBatch.Row.none(),
                new SemanticBatch.Row(vectors(rng, 3, D_BIG), 0.7, 7),
                new SemanticBatch.Row(vectors(rng, 3, D_BIG), 0.0, SemanticBatch.Row.NO_SOURCE));
    }

    /** Four rows, all with J = K = 3, two of them fractional and one without semantics. */
    static SemanticBatch squareBatch(SplittableRandom rng) {
        return SemanticBatch.of(
                SemanticBatch.Row.own(vectors(rng, 3, D_BIG)),
                new SemanticBatch.Row(vectors(rng, 3, D_BIG), 0.5, SemanticBatch.Row.NO_SOURCE),
                SemanticBatch.Row.none(),
                new SemanticBatch.Row(vectors(rng, 3, D_BIG), 0.25, SemanticBatch.Row.NO_SOURCE));
    }
}
