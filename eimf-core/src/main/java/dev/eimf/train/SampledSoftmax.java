package dev.eimf.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sampled softmax over the tied item table with shared negatives, as {@code tf.nn.sampled_softmax_loss}
 * computes it in ComiRec (zero bias, one true class, {@code remove_accidental_hits=True},
 * {@code subtract_log_q=True}): for user vector {@code u_b} with true item {@code t_b} the logits are
 * {@code [u_b.e_t - log Q(t), u_b.e_s - log Q(s) for each sampled s]}, a sampled id equal to {@code t_b}
 * gets a logit of {@code -Float.MAX_VALUE}, and the loss is the mean over the batch of the softmax
 * cross-entropy with class 0. Forward and backward run together.
 *
 * <p>Not thread-safe: it reuses its buffers between calls.
 */
public final class SampledSoftmax {
    /** Logit TensorFlow gives an accidental hit. */
    static final double ACCIDENTAL_HIT_LOGIT = -Float.MAX_VALUE;

    private INDArray negBuf;
    private INDArray logitBuf;

    /**
     * Loss and the gradient with respect to the user vectors.
     *
     * @param loss mean cross-entropy over the batch
     * @param dUser gradient [B, d], same type as the user vectors
     */
    public record Result(double loss, INDArray dUser) {
    }

    /**
     * Computes the loss and all gradients.
     *
     * @param user      user vectors [B, d]
     * @param targets   true item id per user (1..n)
     * @param table     item table [n+1, d] (row 0 padding), same type as {@code user}
     * @param negatives the shared sampled candidates
     * @param tableGrad receives the table gradient (true rows and sampled rows); may already hold rows
     * @return the loss and {@code dUser}
     */
    public Result forwardBackward(INDArray user, int[] targets, INDArray table, Candidates negatives,
                                  TableGradient tableGrad) {
        int b = (int) user.size(0);
        int d = (int) user.size(1);
        int s = negatives.size();
        int[] ids = negatives.ids();
        if (targets.length != b || table.size(1) != d || user.dataType() != table.dataType()) {
            throw new IllegalArgumentException("user [" + b + "," + d + "] " + user.dataType()
                    + ", targets " + targets.length + " and table " + java.util.Arrays.toString(table.shape())
                    + " " + table.dataType() + " do not match");
        }
        long tableRows = table.size(0);
        for (int t : targets) {
            if (t < 1 || t >= tableRows) {
                throw new IllegalArgumentException("target item id " + t + " not in 1.." + (tableRows - 1));
            }
        }
        DataType type = table.dataType();
        INDArray eNeg = buffer(type, s, d);
        Nd4j.pullRows(table, eNeg, 1, ids);
        INDArray logits = logitBuffer(type, b, s);
        Nd4j.gemm(user, eNeg, logits, false, true, 1.0, 0.0);
        INDArray eTrue = Nd4j.pullRows(table, 1, targets);

        double[] u = user.dup('c').data().asDouble();
        double[] et = eTrue.data().asDouble();
        double[] z = logits.data().asDouble();
        double[] logQNeg = new double[s];
        for (int j = 0; j < s; j++) {
            logQNeg[j] = Math.log(negatives.expectedCounts()[j]);
        }
        double[] dz0 = new double[b];
        double total = 0;
        for (int i = 0; i < b; i++) {
            double zTrue = 0;
            for (int c = 0; c < d; c++) {
                zTrue += u[i * d + c] * et[i * d + c];
            }
            zTrue -= Math.log(negatives.expectedCount(targets[i]));
            double max = zTrue;
            int row = i * s;
            for (int j = 0; j < s; j++) {
                double v = ids[j] == targets[i] ? ACCIDENTAL_HIT_LOGIT : z[row + j] - logQNeg[j];
                z[row + j] = v;
                if (v > max) {
                    max = v;
                }
            }
            double sum = Math.exp(zTrue - max);
            for (int j = 0; j < s; j++) {
                double e = Math.exp(z[row + j] - max);
                z[row + j] = e;
                sum += e;
            }
            total += Math.log(sum) + max - zTrue;
            double scale = 1.0 / (sum * b);
            dz0[i] = Math.exp(zTrue - max) * scale - 1.0 / b;
            for (int j = 0; j < s; j++) {
                z[row + j] *= scale;
            }
        }
        INDArray dz = Nd4j.createFromArray(z).reshape(b, s).castTo(type);
        // dU = dz0 * e_true + dZ x E_neg
        INDArray dUser = dz.mmul(eNeg);
        INDArray dz0Col = Nd4j.createFromArray(dz0).reshape(b, 1).castTo(type);
        dUser.addi(eTrue.mulColumnVector(dz0Col));
        // Table: true rows get dz0 * u, sampled rows get dZ^T x U.
        for (int i = 0; i < b; i++) {
            tableGrad.add(targets[i], u, i * d, dz0[i]);
        }
        INDArray dNeg = Nd4j.gemm(dz, user, true, false);
        tableGrad.addRows(ids, dNeg);
        return new Result(total / b, dUser);
    }

    private INDArray buffer(DataType type, int s, int d) {
        if (negBuf == null || negBuf.dataType() != type || negBuf.size(0) != s || negBuf.size(1) != d) {
            negBuf = Nd4j.create(type, s, d);
        }
        return negBuf;
    }

    private INDArray logitBuffer(DataType type, int b, int s) {
        if (logitBuf == null || logitBuf.dataType() != type || logitBuf.size(0) != b || logitBuf.size(1) != s) {
            logitBuf = Nd4j.create(type, b, s);
        }
        return logitBuf;
    }
}
