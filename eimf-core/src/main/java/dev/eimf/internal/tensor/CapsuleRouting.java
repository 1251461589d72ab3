package dev.eimf.internal.tensor;

/**
 * Dynamic routing of the ComiRec capsule encoders (ComiRec-DR and its MIND variant), forward and
 * backward, as fused per-user loops.
 *
 * <p>Prediction vectors live in a packed buffer {@code u}: one row of {@code rowLen} elements per real
 * (non-padded) history position; the vector of interest {@code k} of row {@code r} starts at
 * {@code r * rowLen + k * kStride} (DR: {@code rowLen = K*d, kStride = d}; MIND shares one vector for all
 * interests: {@code rowLen = d, kStride = 0}). {@code rowOf[b*T + t]} maps a history position to its
 * row, or -1 for padding.
 *
 * <p>Routing, per user, with logits {@code b[k,t]} (zero, or given):
 * <pre>
 * repeat iterations times:
 *   c[k,t] = softmax over k of b[k,t]   (0 on padded t)
 *   s_k    = sum_t c[k,t] u[t,k]
 *   v_k    = squash(s_k)
 *   if not the last iteration: b[k,t] += u[t,k] . v_k     (u under stop-gradient)
 * </pre>
 * As in the official code the logit updates read {@code u} through {@code tf.stop_gradient}, and the
 * logits start from a constant; so no gradient flows through {@code b}, the coupling {@code c} of the
 * last iteration is a constant for the backward pass, and only the last {@code s = sum c u},
 * {@code v = squash(s)} carries gradient to {@code u} (and through it to the weights and the inputs).
 * {@link #backwardUsers} computes exactly that: {@code du[t,k] = c[k,t] * squash'(s_k)^T dv_k}.
 */
public final class CapsuleRouting {

    private CapsuleRouting() {
    }

    /** Shapes of one routing problem. */
    public record Dims(int batch, int maxLen, int numInterests, int dim, int rowLen, int kStride) {
        public Dims {
            if (batch < 1 || maxLen < 1 || numInterests < 1 || dim < 1) {
                throw new IllegalArgumentException("bad routing dims " + batch + "/" + maxLen + "/" + numInterests + "/" + dim);
            }
            if (kStride != 0 && kStride != dim) {
                throw new IllegalArgumentException("kStride must be 0 (shared) or dim, got " + kStride);
            }
            if (rowLen != (kStride == 0 ? dim : numInterests * dim)) {
                throw new IllegalArgumentException("rowLen " + rowLen + " does not match kStride " + kStride);
            }
        }
    }

    /**
     * Per-thread scratch for routing one user at a time. Not thread-safe: one per thread (or per block of
     * users run by one thread).
     */
    public static final class Scratch {
        private final int d;
        private final int kCount;
        final double[][] uu;
        final double[][] s;
        final double[][] vv;
        final double[] logits;
        final double[] c;
        final int[] pos;
        final double[] dvv;
        final double[][] ds;
        final double[] vec;
        /** One user's packed rows (at most T of {@code rowLen}), for one bulk copy to or from the buffer. */
        final double[] rows;

        /** Scratch for routing problems of these dimensions (the batch size does not matter). */
        public Scratch(Dims dims) {
            int T = dims.maxLen(), K = dims.numInterests();
            this.d = dims.dim();
            this.kCount = K;
            int vecsPerPos = dims.kStride() == 0 ? 1 : K;
            uu = new double[T * vecsPerPos][d];
            s = new double[K][d];
            vv = new double[K][d];
            logits = new double[K * T];
            c = new double[K * T];
            pos = new int[T];
            dvv = new double[K * d];
            ds = new double[K][d];
            vec = new double[d];
            rows = new double[T * dims.rowLen()];
        }

        boolean fits(Dims dims) {
            int vecsPerPos = dims.kStride() == 0 ? 1 : dims.numInterests();
            return dims.dim() == d && dims.numInterests() == kCount && uu.length == dims.maxLen() * vecsPerPos
                    && rows.length == dims.maxLen() * dims.rowLen();
        }
    }

    /**
     * Runs the routing for users {@code [from, to)} on the calling thread, with the caller's scratch (the
     * encoders call it inside their own parallel region, a block of users per thread).
     *
     * @param u              packed prediction vectors (see the class comment)
     * @param rowOf          [B*T] row of each position, -1 for padding
     * @param iterations     routing iterations (at least 1)
     * @param initLogits     [B*K*T] starting logits (index (b*K+k)*T+t), or null for zeros
     * @param fixedCoupling  [B*K*T] coupling to use instead of routing (one step {@code s = sum c u}), or
     *                       null to route; lets checks evaluate the function the backward pass differentiates
     * @param couplingOut    [B*K*T] receives the last coupling, 0 on padding
     * @param sOut           [B*K*d] receives the last pre-squash capsules
     * @param v              [B*K*d] window receiving the interest capsules {@code squash(s)}
     */
    public static void forwardUsers(Dims dims, Buf u, int[] rowOf, int iterations, double[] initLogits,
                                    double[] fixedCoupling, double[] couplingOut, double[] sOut, Buf v,
                                    int from, int to, Scratch sc) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        }
        if (!sc.fits(dims)) {
            throw new IllegalArgumentException("scratch made for other dimensions than " + dims);
        }
        final int T = dims.maxLen(), K = dims.numInterests(), d = dims.dim();
        final int rowLen = dims.rowLen();
        final boolean sharedU = dims.kStride() == 0;
        final int vecsPerPos = sharedU ? 1 : K;
        // Every d-vector in its own array and every inner loop indexed by j alone: that is the form
        // in which C2 vectorises (it gives up on differing offsets into possibly aliased arrays).
        final double[][] uu = sc.uu;
        final double[][] s = sc.s;
        final double[][] vv = sc.vv;
        final double[] logits = sc.logits;
        final double[] c = sc.c;
        final int[] pos = sc.pos;
        final double[] rows = sc.rows;
        final VectorKernels vk = Simd.KERNELS; // null: the scalar loops below
        for (int b = from; b < to; b++) {
            int n = 0;
            for (int t = 0; t < T; t++) {
                if (rowOf[b * T + t] >= 0) {
                    pos[n++] = t;
                }
            }
            // Rows packed by user (MIND) come in one copy; rows packed by position (DR) in one per row.
            boolean packed = n > 0 && consecutiveRows(rowOf, b, T);
            if (packed) {
                u.get(rowOf[b * T + pos[0]] * rowLen, rows, 0, n * rowLen);
            }
            for (int i = 0; i < n; i++) {
                if (!packed) {
                    u.get(rowOf[b * T + pos[i]] * rowLen, rows, 0, rowLen);
                }
                int o = packed ? i * rowLen : 0;
                for (int q = 0; q < vecsPerPos; q++) {
                    System.arraycopy(rows, o + q * d, uu[i * vecsPerPos + q], 0, d);
                }
            }
            // logits and coupling in local layout [k][i] over the n real positions
            for (int k = 0; k < K; k++) {
                for (int i = 0; i < n; i++) {
                    int g = (b * K + k) * T + pos[i];
                    logits[k * n + i] = initLogits == null ? 0.0 : initLogits[g];
                    c[k * n + i] = fixedCoupling == null ? 0.0 : fixedCoupling[g];
                }
            }
            int rounds = fixedCoupling == null ? iterations : 1;
            for (int it = 0; it < rounds; it++) {
                if (fixedCoupling == null) {
                    if (K == 4 && vk != null) {
                        vk.softmax4(logits, c, n);
                    } else {
                        softmaxOverInterests(logits, c, K, n);
                    }
                }
                if (sharedU && K == 4) {
                    if (vk != null) {
                        vk.capsules4(uu, c, n, s, d);
                    } else {
                        capsules4(uu, c, n, s, d);
                    }
                    for (int k = 0; k < K; k++) {
                        Kernels.squash(s[k], 0, d, vv[k], 0);
                    }
                } else {
                    for (int k = 0; k < K; k++) {
                        double[] sk = s[k];
                        java.util.Arrays.fill(sk, 0.0);
                        for (int i = 0; i < n; i++) {
                            double cki = c[k * n + i];
                            double[] ui = uu[sharedU ? i : i * K + k];
                            for (int j = 0; j < d; j++) {
                                sk[j] += cki * ui[j];
                            }
                        }
                        Kernels.squash(sk, 0, d, vv[k], 0);
                    }
                }
                if (it < rounds - 1 && sharedU && K == 4) {
                    for (int i = 0; i < n; i++) {
                        if (vk != null) {
                            vk.dots4(uu[i], vv[0], vv[1], vv[2], vv[3], d, logits, i, n);
                        } else {
                            dots4(uu[i], vv[0], vv[1], vv[2], vv[3], d, logits, i, n);
                        }
                    }
                } else if (it < rounds - 1) {
                    for (int k = 0; k < K; k++) {
                        double[] vkk = vv[k];
                        for (int i = 0; i < n; i++) {
                            logits[k * n + i] += dot(uu[sharedU ? i : i * K + k], vkk, d);
                        }
                    }
                }
            }
            int sOff = b * K * d;
            for (int k = 0; k < K; k++) {
                System.arraycopy(s[k], 0, sOut, sOff + k * d, d);
                v.set(sOff + k * d, vv[k], 0, d);
            }
            int cb = b * K * T;
            java.util.Arrays.fill(couplingOut, cb, cb + K * T, 0.0);
            for (int k = 0; k < K; k++) {
                for (int i = 0; i < n; i++) {
                    couplingOut[cb + k * T + pos[i]] = c[k * n + i];
                }
            }
        }
    }

    /**
     * {@code s_k = sum_i c[k n + i] u_i} for K = 4 shared prediction vectors (MIND): each u_i read once
     * for the four capsules, two positions per pass, with the same additions in the same order as four
     * separate passes (two positions per pass: about a quarter faster than one in a microbenchmark).
     */
    private static void capsules4(double[][] uu, double[] c, int n, double[][] s, int d) {
        double[] s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3];
        java.util.Arrays.fill(s0, 0.0);
        java.util.Arrays.fill(s1, 0.0);
        java.util.Arrays.fill(s2, 0.0);
        java.util.Arrays.fill(s3, 0.0);
        int i = 0;
        for (; i + 1 < n; i += 2) {
            double c0 = c[i], c1 = c[n + i], c2 = c[2 * n + i], c3 = c[3 * n + i];
            double e0 = c[i + 1], e1 = c[n + i + 1], e2 = c[2 * n + i + 1], e3 = c[3 * n + i + 1];
            double[] ui = uu[i];
            double[] wi = uu[i + 1];
            for (int j = 0; j < d; j++) {
                double u = ui[j];
                double w = wi[j];
                s0[j] = (s0[j] + c0 * u) + e0 * w;
                s1[j] = (s1[j] + c1 * u) + e1 * w;
                s2[j] = (s2[j] + c2 * u) + e2 * w;
                s3[j] = (s3[j] + c3 * u) + e3 * w;
            }
        }
        for (; i < n; i++) {
            double c0 = c[i], c1 = c[n + i], c2 = c[2 * n + i], c3 = c[3 * n + i];
            double[] ui = uu[i];
            for (int j = 0; j < d; j++) {
                double u = ui[j];
                s0[j] += c0 * u;
                s1[j] += c1 * u;
                s2[j] += c2 * u;
                s3[j] += c3 * u;
            }
        }
    }

    /** {@code out = 0 + c0 a0 + c1 a1 + c2 a2 + c3 a3}, added in that order, in one pass. */
    private static void sumOfFour(double c0, double[] a0, double c1, double[] a1, double c2, double[] a2, double c3,
                                  double[] a3, double[] out, int d) {
        for (int j = 0; j < d; j++) {
            double v = 0.0;
            v += c0 * a0[j];
            v += c1 * a1[j];
            v += c2 * a2[j];
            v += c3 * a3[j];
            out[j] = v;
        }
    }

    /**
     * Adds {@code u . v_k} to {@code out[o + k stride]} for K = 4, in one pass over u with two
     * accumulators per k (a third faster than four dot products here).
     */
    private static void dots4(double[] u, double[] v0, double[] v1, double[] v2, double[] v3, int d, double[] out,
                              int o, int stride) {
        double a0 = 0, b0 = 0, a1 = 0, b1 = 0, a2 = 0, b2 = 0, a3 = 0, b3 = 0;
        int j = 0;
        for (; j + 1 < d; j += 2) {
            double x = u[j], y = u[j + 1];
            a0 += x * v0[j];
            b0 += y * v0[j + 1];
            a1 += x * v1[j];
            b1 += y * v1[j + 1];
            a2 += x * v2[j];
            b2 += y * v2[j + 1];
            a3 += x * v3[j];
            b3 += y * v3[j + 1];
        }
        for (; j < d; j++) {
            double x = u[j];
            a0 += x * v0[j];
            a1 += x * v1[j];
            a2 += x * v2[j];
            a3 += x * v3[j];
        }
        out[o] += a0 + b0;
        out[o + stride] += a1 + b1;
        out[o + 2 * stride] += a2 + b2;
        out[o + 3 * stride] += a3 + b3;
    }

    /** Dot product with eight accumulators, to break the floating-point add chain. */
    private static double dot(double[] a, double[] b, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int j = 0;
        for (; j + 7 < n; j += 8) {
            s0 += a[j] * b[j];
            s1 += a[j + 1] * b[j + 1];
            s2 += a[j + 2] * b[j + 2];
            s3 += a[j + 3] * b[j + 3];
            s4 += a[j + 4] * b[j + 4];
            s5 += a[j + 5] * b[j + 5];
            s6 += a[j + 6] * b[j + 6];
            s7 += a[j + 7] * b[j + 7];
        }
        for (; j < n; j++) {
            s0 += a[j] * b[j];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** Whether user b's real positions have consecutive rows (packed by user). */
    private static boolean consecutiveRows(int[] rowOf, int b, int T) {
        int first = -1, n = 0;
        for (int t = 0; t < T; t++) {
            int r = rowOf[b * T + t];
            if (r >= 0) {
                if (first < 0) {
                    first = r;
                } else if (r != first + n) {
                    return false;
                }
                n++;
            }
        }
        return true;
    }

    private static void softmaxOverInterests(double[] logits, double[] c, int K, int n) {
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < K; k++) {
                max = Math.max(max, logits[k * n + i]);
            }
            double sum = 0;
            for (int k = 0; k < K; k++) {
                double e = Math.exp(logits[k * n + i] - max);
                c[k * n + i] = e;
                sum += e;
            }
            for (int k = 0; k < K; k++) {
                c[k * n + i] /= sum;
            }
        }
    }

    /**
     * Backward of the last routing step with the coupling held constant (see the class comment), for
     * users {@code [from, to)} on the calling thread, with the caller's scratch.
     *
     * @param coupling [B*K*T] the forward pass's last coupling
     * @param s        [B*K*d] the forward pass's last pre-squash capsules
     * @param dv       [B*K*d] gradient with respect to the capsules
     * @param du       packed buffer like {@code u}; rows of real positions are overwritten with the gradient
     */
    public static void backwardUsers(Dims dims, int[] rowOf, double[] coupling, double[] s, Buf dv, Buf du,
                                     int from, int to, Scratch sc) {
        if (!sc.fits(dims)) {
            throw new IllegalArgumentException("scratch made for other dimensions than " + dims);
        }
        final int T = dims.maxLen(), K = dims.numInterests(), d = dims.dim();
        final int rowLen = dims.rowLen();
        final boolean sharedU = dims.kStride() == 0;
        final double[] dvv = sc.dvv;
        final double[][] ds = sc.ds;
        final double[] vec = sc.vec;
        final double[] rows = sc.rows;
        for (int b = from; b < to; b++) {
            int sOff = b * K * d;
            dv.get(sOff, dvv, 0, K * d);
            for (int k = 0; k < K; k++) {
                Kernels.squashBackward(s, sOff + k * d, d, dvv, k * d, ds[k], 0);
            }
            // A user's rows go out as they came in: one copy when packed by user, else one per row.
            boolean packed = consecutiveRows(rowOf, b, T);
            int first = -1, n = 0;
            for (int t = 0; t < T; t++) {
                int r = rowOf[b * T + t];
                if (r < 0) {
                    continue;
                }
                if (first < 0) {
                    first = r;
                }
                int o = packed ? n * rowLen : 0;
                int cb = b * K * T + t;
                if (sharedU && K == 4) {
                    sumOfFour(coupling[cb], ds[0], coupling[cb + T], ds[1], coupling[cb + 2 * T], ds[2],
                            coupling[cb + 3 * T], ds[3], vec, d);
                    System.arraycopy(vec, 0, rows, o, d);
                } else {
                    if (sharedU) {
                        java.util.Arrays.fill(vec, 0.0);
                    }
                    for (int k = 0; k < K; k++) {
                        double ckt = coupling[cb + k * T];
                        double[] dsk = ds[k];
                        if (sharedU) {
                            for (int j = 0; j < d; j++) {
                                vec[j] += ckt * dsk[j];
                            }
                        } else {
                            for (int j = 0; j < d; j++) {
                                vec[j] = ckt * dsk[j];
                            }
                            System.arraycopy(vec, 0, rows, o + k * d, d);
                        }
                    }
                    if (sharedU) {
                        System.arraycopy(vec, 0, rows, o, d);
                    }
                }
                if (!packed) {
                    du.set(r * rowLen, rows, 0, rowLen);
                }
                n++;
            }
            if (packed && n > 0) {
                du.set(first * rowLen, rows, 0, n * rowLen);
            }
        }
    }
}
