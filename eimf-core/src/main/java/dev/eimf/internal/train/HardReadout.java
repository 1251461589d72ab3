package dev.eimf.internal.train;

import dev.eimf.internal.tensor.Buf;
import dev.eimf.internal.tensor.Parallel;
import dev.eimf.internal.tensor.ThreadScratch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ComiRec's training readout: for each user pick the interest closest (by inner product) to the target
 * item, {@code k* = argmax_k <v_k, e_target>}, and use {@code u = v_k*} as the user vector. The argmax
 * is piecewise constant, so no gradient flows to the target embedding; the gradient of {@code u}
 * goes to interest {@code k*} only.
 *
 * <p>An instance keeps its output buffers between calls (the training loop allocates nothing here after
 * its first step): the arrays it returns are overwritten by its next call. The static methods use a
 * fresh instance each time. Not thread-safe.
 */
public final class HardReadout {

    /** Per thread: one user's K interest rows and its target row, reused from step to step. */
    private static final ThreadScratch.Doubles ROWS = new ThreadScratch.Doubles(2);
    private DataType type;
    private int b = -1;
    private int k = -1;
    private int d = -1;
    private Buf user;
    private Buf dInterests;
    private int[] chosen = new int[0];

    /**
     * The chosen interests.
     *
     * @param user   user vectors [B, d], same data type as the interests
     * @param chosen index k* per user
     * @param numInterests K
     */
    public record Result(INDArray user, int[] chosen, int numInterests) {
    }

    /**
     * @param interests interests [B, K, d]
     * @param targets   target item embeddings [B, d]
     * @return the user vectors and the chosen interest per user (ties: the lowest k, as argmax)
     */
    public static Result forward(INDArray interests, INDArray targets) {
        return new HardReadout().apply(interests, targets);
    }

    /**
     * Routes {@code dUser} [B, d] to the chosen interests.
     *
     * @return the gradient with respect to the interests [B, K, d]; zero except at k* per user
     */
    public static INDArray backward(Result r, INDArray dUser) {
        return new HardReadout().route(r, dUser);
    }

    /** As {@link #forward}, into this instance's buffers. */
    public Result apply(INDArray interests, INDArray targets) {
        if (targets.rank() != 2 || interests.rank() != 3 || interests.size(0) != targets.size(0)
                || interests.size(2) != targets.size(1)) {
            throw new IllegalArgumentException("interests [B,K,d] and targets [B,d] do not match: "
                    + java.util.Arrays.toString(interests.shape()) + " vs "
                    + java.util.Arrays.toString(targets.shape()));
        }
        Buf e = Buf.ofCopyIfNeeded(targets);
        int bb = (int) interests.size(0);
        int[] rows = new int[bb];
        for (int i = 0; i < bb; i++) {
            rows[i] = i;
        }
        return select(interests, e, rows);
    }

    /**
     * As {@link #forward} with the targets read straight from the item table.
     *
     * @param interests interests [B, K, d]
     * @param table     item table [n+1, d], contiguous, same type
     * @param targets   target item id per user
     */
    public Result apply(INDArray interests, INDArray table, int[] targets) {
        if (interests.rank() != 3 || table.rank() != 2 || interests.size(0) != targets.length
                || interests.size(2) != table.size(1)) {
            throw new IllegalArgumentException("interests " + java.util.Arrays.toString(interests.shape())
                    + ", table " + java.util.Arrays.toString(table.shape()) + " and " + targets.length
                    + " targets do not match");
        }
        return select(interests, Buf.of(table), targets);
    }

    private Result select(INDArray interests, Buf e, int[] rowOf) {
        int bb = (int) interests.size(0);
        int kk = (int) interests.size(1);
        int dd = (int) interests.size(2);
        ensure(interests.dataType(), bb, kk, dd);
        Buf v = Buf.ofCopyIfNeeded(interests);
        // users are independent: each part writes only its users' choices and rows
        Parallel.forRange(bb, 32, (from, to) -> {
            double[] vRows = ROWS.get(0, kk * dd);
            double[] eRow = ROWS.get(1, dd);
            for (int i = from; i < to; i++) {
                chooseFor(v, e, i, rowOf[i], kk, dd, vRows, eRow);
            }
        });
        return new Result(user.array(), chosen.clone(), kk);
    }

    /**
     * User i's interest with the largest inner product with its target row, copied into {@code user};
     * once per user, so that the JIT compiles it whole after a few steps.
     */
    private void chooseFor(Buf v, Buf e, int i, int row, int kk, int dd, double[] vRows, double[] eRow) {
        e.get(row * dd, eRow, 0, dd);
        v.get(i * kk * dd, vRows, 0, kk * dd);
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        if (kk == 4) {
            // four independent sums in one loop (each in element order, as below): four times the
            // throughput of one dependent chain of additions
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int c = 0; c < dd; c++) {
                double ec = eRow[c];
                s0 += vRows[c] * ec;
                s1 += vRows[dd + c] * ec;
                s2 += vRows[2 * dd + c] * ec;
                s3 += vRows[3 * dd + c] * ec;
            }
            if (s0 > bestScore) {
                bestScore = s0;
            }
            if (s1 > bestScore) {
                bestScore = s1;
                best = 1;
            }
            if (s2 > bestScore) {
                bestScore = s2;
                best = 2;
            }
            if (s3 > bestScore) {
                best = 3;
            }
        } else {
            for (int j = 0; j < kk; j++) {
                double s = 0;
                for (int c = 0; c < dd; c++) {
                    s += vRows[j * dd + c] * eRow[c];
                }
                if (s > bestScore) {
                    bestScore = s;
                    best = j;
                }
            }
        }
        chosen[i] = best;
        Buf.copy(v, (i * kk + best) * dd, user, i * dd, dd);
    }

    /** As {@link #backward}, into this instance's buffer. */
    public INDArray route(Result r, INDArray dUser) {
        int bb = r.chosen().length;
        int kk = r.numInterests();
        int dd = (int) dUser.size(1);
        if (dUser.rank() != 2 || dUser.size(0) != bb) {
            throw new IllegalArgumentException("dUser must be [" + bb + ", d], got "
                    + java.util.Arrays.toString(dUser.shape()));
        }
        ensure(dUser.dataType(), bb, kk, dd);
        Buf g = Buf.ofCopyIfNeeded(dUser);
        dInterests.zero();
        for (int i = 0; i < bb; i++) {
            Buf.copy(g, i * dd, dInterests, (i * kk + r.chosen()[i]) * dd, dd);
        }
        return dInterests.array();
    }

    private void ensure(DataType t, int bb, int kk, int dd) {
        if (t == type && bb == b && kk == k && dd == d) {
            return;
        }
        type = t;
        b = bb;
        k = kk;
        d = dd;
        user = Buf.zeros(t, bb, dd);
        dInterests = Buf.zeros(t, bb, kk, dd);
        chosen = new int[bb];
    }
}
