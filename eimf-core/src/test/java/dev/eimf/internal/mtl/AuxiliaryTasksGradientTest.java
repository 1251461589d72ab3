package dev.eimf.internal.mtl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

import dev.eimf.internal.ibim.Param;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every hand-written backward pass against central finite differences in double precision. */
class AuxiliaryTasksGradientTest {
    private static final double H = 1e-6;
    private static final double TOL = 1e-5;

    private static AuxTasksConfig.Builder base() {
        return AuxTasksConfig.builder().dataType(DataType.DOUBLE);
    }

    @Test
    void alignmentGradientsAllNegatives() {
        check(base().lambdaAlign(1).semanticEnabled(false).build(), false, true, false);
    }

    @Test
    void alignmentGradientsMatchedNegativesHungarianNoSourceExclusion() {
        check(base().lambdaAlign(1).semanticEnabled(false).negatives(NegativeSet.MATCHED)
                .matching(Matching.HUNGARIAN).excludeSameSource(false).tau(0.3).build(), true, true, false);
    }

    @Test
    void semanticPredictionGradients() {
        check(base().lambdaSemantic(1).alignEnabled(false).build(), false, false, true);
    }

    @Test
    void semanticPredictionGradientsWiderHeadHungarian() {
        check(base().lambdaSemantic(1).alignEnabled(false).headHidden(7).matching(Matching.HUNGARIAN).build(),
                true, false, true);
    }

    @Test
    void semanticPredictionGradientsCentredTargets() {
        check(base().lambdaSemantic(1).alignEnabled(false).centerTargets(true).build(), false, false, true);
    }

    @Test
    void itemAlignmentGradients() {
        SplittableRandom rng = new SplittableRandom(13);
        AuxiliaryTasks aux = new AuxiliaryTasks(base().lambdaItem(1).tau(0.2).build(), MtlFixtures.D_SMALL,
                MtlFixtures.D_BIG, 6L);
        for (Param p : aux.parameters()) {
            p.value().addi(Nd4j.createFromArray(gaussian(rng, (int) p.value().length())).reshape(p.value().shape()).muli(0.2));
        }
        int n = 5;
        double[][] e = new double[n][];
        float[][] t = new float[n][MtlFixtures.D_BIG];
        for (int r = 0; r < n; r++) {
            e[r] = gaussian(rng, MtlFixtures.D_SMALL);
            for (int i = 0; i < t[r].length; i++) {
                t[r][i] = (float) rng.nextGaussian();
            }
        }
        aux.zeroGradients();
        double[][] dE = new double[n][MtlFixtures.D_SMALL];
        double scale = 0.7;
        double loss = aux.alignItems(e, t, scale, dE);
        assertTrue(loss > 0, "loss " + loss);
        DoubleSupplier f = () -> scale * aux.alignItems(e, t, 0, null);
        assertEquals(scale * loss, f.getAsDouble(), 1e-12);
        List<String> failures = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < MtlFixtures.D_SMALL; c++) {
                double orig = e[r][c];
                e[r][c] = orig + H;
                double up = f.getAsDouble();
                e[r][c] = orig - H;
                double down = f.getAsDouble();
                e[r][c] = orig;
                double numeric = (up - down) / (2 * H);
                double err = Math.abs(dE[r][c] - numeric) / Math.max(Math.max(Math.abs(dE[r][c]), Math.abs(numeric)), 1e-4);
                if (err > TOL) {
                    failures.add("e[" + r + "][" + c + "] analytic " + dE[r][c] + " numeric " + numeric);
                }
            }
        }
        for (Param p : aux.parameters()) {
            compare(p.name(), p.value(), p.grad(), f, failures);
            double max = p.grad().amaxNumber().doubleValue();
            if (p.name().startsWith("mtl.g.")) {
                assertTrue(max > 1e-4, p.name() + " gradient is trivially zero: " + max);
            } else {
                assertEquals(0.0, max, 0.0, p.name() + " gets a gradient from item alignment");
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(0.0, aux.alignItems(new double[][] {e[0]}, new float[][] {t[0]}, 1, new double[1][MtlFixtures.D_SMALL]),
                0.0, "one item has no negative");
    }

    @Test
    void combinedWeightedLossGradients() {
        check(base().lambdaAlign(0.3).lambdaSemantic(0.7).build(), false, true, true);
    }

    @Test
    void combinedDefaultsGradients() {
        check(base().build(), true, true, true);
    }

    /**
     * Checks dV and every parameter gradient of {@code evaluate(...).loss()}; asserts that the gradients of the
     * parts that should move are not all zero, and that the parts that should not are exactly zero.
     */
    private static void check(AuxTasksConfig cfg, boolean square, boolean gMoves, boolean hMoves) {
        SplittableRandom rng = new SplittableRandom(square ? 11 : 12);
        AuxiliaryTasks aux = new AuxiliaryTasks(cfg, MtlFixtures.D_SMALL, MtlFixtures.D_BIG, 5L);
        if (cfg.centerTargets()) {
            float[] mean = new float[MtlFixtures.D_BIG];
            for (int i = 0; i < mean.length; i++) {
                mean[i] = (float) (0.3 * rng.nextGaussian());
            }
            aux.centreTargets(mean);
        }
        // Non-trivial biases and gains so that their gradients are exercised away from the initial point.
        for (Param p : aux.parameters()) {
            INDArray noise = Nd4j.createFromArray(gaussian(rng, (int) p.value().length()))
                    .reshape(p.value().shape()).muli(0.2);
            p.value().addi(noise);
        }
        SemanticBatch batch = square ? MtlFixtures.squareBatch(rng) : MtlFixtures.batch(rng);
        int b = batch.size();
        INDArray v = MtlFixtures.interests(rng, b, MtlFixtures.K, MtlFixtures.D_SMALL, DataType.DOUBLE);
        INDArray dV = Nd4j.zeros(DataType.DOUBLE, v.shape());
        aux.zeroGradients();
        AuxiliaryTasks.Result r = aux.forwardBackward(v, batch, dV);
        assertTrue(r.loss() > 0, "loss " + r.loss());

        DoubleSupplier f = () -> aux.evaluate(v, batch).loss();
        assertEquals(r.loss(), f.getAsDouble(), 1e-12, "evaluate and forwardBackward agree");
        List<String> failures = new ArrayList<>();
        compare("dV", v, dV, f, failures);
        assertTrue(dV.amaxNumber().doubleValue() > 1e-3, "dV is not trivially zero");
        for (Param p : aux.parameters()) {
            compare(p.name(), p.value(), p.grad(), f, failures);
            boolean moves = p.name().startsWith("mtl.g.") ? gMoves : hMoves;
            double max = p.grad().amaxNumber().doubleValue();
            if (moves) {
                assertTrue(max > 1e-4, p.name() + " gradient is trivially zero: " + max);
            } else {
                assertEquals(0.0, max, 0.0, p.name() + " gets a gradient from a disabled task");
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static double[] gaussian(SplittableRandom rng, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = rng.nextGaussian();
        }
        return out;
    }

    private static void compare(String name, INDArray x, INDArray analytic, DoubleSupplier f, List<String> failures) {
        for (long i = 0; i < x.length(); i++) {
            double orig = x.getDouble(i);
            x.putScalar(i, orig + H);
            double up = f.getAsDouble();
            x.putScalar(i, orig - H);
            double down = f.getAsDouble();
            x.putScalar(i, orig);
            double numeric = (up - down) / (2 * H);
            double a = analytic.getDouble(i);
            double err = Math.abs(a - numeric) / Math.max(Math.max(Math.abs(a), Math.abs(numeric)), 1e-4);
            if (err > TOL) {
                failures.add(name + "[" + i + "] analytic " + a + " numeric " + numeric + " rel err " + err);
            }
        }
    }
}
