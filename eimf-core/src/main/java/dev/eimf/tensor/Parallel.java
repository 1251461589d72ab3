package dev.eimf.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * Splits loops over independent indices across a small pool of daemon threads. Each index is computed
 * by exactly one thread with the same arithmetic as in a serial loop, so a loop's result does not depend
 * on the thread count; callers keep any reduction serial (for example by writing per-index partial
 * results to an array and summing it afterwards). Products split by {@link Blas#pgemm} may round
 * differently for another thread count, never for the same one.
 *
 * <p>The thread count defaults to the number of available processors (at most 8); set it with
 * {@link #setThreads(int)} or the system property {@code eimf.threads}. The pool is shared by the
 * whole JVM; calls from several threads at once are safe (they queue on the same workers).
 */
public final class Parallel {

    /** A loop body over the index range {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        /** Runs indices {@code from} (inclusive) to {@code to} (exclusive). */
        void run(int from, int to);
    }

    private static volatile int threads = defaultThreads();
    private static volatile ForkJoinPool pool;

    private Parallel() {
    }

    private static int defaultThreads() {
        String p = System.getProperty("eimf.threads");
        if (p != null && !p.isBlank()) {
            try {
                int v = Integer.parseInt(p.trim());
                if (v >= 1) {
                    return v;
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("system property eimf.threads must be a positive integer, got '"
                        + p + "'", e);
            }
        }
        return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
    }

    /** Number of threads loops are split across (the caller counts as one). */
    public static int threads() {
        return threads;
    }

    /**
     * Sets the number of threads for later loops.
     *
     * @param n at least 1; 1 runs every loop on the calling thread
     */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + n);
        }
        if (n != threads) {
            threads = n;
            ForkJoinPool old = pool;
            pool = null;
            if (old != null) {
                old.shutdown();
            }
        }
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) {
                    p = new ForkJoinPool(Math.max(1, threads - 1), fp -> {
                        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(fp);
                        t.setDaemon(true);
                        t.setName("eimf-parallel-" + t.getPoolIndex());
                        return t;
                    }, null, false);
                    pool = p;
                }
            }
        }
        return p;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} contiguous parts of at
     * least {@code minChunk} indices; the calling thread runs the first part. Returns when all parts are
     * done; an exception from any part is rethrown.
     */
    public static void forRange(int n, int minChunk, Range body) {
        int t = threads;
        int parts = Math.min(t, n / Math.max(1, minChunk));
        if (parts <= 1) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        ForkJoinPool p = pool();
        @SuppressWarnings("unchecked")
        ForkJoinTask<Void>[] tasks = new ForkJoinTask[parts - 1];
        for (int i = 1; i < parts; i++) {
            int from = (int) ((long) n * i / parts);
            int to = (int) ((long) n * (i + 1) / parts);
            tasks[i - 1] = p.submit(() -> body.run(from, to), null);
        }
        RuntimeException first = null;
        try {
            body.run(0, (int) ((long) n / parts));
        } catch (RuntimeException | Error e) {
            first = e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
        for (ForkJoinTask<Void> task : tasks) {
            try {
                task.join();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
