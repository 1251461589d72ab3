package dev.eimf.internal.train;

import dev.eimf.internal.ibim.Param;
import dev.eimf.internal.tensor.Buf;
import dev.eimf.internal.tensor.Parallel;
import dev.eimf.internal.tensor.ThreadScratch;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam for dense parameters (the encoder's {@link Param}s). Reads each {@code grad}, updates
 * {@code value} in place; does not zero the gradients.
 */
public final class DenseAdam {
    private final AdamConfig config;
    private final List<Param> params;
    private final List<INDArray> m = new ArrayList<>();
    private final List<INDArray> v = new ArrayList<>();
    /** Windows on (grad, value, m, v) per parameter, made once: the arrays never change identity. */
    private final List<Buf[]> bufs = new ArrayList<>();
    private static final int CHUNK = 1024;
    /** Fewer chunks than this per thread run on the calling thread alone. */
    private static final int MIN_CHUNKS_PER_THREAD = 4;
    /** Per thread: heap rows for one chunk of gradient, weights and moments. */
    private static final ThreadScratch.Doubles SCRATCH = new ThreadScratch.Doubles(4);
    /** The parameters cut into chunks: parameter index and offset of each. */
    private final int[] chunkParam;
    private final int[] chunkOffset;

    /**
     * @param config hyper-parameters
     * @param params the parameters this optimiser owns, in a stable order
     */
    public DenseAdam(AdamConfig config, List<Param> params) {
        this.config = config;
        this.params = List.copyOf(params);
        for (Param p : this.params) {
            if (!Buf.isDirectlyAccessible(p.value())) {
                throw new IllegalArgumentException("parameter " + p.name() + " must be a contiguous c-order array");
            }
            if (!Buf.isDirectlyAccessible(p.grad())) {
                throw new IllegalArgumentException("gradient of " + p.name() + " must be a contiguous c-order array");
            }
            m.add(Nd4j.create(p.value().dataType(), p.value().shape()));
            v.add(Nd4j.create(p.value().dataType(), p.value().shape()));
            bufs.add(new Buf[] {Buf.of(p.grad()), Buf.of(p.value()), Buf.of(m.get(m.size() - 1)),
                Buf.of(v.get(v.size() - 1))});
        }
        int chunks = 0;
        for (Buf[] b : bufs) {
            chunks += (b[1].length() + CHUNK - 1) / CHUNK;
        }
        chunkParam = new int[chunks];
        chunkOffset = new int[chunks];
        int c = 0;
        for (int i = 0; i < bufs.size(); i++) {
            for (int off = 0; off < bufs.get(i)[1].length(); off += CHUNK) {
                chunkParam[c] = i;
                chunkOffset[c++] = off;
            }
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
        double eps = config.epsilon();
        // Every element is updated on its own, so the chunks can go to any thread in any order.
        Parallel.forRange(chunkParam.length, MIN_CHUNKS_PER_THREAD, (from, to) -> {
            double[][] scratch = {SCRATCH.get(0, CHUNK), SCRATCH.get(1, CHUNK), SCRATCH.get(2, CHUNK),
                SCRATCH.get(3, CHUNK)};
            for (int c = from; c < to; c++) {
                updateChunk(bufs.get(chunkParam[c]), chunkOffset[c], scratch, b1, b2, lrT, eps);
            }
        });
    }

    /** One chunk of one parameter: read into heap rows, updated, written back. */
    private static void updateChunk(Buf[] b, int off, double[][] scratch, double b1, double b2, double lrT, double eps) {
        double[] gr = scratch[0], wr = scratch[1], mr = scratch[2], vr = scratch[3];
        Buf g = b[0];
        Buf w = b[1];
        Buf mb = b[2];
        Buf vb = b[3];
        int len = Math.min(CHUNK, w.length() - off);
        g.get(off, gr, 0, len);
        w.get(off, wr, 0, len);
        mb.get(off, mr, 0, len);
        vb.get(off, vr, 0, len);
        update(gr, wr, mr, vr, len, b1, b2, lrT, eps);
        w.set(off, wr, 0, len);
        mb.set(off, mr, 0, len);
        vb.set(off, vr, 0, len);
    }

    /**
     * Adam on one chunk, in double. A method of its own so that the JIT compiles it whole after a few
     * calls rather than replacing the loop that calls it on the stack.
     */
    private static void update(double[] gr, double[] wr, double[] mr, double[] vr, int len, double b1, double b2,
                               double lrT, double eps) {
        for (int c = 0; c < len; c++) {
            double gc = gr[c];
            double mi = b1 * mr[c] + (1 - b1) * gc;
            double vi = b2 * vr[c] + (1 - b2) * gc * gc;
            mr[c] = mi;
            vr[c] = vi;
            wr[c] -= lrT * mi / (Math.sqrt(vi) + eps);
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
