package dev.eimf.internal.mtl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class InterestNamerTest {

    @Test
    void picksNearestLabelByCosine() {
        float[][] phrases = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}};
        InterestNamer namer = new InterestNamer(phrases, List.of("jazz", "horror films", "hiking", "film music"));
        List<InterestNamer.NamedInterest> named = namer.name(new float[][] {
            {0.1f, 3f, 0.2f},   // nearest to "horror films"
            {5f, 4f, 0f},       // nearest to "film music" (cos 0.99) rather than "jazz" (0.78)
            {0f, 0f, -1f},      // all cosines <= 0: the largest, 0, comes first at "jazz"
        });
        assertEquals("horror films", named.get(0).label());
        assertEquals(1, named.get(0).phrase());
        assertEquals(3 / Math.sqrt(0.01 + 9 + 0.04), named.get(0).cosine(), 1e-6);
        assertEquals("film music", named.get(1).label());
        assertEquals(9 / (Math.sqrt(41) * Math.sqrt(2)), named.get(1).cosine(), 1e-6);
        assertEquals("jazz", named.get(2).label());
        assertEquals(0.0, named.get(2).cosine(), 1e-12);
        assertEquals(2, named.get(2).interest());
    }

    @Test
    void namerFromAuxiliaryTasksProjectsPhrases() {
        SplittableRandom rng = new SplittableRandom(1);
        AuxiliaryTasks aux = new AuxiliaryTasks(AuxTasksConfig.defaults(), 4, 6, 3L);
        float[][] phraseVectors = MtlFixtures.vectors(rng, 5, 6);
        InterestNamer namer = aux.namer(phraseVectors, List.of("a", "b", "c", "d", "e"));
        float[][] projected = aux.project(phraseVectors);
        // An interest equal to a projected phrase is named after that phrase with cosine 1.
        List<InterestNamer.NamedInterest> named = namer.name(new float[][] {projected[3], projected[0]});
        assertEquals("d", named.get(0).label());
        assertEquals(1.0, named.get(0).cosine(), 1e-6);
        assertEquals("a", named.get(1).label());
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> new InterestNamer(new float[][] {{1}}, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new InterestNamer(new float[][] {{1}, {1, 2}},
                List.of("a", "b")));
        InterestNamer namer = new InterestNamer(new float[][] {{1, 0}}, List.of("a"));
        assertThrows(IllegalArgumentException.class, () -> namer.name(new float[][] {{1, 0, 0}}));
    }
}
