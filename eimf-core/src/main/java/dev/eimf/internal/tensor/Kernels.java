package dev.eimf.internal.tensor;

/**
 * Fused element-wise and reduction loops on {@link Buf} windows, used where a chain of small ND4J ops
 * would cost more in dispatch and temporaries than the arithmetic itself.
 */
public final class Kernels {

    private Kernels() {
    }

    /** Chunk of direct memory processed on the heap at a time: fits L1/L2 and lets C2 vectorise. */
    private static final int CHUNK = 4096;

    /** Writes {@code bias} into every row of a row-major {@code rows x cols} block at offset 0. */
    public static void fillRows(Buf z, int rows, int cols, Buf bias) {
        fillRows(z, 0, rows, cols, bias);
    }

    /**
     * Writes {@code bias} into every row of a row-major {@code rows x cols} block at element {@code off}:
     * one row, then copies that double the filled part (log2(rows) bulk copies rather than one per row).
     */
    public static void fillRows(Buf z, int off, int rows, int cols, Buf bias) {
        if (rows <= 0) {
            return;
        }
        Buf.copy(bias, 0, z, off, cols);
        for (int done = 1; done < rows; done *= 2) {
            Buf.copy(z, off, z, off + done * cols, Math.min(done, rows - done) * cols);
        }
    }

    /**
     * {@code z[i] = tanh(z[i])} in place for {@code i < n}. FLOAT uses a rational approximation (max error
     * about 3e-7, below float resolution near 1) on heap chunks, where C2 vectorises it; DOUBLE uses
     * {@link Math#tanh} so that finite-difference checks see the exact function.
     */
    public static void tanhInPlace(Buf z, int n) {
        tanhInPlace(z, 0, n);
    }

    /** As {@link #tanhInPlace(Buf, int)} on elements {@code [off, off+n)}. */
    public static void tanhInPlace(Buf z, int off, int n) {
        if (z instanceof Buf.F fz) {
            int chunks = (n + CHUNK - 1) / CHUNK;
            Parallel.forRange(chunks, 8, (from, to) -> {
                float[] chunk = FLOAT_ROWS.get(0, CHUNK);
                for (int ci = from; ci < to; ci++) {
                    int o = off + ci * CHUNK;
                    int len = Math.min(CHUNK, off + n - o);
                    fz.get(o, chunk, 0, len);
                    tanhFloat(chunk, len);
                    fz.set(o, chunk, 0, len);
                }
            });
        } else {
            for (int i = off; i < off + n; i++) {
                z.set(i, Math.tanh(z.get(i)));
            }
        }
    }

    /** {@code a[i] = tanh(a[i])} for {@code i < n} on a heap array, as {@link #tanhInPlace(Buf, int, int)} does in FLOAT. */
    public static void tanhInPlace(float[] a, int n) {
        tanhFloat(a, n);
    }

    /**
     * The Vector API form of ComiRec-SA's hidden backward for a pair of rows (see
     * {@code VectorKernels.pairBackward4}); returns false, doing nothing, when the Vector API is not in
     * use, so that the caller runs its scalar form, whose results are the same bit for bit.
     */
    public static boolean pairBackward4(float[] y1, float[] g1, float[] y2, float[] g2, int h, float[][] w2,
                                        float[][] dw2, float[] db1, float[] dt1, float[] dt2, float[] dh1, float[] dh2) {
        VectorKernels vk = Simd.KERNELS;
        if (vk == null) {
            return false;
        }
        vk.pairBackward4(y1, g1, y2, g2, h, w2, dw2, db1, dt1, dt2, dh1, dh2);
        return true;
    }

    /**
     * A user's four interests from its attention: {@code out[k d + j] = sum_{t < len} a[4 t + k] x[t d + j]}
     * ({@code V = A^T X} with A [len, 4] and X [len, d] row-major, V [4, d]). Plain loops without the
     * Vector API.
     */
    public static void weightedSums4(float[] x, int len, int d, float[] a, float[] out) {
        VectorKernels vk = Simd.KERNELS;
        if (vk != null) {
            vk.weightedSums4(x, len, d, a, out);
            return;
        }
        java.util.Arrays.fill(out, 0, 4 * d, 0f);
        for (int t = 0; t < len; t++) {
            for (int k = 0; k < 4; k++) {
                float c = a[4 * t + k];
                for (int j = 0; j < d; j++) {
                    out[k * d + j] += c * x[t * d + j];
                }
            }
        }
    }

    /** {@code out[4 t + k] = x[t d ..] . g[k d ..]} over d elements for t &lt; len, k = 0..3 ({@code X G^T}). */
    public static void rowDots4(float[] x, int len, int d, float[] g, float[] out) {
        VectorKernels vk = Simd.KERNELS;
        if (vk != null) {
            vk.rowDots4(x, len, d, g, out);
            return;
        }
        for (int t = 0; t < len; t++) {
            for (int k = 0; k < 4; k++) {
                float s = 0;
                for (int j = 0; j < d; j++) {
                    s += x[t * d + j] * g[k * d + j];
                }
                out[4 * t + k] = s;
            }
        }
    }

    /**
     * {@code out[t d + j] = (accumulate ? out[t d + j] : 0) + sum_k a[4 t + k] g[k d + j]} for t &lt; len
     * ({@code A G}, added to or replacing {@code out}).
     */
    public static void weightedRows4(float[] a, int len, float[] g, int d, float[] out, boolean accumulate) {
        VectorKernels vk = Simd.KERNELS;
        if (vk != null) {
            vk.weightedRows4(a, len, g, d, out, accumulate);
            return;
        }
        for (int t = 0; t < len; t++) {
            float c0 = a[4 * t], c1 = a[4 * t + 1], c2 = a[4 * t + 2], c3 = a[4 * t + 3];
            int o = t * d;
            for (int j = 0; j < d; j++) {
                float v = accumulate ? out[o + j] : 0f;
                out[o + j] = v + c0 * g[j] + c1 * g[d + j] + c2 * g[2 * d + j] + c3 * g[3 * d + j];
            }
        }
    }

    /**
     * {@code out[o + k stride] = row . w_k} for k = 0..3 over {@code n} elements: on the Vector API when
     * {@link Simd#vectorised()}, else four plain sums (the order of the additions differs between the two).
     */
    public static void dots4(float[] row, float[] w0, float[] w1, float[] w2, float[] w3, int n, float[] out, int o,
                             int stride) {
        VectorKernels vk = Simd.KERNELS;
        if (vk != null) {
            vk.dots4(row, w0, w1, w2, w3, n, out, o, stride);
            return;
        }
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int j = 0; j < n; j++) {
            float x = row[j];
            s0 += x * w0[j];
            s1 += x * w1[j];
            s2 += x * w2[j];
            s3 += x * w3[j];
        }
        out[o] = s0;
        out[o + stride] = s1;
        out[o + 2 * stride] = s2;
        out[o + 3 * stride] = s3;
    }

    /**
     * Whether the JIT turns {@link Math#fma} into an instruction; without hardware FMA it is a slow
     * software routine, so the plain form is used instead.
     */
    private static final boolean FMA = hardwareFma();

    private static boolean hardwareFma() {
        try {
            var bean = java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class);
            return bean != null && "true".equals(bean.getVMOption("UseFMA").getValue());
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** {@link #tanhFloat(float)} over {@code a[0..n)}, written as one flat loop so that C2 vectorises it. */
    static void tanhFloat(float[] a, int n) {
        VectorKernels vk = Simd.KERNELS;
        if (FMA && vk != null) {
            vk.tanhFma(a, n); // the same operations, so the same bits, about a sixth faster
        } else if (FMA) {
            tanhFloatFma(a, n);
        } else {
            tanhFloatPlain(a, n);
        }
    }

    /** {@link #tanhFloat(float[], int)} without fused multiply-adds. */
    static void tanhFloatPlain(float[] a, int n) {
        final float clamp = 7.90531110763549805f;
        for (int i = 0; i < n; i++) {
            float xc = Math.max(-clamp, Math.min(clamp, a[i]));
            float x2 = xc * xc;
            float p = -2.76076847742355e-16f;
            p = p * x2 + 2.00018790482477e-13f;
            p = p * x2 + -8.60467152213735e-11f;
            p = p * x2 + 5.12229709037114e-08f;
            p = p * x2 + 1.48572235717979e-05f;
            p = p * x2 + 6.37261928875436e-04f;
            p = p * x2 + 4.89352455891786e-03f;
            p = p * xc;
            float q = 1.19825839466702e-06f;
            q = q * x2 + 1.18534705686654e-04f;
            q = q * x2 + 2.26843463243900e-03f;
            q = q * x2 + 4.89352518554385e-03f;
            a[i] = p / q;
        }
    }

    /** {@link #tanhFloat(float[], int)} with fused multiply-adds (same polynomial). */
    static void tanhFloatFma(float[] a, int n) {
        tanhFloatFma(a, 0, n);
    }

    /** {@link #tanhFloatFma(float[], int)} on {@code a[from..to)} (also the Vector API form's tail). */
    static void tanhFloatFma(float[] a, int from, int to) {
        final float clamp = 7.90531110763549805f;
        for (int i = from; i < to; i++) {
            float xc = Math.max(-clamp, Math.min(clamp, a[i]));
            float x2 = xc * xc;
            float p = -2.76076847742355e-16f;
            p = Math.fma(p, x2, 2.00018790482477e-13f);
            p = Math.fma(p, x2, -8.60467152213735e-11f);
            p = Math.fma(p, x2, 5.12229709037114e-08f);
            p = Math.fma(p, x2, 1.48572235717979e-05f);
            p = Math.fma(p, x2, 6.37261928875436e-04f);
            p = Math.fma(p, x2, 4.89352455891786e-03f);
            p = p * xc;
            float q = 1.19825839466702e-06f;
            q = Math.fma(q, x2, 1.18534705686654e-04f);
            q = Math.fma(q, x2, 2.26843463243900e-03f);
            q = Math.fma(q, x2, 4.89352518554385e-03f);
            a[i] = p / q;
        }
    }

    /**
     * tanh for floats as a [13/6] rational function on the clamped argument (the Eigen/XLA fast tanh);
     * about four times faster than {@code (float) Math.tanh(x)} and within 3e-7 of it.
     */
    public static float tanhFloat(float x) {
        final float clamp = 7.90531110763549805f;
        float xc = x > clamp ? clamp : (x < -clamp ? -clamp : x);
        float x2 = xc * xc;
        float p = -2.76076847742355e-16f;
        p = p * x2 + 2.00018790482477e-13f;
        p = p * x2 + -8.60467152213735e-11f;
        p = p * x2 + 5.12229709037114e-08f;
        p = p * x2 + 1.48572235717979e-05f;
        p = p * x2 + 6.37261928875436e-04f;
        p = p * x2 + 4.89352455891786e-03f;
        p = p * xc;
        float q = 1.19825839466702e-06f;
        q = q * x2 + 1.18534705686654e-04f;
        q = q * x2 + 2.26843463243900e-03f;
        q = q * x2 + 4.89352518554385e-03f;
        return p / q;
    }

    /** {@code g[i] *= 1 - y[i]^2} for {@code i < n}: the tanh backward from its output {@code y}. */
    public static void tanhBackwardInPlace(Buf g, Buf y, int n) {
        tanhBackwardInPlace(g, y, 0, n);
    }

    /** As {@link #tanhBackwardInPlace(Buf, Buf, int)} on elements {@code [off, off+n)} of both. */
    public static void tanhBackwardInPlace(Buf g, Buf y, int off, int n) {
        if (g instanceof Buf.F fg && y instanceof Buf.F fy) {
            int chunks = (n + CHUNK - 1) / CHUNK;
            Parallel.forRange(chunks, 8, (from, to) -> {
                float[] gc = new float[CHUNK];
                float[] yc = new float[CHUNK];
                for (int ci = from; ci < to; ci++) {
                    int o = off + ci * CHUNK;
                    int len = Math.min(CHUNK, off + n - o);
                    fg.get(o, gc, 0, len);
                    fy.get(o, yc, 0, len);
                    for (int i = 0; i < len; i++) {
                        gc[i] = gc[i] * (1f - yc[i] * yc[i]);
                    }
                    fg.set(o, gc, 0, len);
                }
            });
        } else {
            for (int i = off; i < off + n; i++) {
                double v = y.get(i);
                g.set(i, g.get(i) * (1.0 - v * v));
            }
        }
    }

    /**
     * {@code out[outOff + j] += sum_r m[r, j]} over a row-major {@code rows x cols} block at offset 0, as a
     * BLAS product with {@code ones} (at least {@code rows} elements equal to 1).
     */
    public static void addColumnSums(Buf m, int rows, int cols, Buf ones, Buf out, int outOff) {
        Blas.gemv(true, rows, cols, 1.0, m, 0, cols, ones, 0, 1.0, out, outOff);
    }

    /** A vector of n ones of the given type. */
    public static Buf ones(org.nd4j.linalg.api.buffer.DataType type, int n) {
        Buf b = Buf.zeros(type, n);
        for (int i = 0; i < n; i++) {
            b.set(i, 1.0);
        }
        return b;
    }

    /** {@code x[r, j] += bias[j]} in place over a row-major {@code rows x cols} block. */
    public static void addBias(Buf x, int rows, int cols, Buf bias) {
        double[] bv = new double[cols];
        bias.get(0, bv, 0, cols);
        double[] row = new double[cols];
        for (int r = 0; r < rows; r++) {
            x.get(r * cols, row, 0, cols);
            for (int j = 0; j < cols; j++) {
                row[j] += bv[j];
            }
            x.set(r * cols, row, 0, cols);
        }
    }

    /**
     * {@code x[i] = max(x[i] + bias[i % cols], 0)} in place over a row-major {@code rows x cols} block (NaN
     * stays NaN). {@link Math#max} rather than a comparison: with mixed signs the branch mispredicts,
     * and C2 vectorises the intrinsic (0.5 against 1.6 ns per element here).
     */
    public static void addBiasRelu(Buf x, int rows, int cols, Buf bias) {
        // Row by row through heap arrays: element accessors on the native buffer cost several times more.
        double[] bv = new double[cols];
        bias.get(0, bv, 0, cols);
        double[] row = new double[cols];
        for (int r = 0; r < rows; r++) {
            x.get(r * cols, row, 0, cols);
            for (int j = 0; j < cols; j++) {
                row[j] = Math.max(row[j] + bv[j], 0.0);
            }
            x.set(r * cols, row, 0, cols);
        }
    }

    /** {@code g[i] = y[i] > 0 ? g[i] : 0}: the ReLU backward from its output {@code y}. */
    public static void reluBackwardInPlace(Buf g, Buf y, int n) {
        reluBackwardInPlace(g, y, 0, n);
    }

    /**
     * {@code g[i] = y[i] > 0 ? g[i] : 0} for {@code i} in {@code [off, off+n)}, where {@code y} is the
     * ReLU's output (NaN in {@code y} gives NaN). Computed as {@code g * ceil(min(max(y, 0), 1))}, which
     * is that step function without a branch (see {@link #addBiasRelu} on branches).
     */
    public static void reluBackwardInPlace(Buf g, Buf y, int off, int n) {
        if (g instanceof Buf.F gf && y instanceof Buf.F yf) {
            for (int o = 0; o < n; o += CHUNK) {
                int len = Math.min(CHUNK, n - o);
                float[] gr = FLOAT_ROWS.get(0, len), yr = FLOAT_ROWS.get(1, len);
                gf.get(off + o, gr, 0, len);
                yf.get(off + o, yr, 0, len);
                reluStepTimes(gr, yr, len);
                gf.set(off + o, gr, 0, len);
            }
            return;
        }
        final int chunk = 1024;
        double[] gr = new double[Math.min(chunk, Math.max(n, 1))];
        double[] yr = new double[gr.length];
        for (int o = 0; o < n; o += chunk) {
            int len = Math.min(chunk, n - o);
            g.get(off + o, gr, 0, len);
            y.get(off + o, yr, 0, len);
            for (int i = 0; i < len; i++) {
                gr[i] *= Math.ceil(Math.min(Math.max(yr[i], 0.0), 1.0));
            }
            g.set(off + o, gr, 0, len);
        }
    }

    /**
     * {@code g[i] *= step(y[i])} in float: the step as {@code min(max(y, 0) * 2^252, 1)}, which is 1 for
     * every positive float (the smallest, 2^-149, becomes 2^103), 0 for zero and below, NaN for NaN, in
     * operations C2 vectorises (the double form's {@code ceil} would need conversions).
     */
    static void reluStepTimes(float[] g, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            g[i] *= Math.min(Math.max(y[i], 0f) * 0x1p126f * 0x1p126f, 1f);
        }
    }

    /** Per-thread float chunks of the element-wise kernels on {@link Buf.F}. */
    private static final ThreadScratch.Floats FLOAT_ROWS = new ThreadScratch.Floats(2);

    /** {@code x[i] = max(x[i], 0)} (NaN stays NaN) for {@code i} in {@code [off, off+n)}; see {@link #addBiasRelu}. */
    public static void reluInPlace(Buf x, int off, int n) {
        if (x instanceof Buf.F xf) {
            for (int o = 0; o < n; o += CHUNK) {
                int len = Math.min(CHUNK, n - o);
                float[] xr = FLOAT_ROWS.get(0, len);
                xf.get(off + o, xr, 0, len);
                for (int i = 0; i < len; i++) {
                    xr[i] = Math.max(xr[i], 0f);
                }
                xf.set(off + o, xr, 0, len);
            }
            return;
        }
        final int chunk = 1024;
        double[] xr = new double[Math.min(chunk, Math.max(n, 1))];
        for (int o = 0; o < n; o += chunk) {
            int len = Math.min(chunk, n - o);
            x.get(off + o, xr, 0, len);
            for (int i = 0; i < len; i++) {
                xr[i] = Math.max(xr[i], 0.0);
            }
            x.set(off + o, xr, 0, len);
        }
    }

    /**
     * Capsule squash of a vector {@code s} (length d at {@code off}) into {@code v}:
     * {@code v = |s|^2 / (1 + |s|^2) * s / sqrt(|s|^2 + 1e-9)}, as in the ComiRec code.
     *
     * @return |s|^2
     */
    public static double squash(double[] s, int off, int d, double[] v, int vOff) {
        double n2 = dot(s, off, s, off, d);
        double f = squashScale(n2);
        for (int j = 0; j < d; j++) {
            v[vOff + j] = f * s[off + j];
        }
        return n2;
    }

    /** {@code a[ao..ao+n) . b[bo..bo+n)}: the Vector API's when in use, else one sum in element order. */
    private static double dot(double[] a, int ao, double[] b, int bo, int n) {
        VectorKernels vk = Simd.KERNELS;
        if (vk != null) {
            return vk.dot(a, ao, b, bo, n);
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            sum += a[ao + j] * b[bo + j];
        }
        return sum;
    }

    /** The factor {@code f(n2) = n2 / (1 + n2) / sqrt(n2 + 1e-9)} with {@code squash(s) = f(|s|^2) s}. */
    public static double squashScale(double n2) {
        return n2 / (1.0 + n2) / Math.sqrt(n2 + SQUASH_EPS);
    }

    /** Epsilon inside the square root of the squash, as in the ComiRec code. */
    public static final double SQUASH_EPS = 1e-9;

    /**
     * Backward of {@link #squash}: given {@code s} and {@code dv}, writes {@code ds}.
     * With {@code v = f(n2) s}: {@code ds = f dv + 2 f'(n2) (s . dv) s}.
     */
    public static void squashBackward(double[] s, int off, int d, double[] dv, int dvOff, double[] ds, int dsOff) {
        double n2 = dot(s, off, s, off, d);
        double sdv = dot(s, off, dv, dvOff, d);
        double f = squashScale(n2);
        double r = Math.sqrt(n2 + SQUASH_EPS);
        double onePlus = 1.0 + n2;
        // f = g * h with g = n2/(1+n2), h = (n2+eps)^(-1/2)
        double df = 1.0 / (onePlus * onePlus) / r - 0.5 * (n2 / onePlus) / (r * r * r);
        double coef = 2.0 * df * sdv;
        for (int j = 0; j < d; j++) {
            ds[dsOff + j] = f * dv[dvOff + j] + coef * s[off + j];
        }
    }

    /**
     * Transposes the row-major {@code [rows, cols]} matrix at {@code src[srcOff..]} into
     * {@code dst[dstOff..]} as {@code [cols, rows]}; the two ranges must not overlap.
     */
    public static void transpose(double[] src, int srcOff, int rows, int cols, double[] dst, int dstOff) {
        for (int r = 0; r < rows; r++) {
            int base = srcOff + r * cols;
            for (int c = 0; c < cols; c++) {
                dst[dstOff + c * rows + r] = src[base + c];
            }
        }
    }

    /**
     * The largest of {@code z[off .. off+n)}, or negative infinity when {@code n} is 0 (NaN is not
     * propagated). Eight running maxima keep the comparisons independent.
     */
    public static float max(float[] z, int off, int n) {
        float m0 = Float.NEGATIVE_INFINITY;
        float m1 = m0;
        float m2 = m0;
        float m3 = m0;
        float m4 = m0;
        float m5 = m0;
        float m6 = m0;
        float m7 = m0;
        int i = off;
        int end = off + n;
        for (; i + 8 <= end; i += 8) {
            m0 = z[i] > m0 ? z[i] : m0;
            m1 = z[i + 1] > m1 ? z[i + 1] : m1;
            m2 = z[i + 2] > m2 ? z[i + 2] : m2;
            m3 = z[i + 3] > m3 ? z[i + 3] : m3;
            m4 = z[i + 4] > m4 ? z[i + 4] : m4;
            m5 = z[i + 5] > m5 ? z[i + 5] : m5;
            m6 = z[i + 6] > m6 ? z[i + 6] : m6;
            m7 = z[i + 7] > m7 ? z[i + 7] : m7;
        }
        for (; i < end; i++) {
            m0 = z[i] > m0 ? z[i] : m0;
        }
        return Math.max(Math.max(Math.max(m0, m1), Math.max(m2, m3)), Math.max(Math.max(m4, m5), Math.max(m6, m7)));
    }

    /**
     * {@code z[i] = exp(z[i] - shift)} for {@code i} in {@code [off, off+n)}, returning the sum of the
     * results. Cephes' single-precision {@code expf} polynomial after a range reduction by powers of 2
     * (relative error below 2e-7 against {@link Math#exp}). Arguments above 88 are taken as 88; below
     * -87.3 (including negative infinity) give about 1.2e-38 instead of a smaller value or 0, so callers
     * that need an exact 0 set it afterwards.
     *
     * <p>Two passes because C2 vectorises the polynomial but not the bit reinterpretation that makes
     * {@code 2^k}: the first pass (vectorised) leaves the polynomial in {@code z} and {@code k} in the
     * scratch array {@code ks} (at least {@code off + n} long, indexed like {@code z}; elements
     * {@code [off, off+n)} are overwritten), the second scales and sums; about 3 ns per element here
     * against 17 for {@link Math#exp} in double.
     */
    public static double expShiftInPlace(float[] z, int off, int n, float shift, float[] ks) {
        int end = off + n;
        if (ks.length < end) {
            throw new IllegalArgumentException("scratch holds " + ks.length + " elements, needs " + end);
        }
        // z and the scratch share their index: with different offsets C2 cannot align both and does not vectorise.
        for (int i = off; i < end; i++) {
            float x = Math.max(-87.3f, Math.min(88.0f, z[i] - shift));
            float big = x * 1.44269504f + 12582912f; // x / ln 2 rounded to an integer, in the low mantissa bits
            float fn = big - 12582912f;
            float r = x - fn * 0.693359375f;
            r -= fn * -2.12194440e-4f;
            float p = 1.9875691500e-4f;
            p = p * r + 1.3981999507e-3f;
            p = p * r + 8.3334519073e-3f;
            p = p * r + 4.1665795894e-2f;
            p = p * r + 1.6666665459e-1f;
            p = p * r + 5.0000001201e-1f;
            z[i] = p * r * r + r + 1f;
            ks[i] = fn;
        }
        // Four partial sums keep the additions independent.
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = off;
        for (; i + 4 <= end; i += 4) {
            float e0 = z[i] * Float.intBitsToFloat(((int) ks[i] + 127) << 23);
            float e1 = z[i + 1] * Float.intBitsToFloat(((int) ks[i + 1] + 127) << 23);
            float e2 = z[i + 2] * Float.intBitsToFloat(((int) ks[i + 2] + 127) << 23);
            float e3 = z[i + 3] * Float.intBitsToFloat(((int) ks[i + 3] + 127) << 23);
            z[i] = e0;
            z[i + 1] = e1;
            z[i + 2] = e2;
            z[i + 3] = e3;
            s0 += e0;
            s1 += e1;
            s2 += e2;
            s3 += e3;
        }
        for (; i < end; i++) {
            float e = z[i] * Float.intBitsToFloat(((int) ks[i] + 127) << 23);
            z[i] = e;
            s0 += e;
        }
        return (s0 + s1) + (s2 + s3);
    }
}
