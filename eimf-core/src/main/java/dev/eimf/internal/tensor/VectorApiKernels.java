package dev.eimf.internal.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorKernels} on the Java Vector API. Only {@link Simd} names this class, by reflection, and
 * only when {@code jdk.incubator.vector} is in the boot layer; nothing else may refer to it, or the class
 * loader would need the module everywhere.
 *
 * <p>The species are fixed at 256 bits rather than the platform's preferred size, so that the order of
 * the additions, and with it every rounding, is the same on every machine that runs this class.
 */
final class VectorApiKernels implements VectorKernels {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_256;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;

    /**
     * Fails where 256-bit vectors would be emulated (slower than the scalar loops they replace).
     *
     * @throws UnsupportedOperationException on hardware with narrower vectors
     */
    VectorApiKernels() {
        if (DoubleVector.SPECIES_PREFERRED.vectorBitSize() < 256) {
            throw new UnsupportedOperationException("preferred vectors are "
                    + DoubleVector.SPECIES_PREFERRED.vectorBitSize() + " bits, below 256");
        }
    }

    @Override
    public void dots4(double[] u, double[] v0, double[] v1, double[] v2, double[] v3, int d, double[] out, int o,
                      int stride) {
        DoubleVector a0 = DoubleVector.zero(D), a1 = a0, a2 = a0, a3 = a0;
        int j = 0;
        for (int bound = D.loopBound(d); j < bound; j += D.length()) {
            DoubleVector x = DoubleVector.fromArray(D, u, j);
            a0 = x.fma(DoubleVector.fromArray(D, v0, j), a0);
            a1 = x.fma(DoubleVector.fromArray(D, v1, j), a1);
            a2 = x.fma(DoubleVector.fromArray(D, v2, j), a2);
            a3 = x.fma(DoubleVector.fromArray(D, v3, j), a3);
        }
        double s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        double s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; j < d; j++) {
            double x = u[j];
            s0 += x * v0[j];
            s1 += x * v1[j];
            s2 += x * v2[j];
            s3 += x * v3[j];
        }
        out[o] += s0;
        out[o + stride] += s1;
        out[o + 2 * stride] += s2;
        out[o + 3 * stride] += s3;
    }

    /**
     * Eight accumulators (two vectors of each capsule) stay in registers over all positions: with one
     * vector per capsule the loop waited on the four chains of fused multiply-adds.
     */
    @Override
    public void capsules4(double[][] uu, double[] c, int n, double[][] s, int d) {
        double[] s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3];
        final int w = D.length();
        int j = 0;
        for (; j + 2 * w <= d; j += 2 * w) {
            DoubleVector a0 = DoubleVector.zero(D), a1 = a0, a2 = a0, a3 = a0;
            DoubleVector b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            for (int i = 0; i < n; i++) {
                double[] ui = uu[i];
                DoubleVector x = DoubleVector.fromArray(D, ui, j), y = DoubleVector.fromArray(D, ui, j + w);
                DoubleVector c0 = DoubleVector.broadcast(D, c[i]), c1 = DoubleVector.broadcast(D, c[n + i]);
                DoubleVector c2 = DoubleVector.broadcast(D, c[2 * n + i]), c3 = DoubleVector.broadcast(D, c[3 * n + i]);
                a0 = x.fma(c0, a0);
                b0 = y.fma(c0, b0);
                a1 = x.fma(c1, a1);
                b1 = y.fma(c1, b1);
                a2 = x.fma(c2, a2);
                b2 = y.fma(c2, b2);
                a3 = x.fma(c3, a3);
                b3 = y.fma(c3, b3);
            }
            a0.intoArray(s0, j);
            b0.intoArray(s0, j + w);
            a1.intoArray(s1, j);
            b1.intoArray(s1, j + w);
            a2.intoArray(s2, j);
            b2.intoArray(s2, j + w);
            a3.intoArray(s3, j);
            b3.intoArray(s3, j + w);
        }
        for (; j < d; j++) {
            double t0 = 0, t1 = 0, t2 = 0, t3 = 0;
            for (int i = 0; i < n; i++) {
                double x = uu[i][j];
                t0 = Math.fma(x, c[i], t0);
                t1 = Math.fma(x, c[n + i], t1);
                t2 = Math.fma(x, c[2 * n + i], t2);
                t3 = Math.fma(x, c[3 * n + i], t3);
            }
            s0[j] = t0;
            s1[j] = t1;
            s2[j] = t2;
            s3[j] = t3;
        }
    }

    /** Two vectors of partial sums, to halve the chain of dependent fused multiply-adds. */
    @Override
    public double dot(double[] a, int ao, double[] b, int bo, int n) {
        final int w = D.length();
        DoubleVector p = DoubleVector.zero(D), q = p;
        int j = 0;
        for (; j + 2 * w <= n; j += 2 * w) {
            p = DoubleVector.fromArray(D, a, ao + j).fma(DoubleVector.fromArray(D, b, bo + j), p);
            q = DoubleVector.fromArray(D, a, ao + j + w).fma(DoubleVector.fromArray(D, b, bo + j + w), q);
        }
        double sum = p.add(q).reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) {
            sum += a[ao + j] * b[bo + j];
        }
        return sum;
    }

    @Override
    public void weightedSums4(float[] x, int len, int d, float[] a, float[] out) {
        final int w = F.length();
        int j = 0;
        for (; j + 2 * w <= d; j += 2 * w) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            for (int t = 0; t < len; t++) {
                FloatVector p = FloatVector.fromArray(F, x, t * d + j), q = FloatVector.fromArray(F, x, t * d + j + w);
                FloatVector c0 = FloatVector.broadcast(F, a[4 * t]), c1 = FloatVector.broadcast(F, a[4 * t + 1]);
                FloatVector c2 = FloatVector.broadcast(F, a[4 * t + 2]), c3 = FloatVector.broadcast(F, a[4 * t + 3]);
                a0 = p.fma(c0, a0);
                b0 = q.fma(c0, b0);
                a1 = p.fma(c1, a1);
                b1 = q.fma(c1, b1);
                a2 = p.fma(c2, a2);
                b2 = q.fma(c2, b2);
                a3 = p.fma(c3, a3);
                b3 = q.fma(c3, b3);
            }
            a0.intoArray(out, j);
            b0.intoArray(out, j + w);
            a1.intoArray(out, d + j);
            b1.intoArray(out, d + j + w);
            a2.intoArray(out, 2 * d + j);
            b2.intoArray(out, 2 * d + j + w);
            a3.intoArray(out, 3 * d + j);
            b3.intoArray(out, 3 * d + j + w);
        }
        for (; j < d; j++) {
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int t = 0; t < len; t++) {
                float v = x[t * d + j];
                s0 = Math.fma(a[4 * t], v, s0);
                s1 = Math.fma(a[4 * t + 1], v, s1);
                s2 = Math.fma(a[4 * t + 2], v, s2);
                s3 = Math.fma(a[4 * t + 3], v, s3);
            }
            out[j] = s0;
            out[d + j] = s1;
            out[2 * d + j] = s2;
            out[3 * d + j] = s3;
        }
    }

    @Override
    public void rowDots4(float[] x, int len, int d, float[] g, float[] out) {
        for (int t = 0; t < len; t++) {
            dots4(x, t * d, g, 0, g, d, g, 2 * d, g, 3 * d, d, out, 4 * t, 1);
        }
    }

    @Override
    public void weightedRows4(float[] a, int len, float[] g, int d, float[] out, boolean accumulate) {
        final int w = F.length();
        for (int t = 0; t < len; t++) {
            FloatVector c0 = FloatVector.broadcast(F, a[4 * t]), c1 = FloatVector.broadcast(F, a[4 * t + 1]);
            FloatVector c2 = FloatVector.broadcast(F, a[4 * t + 2]), c3 = FloatVector.broadcast(F, a[4 * t + 3]);
            int o = t * d, j = 0;
            // two loops rather than a choice of vector inside one: C2 keeps a vector that comes out of a
            // conditional as an object, and the operations on it fall back to plain Java
            if (accumulate) {
                for (; j + w <= d; j += w) {
                    FloatVector v = FloatVector.fromArray(F, out, o + j);
                    v = FloatVector.fromArray(F, g, j).fma(c0, v);
                    v = FloatVector.fromArray(F, g, d + j).fma(c1, v);
                    v = FloatVector.fromArray(F, g, 2 * d + j).fma(c2, v);
                    v = FloatVector.fromArray(F, g, 3 * d + j).fma(c3, v);
                    v.intoArray(out, o + j);
                }
            } else {
                for (; j + w <= d; j += w) {
                    FloatVector v = FloatVector.fromArray(F, g, j).mul(c0);
                    v = FloatVector.fromArray(F, g, d + j).fma(c1, v);
                    v = FloatVector.fromArray(F, g, 2 * d + j).fma(c2, v);
                    v = FloatVector.fromArray(F, g, 3 * d + j).fma(c3, v);
                    v.intoArray(out, o + j);
                }
            }
            for (; j < d; j++) {
                float v = accumulate ? out[o + j] : 0f;
                v = Math.fma(g[j], a[4 * t], v);
                v = Math.fma(g[d + j], a[4 * t + 1], v);
                v = Math.fma(g[2 * d + j], a[4 * t + 2], v);
                v = Math.fma(g[3 * d + j], a[4 * t + 3], v);
                out[o + j] = v;
            }
        }
    }

    /**
     * The clamp is two compares and blends rather than {@code min} and {@code max}: those keep Java's
     * rules for NaN and -0 with several instructions each. The result is the same, NaN and -0 included, as
     * NaN compares false and -0 lies inside the clamp.
     */
    @Override
    public void tanhFma(float[] a, int n) {
        final float clamp = 7.90531110763549805f;
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector x = FloatVector.fromArray(F, a, i);
            FloatVector xc = x.blend(clamp, x.compare(VectorOperators.GT, clamp))
                    .blend(-clamp, x.compare(VectorOperators.LT, -clamp));
            FloatVector x2 = xc.mul(xc);
            FloatVector p = x2.fma(-2.76076847742355e-16f, 2.00018790482477e-13f);
            p = p.fma(x2, FloatVector.broadcast(F, -8.60467152213735e-11f));
            p = p.fma(x2, FloatVector.broadcast(F, 5.12229709037114e-08f));
            p = p.fma(x2, FloatVector.broadcast(F, 1.48572235717979e-05f));
            p = p.fma(x2, FloatVector.broadcast(F, 6.37261928875436e-04f));
            p = p.fma(x2, FloatVector.broadcast(F, 4.89352455891786e-03f));
            p = p.mul(xc);
            FloatVector q = x2.fma(1.19825839466702e-06f, 1.18534705686654e-04f);
            q = q.fma(x2, FloatVector.broadcast(F, 2.26843463243900e-03f));
            q = q.fma(x2, FloatVector.broadcast(F, 4.89352518554385e-03f));
            p.div(q).intoArray(a, i);
        }
        Kernels.tanhFloatFma(a, i, n);
    }

    @Override
    public void pairBackward4(float[] y1, float[] g1, float[] y2, float[] g2, int h, float[][] w2, float[][] dw2,
                              float[] db1, float[] dt1, float[] dt2, float[] dh1, float[] dh2) {
        final float[] w0 = w2[0], w1 = w2[1], w2r = w2[2], w3 = w2[3];
        final float[] a0 = dw2[0], a1 = dw2[1], a2 = dw2[2], a3 = dw2[3];
        final float g10 = g1[0], g11 = g1[1], g12 = g1[2], g13 = g1[3];
        final float g20 = g2[0], g21 = g2[1], g22 = g2[2], g23 = g2[3];
        final boolean dt = dt1 != null;
        int j = 0;
        for (int bound = F.loopBound(h); j < bound; j += F.length()) {
            FloatVector u = FloatVector.fromArray(F, y1, j), v = FloatVector.fromArray(F, y2, j);
            FloatVector c0 = FloatVector.fromArray(F, w0, j), c1 = FloatVector.fromArray(F, w1, j);
            FloatVector c2 = FloatVector.fromArray(F, w2r, j), c3 = FloatVector.fromArray(F, w3, j);
            FloatVector d1 = c0.mul(g10).add(c1.mul(g11)).add(c2.mul(g12)).add(c3.mul(g13));
            FloatVector d2 = c0.mul(g20).add(c1.mul(g21)).add(c2.mul(g22)).add(c3.mul(g23));
            FloatVector.fromArray(F, a0, j).add(u.mul(g10)).add(v.mul(g20)).intoArray(a0, j);
            FloatVector.fromArray(F, a1, j).add(u.mul(g11)).add(v.mul(g21)).intoArray(a1, j);
            FloatVector.fromArray(F, a2, j).add(u.mul(g12)).add(v.mul(g22)).intoArray(a2, j);
            FloatVector.fromArray(F, a3, j).add(u.mul(g13)).add(v.mul(g23)).intoArray(a3, j);
            d1 = d1.mul(FloatVector.broadcast(F, 1f).sub(u.mul(u)));
            d2 = d2.mul(FloatVector.broadcast(F, 1f).sub(v.mul(v)));
            d1.intoArray(dh1, j);
            d2.intoArray(dh2, j);
            FloatVector.fromArray(F, db1, j).add(d1).add(d2).intoArray(db1, j);
            if (dt) {
                FloatVector.fromArray(F, dt1, j).add(d1).intoArray(dt1, j);
                FloatVector.fromArray(F, dt2, j).add(d2).intoArray(dt2, j);
            }
        }
        for (; j < h; j++) {
            float d1 = g10 * w0[j];
            d1 += g11 * w1[j];
            d1 += g12 * w2r[j];
            d1 += g13 * w3[j];
            float d2 = g20 * w0[j];
            d2 += g21 * w1[j];
            d2 += g22 * w2r[j];
            d2 += g23 * w3[j];
            a0[j] = (a0[j] + g10 * y1[j]) + g20 * y2[j];
            a1[j] = (a1[j] + g11 * y1[j]) + g21 * y2[j];
            a2[j] = (a2[j] + g12 * y1[j]) + g22 * y2[j];
            a3[j] = (a3[j] + g13 * y1[j]) + g23 * y2[j];
            d1 = d1 * (1f - y1[j] * y1[j]);
            d2 = d2 * (1f - y2[j] * y2[j]);
            dh1[j] = d1;
            dh2[j] = d2;
            db1[j] += d1;
            db1[j] += d2;
            if (dt) {
                dt1[j] += d1;
                dt2[j] += d2;
            }
        }
    }

    /** Four positions per vector; the exponential is the Vector API's (an intrinsic on x86). */
    @Override
    public void softmax4(double[] logits, double[] c, int n) {
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector l0 = DoubleVector.fromArray(D, logits, i), l1 = DoubleVector.fromArray(D, logits, n + i);
            DoubleVector l2 = DoubleVector.fromArray(D, logits, 2 * n + i);
            DoubleVector l3 = DoubleVector.fromArray(D, logits, 3 * n + i);
            DoubleVector m = l0.max(l1).max(l2).max(l3);
            DoubleVector e0 = l0.sub(m).lanewise(VectorOperators.EXP), e1 = l1.sub(m).lanewise(VectorOperators.EXP);
            DoubleVector e2 = l2.sub(m).lanewise(VectorOperators.EXP), e3 = l3.sub(m).lanewise(VectorOperators.EXP);
            DoubleVector sum = e0.add(e1).add(e2).add(e3);
            e0.div(sum).intoArray(c, i);
            e1.div(sum).intoArray(c, n + i);
            e2.div(sum).intoArray(c, 2 * n + i);
            e3.div(sum).intoArray(c, 3 * n + i);
        }
        for (; i < n; i++) {
            double l0 = logits[i], l1 = logits[n + i], l2 = logits[2 * n + i], l3 = logits[3 * n + i];
            double m = Math.max(Math.max(Math.max(l0, l1), l2), l3);
            double e0 = Math.exp(l0 - m), e1 = Math.exp(l1 - m), e2 = Math.exp(l2 - m), e3 = Math.exp(l3 - m);
            double sum = ((e0 + e1) + e2) + e3;
            c[i] = e0 / sum;
            c[n + i] = e1 / sum;
            c[2 * n + i] = e2 / sum;
            c[3 * n + i] = e3 / sum;
        }
    }

    @Override
    public void dots4(float[] row, float[] w0, float[] w1, float[] w2, float[] w3, int n, float[] out, int o,
                      int stride) {
        dots4(row, 0, w0, 0, w1, 0, w2, 0, w3, 0, n, out, o, stride);
    }

    /** The float {@link #dots4} with the row and the four vectors at offsets into their arrays. */
    private static void dots4(float[] x, int xo, float[] w0, int o0, float[] w1, int o1, float[] w2, int o2,
                              float[] w3, int o3, int n, float[] out, int o, int stride) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, xo + j);
            a0 = v.fma(FloatVector.fromArray(F, w0, o0 + j), a0);
            a1 = v.fma(FloatVector.fromArray(F, w1, o1 + j), a1);
            a2 = v.fma(FloatVector.fromArray(F, w2, o2 + j), a2);
            a3 = v.fma(FloatVector.fromArray(F, w3, o3 + j), a3);
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) {
            float v = x[xo + j];
            s0 += v * w0[o0 + j];
            s1 += v * w1[o1 + j];
            s2 += v * w2[o2 + j];
            s3 += v * w3[o3 + j];
        }
        out[o] = s0;
        out[o + stride] = s1;
        out[o + 2 * stride] = s2;
        out[o + 3 * stride] = s3;
    }
}
