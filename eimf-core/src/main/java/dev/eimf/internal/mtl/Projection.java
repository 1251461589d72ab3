package dev.eimf.internal.mtl;

import dev.eimf.internal.ibim.Param;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The projection g: R^D -> R^d, {@code LayerNorm(s W + b)}. */
final class Projection {
    final Param w;
    final Param b;
    final Param gain;
    final Param bias;
    private final double eps;
    private final DataType dt;

    Projection(Param w, Param b, Param gain, Param bias, double eps) {
        this.w = w;
        this.b = b;
        this.gain = gain;
        this.bias = bias;
        this.eps = eps;
        this.dt = w.value().dataType();
    }

    /** Runs g on the rows of {@code s} ([N, D], type of the parameters). */
    Pass forward(INDArray s) {
        INDArray z = Mats.mm(s, false, w.value(), false);
        Mats.addRowVector(z, b.value());
        LayerNorm.Cache c = LayerNorm.forward(Mats.toDouble(z), Mats.flat(gain.value()), Mats.flat(bias.value()), eps);
        return new Pass(s, c);
    }

    /** One forward pass of g. */
    final class Pass {
        private final INDArray s;
        private final LayerNorm.Cache cache;

        private Pass(INDArray s, LayerNorm.Cache cache) {
            this.s = s;
            this.cache = cache;
        }

        /** g(s), [N][d]. */
        double[][] out() {
            return cache.y();
        }

        /** Adds the gradients of the parameters for upstream gradient {@code dOut} ([N][d]). */
        void backward(double[][] dOut) {
            int d = dOut[0].length;
            double[] dGain = new double[d];
            double[] dBias = new double[d];
            double[][] dz = LayerNorm.backward(cache, dOut, Mats.flat(gain.value()), dGain, dBias);
            Mats.addInto(gain.grad(), dGain);
            Mats.addInto(bias.grad(), dBias);
            INDArray dZ = Mats.of(dz, dt);
            Mats.addInto(w.grad(), Mats.mm(s, true, dZ, false));
            Mats.addInto(b.grad(), Mats.columnSums(dZ));
        }
    }
}
