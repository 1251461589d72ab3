package dev.eimf.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.eimf.esim.MetadataInterestExtractor;
import dev.eimf.esim.TextEncoder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExplicitInterestsConfigTest {
    private static final TextEncoder ENCODER = new TextEncoder() {
        @Override
        public String name() {
            return "test";
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public List<float[]> encode(List<String> texts) {
            List<float[]> out = new ArrayList<>();
            for (String t : texts) out.add(new float[] {t.length(), 1});
            return out;
        }
    };

    private static ExplicitInterestsConfig.Builder builder() {
        return ExplicitInterestsConfig.builder(MetadataInterestExtractor.builder().build(), ENCODER);
    }

    @Test
    void defaults() {
        ExplicitInterestsConfig c = builder().build();
        assertEquals(0.1, c.alignWeight());
        assertEquals(0.1, c.semanticWeight());
        assertEquals(0.1, c.itemAlignWeight());
        assertEquals(0.1, c.temperature());
        assertEquals(50, c.clusters());
        assertEquals(4, c.perCluster());
        assertEquals(ExplicitInterestsConfig.Matching.ARGMAX, c.matching());
        assertEquals(0.0, builder().itemAlignWeight(0).build().itemAlignWeight());
    }

    @Test
    void rejectsBadWeights() {
        assertThrows(IllegalArgumentException.class, () -> builder().itemAlignWeight(-0.1).build());
        assertThrows(IllegalArgumentException.class, () -> builder().itemAlignWeight(Double.POSITIVE_INFINITY).build());
        assertThrows(IllegalArgumentException.class, () -> builder().alignWeight(0).semanticWeight(0).itemAlignWeight(0).build());
        assertEquals(0.1, builder().alignWeight(0).semanticWeight(0).build().itemAlignWeight(), "item-side alignment alone");
        assertThrows(IllegalArgumentException.class, () -> builder().temperature(0).build());
    }
}
