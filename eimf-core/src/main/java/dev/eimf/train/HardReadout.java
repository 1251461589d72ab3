package dev.eimf.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ComiRec's training readout: for each user pick the interest closest (by inner product) to the target
 * item, {@code k* = argmax_k <v_k, e_target>}, and use {@code u = v_k*} as the user vector. The argmax
 * is piecewise constant, so no gradient flows to the target embedding; the gradient of {@code u}
 * goes to interest {@code k*} only.
 */
public final class HardReadout {
    private HardReadout() {
    }

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
        if (interests.rank() != 3 || targets.rank() != 2 || interests.size(0) != targets.size(0)
                || interests.size(2) != targets.size(1)) {
            throw new IllegalArgumentException("interests [B,K,d] and targets [B,d] do not match: "
                    + java.util.Arrays.toString(interests.shape()) + " vs "
                    + java.util.Arrays.toString(targets.shape()));
        }
        int b = (int) interests.size(0);
        int k = (int) interests.size(1);
        int d = (int) interests.size(2);
        double[] v = interests.dup('c').data().asDouble();
        double[] e = targets.dup('c').data().asDouble();
        double[] u = new double[b * d];
        int[] chosen = new int[b];
        for (int i = 0; i < b; i++) {
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                int off = (i * k + j) * d;
                double s = 0;
                for (int c = 0; c < d; c++) {
                    s += v[off + c] * e[i * d + c];
                }
                if (s > bestScore) {
                    bestScore = s;
                    best = j;
                }
            }
            chosen[i] = best;
            System.arraycopy(v, (i * k + best) * d, u, i * d, d);
        }
        INDArray user = Nd4j.createFromArray(u).reshape(b, d).castTo(interests.dataType());
        return new Result(user, chosen, k);
    }

    /**
     * Routes {@code dUser} [B, d] to the chosen interests.
     *
     * @return the gradient with respect to the interests [B, K, d]; zero except at k* per user
     */
    public static INDArray backward(Result r, INDArray dUser) {
        int b = r.chosen().length;
        int k = r.numInterests();
        int d = (int) dUser.size(1);
        double[] g = dUser.dup('c').data().asDouble();
        double[] out = new double[b * k * d];
        for (int i = 0; i < b; i++) {
            System.arraycopy(g, i * d, out, (i * k + r.chosen()[i]) * d, d);
        }
        return Nd4j.createFromArray(out).reshape(b, k, d).castTo(dUser.dataType());
    }
}
