package dev.eimf.internal.train;

import dev.eimf.internal.tensor.Blas;
import dev.eimf.internal.tensor.Buf;
import dev.eimf.internal.tensor.Kernels;
import dev.eimf.internal.tensor.Parallel;
import dev.eimf.internal.tensor.ThreadScratch;
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
 * <p>The work is split into one block of users per thread ({@link Parallel#threads()}): each block gathers
 * its true rows, computes its logits {@code U E_neg^T} with one single-threaded BLAS call, its softmax
 * rows and its part of {@code dU = dZ E_neg}; then each thread computes the sampled rows' gradient
 * {@code dZ^T U} for a block of negatives. The softmax rows are left unnormalised ({@code exp(z - max)});
 * the normaliser multiplies the rows of {@code dU} and of {@code U} instead, d numbers per user rather
 * than one per sampled item. Two parallel regions per call, and every output element is
 * computed by one thread, so the result depends only on the thread count. FLOAT runs the softmax rows in
 * float with a polynomial {@code exp} (relative error below 1e-7, {@link Kernels#expShiftInPlace});
 * DOUBLE uses {@link Math#exp}, so that finite-difference checks see the exact function. Buffers are kept
 * between calls (a training loop allocates nothing here after its first step). Not thread-safe, and
 * {@link Result#dUser()} is overwritten by the next call.
 */
public final class SampledSoftmax {
    /** Logit TensorFlow gives an accidental hit. */
    static final double ACCIDENTAL_HIT_LOGIT = -Float.MAX_VALUE;

    private DataType type;
    private int b = -1;
    private int s = -1;
    private int d = -1;
    private int tableRows = -1;
    /** Sampled rows [S, d+1]; the last column holds {@code -log Q}, so that the logits product subtracts it. */
    private Buf eNeg;
    /** User vectors [B, d+1]; the last column holds 1. */
    private Buf uAug;
    private Buf eTrue;
    private Buf logits;
    private Buf dUser;
    private Buf dNeg;
    /** Per thread: a user's vector and its true item's row, in double. */
    private static final ThreadScratch.Doubles USER_SCRATCH = new ThreadScratch.Doubles(2);
    /** Per thread: one row of logits and the exp kernel's scratch for it. */
    private static final ThreadScratch.Floats ROW_SCRATCH = new ThreadScratch.Floats(2);
    private double[] zd = new double[0];
    private double[] logQNeg = new double[0];
    private double[] logQTrue = new double[0];
    private double[] dz0 = new double[0];
    /** Per user: the softmax normaliser over the batch, {@code 1 / (sum * B)}, applied after the products. */
    private double[] rowScale = new double[0];
    private Buf uScaled;
    private double[] lossRow = new double[0];
    private int[] hitOf = new int[0];
    private double[] uAll = new double[0];
    /** Position of each table row among this call's negatives, or -1; reset after every call. */
    private int[] negIndex = new int[0];

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
        int rowsInTable = Math.toIntExact(table.size(0));
        // The loops of this once-per-step method are in small methods: the JIT compiles each whole after a
        // few calls, instead of replacing this method on the stack once per loop (which compiles the whole
        // method several times during the first few hundred steps of a run).
        checkIds(targets, rowsInTable, "target");
        checkIds(ids, rowsInTable, "sampled");
        ensure(table.dataType(), bb, ss, dd, rowsInTable);
        final Buf u = Buf.ofCopyIfNeeded(user);
        final Buf tb = Buf.of(table);
        final boolean isFloat = u instanceof Buf.F;
        logQAndHits(negatives, targets);
        final int da = dd + 1;
        // Region 1: the negatives' rows, by blocks of negatives.
        Parallel.forRange(ss, 64, (from, to) -> {
            for (int j = from; j < to; j++) {
                Buf.copy(tb, ids[j] * dd, eNeg, j * da, dd);
                eNeg.set(j * da + dd, -logQNeg[j]);
            }
        });
        // Region 2: per block of users, logits, softmax rows and dU.
        final int fb = bb;
        final int fs = ss;
        final int fd = dd;
        Parallel.forRange(bb, 8, (from, to) -> {
            int n = to - from;
            gatherUsers(tb, u, targets, from, to, fd);
            // logits minus log Q in one product: [u, 1] . [e, -log Q]
            Blas.gemm(false, true, n, fs, da, 1.0, uAug, from * da, da, eNeg, 0, da, 0.0, logits, from * fs, fs);
            if (isFloat) {
                rowsFloat((Buf.F) logits, (Buf.F) u, (Buf.F) eTrue, from, to, fb, fs, fd);
            } else {
                rowsDouble(logits, u, from, to, fb, fs, fd);
            }
            // The rows of dZ hold exp(z - max); the normaliser is applied to the products' rows (d wide)
            // rather than to dZ (S wide): dU = scale * (exp E_neg) + dz0 * e_true, and dZ^T U below
            // takes the users scaled.
            Blas.gemm(false, false, n, fd, fs, 1.0, logits, from * fs, fs, eNeg, 0, da, 0.0, dUser, from * fd, fd);
            scaleUsers(u, from, to, fd);
        });
        // Region 3: sampled rows' gradient dZ^T U, by blocks of negatives.
        Parallel.forRange(ss, 64, (from, to) -> Blas.gemm(true, false, to - from, fd, fb, 1.0, logits, from, fs,
                uScaled, 0, fd, 0.0, dNeg, from * fd, fd));
        double total = trueRowsAndLoss(u, targets, tableGrad, bb, dd);
        tableGrad.addDistinctRows(ids, dNeg);
        return new Result(total / bb, dUser.array());
    }

    /** Users {@code [from, to)}: their true rows into {@code eTrue}, their vectors into {@code uAug} with a 1 appended. */
    private void gatherUsers(Buf tb, Buf u, int[] targets, int from, int to, int dd) {
        int da = dd + 1;
        for (int i = from; i < to; i++) {
            Buf.copy(tb, targets[i] * dd, eTrue, i * dd, dd);
            Buf.copy(u, i * dd, uAug, i * da, dd);
            uAug.set(i * da + dd, 1.0);
        }
    }

    /**
     * Users {@code [from, to)}: {@code dU = scale * (exp-rows E_neg) + dz0 * e_true} in place, and the
     * users' vectors times their scale into {@code uScaled}.
     */
    private void scaleUsers(Buf u, int from, int to, int dd) {
        double[] row = USER_SCRATCH.get(0, dd);
        double[] et = USER_SCRATCH.get(1, dd);
        for (int i = from; i < to; i++) {
            scaleUser(u, i, dd, row, et);
        }
    }

    /** {@link #scaleUsers} for user i; once per user, so that the JIT compiles it whole after a few steps. */
    private void scaleUser(Buf u, int i, int dd, double[] row, double[] et) {
        double sc = rowScale[i];
        dUser.get(i * dd, row, 0, dd);
        eTrue.get(i * dd, et, 0, dd);
        for (int c = 0; c < dd; c++) {
            row[c] = row[c] * sc + et[c] * dz0[i];
        }
        dUser.set(i * dd, row, 0, dd);
        u.get(i * dd, row, 0, dd);
        for (int c = 0; c < dd; c++) {
            row[c] *= sc;
        }
        uScaled.set(i * dd, row, 0, dd);
    }

    private static void checkIds(int[] ids, int rowsInTable, String what) {
        for (int id : ids) {
            if (id < 1 || id >= rowsInTable) {
                throw new IllegalArgumentException(what + " item id " + id + " not in 1.." + (rowsInTable - 1));
            }
        }
    }

    /** log Q of the negatives and of the true items, and where each user's true item is among the negatives. */
    private void logQAndHits(Candidates negatives, int[] targets) {
        int[] ids = negatives.ids();
        double[] expected = negatives.expectedCounts();
        for (int j = 0; j < ids.length; j++) {
            logQNeg[j] = Math.log(expected[j]);
            negIndex[ids[j]] = j;
        }
        for (int i = 0; i < targets.length; i++) {
            logQTrue[i] = Math.log(negatives.expectedCount(targets[i]));
            hitOf[i] = negIndex[targets[i]];
        }
        for (int id : ids) {
            negIndex[id] = -1;
        }
    }

    /** Adds {@code dz0 * u} to the true rows' gradient; returns the summed loss. */
    private double trueRowsAndLoss(Buf u, int[] targets, TableGradient tableGrad, int bb, int dd) {
        double total = 0;
        u.get(0, uAll, 0, bb * dd);
        for (int i = 0; i < bb; i++) {
            total += lossRow[i];
            tableGrad.add(targets[i], uAll, i * dd, dz0[i]);
        }
        return total;
    }

    /** The true logit {@code u_i . e_t(i) - log Q(t(i))}, in double. */
    private double trueLogit(Buf u, Buf eTrueRows, int i, int dd, double[] ur, double[] er) {
        u.get(i * dd, ur, 0, dd);
        eTrueRows.get(i * dd, er, 0, dd);
        double z = 0;
        for (int c = 0; c < dd; c++) {
            z += ur[c] * er[c];
        }
        return z - logQTrue[i];
    }

    /**
     * Softmax cross-entropy rows {@code [from, to)} in float: logits in, {@code dZ / rowScale} out (in
     * place in {@code logits}); the per-row loss, {@code dz0} and {@code rowScale} in double.
     */
    private void rowsFloat(Buf.F lg, Buf.F u, Buf.F et, int from, int to, int bb, int ss, int dd) {
        // One row at a time through two row-long heap arrays of this thread, which stay in the L1 cache:
        // the whole block's logits and exp scratch on the heap (twice 360 KB at batch 128) did not fit
        // beside the native logits in L2.
        float[] z = ROW_SCRATCH.get(0, ss);
        float[] ks = ROW_SCRATCH.get(1, ss);
        double[] ur = USER_SCRATCH.get(0, dd);
        double[] er = USER_SCRATCH.get(1, dd);
        for (int i = from; i < to; i++) {
            double zTrue = trueLogit(u, et, i, dd, ur, er);
            lg.get(i * ss, z, 0, ss);
            int hit = hitOf[i];
            if (hit >= 0) {
                z[hit] = Float.NEGATIVE_INFINITY;
            }
            float max = Math.max((float) zTrue, Kernels.max(z, 0, ss));
            double sum = Kernels.expShiftInPlace(z, 0, ss, max, ks);
            if (hit >= 0) {
                // TensorFlow's -FLT_MAX logit has an exp of exactly 0.
                sum -= z[hit];
                z[hit] = 0f;
            }
            lg.set(i * ss, z, 0, ss);
            double eT = Math.exp(zTrue - max);
            finishRow(i, sum + eT, eT, max, zTrue, bb);
        }
    }

    /**
     * Row i's loss, true-class gradient and normaliser from the sum of its exponentials (true class
     * included) shifted by {@code max}.
     */
    private void finishRow(int i, double sum, double eT, double max, double zTrue, int bb) {
        lossRow[i] = Math.log(sum) + max - zTrue;
        double scale = 1.0 / (sum * bb);
        dz0[i] = eT * scale - 1.0 / bb;
        rowScale[i] = scale;
    }

    /** As {@link #rowsFloat} in double with {@link Math#exp}. */
    private void rowsDouble(Buf lg, Buf u, int from, int to, int bb, int ss, int dd) {
        double[] z = zd;
        int base = from * ss;
        lg.get(base, z, base, (to - from) * ss);
        double[] ur = USER_SCRATCH.get(0, dd);
        double[] er = USER_SCRATCH.get(1, dd);
        for (int i = from; i < to; i++) {
            double zTrue = trueLogit(u, eTrue, i, dd, ur, er);
            int row = i * ss;
            int hit = hitOf[i];
            double max = zTrue;
            for (int j = 0; j < ss; j++) {
                double v = j == hit ? ACCIDENTAL_HIT_LOGIT : z[row + j];
                z[row + j] = v;
                max = Math.max(max, v);
            }
            double eT = Math.exp(zTrue - max);
            double sum = eT;
            for (int j = 0; j < ss; j++) {
                double e = Math.exp(z[row + j] - max);
                z[row + j] = e;
                sum += e;
            }
            finishRow(i, sum, eT, max, zTrue, bb);
        }
        lg.set(base, z, base, (to - from) * ss);
    }

    private void ensure(DataType t, int bb, int ss, int dd, int rows) {
        if (rows != tableRows) {
            tableRows = rows;
            negIndex = new int[rows];
            java.util.Arrays.fill(negIndex, -1);
        }
        if (t == type && bb == b && ss == s && dd == d) {
            return;
        }
        type = t;
        b = bb;
        s = ss;
        d = dd;
        eNeg = Buf.zeros(t, ss, dd + 1);
        uAug = Buf.zeros(t, bb, dd + 1);
        eTrue = Buf.zeros(t, bb, dd);
        logits = Buf.zeros(t, bb, ss);
        dUser = Buf.zeros(t, bb, dd);
        dNeg = Buf.zeros(t, ss, dd);
        zd = t == DataType.FLOAT ? new double[0] : new double[bb * ss];
        logQNeg = new double[ss];
        uAll = new double[bb * dd];
        dz0 = new double[bb];
        rowScale = new double[bb];
        uScaled = Buf.zeros(t, bb, dd);
        lossRow = new double[bb];
        logQTrue = new double[bb];
        hitOf = new int[bb];
    }
}
