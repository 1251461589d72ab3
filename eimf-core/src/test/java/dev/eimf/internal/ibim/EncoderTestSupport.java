package dev.eimf.internal.ibim;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small inputs shared by the encoder tests. */
final class EncoderTestSupport {

    static final int B = 3;
    static final int T = 5;
    static final int D = 4;
    static final int K = 3;

    /** Full, left-aligned short, and gapped (not left-aligned) histories. */
    static final double[][] MASK = {
            {1, 1, 1, 1, 1},
            {1, 1, 0, 0, 0},
            {1, 0, 1, 1, 0},
    };

    private EncoderTestSupport() {
    }

    static EncoderConfig.Builder small(EncoderType type, DataType dt) {
        EncoderConfig.Builder b = EncoderConfig.builder(type).dim(D).numInterests(K).maxLen(T).dataType(dt);
        if (type == EncoderType.SA) {
            b.hidden(6);
        }
        return b;
    }

    static INDArray mask(double[][] m, DataType dt) {
        return Nd4j.createFromArray(m).castTo(dt);
    }

    /** Random N(0, scale^2) inputs, zero at padded positions. */
    static INDArray input(double[][] mask, int d, double scale, long seed, DataType dt) {
        SplittableRandom r = new SplittableRandom(seed);
        int b = mask.length, t = mask[0].length;
        double[][][] x = new double[b][t][d];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                for (int k = 0; k < d; k++) {
                    x[i][j][k] = mask[i][j] == 0 ? 0 : scale * r.nextGaussian();
                }
            }
        }
        return Nd4j.createFromArray(x).castTo(dt);
    }

    /** Random N(0,1) array of a shape. */
    static INDArray gaussian(long seed, DataType dt, long... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        INDArray a = Nd4j.create(DataType.DOUBLE, shape, 'c');
        double[] v = new double[(int) a.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return Nd4j.createFromArray(v).reshape(shape).castTo(dt);
    }

    static void zeroGrads(InterestEncoder e) {
        for (Param p : e.parameters()) {
            p.grad().assign(0);
        }
    }

    static double[] flat(INDArray a) {
        return a.dup('c').castTo(DataType.DOUBLE).data().asDouble();
    }
}
