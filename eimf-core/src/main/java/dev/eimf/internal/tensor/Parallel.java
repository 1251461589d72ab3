package dev.eimf.internal.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Splits loops over independent indices across a small pool of daemon threads. Each index is computed
 * by exactly one thread with the same arithmetic as in a serial loop, so a loop's result does not depend
 * on the thread count; callers keep any reduction serial (for example by writing per-index partial
 * results to an array and summing it afterwards). Products split by {@link Blas#pgemm} may round
 * differently for another thread count, never for the same one.
 *
 * <p>The thread count defaults to the number of available processors (at most 8); set it with
 * {@link #setThreads(int)} or the system property {@code eimf.threads}. The pool is shared by the
 * whole JVM; calls from several threads at once are safe (they take turns on the pool). A loop started
 * from inside another loop's body runs on the calling thread alone.
 *
 * <p>A training step runs a few dozen short loops, each a fraction of a millisecond. Handing work to a
 * parked thread and waiting for it costs about 0.1 ms on this kind of machine (two futex wake-ups), which
 * is what a {@link java.util.concurrent.ForkJoinPool} paid here. So the workers spin for a while
 * after each loop before they park (like OpenMP's workers), and the caller spins while it waits: a loop
 * is then handed over in about a microsecond. The spin time is the system property
 * {@code eimf.parallel.spinMicros} (default 200; 0 parks at once), which bounds the CPU an idle pool
 * burns after its last loop. Only the first {@code eimf.parallel.busyNanos} (default 20,000) of a wait
 * are pure spinning; after that a waiting thread yields its core on every turn, so that another
 * runnable thread (the JIT compiler in the first seconds, a descheduled worker, the application's own
 * threads) gets it at once instead of after the spin: on two cores the compiler otherwise waits
 * behind a spinning thread. With nothing else runnable a yield returns at once and costs about a
 * microsecond.
 */
public final class Parallel {

    /** A loop body over the index range {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        /** Runs indices {@code from} (inclusive) to {@code to} (exclusive). */
        void run(int from, int to);
    }

    private static final long SPIN_NANOS = spinNanos();
    /** Pure spinning before a waiting thread starts yielding its core. */
    private static final long BUSY_SPIN_NANOS = nonNegative("eimf.parallel.busyNanos", 20_000L);
    private static volatile int threads = defaultThreads();
    private static volatile Pool pool;
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

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

    private static long spinNanos() {
        return nonNegative("eimf.parallel.spinMicros", 200L) * 1000L;
    }

    private static long nonNegative(String property, long fallback) {
        String p = System.getProperty(property, Long.toString(fallback)).trim();
        try {
            long v = Long.parseLong(p);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property " + property + " must be a non-negative integer, got '"
                + p + "'");
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
            Pool old = pool;
            pool = null;
            if (old != null) {
                old.shutdown();
            }
        }
    }

    private static Pool pool(int t) {
        Pool p = pool;
        if (p == null || p.workers.length != t - 1) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null || p.workers.length != t - 1) {
                    if (p != null) {
                        p.shutdown();
                    }
                    p = new Pool(t - 1);
                    pool = p;
                }
            }
        }
        return p;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} contiguous parts of at
     * least {@code minChunk} indices. Parts go to whichever thread is free, in index order: the calling
     * thread takes the first, and then any part no worker has started. Returns when all parts are done;
     * an exception from any part is rethrown (the lowest part's first).
     */
    public static void forRange(int n, int minChunk, Range body) {
        int t = threads;
        int parts = Math.min(t, n / Math.max(1, minChunk));
        int[] depth = DEPTH.get();
        if (parts <= 1 || depth[0] > 0) {
            if (n > 0) {
                depth[0]++;
                try {
                    body.run(0, n);
                } finally {
                    depth[0]--;
                }
            }
            return;
        }
        depth[0]++;
        try {
            pool(t).run(n, parts, body);
        } finally {
            depth[0]--;
        }
    }

    /**
     * Runs two independent tasks, {@code first} on the calling thread and {@code second} on a worker
     * when there is one (else after {@code first}); returns when both are done.
     */
    public static void both(Runnable first, Runnable second) {
        forRange(2, 1, (from, to) -> {
            for (int p = from; p < to; p++) {
                (p == 0 ? first : second).run();
            }
        });
    }

    /**
     * One loop handed to the workers; published whole through a volatile field. Its parts are claimed
     * in index order by whichever thread is free ({@code next}), so that a part whose thread has lost
     * its core (to the JIT compiler or another process) is run by the caller instead of waited for;
     * a part's indices, and so its result, do not depend on the thread that runs it.
     */
    private record Task(long generation, Range body, int n, int parts, AtomicInteger next) {

        /** Runs unclaimed parts until none is left; the last to finish brings {@code remaining} to 0. */
        void claimParts(Pool pool) {
            int p;
            while ((p = next.getAndIncrement()) < parts) {
                int from = (int) ((long) n * p / parts);
                int to = (int) ((long) n * (p + 1) / parts);
                int[] depth = DEPTH.get();
                depth[0]++;
                try {
                    body.run(from, to);
                } catch (RuntimeException | Error e) {
                    pool.failures[p] = e;
                } finally {
                    depth[0]--;
                    pool.remaining.decrementAndGet();
                }
            }
        }
    }

    /** Spinning workers; one loop at a time. */
    private static final class Pool {
        final Worker[] workers;
        final ReentrantLock lock = new ReentrantLock();
        final AtomicInteger remaining = new AtomicInteger();
        final Throwable[] failures;
        volatile Task task = new Task(0, null, 0, 0, new AtomicInteger());
        volatile boolean stopped;

        Pool(int count) {
            workers = new Worker[count];
            failures = new Throwable[count + 1];
            for (int i = 0; i < count; i++) {
                workers[i] = new Worker(this, i + 1);
                workers[i].start();
            }
        }

        void run(int size, int numParts, Range body) {
            lock.lock();
            try {
                if (stopped) { // replaced by setThreads while this caller held the old pool
                    body.run(0, size);
                    return;
                }
                remaining.set(numParts);
                Task t = new Task(task.generation() + 1, body, size, numParts, new AtomicInteger());
                task = t;
                for (int i = 0; i < numParts - 1; i++) {
                    Worker w = workers[i];
                    if (w.parked) {
                        LockSupport.unpark(w);
                    }
                }
                t.claimParts(this);
                long spinStart = System.nanoTime();
                while (remaining.get() > 0) {
                    if (System.nanoTime() - spinStart < BUSY_SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        Thread.yield(); // a worker or the JIT may want this core
                    }
                }
                Throwable first = null;
                for (int i = 0; i < numParts; i++) {
                    if (failures[i] != null && first == null) {
                        first = failures[i];
                    }
                    failures[i] = null;
                }
                if (first instanceof RuntimeException re) {
                    throw re;
                }
                if (first instanceof Error er) {
                    throw er;
                }
            } finally {
                lock.unlock();
            }
        }

        /** Stops the workers once every published loop is done. */
        void shutdown() {
            lock.lock();
            try {
                stopped = true;
            } finally {
                lock.unlock();
            }
            for (Worker w : workers) {
                LockSupport.unpark(w);
            }
        }
    }

    private static final class Worker extends Thread {
        final Pool pool;
        final int index;
        volatile boolean parked;

        Worker(Pool pool, int index) {
            super("eimf-parallel-" + index);
            this.pool = pool;
            this.index = index;
            setDaemon(true);
        }

        @Override
        public void run() {
            long seen = 0; // the pool's first task, not the current one: a loop may be published before this thread starts
            long idleSince = System.nanoTime();
            while (true) {
                Task t = pool.task;
                if (t.generation() != seen) {
                    seen = t.generation();
                    if (index < t.parts()) {
                        t.claimParts(pool);
                    }
                    idleSince = System.nanoTime();
                    continue;
                }
                if (pool.stopped) {
                    return;
                }
                long idle = System.nanoTime() - idleSince;
                if (idle < BUSY_SPIN_NANOS) {
                    Thread.onSpinWait();
                } else if (idle < SPIN_NANOS) {
                    Thread.yield(); // keeps the hand-over fast but lets a runnable thread (the JIT) have the core
                } else {
                    parked = true;
                    if (pool.task.generation() == seen && !pool.stopped) {
                        LockSupport.park(this);
                    }
                    parked = false;
                }
            }
        }
    }
}
