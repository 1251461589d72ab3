package dev.eimf.internal.ibim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class EncoderConfigTest {

    @Test
    void defaultsFollowTheSpec() {
        EncoderConfig sa = EncoderConfig.builder(EncoderType.SA).build();
        assertEquals(64, sa.dim());
        assertEquals(4, sa.numInterests());
        assertEquals(20, sa.maxLen());
        assertEquals(256, sa.hidden());
        assertEquals(DataType.FLOAT, sa.dataType());
        assertFalse(sa.reluProjection());
        assertEquals(3, EncoderConfig.builder(EncoderType.DR).build().routingIterations());
        assertFalse(EncoderConfig.builder(EncoderType.DR).build().reluProjection());
        assertTrue(EncoderConfig.builder(EncoderType.MIND).build().reluProjection());
        assertEquals(128, EncoderConfig.builder(EncoderType.SA).dim(32).build().hidden());
        EncoderConfig mind = EncoderConfig.builder(EncoderType.MIND).reluProjection(false).hidden(7).build();
        assertEquals(mind, mind.toBuilder().build());
    }

    @Test
    void rejectsInvalidValues() {
        assertThrows(IllegalArgumentException.class, () -> EncoderConfig.builder(null).build());
        assertThrows(IllegalArgumentException.class, () -> EncoderConfig.builder(EncoderType.SA).dim(0).build());
        assertThrows(IllegalArgumentException.class, () -> EncoderConfig.builder(EncoderType.DR).numInterests(0).build());
        assertThrows(IllegalArgumentException.class, () -> EncoderConfig.builder(EncoderType.DR).maxLen(-1).build());
        assertThrows(IllegalArgumentException.class, () -> EncoderConfig.builder(EncoderType.SA).hidden(0).build());
        assertThrows(IllegalArgumentException.class, () -> EncoderConfig.builder(EncoderType.MIND).routingIterations(0).build());
        assertThrows(IllegalArgumentException.class, () -> EncoderConfig.builder(EncoderType.SA).dataType(DataType.INT32).build());
        assertThrows(IllegalArgumentException.class, () -> EncoderConfig.builder(EncoderType.SA).reluProjection(true).build());
        assertThrows(IllegalArgumentException.class, () -> EncoderConfig.builder(EncoderType.DR).truncatedRoutingLogits(true).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EncoderConfig.builder(EncoderType.DR).dim(-3).build());
        assertTrue(e.getMessage().contains("dim"));
    }
}
