package dev.eimf.internal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.eimf.internal.ibim.Param;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class OptimizerTest {
    private static final AdamConfig CFG = new AdamConfig(0.1, 0.9, 0.999, 1e-8);

    @Test
    void denseAdamMatchesHandComputedTwoSteps() {
        INDArray w = Nd4j.createFromArray(1.0, -2.0);
        INDArray g = Nd4j.createFromArray(0.5, -1.0);
        Param p = new Param("w", w, g);
        DenseAdam adam = new DenseAdam(CFG, List.of(p));
        adam.step(1);
        // m = (0.05, -0.1), v = (0.00025, 0.001), lr_1 = 0.1 * sqrt(0.001) / 0.1
        assertArrayEquals(new double[] {0.9000000632455132, -1.9000000316227665}, w.toDoubleVector(), 1e-13);
        g.assign(Nd4j.createFromArray(-0.2, 0.3));
        adam.step(2);
        assertArrayEquals(new double[] {0.8654394987576699, -1.8572151854374255}, w.toDoubleVector(), 1e-13);
        assertArrayEquals(new double[] {0.025, -0.06}, adam.firstMoment(0).toDoubleVector(), 1e-15);
        assertArrayEquals(new double[] {0.00028975, 0.001089}, adam.secondMoment(0).toDoubleVector(), 1e-15);
    }

    @Test
    void lazyTableAdamMatchesDenseOnTouchedRowsAndLeavesOthers() {
        INDArray table = Nd4j.createFromArray(new double[][] {{0, 0}, {1, -2}, {3, 4}, {5, 6}});
        INDArray before = table.dup();
        TableAdam adam = new TableAdam(CFG, TableAdam.Mode.LAZY, table);
        TableGradient g = new TableGradient(4, 2);
        g.add(1, new double[] {0.5, -1.0}, 0, 1.0);
        adam.step(1, g);
        assertArrayEquals(new double[] {0.9000000632455132, -1.9000000316227665}, table.getRow(1).toDoubleVector(), 1e-13);
        g.clear();
        g.add(1, new double[] {-0.2, 0.3}, 0, 1.0);
        g.add(3, new double[] {0.4, 0.0}, 0, 1.0);
        adam.step(2, g);
        assertArrayEquals(new double[] {0.8654394987576699, -1.8572151854374255}, table.getRow(1).toDoubleVector(), 1e-13);
        // Row 3 first touched at step 2: m = 0.04, v = 0.00016, lr_2 = 0.1 * sqrt(1 - 0.999^2) / (1 - 0.81).
        double lr2 = 0.1 * Math.sqrt(1 - 0.999 * 0.999) / (1 - 0.81);
        assertEquals(5 - lr2 * 0.04 / (Math.sqrt(0.00016) + 1e-8), table.getDouble(3, 0), 1e-13);
        assertEquals(6, table.getDouble(3, 1), 0); // zero gradient element: m = v = 0, no move
        assertArrayEquals(before.getRow(0).toDoubleVector(), table.getRow(0).toDoubleVector(), 0);
        assertArrayEquals(before.getRow(2).toDoubleVector(), table.getRow(2).toDoubleVector(), 0);
    }

    @Test
    void denseTableAdamMovesRowsWithMomentum() {
        INDArray table = Nd4j.createFromArray(new double[][] {{0, 0}, {1, -2}, {3, 4}});
        TableAdam adam = new TableAdam(CFG, TableAdam.Mode.DENSE, table);
        TableGradient g = new TableGradient(3, 2);
        g.add(1, new double[] {0.5, -1.0}, 0, 1.0);
        adam.step(1, g);
        g.clear();
        g.add(2, new double[] {0.1, 0.1}, 0, 1.0);
        double rowOneBefore = table.getDouble(1, 0);
        adam.step(2, g);
        // Row 1 got no gradient at step 2 but its decayed momentum still moves it (TF AdamOptimizer).
        double lr2 = 0.1 * Math.sqrt(1 - 0.999 * 0.999) / (1 - 0.81);
        double m = 0.9 * 0.05;
        double v = 0.999 * 0.00025;
        assertEquals(rowOneBefore - lr2 * m / (Math.sqrt(v) + 1e-8), table.getDouble(1, 0), 1e-13);
        assertNotEquals(3.0, table.getDouble(2, 0));
    }

    @Test
    void scatterSumsDuplicatesAndSkipsPadding() {
        int[] ids = {2, 0, 2, 1};
        INDArray dX = Nd4j.createFromArray(new double[] {1, 2, 10, 20, 3, 4, 5, 6}).reshape(2, 2, 2);
        TableGradient g = new TableGradient(3, 2);
        g.scatterHistories(ids, dX);
        assertArrayEquals(new int[] {2, 1}, g.rows());
        assertArrayEquals(new double[] {4, 6}, g.gradientOf(2), 0);
        assertArrayEquals(new double[] {5, 6}, g.gradientOf(1), 0);
        assertArrayEquals(new double[] {0, 0}, g.gradientOf(0), 0);
        INDArray vals = g.values(DataType.FLOAT);
        assertEquals(DataType.FLOAT, vals.dataType());
        assertArrayEquals(new float[] {4, 6, 5, 6}, vals.reshape(4).toFloatVector(), 0);
        g.clear();
        assertEquals(0, g.size());
        assertArrayEquals(new double[] {0, 0}, g.gradientOf(2), 0);
    }

    @Test
    void globalNormClippingScalesEverything() {
        Param p = new Param("w", Nd4j.createFromArray(0.0, 0.0), Nd4j.createFromArray(3.0, 0.0));
        TableGradient g = new TableGradient(2, 2);
        g.add(1, new double[] {0, 4}, 0, 1.0);
        double norm = GradientClipping.clipByGlobalNorm(List.of(p), g, 1.0);
        assertEquals(5.0, norm, 1e-12);
        assertArrayEquals(new double[] {0.6, 0}, p.grad().toDoubleVector(), 1e-12);
        assertArrayEquals(new double[] {0, 0.8}, g.gradientOf(1), 1e-12);
        assertEquals(1.0, GradientClipping.clipByGlobalNorm(List.of(p), g, 2.0), 1e-12); // under the limit: unchanged
        assertArrayEquals(new double[] {0.6, 0}, p.grad().toDoubleVector(), 1e-12);
    }

    @Test
    void distinctRowsAddedAcrossThreadsEqualTheSerialForm() {
        int n = 3000;
        int d = 8;
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        int[] ids = new int[700];
        boolean[] used = new boolean[n + 1];
        for (int i = 0; i < ids.length; i++) {
            int id;
            do {
                id = 1 + r.nextInt(n);
            } while (used[id]);
            used[id] = true;
            ids[i] = id;
        }
        double[] g = new double[ids.length * d];
        for (int i = 0; i < g.length; i++) {
            g[i] = r.nextDouble(-1, 1);
        }
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            dev.eimf.internal.tensor.Buf grads = dev.eimf.internal.tensor.Buf.of(
                    org.nd4j.linalg.factory.Nd4j.createFromArray(g).reshape(ids.length, d).castTo(type));
            distinctRowsAgainstSerial(n, d, ids, grads);
        }
    }

    private static void distinctRowsAgainstSerial(int n, int d, int[] ids, dev.eimf.internal.tensor.Buf grads) {
        double[] pre = new double[d];
        java.util.Arrays.fill(pre, 0.5);
        int before = dev.eimf.internal.tensor.Parallel.threads();
        try {
            TableGradient serial = new TableGradient(n + 1, d);
            serial.add(ids[10], pre, 0, 1.0); // a row that already has a slot
            serial.addRows(ids, grads);
            for (int threads : new int[] {1, 2, 3}) {
                dev.eimf.internal.tensor.Parallel.setThreads(threads);
                TableGradient split = new TableGradient(n + 1, d);
                split.add(ids[10], pre, 0, 1.0);
                split.addDistinctRows(ids, grads);
                assertArrayEquals(serial.rows(), split.rows());
                for (int id : serial.rows()) {
                    assertArrayEquals(serial.gradientOf(id), split.gradientOf(id), 0.0);
                }
            }
        } finally {
            dev.eimf.internal.tensor.Parallel.setThreads(before);
        }
        TableGradient t = new TableGradient(n + 1, d);
        int[] twice = {5, 9, 5};
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> t.addDistinctRows(twice, grads));
    }

    @Test
    void historiesScatteredAcrossThreadsEqualPositionByPositionAdds() {
        scatterAgainstSerial(32);  // under the parallel threshold
        scatterAgainstSerial(128); // ~1,900 real positions: grouped by slot across threads
    }

    private static void scatterAgainstSerial(int batch) {
        int items = 300, maxLen = 20, d = 8;
        java.util.SplittableRandom r = new java.util.SplittableRandom(9);
        int[] ids = new int[batch * maxLen];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(items); // padding and repeats
        }
        double[] raw = new double[ids.length * d];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = r.nextGaussian();
        }
        INDArray dX = Nd4j.createFromArray(raw).reshape(batch, maxLen, d).castTo(DataType.FLOAT);
        float[] rows = dX.reshape(ids.length * d).toFloatVector();
        double[] pre = {1, 2, 3, 4, 5, 6, 7, 8};
        TableGradient serial = new TableGradient(items + 1, d);
        serial.add(ids[5] == 0 ? 1 : ids[5], pre, 0, 1.0); // a row touched before the scatter
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != 0) {
                double[] row = new double[d];
                for (int c = 0; c < d; c++) {
                    row[c] = rows[i * d + c];
                }
                serial.add(ids[i], row, 0, 1.0);
            }
        }
        int before = dev.eimf.internal.tensor.Parallel.threads();
        try {
            for (int threads = 1; threads <= 3; threads++) {
                dev.eimf.internal.tensor.Parallel.setThreads(threads);
                TableGradient split = new TableGradient(items + 1, d);
                split.add(ids[5] == 0 ? 1 : ids[5], pre, 0, 1.0);
                split.scatterHistories(ids, dX);
                assertArrayEquals(serial.rows(), split.rows());
                for (int id : serial.rows()) {
                    assertArrayEquals(serial.gradientOf(id), split.gradientOf(id), 0.0, "row " + id + ", " + threads + " threads");
                }
                split.clear();
                split.scatterHistories(ids, dX); // buffers reused
                assertEquals(serial.size() - (java.util.Arrays.stream(ids).anyMatch(x -> x == (ids[5] == 0 ? 1 : ids[5])) ? 0 : 1),
                        split.size());
            }
        } finally {
            dev.eimf.internal.tensor.Parallel.setThreads(before);
        }
    }

    @Test
    void lazyTableAdamInFloatFollowsTheDoubleFormOverManyRows() {
        int rows = 1000, d = 8;
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        double[][] init = new double[rows][d];
        for (double[] row : init) {
            for (int c = 0; c < d; c++) {
                row[c] = r.nextGaussian();
            }
        }
        TableGradient[] steps = new TableGradient[3];
        for (int s = 0; s < steps.length; s++) {
            steps[s] = new TableGradient(rows, d);
            for (int k = 0; k < 613; k++) { // several groups and thread chunks, rows in random order
                double[] gr = new double[d];
                for (int c = 0; c < d; c++) {
                    gr[c] = r.nextGaussian();
                }
                steps[s].add(1 + r.nextInt(rows - 1), gr, 0, 1.0);
            }
        }
        INDArray ref = Nd4j.createFromArray(init);
        TableAdam refAdam = new TableAdam(CFG, TableAdam.Mode.LAZY, ref);
        for (int s = 0; s < steps.length; s++) {
            refAdam.step(s + 1, steps[s]);
        }
        int before = dev.eimf.internal.tensor.Parallel.threads();
        float[] first = null;
        try {
            for (int threads = 1; threads <= 2; threads++) {
                dev.eimf.internal.tensor.Parallel.setThreads(threads);
                INDArray table = Nd4j.createFromArray(init).castTo(DataType.FLOAT);
                TableAdam adam = new TableAdam(CFG, TableAdam.Mode.LAZY, table);
                for (int s = 0; s < steps.length; s++) {
                    adam.step(s + 1, steps[s]);
                }
                float[] got = table.reshape((long) rows * d).toFloatVector();
                double[] want = ref.reshape((long) rows * d).toDoubleVector();
                for (int i = 0; i < got.length; i++) {
                    assertEquals(want[i], got[i], 2e-5 * (1 + Math.abs(want[i])), "element " + i + ", " + threads + " threads");
                }
                if (first == null) {
                    first = got;
                } else {
                    assertArrayEquals(first, got, 0f, "same result for any thread count");
                }
            }
        } finally {
            dev.eimf.internal.tensor.Parallel.setThreads(before);
        }
    }
}
