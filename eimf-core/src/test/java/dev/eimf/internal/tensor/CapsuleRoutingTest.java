package dev.eimf.internal.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@link CapsuleRouting} against a plain transcription of its class comment, for shared prediction
 * vectors (MIND) and per-interest ones (ComiRec-DR), with K = 4 (which takes fused loops for shared
 * vectors) and K = 3 (which does not), users with full, partial and empty histories.
 */
class CapsuleRoutingTest {

    @ParameterizedTest
    @CsvSource({"4, true", "3, true", "4, false", "3, false"})
    void routingMatchesItsDefinition(int K, boolean shared) {
        int B = 5, T = 7, d = 10, iterations = 3;
        int rowLen = shared ? d : K * d;
        SplittableRandom r = new SplittableRandom(11 + K);
        int[] rowOf = new int[B * T];
        int rows = 0;
        for (int b = 0; b < B; b++) {
            int len = b == 2 ? 0 : (b == 0 ? T : 1 + r.nextInt(T));
            for (int t = 0; t < T; t++) {
                rowOf[b * T + t] = t < len ? rows++ : -1;
            }
        }
        double[] uVals = new double[rows * rowLen];
        for (int i = 0; i < uVals.length; i++) {
            uVals[i] = r.nextGaussian();
        }
        double[] init = new double[B * K * T];
        for (int i = 0; i < init.length; i++) {
            init[i] = r.nextGaussian();
        }
        double[] dvVals = new double[B * K * d];
        for (int i = 0; i < dvVals.length; i++) {
            dvVals[i] = r.nextGaussian();
        }
        Buf u = Buf.zeros(DataType.DOUBLE, Math.max(1, rows), rowLen);
        u.set(0, uVals, 0, uVals.length);
        Buf v = Buf.zeros(DataType.DOUBLE, B, K, d);
        Buf dv = Buf.zeros(DataType.DOUBLE, B, K, d);
        dv.set(0, dvVals, 0, dvVals.length);
        Buf du = Buf.zeros(DataType.DOUBLE, Math.max(1, rows), rowLen);
        CapsuleRouting.Dims dims = new CapsuleRouting.Dims(B, T, K, d, rowLen, shared ? 0 : d);
        CapsuleRouting.Scratch sc = new CapsuleRouting.Scratch(dims);
        double[] coupling = new double[B * K * T];
        double[] s = new double[B * K * d];
        CapsuleRouting.forwardUsers(dims, u, rowOf, iterations, init, null, coupling, s, v, 0, B, sc);
        CapsuleRouting.backwardUsers(dims, rowOf, coupling, s, dv, du, 0, B, sc);

        double[] vGot = new double[B * K * d];
        v.get(0, vGot, 0, vGot.length);
        double[] duGot = new double[uVals.length];
        du.get(0, duGot, 0, duGot.length);
        for (int b = 0; b < B; b++) {
            // the definition, user by user
            double[][] logit = new double[K][T];
            double[][] c = new double[K][T];
            double[][] sk = new double[K][d];
            double[][] vk = new double[K][d];
            for (int k = 0; k < K; k++) {
                for (int t = 0; t < T; t++) {
                    logit[k][t] = init[(b * K + k) * T + t];
                }
            }
            for (int it = 0; it < iterations; it++) {
                for (int t = 0; t < T; t++) {
                    if (rowOf[b * T + t] < 0) {
                        continue;
                    }
                    double max = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < K; k++) {
                        max = Math.max(max, logit[k][t]);
                    }
                    double sum = 0;
                    for (int k = 0; k < K; k++) {
                        sum += Math.exp(logit[k][t] - max);
                    }
                    for (int k = 0; k < K; k++) {
                        c[k][t] = Math.exp(logit[k][t] - max) / sum;
                    }
                }
                for (int k = 0; k < K; k++) {
                    java.util.Arrays.fill(sk[k], 0.0);
                    for (int t = 0; t < T; t++) {
                        int row = rowOf[b * T + t];
                        if (row >= 0) {
                            for (int j = 0; j < d; j++) {
                                sk[k][j] += c[k][t] * uVals[row * rowLen + (shared ? 0 : k * d) + j];
                            }
                        }
                    }
                    double n2 = 0;
                    for (int j = 0; j < d; j++) {
                        n2 += sk[k][j] * sk[k][j];
                    }
                    double f = n2 / (1 + n2) / Math.sqrt(n2 + Kernels.SQUASH_EPS);
                    for (int j = 0; j < d; j++) {
                        vk[k][j] = f * sk[k][j];
                    }
                }
                if (it < iterations - 1) {
                    for (int k = 0; k < K; k++) {
                        for (int t = 0; t < T; t++) {
                            int row = rowOf[b * T + t];
                            if (row >= 0) {
                                double dot = 0;
                                for (int j = 0; j < d; j++) {
                                    dot += uVals[row * rowLen + (shared ? 0 : k * d) + j] * vk[k][j];
                                }
                                logit[k][t] += dot;
                            }
                        }
                    }
                }
            }
            for (int k = 0; k < K; k++) {
                for (int j = 0; j < d; j++) {
                    close(vk[k][j], vGot[(b * K + k) * d + j], "v", b, k, j, K, shared);
                    close(sk[k][j], s[(b * K + k) * d + j], "s", b, k, j, K, shared);
                }
                for (int t = 0; t < T; t++) {
                    double want = rowOf[b * T + t] < 0 ? 0.0 : c[k][t];
                    close(want, coupling[(b * K + k) * T + t], "coupling", b, k, t, K, shared);
                }
            }
            // backward: du[t,k] = c[k,t] squash'(s_k)^T dv_k, summed over k when the vectors are shared
            double[][] ds = new double[K][d];
            for (int k = 0; k < K; k++) {
                Kernels.squashBackward(sk[k], 0, d, dvVals, (b * K + k) * d, ds[k], 0);
            }
            for (int t = 0; t < T; t++) {
                int row = rowOf[b * T + t];
                if (row < 0) {
                    continue;
                }
                for (int k = 0; k < (shared ? 1 : K); k++) {
                    for (int j = 0; j < d; j++) {
                        double want = 0;
                        if (shared) {
                            for (int q = 0; q < K; q++) {
                                want += c[q][t] * ds[q][j];
                            }
                        } else {
                            want = c[k][t] * ds[k][j];
                        }
                        close(want, duGot[row * rowLen + k * d + j], "du", b, t, j, K, shared);
                    }
                }
            }
        }
    }

    private static void close(double want, double got, String what, int b, int i, int j, int K, boolean shared) {
        assertEquals(want, got, 1e-12 * Math.max(1, Math.abs(want)),
                what + " of user " + b + " at [" + i + ", " + j + "], K " + K + (shared ? " shared" : " per interest"));
    }
}
