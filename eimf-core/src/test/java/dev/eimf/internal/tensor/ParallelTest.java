package dev.eimf.internal.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The spinning pool: coverage of every index, failures, nesting, concurrent callers, resizing. */
class ParallelTest {
    private int before;

    @BeforeEach
    void remember() {
        before = Parallel.threads();
    }

    @AfterEach
    void restore() {
        Parallel.setThreads(before);
    }

    @Test
    void everyIndexRunsExactlyOnceOnSeveralThreads() {
        for (int threads : new int[] {1, 2, 3, 4}) {
            Parallel.setThreads(threads);
            for (int n : new int[] {0, 1, 7, 100, 1001}) {
                int[] hits = new int[n];
                Set<Thread> used = ConcurrentHashMap.newKeySet();
                for (int rep = 0; rep < 50; rep++) {
                    Parallel.forRange(n, 1, (from, to) -> {
                        used.add(Thread.currentThread());
                        for (int i = from; i < to; i++) {
                            hits[i]++;
                        }
                    });
                }
                for (int i = 0; i < n; i++) {
                    assertEquals(50, hits[i], "index " + i + " of " + n + " with " + threads + " threads");
                }
                // parts go to whichever thread is free, so a short loop may run on fewer threads
                assertTrue(used.size() <= threads, "threads used for n = " + n + ": " + used.size());
            }
        }
    }

    @Test
    void partsRunAtOnceOnAsManyThreads() throws Exception {
        for (int threads : new int[] {2, 3, 4}) {
            Parallel.setThreads(threads);
            // Every part waits for all the others to start: it passes only if each runs on its own thread.
            CountDownLatch started = new CountDownLatch(threads);
            Set<Thread> used = ConcurrentHashMap.newKeySet();
            boolean[] allStarted = new boolean[threads];
            Parallel.forRange(threads, 1, (from, to) -> {
                used.add(Thread.currentThread());
                started.countDown();
                try {
                    allStarted[from] = started.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int p = 0; p < threads; p++) {
                assertTrue(allStarted[p], "part " + p + " of " + threads + " waited for the others in vain");
            }
            assertEquals(threads, used.size());
        }
    }

    @Test
    void bothRunsEachTaskOnceAndRethrowsAFailure() {
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            AtomicInteger first = new AtomicInteger();
            AtomicInteger second = new AtomicInteger();
            Parallel.both(first::incrementAndGet, second::incrementAndGet);
            assertEquals(1, first.get(), threads + " threads");
            assertEquals(1, second.get(), threads + " threads");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Parallel.both(first::incrementAndGet, () -> {
                        throw new IllegalStateException("second");
                    }));
            assertEquals("second", e.getMessage());
            assertEquals(2, first.get(), "the first task ran although the second failed");
        }
    }

    @Test
    void aFailingPartIsRethrownAndThePoolStillWorks() {
        Parallel.setThreads(3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(30, 1, (from, to) -> {
            if (from > 0) {
                throw new IllegalStateException("part at " + from);
            }
        }));
        assertTrue(e.getMessage().startsWith("part at"));
        assertThrows(AssertionError.class, () -> Parallel.forRange(30, 1, (from, to) -> {
            throw new AssertionError("boom");
        }));
        AtomicInteger sum = new AtomicInteger();
        Parallel.forRange(30, 1, (from, to) -> sum.addAndGet(to - from));
        assertEquals(30, sum.get());
    }

    @Test
    void aLoopInsideALoopRunsOnItsCallerAndCoversItsRange() {
        Parallel.setThreads(2);
        int[][] hits = new int[10][20];
        Parallel.forRange(10, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                int row = i;
                Thread outer = Thread.currentThread();
                Parallel.forRange(20, 1, (f2, t2) -> {
                    assertSame(outer, Thread.currentThread());
                    for (int j = f2; j < t2; j++) {
                        hits[row][j]++;
                    }
                });
            }
        });
        for (int[] row : hits) {
            for (int h : row) {
                assertEquals(1, h);
            }
        }
    }

    @Test
    void callersOnSeveralThreadsTakeTurns() throws Exception {
        Parallel.setThreads(2);
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<long[]>> results = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                results.add(callers.submit(() -> {
                    long[] out = new long[2000];
                    for (int rep = 0; rep < 200; rep++) {
                        Parallel.forRange(out.length, 1, (from, to) -> {
                            for (int i = from; i < to; i++) {
                                out[i] += i;
                            }
                        });
                    }
                    return out;
                }));
            }
            long[] expected = new long[2000];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = 200L * i;
            }
            for (Future<long[]> f : results) {
                assertArrayEquals(expected, f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void resizingBetweenLoopsAndRejectingBadCounts() {
        for (int threads : new int[] {2, 1, 3, 2}) {
            Parallel.setThreads(threads);
            assertEquals(threads, Parallel.threads());
            AtomicInteger sum = new AtomicInteger();
            Parallel.forRange(100, 1, (from, to) -> sum.addAndGet(to - from));
            assertEquals(100, sum.get());
        }
        assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
    }
}
