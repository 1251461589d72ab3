package dev.eimf.tensor;

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
        for (int r = 0; r < rows; r++) {
            Buf.copy(bias, 0, z, r * cols, cols);
        }
    }

    /**
     * {@code z[i] = tanh(z[i])} in place for {@code i < n}. FLOAT uses a rational approximation (max error
     * about 3e-7, below float resolution near 1) on heap chunks, where C2 vectorises it; DOUBLE uses
     * {@link Math#tanh} so that finite-difference checks see the exact function.
     */
    public static void tanhInPlace(Buf z, int n) {
        if (z instanceof Buf.F fz) {
            int chunks = (n + CHUNK - 1) / CHUNK;
            Parallel.forRange(chunks, 8, (from, to) -> {
                float[] chunk = new float[CHUNK];
                for (int ci = from; ci < to; ci++) {
                    int off = ci * CHUNK;
                    int len = Math.min(CHUNK, n - off);
                    fz.get(off, chunk, 0, len);
                    tanhFloat(chunk, len);
                    fz.set(off, chunk, 0, len);
                }
            });
        } else {
            for (int i = 0; i < n; i++) {
                z.set(i, Math.tanh(z.get(i)));
            }
        }
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
        if (FMA) {
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
        final float clamp = 7.90531110763549805f;
        for (int i = 0; i < n; i++) {
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
        if (g instanceof Buf.F fg && y instanceof Buf.F fy) {
            int chunks = (n + CHUNK - 1) / CHUNK;
            Parallel.forRange(chunks, 8, (from, to) -> {
                float[] gc = new float[CHUNK];
                float[] yc = new float[CHUNK];
                for (int ci = from; ci < to; ci++) {
                    int off = ci * CHUNK;
                    int len = Math.min(CHUNK, n - off);
                    fg.get(off, gc, 0, len);
                    fy.get(off, yc, 0, len);
                    for (int i = 0; i < len; i++) {
                        gc[i] = gc[i] * (1f - yc[i] * yc[i]);
                    }
                    fg.set(off, gc, 0, len);
                }
            });
        } else {
            for (int i = 0; i < n; i++) {
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

    /** {@code x[i] = max(x[i] + bias[i % cols], 0)} in place over a row-major {@code rows x cols} block. */
    public static void addBiasRelu(Buf x, int rows, int cols, Buf bias) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int j = 0; j < cols; j++) {
                double v = x.get(o + j) + bias.get(j);
                x.set(o + j, v > 0 ? v : 0.0);
            }
        }
    }

    /** {@code g[i] = y[i] > 0 ? g[i] : 0}: the ReLU backward from its output {@code y}. */
    public static void reluBackwardInPlace(Buf g, Buf y, int n) {
        for (int i = 0; i < n; i++) {
            if (!(y.get(i) > 0)) {
                g.set(i, 0.0);
            }
        }
    }

    /**
     * Capsule squash of a vector {@code s} (length d at {@code off}) into {@code v}:
     * {@code v = |s|^2 / (1 + |s|^2) * s / sqrt(|s|^2 + 1e-9)}, as in the ComiRec code.
     *
     * @return |s|^2
     */
    public static double squash(double[] s, int off, int d, double[] v, int vOff) {
        double n2 = 0;
        for (int j = 0; j < d; j++) {
            n2 += s[off + j] * s[off + j];
        }
        double f = squashScale(n2);
        for (int j = 0; j < d; j++) {
            v[vOff + j] = f * s[off + j];
        }
        return n2;
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
        double n2 = 0;
        double sdv = 0;
        for (int j = 0; j < d; j++) {
            n2 += s[off + j] * s[off + j];
            sdv += s[off + j] * dv[dvOff + j];
        }
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
}
