package dev.eimf.internal.mtl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class MatsTest {

    @Test
    void roundTripsBothTypes() {
        double[][] a = {{1, 2, 3}, {4, 5, 6.5}};
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray m = Mats.of(a, dt);
            assertEquals(dt, m.dataType());
            assertArrayEquals(new long[] {2, 3}, m.shape());
            assertEquals(6.5, m.getDouble(1, 2));
            assertArrayEquals(a, Mats.toDouble(m));
        }
    }

    @Test
    void readsViewsAndFortranOrder() {
        INDArray base = Nd4j.arange(24).castTo(DataType.FLOAT).reshape('c', 4, 6);
        INDArray view = base.get(NDArrayIndex.interval(1, 3), NDArrayIndex.interval(2, 5));
        assertArrayEquals(new double[][] {{8, 9, 10}, {14, 15, 16}}, Mats.toDouble(view));
        assertArrayEquals(new double[][] {{0, 6, 12, 18}, {1, 7, 13, 19}}, Mats.toDouble(
                base.transpose().get(NDArrayIndex.interval(0, 2), NDArrayIndex.all())));
        assertArrayEquals(Mats.flat(base), Mats.flat(base.dup('f')));
    }

    @Test
    void tasksGiveTheSameResultForViewsOfV() {
        SplittableRandom rng = new SplittableRandom(3);
        SemanticBatch batch = MtlFixtures.batch(rng);
        INDArray v = MtlFixtures.interests(rng, batch.size(), MtlFixtures.K, MtlFixtures.D_SMALL, DataType.DOUBLE);
        AuxiliaryTasks aux = new AuxiliaryTasks(AuxTasksConfig.builder().dataType(DataType.DOUBLE).build(),
                MtlFixtures.D_SMALL, MtlFixtures.D_BIG, 1L);
        // v as the [B, K, d] permuted view of a [d, K, B] array, as an encoder might hand it over.
        INDArray permuted = v.permute(2, 1, 0).dup('c').permute(2, 1, 0);
        assertEquals(aux.evaluate(v, batch).loss(), aux.evaluate(permuted, batch).loss(), 1e-12);
    }
}
