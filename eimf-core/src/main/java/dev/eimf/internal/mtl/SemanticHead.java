package dev.eimf.internal.mtl;

import dev.eimf.internal.ibim.Param;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The semantic-prediction head h: R^d -> R^D, {@code relu(v W1 + b1) W2 + b2}. */
final class SemanticHead {
    final Param w1;
    final Param b1;
    final Param w2;
    final Param b2;
    private final DataType dt;

    SemanticHead(Param w1, Param b1, Param w2, Param b2) {
        this.w1 = w1;
        this.b1 = b1;
        this.w2 = w2;
        this.b2 = b2;
        this.dt = w1.value().dataType();
    }

    /** Runs h on the rows of {@code x} ([P, d], type of the parameters). */
    Pass forward(INDArray x) {
        INDArray pre = Mats.mm(x, false, w1.value(), false);
        Mats.addRowVector(pre, b1.value());
        double[] p = Mats.flat(pre);
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.max(0, p[i]);
        }
        INDArray hid = Nd4j.create(pre.dataType(), pre.shape(), 'c');
        dev.eimf.internal.tensor.Buf.of(hid).set(0, p, 0, p.length);
        INDArray y = Mats.mm(hid, false, w2.value(), false);
        Mats.addRowVector(y, b2.value());
        return new Pass(x, pre, hid, y);
    }

    /** One forward pass of h. */
    final class Pass {
        private final INDArray x;
        private final INDArray pre;
        private final INDArray hid;
        private final INDArray y;

        private Pass(INDArray x, INDArray pre, INDArray hid, INDArray y) {
            this.x = x;
            this.pre = pre;
            this.hid = hid;
            this.y = y;
        }

        /** h(x), [P, D]. */
        INDArray out() {
            return y;
        }

        /** Adds the parameter gradients for {@code dY} ([P, D]) and returns dL/dx ([P, d]). */
        INDArray backward(INDArray dY) {
            Mats.addInto(w2.grad(), Mats.mm(hid, true, dY, false));
            Mats.addInto(b2.grad(), Mats.columnSums(dY));
            INDArray dPre = Mats.mm(dY, false, w2.value(), true);
            double[] g = Mats.flat(dPre);
            double[] p = Mats.flat(pre);
            for (int i = 0; i < g.length; i++) {
                if (!(p[i] > 0)) {
                    g[i] = 0;
                }
            }
            dev.eimf.internal.tensor.Buf.of(dPre).set(0, g, 0, g.length);
            Mats.addInto(w1.grad(), Mats.mm(x, true, dPre, false));
            Mats.addInto(b1.grad(), Mats.columnSums(dPre));
            return Mats.mm(dPre, false, w1.value(), true);
        }
    }
}
