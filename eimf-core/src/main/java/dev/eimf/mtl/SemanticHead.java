package dev.eimf.mtl;

import dev.eimf.ibim.Param;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

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
        INDArray pre = x.mmul(w1.value()).addiRowVector(b1.value());
        INDArray hid = Transforms.relu(pre, true);
        INDArray y = hid.mmul(w2.value()).addiRowVector(b2.value());
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
            w2.grad().addi(hid.transpose().mmul(dY));
            b2.grad().addi(dY.sum(0).reshape(1, dY.size(1)));
            INDArray dPre = dY.mmul(w2.value().transpose()).muli(pre.gt(0).castTo(dt));
            w1.grad().addi(x.transpose().mmul(dPre));
            b1.grad().addi(dPre.sum(0).reshape(1, dPre.size(1)));
            return dPre.mmul(w1.value().transpose());
        }
    }
}
