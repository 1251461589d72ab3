package dev.eimf.internal.eval;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Expected values were produced by CPython itself (3.6.15, 3.9.18, 3.11.7 and 3.13.0 all agree), e.g.
 * {@code r = random.Random(1230); [r.getrandbits(32) for _ in range(3)]}.
 */
class CPythonRandomTest {

    private static long[] first3(long seed) {
        CPythonRandom r = new CPythonRandom(seed);
        return new long[] {r.getrandbits(32), r.getrandbits(32), r.getrandbits(32)};
    }

    @Test
    void seedsMatchCPython() {
        assertArrayEquals(new long[] {3626764237L, 1654615998L, 3255389356L}, first3(0));
        assertArrayEquals(new long[] {577090037L, 2444712010L, 3639700191L}, first3(1));
        assertArrayEquals(new long[] {2746317213L, 478163327L, 107420369L}, first3(42));
        assertArrayEquals(new long[] {2376660820L, 3440356481L, 4035527992L}, first3(1230));
        // two 32-bit key words: 2**32 + 5
        assertArrayEquals(new long[] {675479763L, 2085189291L, 1213270837L}, first3((1L << 32) + 5));
        // negative seeds use the absolute value
        assertArrayEquals(new long[] {1390851128L, 4071050724L, 647892279L}, first3(-7));
        assertArrayEquals(first3(7), first3(-7));
        assertArrayEquals(new long[] {1359979423L, 2819855560L, 2711238091L}, first3(Long.MAX_VALUE));
    }

    @Test
    void getrandbitsOfVariousWidths() {
        // r = random.Random(7); [r.getrandbits(k) for k in (1, 5, 31, 33, 64)]
        CPythonRandom r = new CPythonRandom(7);
        assertEquals(0L, r.getrandbits(1));
        assertEquals(30L, r.getrandbits(5));
        assertEquals(323946139L, r.getrandbits(31));
        assertEquals(5990721294L, r.getrandbits(33));
        assertEquals(1336213610742710224L, r.getrandbits(64));
    }

    @Test
    void randomMatchesCPython() {
        // r = random.Random(42); [r.random() for _ in range(2)]
        CPythonRandom r = new CPythonRandom(42);
        assertEquals(0.6394267984578837, r.random(), 0.0);
        assertEquals(0.025010755222666936, r.random(), 0.0);
    }

    @Test
    void shuffleMatchesCPython() {
        // r = random.Random(1230); l = list(range(20)); r.shuffle(l)
        int[] a = new int[20];
        for (int i = 0; i < a.length; i++) a[i] = i;
        new CPythonRandom(1230).shuffle(a);
        assertArrayEquals(new int[] {18, 12, 7, 11, 0, 19, 15, 6, 4, 1, 5, 2, 10, 16, 9, 13, 8, 3, 14, 17}, a);

        // r = random.Random(42); l = list(range(10)); r.shuffle(l)
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < 10; i++) l.add(i);
        new CPythonRandom(42).shuffle(l);
        assertEquals(List.of(7, 3, 2, 8, 5, 6, 9, 4, 0, 1), l);
    }

    @Test
    void shuffleOf943UsersMatchesCPython() {
        // r = random.Random(1230); l = list(range(943)); r.shuffle(l)
        // l[:8] = [20, 758, 106, 797, 463, 846, 622, 712]; l[-3:] = [686, 820, 566]
        int[] a = new int[943];
        for (int i = 0; i < a.length; i++) a[i] = i;
        new CPythonRandom(1230).shuffle(a);
        assertArrayEquals(new int[] {20, 758, 106, 797, 463, 846, 622, 712}, java.util.Arrays.copyOf(a, 8));
        assertArrayEquals(new int[] {686, 820, 566}, java.util.Arrays.copyOfRange(a, 940, 943));
    }
}
