package dev.eimf.internal.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link ThreadScratch}: arrays kept per thread and per index, grown only when asked for more. */
class ThreadScratchTest {

    @Test
    void keepsEachArrayUntilMoreIsAskedFor() throws Exception {
        ThreadScratch.Doubles d = new ThreadScratch.Doubles(2);
        double[] a = d.get(0, 10);
        assertTrue(a.length >= 10);
        a[3] = 7.0;
        assertSame(a, d.get(0, 5), "a shorter request returns the same array");
        assertEquals(7.0, d.get(0, 10)[3], "contents are kept");
        assertNotSame(a, d.get(1, 10), "each index has its own array");
        double[] grown = d.get(0, 1000);
        assertTrue(grown.length >= 1000);
        assertSame(grown, d.get(0, 1000));

        ThreadScratch.Floats f = new ThreadScratch.Floats(1);
        float[] mine = f.get(0, 100);
        AtomicReference<float[]> other = new AtomicReference<>();
        Thread t = new Thread(() -> other.set(f.get(0, 100)));
        t.start();
        t.join();
        assertNotSame(mine, other.get(), "another thread gets its own array");
        assertSame(mine, f.get(0, 100));
    }
}
