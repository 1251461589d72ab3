package dev.eimf.train;

import dev.eimf.tensor.Blas;
import dev.eimf.tensor.Buf;
import dev.eimf.tensor.Parallel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sampled softmax over the tied item table with shared negatives, as {@code tf.nn.sampled_softmax_loss}
 * computes it in ComiRec (zero bias, one true class, {@code remove_accidental_hits=True},
 * {@code subtract_log_q=True}): for user vector {@code u_b} with true item {@code t_b} the logits are
 * {@code [u_b.e_t - log Q(t), u_b.e_s - log Q(s) for each sampled s]}, a sampled id equal to {@code t_b}
 * gets a logit of {@code -Float.MAX_VALUE}, and the loss is the mean over the batch of the softmax
 * cross-entropy with class 0. Forward and backward run together.
 *
 * <p>The three products ({@code U E_neg^T}, {@code dZ E_neg}, {@code dZ^T U}) go straight to BLAS on
 * buffers kept between calls, so a training loop allocates nothing here after its first step. Not
 * thread-safe, and {@link Result#dUser()} is overwritten by the next call.
 */
public final class SampledSoftmax {
    /** Logit TensorFlow gives an accidental hit. */
    static final double ACCIDENTAL_HIT_LOGIT = -Float.MAX_VALUE;

    private DataType type;
    private int b = -1;
    private int s = -1;
    private int d = -1;
    private Buf eNeg;
    private Buf eTrue;
    private Buf logits;
    private Buf dUser;
    private Buf dNeg;
    private double[] z = new double[0];
    private double[] logQNeg = new double[0];
    private double[] uAll = new double[0];
    private double[] eAll = new double[0];
    private double[] dz0 = new double[0];
    private double[] lossRow = new double[0];
    private double[] logQTrue = new double[0];

    /**
     * Loss and the gradient with respect to the user vectors.
     *
     * @param loss mean cross-entropy over the batch
     * @param dUser gradient [B, d], same type as the user vectors; a buffer reused by the next call
     */
    public record Result(double loss, INDArray dUser) {
    }

    /**
     * Computes the loss and all gradients.
     *
     * @param user      user vectors [B, d]
     * @param targets   true item id per user (1..n)
     * @param table     item table [n+1, d] (row 0 padding), same type as {@code user}, contiguous c-order
     * @param negatives the shared sampled candidates
     * @param tableGrad receives the table gradient (true rows and sampled rows); may already hold rows
     * @return the loss and {@code dUser}
     */
    public Result forwardBackward(INDArray user, int[] targets, INDArray table, Candidates negatives,
                                  TableGradient tableGrad) {
        int bb = (int) user.size(0);
        int dd = (int) user.size(1);
        int ss = negatives.size();
        int[] ids = negatives.ids();
        if (targets.length != bb || table.size(1) != dd || user.dataType() != table.dataType()) {
            throw new IllegalArgumentException("user [" + bb + "," + dd + "] " + user.dataType()
                    + ", targets " + targets.length + " and table " + java.util.Arrays.toString(table.shape())
                    + " " + table.dataType() + " do not match");
        }
        long tableRows = table.size(0);
        for (int t : targets) {
            if (t < 1 || t >= tableRows) {
                throw new IllegalArgumentException("target item id " + t + " not in 1.." + (tableRows - 1));
            }
        }
        ensure(table.dataType(), bb, ss, dd);
        Buf u = Buf.ofCopyIfNeeded(user);
        Buf tb = Buf.of(table);
        for (int j = 0; j < ss; j++) {
            Buf.copy(tb, ids[j] * dd, eNeg, j * dd, dd);
        }
        for (int i = 0; i < bb; i++) {
            Buf.copy(tb, targets[i] * dd, eTrue, i * dd, dd);
        }
        Blas.pgemm(false, true, bb, ss, dd, 1.0, u, 0, dd, eNeg, 0, dd, 0.0, logits, 0, ss);
        for (int j = 0; j < ss; j++) {
            logQNeg[j] = Math.log(negatives.expectedCounts()[j]);
        }
        u.get(0, uAll, 0, bb * dd);
        eTrue.get(0, eAll, 0, bb * dd);
        logits.get(0, z, 0, bb * ss);
        for (int i = 0; i < bb; i++) {
            logQTrue[i] = Math.log(negatives.expectedCount(targets[i]));
        }
        final int fb = bb;
        final int fs = ss;
        final int fd = dd;
        // Rows are independent: each thread owns whole rows, so the result does not depend on threads.
        Parallel.forRange(bb, 16, (from, to) -> rows(from, to, fb, fs, fd, ids, targets));
        logits.set(0, z, 0, bb * ss); // logits now hold dZ
        double total = 0;
        for (int i = 0; i < bb; i++) {
            total += lossRow[i];
            // True rows get dz0 * u.
            tableGrad.add(targets[i], uAll, i * dd, dz0[i]);
        }
        // dU = dZ E_neg + dz0 * e_true
        Blas.pgemm(false, false, bb, dd, ss, 1.0, logits, 0, ss, eNeg, 0, dd, 0.0, dUser, 0, dd);
        for (int i = 0; i < bb * dd; i++) {
            eAll[i] *= dz0[i / dd];
        }
        dUser.add(0, eAll, 0, bb * dd);
        // Sampled rows get dZ^T U.
        Blas.pgemm(true, false, ss, dd, bb, 1.0, logits, 0, ss, u, 0, dd, 0.0, dNeg, 0, dd);
        tableGrad.addRows(ids, dNeg);
        return new Result(total / bb, dUser.array());
    }

    /** Softmax cross-entropy and its logit gradient for rows {@code [from, to)}, in place in {@code z}. */
    private void rows(int from, int to, int bb, int ss, int dd, int[] ids, int[] targets) {
        double[] zz = z;
        for (int i = from; i < to; i++) {
            double zTrue = 0;
            int ud = i * dd;
            for (int c = 0; c < dd; c++) {
                zTrue += uAll[ud + c] * eAll[ud + c];
            }
            zTrue -= logQTrue[i];
            int row = i * ss;
            double max = zTrue;
            int target = targets[i];
            for (int j = 0; j < ss; j++) {
                double v = ids[j] == target ? ACCIDENTAL_HIT_LOGIT : zz[row + j] - logQNeg[j];
                zz[row + j] = v;
                if (v > max) {
                    max = v;
                }
            }
            double sum = Math.exp(zTrue - max);
            for (int j = 0; j < ss; j++) {
                double e = Math.exp(zz[row + j] - max);
                zz[row + j] = e;
                sum += e;
            }
            lossRow[i] = Math.log(sum) + max - zTrue;
            double scale = 1.0 / (sum * bb);
            dz0[i] = Math.exp(zTrue - max) * scale - 1.0 / bb;
            for (int j = 0; j < ss; j++) {
                zz[row + j] *= scale;
            }
        }
    }

    private void ensure(DataType t, int bb, int ss, int dd) {
        if (t == type && bb == b && ss == s && dd == d) {
            return;
        }
        type = t;
        b = bb;
        s = ss;
        d = dd;
        eNeg = Buf.zeros(t, ss, dd);
        eTrue = Buf.zeros(t, bb, dd);
        logits = Buf.zeros(t, bb, ss);
        dUser = Buf.zeros(t, bb, dd);
        dNeg = Buf.zeros(t, ss, dd);
        z = new double[bb * ss];
        logQNeg = new double[ss];
        uAll = new double[bb * dd];
        eAll = new double[bb * dd];
        dz0 = new double[bb];
        lossRow = new double[bb];
        logQTrue = new double[bb];
    }
}
