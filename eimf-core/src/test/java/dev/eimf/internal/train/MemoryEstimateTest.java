package dev.eimf.internal.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.eimf.eval.Split;
import dev.eimf.internal.ibim.EncoderConfig;
import dev.eimf.internal.ibim.EncoderType;
import dev.eimf.internal.ibim.InterestEncoder;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class MemoryEstimateTest {
    private static final long GIB = 1L << 30;
    private static final MemoryEstimate.Limits EIGHT_GIB =
            new MemoryEstimate.Limits(8 * GIB, 8 * GIB, 16 * GIB, "test native limit", "test total limit");

    /** A few users over 50 items: the data is small, only the settings are large. */
    private static Split smallSplit() {
        int[][] train = new int[20][];
        int[] users = new int[train.length];
        for (int u = 0; u < train.length; u++) {
            train[u] = new int[] {1 + u, 2 + u, 3 + u, 4 + u};
            users[u] = u;
        }
        return new Split("synthetic", 50, users, train, List.of(), List.of());
    }

    /** A factory that knows its configuration and fails the test when asked for an encoder. */
    private static EncoderFactory neverCreated(EncoderConfig c) {
        return new EncoderFactory() {
            @Override
            public InterestEncoder create(RandomGenerator rng) {
                return fail("the encoder was created before the memory check");
            }

            @Override
            public Optional<EncoderConfig> encoderConfig() {
                return Optional.of(c);
            }
        };
    }

    private static MemoryEstimate.Sizes sa(int dim, int interests, int maxLen, int batch, int items) {
        return new MemoryEstimate.Sizes(EncoderType.SA, dim, interests, maxLen, 4 * dim, 3, false, 4, batch,
                batch * 10, 256, items, 2, 0, false);
    }

    @Test
    void trainerRefusesAHugeDimensionBeforeAllocatingAnything() {
        EncoderConfig c = EncoderConfig.builder(EncoderType.SA).dim(30000).build();
        TrainerConfig config = TrainerConfig.builder(neverCreated(c)).maxSteps(20).evalEvery(0).build();
        long t0 = System.nanoTime();
        MemoryLimitException e = assertThrows(MemoryLimitException.class, () -> new Trainer(config).train(smallSplit()));
        assertEquals("--dim", e.option());
        assertTrue(e.getMessage().contains("--dim 30000 weighs most"), e.getMessage());
        assertTrue(e.getMessage().contains("GiB") && e.getMessage().contains("Lower --dim"), e.getMessage());
        // SA's [d, 4d] first layer alone is 3.4 GiB; with its gradient, Adam moments and best copy far more.
        assertTrue(e.estimateBytes() > 20 * GIB, e.getMessage());
        assertTrue(e.estimateBytes() > e.limitBytes(), e.getMessage());
        assertTrue((System.nanoTime() - t0) / 1e9 < 5, "refused at once");
    }

    @Test
    void theBuiltInFactoryKnowsItsConfigurationAndADefaultRunPasses() {
        EncoderConfig c = EncoderConfig.builder(EncoderType.SA).dim(8).numInterests(2).maxLen(5).build();
        assertEquals(Optional.of(c), EncoderFactory.of(c).encoderConfig());
        TrainerConfig config = TrainerConfig.builder(EncoderFactory.of(c)).batchSize(4).maxSteps(2).evalEvery(0)
                .threads(1).build();
        assertEquals(2, new Trainer(config).train(smallSplit()).steps());
    }

    @Test
    void defaultSettingsOnAnMl100kSizedCatalogueAreSmall() {
        MemoryEstimate e = MemoryEstimate.of(sa(64, 4, 20, 128, 1682));
        assertTrue(e.totalBytes() < GIB / 4, e.toString());
        assertTrue(e.nativeBytes() > 1682L * 64 * 4 * 4, "counts at least the table and its state: " + e);
        e.check(EIGHT_GIB); // passes
    }

    @Test
    void eachLargeSettingIsNamed() {
        MemoryLimitException dim = assertThrows(MemoryLimitException.class,
                () -> MemoryEstimate.of(sa(30000, 4, 20, 128, 1682)).check(EIGHT_GIB));
        assertEquals("--dim", dim.option(), dim.getMessage());
        MemoryLimitException batch = assertThrows(MemoryLimitException.class,
                () -> MemoryEstimate.of(sa(64, 4, 20, 100_000_000, 1682)).check(EIGHT_GIB));
        assertEquals("--batch", batch.option(), batch.getMessage());
        assertTrue(batch.getMessage().contains("--batch 100000000 weighs most"), batch.getMessage());
        MemoryLimitException k = assertThrows(MemoryLimitException.class,
                () -> MemoryEstimate.of(sa(64, 100_000, 20, 128, 1682)).check(EIGHT_GIB));
        assertEquals("--interests", k.option(), k.getMessage());
        MemoryLimitException t = assertThrows(MemoryLimitException.class,
                () -> MemoryEstimate.of(sa(64, 4, 5_000_000, 128, 1682)).check(EIGHT_GIB));
        assertEquals("--max-len", t.option(), t.getMessage());
        MemoryLimitException dr = assertThrows(MemoryLimitException.class, () -> MemoryEstimate.of(
                new MemoryEstimate.Sizes(EncoderType.DR, 2000, 4, 20, 8000, 3, false, 4, 128, 1280, 256, 1682, 2, 0,
                        false)).check(EIGHT_GIB));
        assertEquals("--dim", dr.option(), dr.getMessage());
    }

    @Test
    void aHugeCatalogueAtDefaultSettingsBlamesTheData() {
        MemoryLimitException e = assertThrows(MemoryLimitException.class,
                () -> MemoryEstimate.of(sa(64, 4, 20, 128, 200_000_000)).check(EIGHT_GIB));
        assertEquals("data", e.option(), e.getMessage());
        assertTrue(e.getMessage().contains("200,000,000 items"), e.getMessage());
    }

    @Test
    void sizesBeyondALongOrAnArraySaturateInsteadOfWrapping() {
        assertEquals(Long.MAX_VALUE, MemoryEstimate.mul(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, MemoryEstimate.add(Long.MAX_VALUE - 1, 2));
        int max = Integer.MAX_VALUE;
        MemoryEstimate e = MemoryEstimate.of(new MemoryEstimate.Sizes(EncoderType.SA, max, max, max, max, 3, false, 4,
                max, max, 256, max - 1, 2, 0, true));
        assertTrue(e.overflows());
        assertEquals(Long.MAX_VALUE, e.totalBytes());
        // 1,682 x 2,000,000 table rows fit a long but not an array.
        MemoryLimitException big = assertThrows(MemoryLimitException.class,
                () -> MemoryEstimate.of(sa(2_000_000, 4, 1, 1, 1682)).check(new MemoryEstimate.Limits(Long.MAX_VALUE,
                        Long.MAX_VALUE, Long.MAX_VALUE, "none", "none")));
        assertTrue(big.getMessage().contains("2^31-1"), big.getMessage());
        assertEquals("--dim", big.option());
    }

    @Test
    void aCustomEncoderIsEstimatedOnceItExists() {
        TrainerConfig config = TrainerConfig.builder(rng -> new MeanPoolEncoder(8, 2, 10, DataType.FLOAT, rng))
                .batchSize(100_000_000).maxSteps(1).evalEvery(0).build();
        MemoryLimitException e = assertThrows(MemoryLimitException.class, () -> new Trainer(config).train(smallSplit()));
        assertEquals("--batch", e.option(), e.getMessage());
    }
}
