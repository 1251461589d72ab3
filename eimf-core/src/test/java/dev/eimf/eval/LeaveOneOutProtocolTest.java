package dev.eimf.eval;

import dev.eimf.data.Dataset;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LeaveOneOutProtocolTest {

    @Test
    void lastItemTestSecondToLastValidRestTrain() {
        Dataset d = EvalFixtures.dataset(9, new int[][] {{1, 2, 3, 4, 5}, {6, 7, 8}, {9, 1}, {2}});
        Split s = new LeaveOneOutProtocol().split(d, 0);
        assertEquals("loo", s.protocol());
        assertArrayEquals(new int[] {0, 1, 2, 3}, s.trainUsers());
        assertArrayEquals(new int[] {1, 2, 3}, s.train()[0]);
        assertArrayEquals(new int[] {6}, s.train()[1]);
        // users with fewer than 3 items: whole sequence in train, no valid/test case
        assertArrayEquals(new int[] {9, 1}, s.train()[2]);
        assertArrayEquals(new int[] {2}, s.train()[3]);
        assertEquals(2, s.valid().size());
        assertEquals(2, s.test().size());

        EvalCase v0 = s.valid().get(0);
        assertEquals(0, v0.user());
        assertArrayEquals(new int[] {1, 2, 3}, v0.history());
        assertArrayEquals(new int[] {4}, v0.targets());
        EvalCase t0 = s.test().get(0);
        assertArrayEquals(new int[] {1, 2, 3, 4}, t0.history());
        assertArrayEquals(new int[] {5}, t0.targets());
        EvalCase t1 = s.test().get(1);
        assertEquals(1, t1.user());
        assertArrayEquals(new int[] {6, 7}, t1.history());
        assertArrayEquals(new int[] {8}, t1.targets());
    }

    @Test
    void seedDoesNotMatter() {
        Dataset d = EvalFixtures.synthetic(30, 10);
        Split a = new LeaveOneOutProtocol().split(d, 1);
        Split b = new LeaveOneOutProtocol().split(d, 2);
        for (int i = 0; i < a.test().size(); i++) {
            assertArrayEquals(a.test().get(i).history(), b.test().get(i).history());
        }
    }
}
