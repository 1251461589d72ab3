package dev.eimf.train;

import dev.eimf.ibim.Param;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam for dense parameters (the encoder's {@link Param}s). Reads each {@code grad}, updates
 * {@code value} in place; does not zero the gradients.
 */
public final class DenseAdam {
    private final AdamConfig config;
    private final List<Param> params;
    private final List<INDArray> m = new ArrayList<>();
    private final List<INDArray> v = new ArrayList<>();

    /**
     * @param config hyper-parameters
     * @param params the parameters this optimiser owns, in a stable order
     */
    public DenseAdam(AdamConfig config, List<Param> params) {
        this.config = config;
        this.params = List.copyOf(params);
        for (Param p : this.params) {
            m.add(Nd4j.create(p.value().dataType(), p.value().shape()));
            v.add(Nd4j.create(p.value().dataType(), p.value().shape()));
        }
    }

    /** The parameters, in order. */
    public List<Param> params() {
        return params;
    }

    /**
     * One update.
     *
     * @param t the global 1-based step count (shared with the table optimiser for bias correction)
     */
    public void step(long t) {
        double lrT = config.stepSize(t);
        double b1 = config.beta1();
        double b2 = config.beta2();
        for (int i = 0; i < params.size(); i++) {
            INDArray g = params.get(i).grad();
            INDArray mi = m.get(i);
            INDArray vi = v.get(i);
            mi.muli(b1).addi(g.mul(1 - b1));
            vi.muli(b2).addi(g.mul(g).muli(1 - b2));
            INDArray denom = Transforms.sqrt(vi, true).addi(config.epsilon());
            params.get(i).value().subi(mi.mul(lrT).divi(denom));
        }
    }

    /** First-moment state of parameter {@code i} (live view, for tests and checkpoints). */
    public INDArray firstMoment(int i) {
        return m.get(i);
    }

    /** Second-moment state of parameter {@code i} (live view, for tests and checkpoints). */
    public INDArray secondMoment(int i) {
        return v.get(i);
    }
}
