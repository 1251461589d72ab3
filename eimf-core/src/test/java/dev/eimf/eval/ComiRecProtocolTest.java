package dev.eimf.eval;

import dev.eimf.eval.UserShuffle;

import dev.eimf.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComiRecProtocolTest {

    @Test
    void splits943UsersIntoComiRecSizes() {
        Dataset d = EvalFixtures.synthetic(943, 50);
        Split s = ComiRecProtocol.defaults().split(d, 1230);
        // int(0.8 * 943) = 754, int(0.9 * 943) = 848 -> 754 / 94 / 95
        assertEquals("comirec", s.protocol());
        assertEquals(50, s.numItems());
        assertEquals(754, s.train().length);
        assertEquals(94, s.valid().size());
        assertEquals(95, s.test().size());

        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < s.trainUsers().length; i++) {
            int u = s.trainUsers()[i];
            assertTrue(seen.add(u));
            assertArrayEquals(d.sequence(u), s.train()[i], "train users keep their whole sequence");
        }
        for (EvalCase c : s.valid()) assertTrue(seen.add(c.user()));
        for (EvalCase c : s.test()) assertTrue(seen.add(c.user()));
        assertEquals(943, seen.size(), "every user in exactly one part");
    }

    @Test
    void evaluationUsersGetFirstEightyPercentAsHistory() {
        Dataset d = EvalFixtures.synthetic(100, 30);
        Split s = ComiRecProtocol.defaults().split(d, 5);
        for (EvalCase c : concat(s)) {
            int[] seq = d.sequence(c.user());
            // e.g. length 5 -> int(4.0) = 4 history, 1 target; length 21 -> int(16.8) = 16 / 5
            assertEquals((int) (seq.length * 0.8), c.history().length);
            int[] joined = new int[seq.length];
            System.arraycopy(c.history(), 0, joined, 0, c.history().length);
            System.arraycopy(c.targets(), 0, joined, c.history().length, c.targets().length);
            assertArrayEquals(seq, joined);
        }
        assertEquals(4, ComiRecProtocol.defaults().historyCut(5));
        assertEquals(16, ComiRecProtocol.defaults().historyCut(21));
        assertEquals(1, ComiRecProtocol.defaults().historyCut(2)); // int(1.6)
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        Dataset d = EvalFixtures.synthetic(200, 40);
        ComiRecProtocol p = ComiRecProtocol.defaults();
        Split a = p.split(d, 7);
        Split b = p.split(d, 7);
        Split c = p.split(d, 8);
        assertArrayEquals(a.trainUsers(), b.trainUsers());
        assertEquals(Arrays.toString(a.test().stream().mapToInt(EvalCase::user).toArray()),
                Arrays.toString(b.test().stream().mapToInt(EvalCase::user).toArray()));
        assertFalse(Arrays.equals(a.trainUsers(), c.trainUsers()));
    }

    @Test
    void cpythonShuffleReproducesPythonOrder() {
        // random.seed(1230); l = list(range(943)); random.shuffle(l) -> l[:5] = [20, 758, 106, 797, 463],
        // l[754:757] = [891, 554, 697], l[848:851] = [382, 512, 156]
        Dataset d = EvalFixtures.synthetic(943, 50);
        Split s = ComiRecProtocol.builder().shuffle(UserShuffle.CPYTHON).build().split(d, 1230);
        assertArrayEquals(new int[] {20, 758, 106, 797, 463}, Arrays.copyOf(s.trainUsers(), 5));
        assertEquals(891, s.valid().get(0).user());
        assertEquals(697, s.valid().get(2).user());
        assertEquals(382, s.test().get(0).user());
        assertEquals(156, s.test().get(2).user());
    }

    @Test
    void rejectsUsersTooShortToEvaluate() {
        Dataset d = EvalFixtures.dataset(3, new int[][] {{1, 2, 3}, {2}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ComiRecProtocol.defaults().split(d, 1));
        assertTrue(e.getMessage().contains("u1"), e.getMessage());
    }

    @Test
    void builderValidates() {
        assertThrows(IllegalArgumentException.class, () -> ComiRecProtocol.builder().trainCut(0.95).build());
        assertThrows(IllegalArgumentException.class, () -> ComiRecProtocol.builder().historyFraction(1.0).build());
        ComiRecProtocol p = ComiRecProtocol.builder().trainCut(0.5).validCut(0.75).build();
        Split s = p.split(EvalFixtures.synthetic(100, 20), 3);
        assertEquals(50, s.train().length);
        assertEquals(25, s.valid().size());
        assertEquals(25, s.test().size());
    }

    private static java.util.List<EvalCase> concat(Split s) {
        java.util.List<EvalCase> all = new java.util.ArrayList<>(s.valid());
        all.addAll(s.test());
        return all;
    }
}
