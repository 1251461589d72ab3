package dev.eimf.internal.ibim;

import static dev.eimf.internal.ibim.EncoderTestSupport.B;
import static dev.eimf.internal.ibim.EncoderTestSupport.D;
import static dev.eimf.internal.ibim.EncoderTestSupport.K;
import static dev.eimf.internal.ibim.EncoderTestSupport.MASK;
import static dev.eimf.internal.ibim.EncoderTestSupport.T;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Central finite differences in double precision against the hand-written backward passes: every entry
 * of every parameter gradient and of dX, with padded histories and random upstream gradients
 * (loss = sum(V * G)).
 */
class GradientCheckTest {

    private static final double H = 1e-6;
    private static final double REL_TOL = 1e-5;
    private static final double ABS_TOL = 1e-8;
    private static final long ROUTING_SEED = 99;

    @Test
    void selfAttentive() {
        EncoderConfig cfg = EncoderTestSupport.small(EncoderType.SA, DataType.DOUBLE).build();
        InterestEncoder enc = Encoders.create(cfg, new SplittableRandom(1));
        // larger positions than the default init so that their gradient is not negligible
        enc.parameters().get(0).value().muli(20);
        check(enc, (x, m) -> enc.forward(x, m, true, null).interests(),
                (x, m) -> enc.forward(x, m, true, null), 1.0);
    }

    @ParameterizedTest(name = "{0} iterations={1} relu={2}")
    @CsvSource({"DR,1,false", "DR,3,false", "DR,3,true", "MIND,1,true", "MIND,3,true", "MIND,3,false", "MIND,2,true"})
    void capsules(EncoderType type, int iterations, boolean relu) {
        EncoderConfig cfg = EncoderTestSupport.small(type, DataType.DOUBLE)
                .routingIterations(iterations).reluProjection(relu).build();
        CapsuleEncoder enc = (CapsuleEncoder) Encoders.create(cfg, new SplittableRandom(2));
        if (type == EncoderType.MIND) {
            // a larger shared map keeps the capsules out of the flat start of the squash
            enc.parameters().get(0).value().muli(3);
            enc.parameters().get(1).value().assign(EncoderTestSupport.gaussian(5, DataType.DOUBLE, D).muli(0.3));
        }
        INDArray x0 = EncoderTestSupport.input(MASK, D, 0.5, 3, DataType.DOUBLE);
        INDArray m = EncoderTestSupport.mask(MASK, DataType.DOUBLE);
        CapsuleEncoder.CapsulePass pass = enc.forward(x0, m, new SplittableRandom(ROUTING_SEED), null);
        double[] coupling = pass.couplingArray();
        if (iterations == 1) {
            // one iteration: no stop-gradient involved, so the backward is the true derivative
            check(enc, (x, mm) -> enc.forward(x, mm, true, new SplittableRandom(ROUTING_SEED)).interests(),
                    (x, mm) -> enc.forward(x, mm, true, new SplittableRandom(ROUTING_SEED)), 0.5);
        } else {
            // the frozen-coupling forward is the function the backward differentiates; first, it must
            // reproduce the routed pass exactly
            INDArray routed = pass.interests().dup();
            INDArray frozen = enc.forward(x0, m, new SplittableRandom(ROUTING_SEED), coupling).interests();
            assertArrayEquals(EncoderTestSupport.flat(routed), EncoderTestSupport.flat(frozen), 1e-12);
            check(enc, (x, mm) -> enc.forward(x, mm, new SplittableRandom(ROUTING_SEED), coupling).interests(),
                    (x, mm) -> enc.forward(x, mm, new SplittableRandom(ROUTING_SEED), null), 0.5);
        }
    }

    interface Fwd {
        INDArray apply(INDArray x, INDArray mask);
    }

    interface PassFwd {
        InterestEncoder.Pass apply(INDArray x, INDArray mask);
    }

    private static void check(InterestEncoder enc, Fwd f, PassFwd pf, double xScale) {
        INDArray m = EncoderTestSupport.mask(MASK, DataType.DOUBLE);
        INDArray x = EncoderTestSupport.input(MASK, D, xScale, 3, DataType.DOUBLE);
        INDArray g = EncoderTestSupport.gaussian(4, DataType.DOUBLE, B, K, D);
        Function<INDArray, Double> loss = xx -> f.apply(xx, m).mul(g).sumNumber().doubleValue();

        EncoderTestSupport.zeroGrads(enc);
        InterestEncoder.Pass pass = pf.apply(x, m);
        INDArray dx = pass.backward(g).dup();

        List<String> failures = new ArrayList<>();
        int[] counted = new int[1];
        for (Param p : enc.parameters()) {
            compare(p.name(), p.grad(), p.value(), () -> loss.apply(x), failures, counted);
        }
        compare("x", dx, x, () -> loss.apply(x), failures, counted);
        assertTrue(failures.isEmpty(), failures.size() + " mismatches, first: "
                + failures.subList(0, Math.min(10, failures.size())));

        // dX is zero at padded positions, and the check is not vacuous
        double[] dxf = EncoderTestSupport.flat(dx);
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                for (int j = 0; j < D; j++) {
                    if (MASK[b][t] == 0) {
                        assertEquals(0.0, dxf[(b * T + t) * D + j], 0.0);
                    }
                }
            }
        }
        assertTrue(counted[0] > 20, "too few non-negligible gradient entries: " + counted[0]);
    }

    private static void compare(String name, INDArray analytic, INDArray target,
                                java.util.function.Supplier<Double> loss, List<String> failures, int[] counted) {
        double[] a = EncoderTestSupport.flat(analytic);
        INDArray flatTarget = target.reshape(target.length());
        for (int i = 0; i < a.length; i++) {
            double old = flatTarget.getDouble(i);
            flatTarget.putScalar(i, old + H);
            double lp = loss.get();
            flatTarget.putScalar(i, old - H);
            double lm = loss.get();
            flatTarget.putScalar(i, old);
            double num = (lp - lm) / (2 * H);
            double diff = Math.abs(num - a[i]);
            double scale = Math.max(Math.abs(num), Math.abs(a[i]));
            if (scale > 1e-4) {
                counted[0]++;
            }
            if (diff > REL_TOL * scale + ABS_TOL) {
                failures.add(name + "[" + i + "] analytic=" + a[i] + " numeric=" + num);
            }
        }
    }
}
