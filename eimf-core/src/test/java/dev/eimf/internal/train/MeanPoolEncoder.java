package dev.eimf.internal.train;

import dev.eimf.internal.ibim.InterestEncoder;
import dev.eimf.internal.ibim.Param;
import java.util.List;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test-only encoder: masked mean of the history, then one d x d map per interest,
 * {@code v_k = mean(x) W_k}. Small enough to prove by hand, real enough to learn.
 */
final class MeanPoolEncoder implements InterestEncoder {
    private final int d;
    private final int k;
    private final int t;
    private final Param w; // [K, d, d]

    MeanPoolEncoder(int dim, int numInterests, int maxLen, DataType type, RandomGenerator rng) {
        this.d = dim;
        this.k = numInterests;
        this.t = maxLen;
        double[] init = new double[k * d * d];
        for (int i = 0; i < init.length; i++) {
            int row = (i / d) % d;
            int col = i % d;
            init[i] = (row == col ? 1.0 : 0.0) + rng.nextDouble(-0.3, 0.3);
        }
        INDArray value = Nd4j.createFromArray(init).reshape(k, d, d).castTo(type);
        w = new Param("w", value, Nd4j.create(type, k, d, d));
    }

    @Override public int dim() { return d; }
    @Override public int numInterests() { return k; }
    @Override public int maxLen() { return t; }
    @Override public List<Param> parameters() { return List.of(w); }

    @Override
    public Pass forward(INDArray x, INDArray mask, boolean training, RandomGenerator rng) {
        int b = (int) x.size(0);
        double[] xs = x.dup('c').data().asDouble();
        double[] ms = mask.dup('c').data().asDouble();
        double[] ws = w.value().dup('c').data().asDouble();
        double[] mean = new double[b * d];
        double[] cnt = new double[b];
        for (int i = 0; i < b; i++) {
            for (int p = 0; p < t; p++) {
                double m = ms[i * t + p];
                cnt[i] += m;
                for (int c = 0; c < d; c++) {
                    mean[i * d + c] += m * xs[(i * t + p) * d + c];
                }
            }
            for (int c = 0; c < d; c++) {
                mean[i * d + c] /= Math.max(cnt[i], 1.0);
            }
        }
        double[] v = new double[b * k * d];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < k; j++) {
                for (int c = 0; c < d; c++) {
                    double s = 0;
                    for (int r = 0; r < d; r++) {
                        s += mean[i * d + r] * ws[(j * d + r) * d + c];
                    }
                    v[(i * k + j) * d + c] = s;
                }
            }
        }
        DataType type = x.dataType();
        INDArray interests = Nd4j.createFromArray(v).reshape(b, k, d).castTo(type);
        return new Pass() {
            @Override
            public INDArray interests() {
                return interests;
            }

            @Override
            public INDArray backward(INDArray dInterests) {
                double[] g = dInterests.dup('c').data().asDouble();
                double[] dw = new double[k * d * d];
                double[] dMean = new double[b * d];
                for (int i = 0; i < b; i++) {
                    for (int j = 0; j < k; j++) {
                        for (int r = 0; r < d; r++) {
                            for (int c = 0; c < d; c++) {
                                double gv = g[(i * k + j) * d + c];
                                dw[(j * d + r) * d + c] += mean[i * d + r] * gv;
                                dMean[i * d + r] += ws[(j * d + r) * d + c] * gv;
                            }
                        }
                    }
                }
                w.grad().addi(Nd4j.createFromArray(dw).reshape(k, d, d).castTo(type));
                double[] dx = new double[b * t * d];
                for (int i = 0; i < b; i++) {
                    for (int p = 0; p < t; p++) {
                        double f = ms[i * t + p] / Math.max(cnt[i], 1.0);
                        for (int c = 0; c < d; c++) {
                            dx[(i * t + p) * d + c] = f * dMean[i * d + c];
                        }
                    }
                }
                return Nd4j.createFromArray(dx).reshape(b, t, d).castTo(type);
            }
        };
    }
}
