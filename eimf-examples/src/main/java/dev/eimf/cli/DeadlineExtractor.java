package dev.eimf.cli;

import dev.eimf.esim.Extraction;
import dev.eimf.esim.ExtractionRequest;
import dev.eimf.esim.InterestExtractor;
import dev.eimf.esim.UserHistory;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bounds the time an extraction may take: {@code perUser} for one user (all requests, retries and waits
 * included) and {@code perRun} for all of them. The client retries timeouts, so without a bound a dead server
 * holds each user for many minutes with nothing shown. A user past a deadline fails with an {@link IOException},
 * which the runner reports and does not store, so a rerun asks again. While waiting, a line on
 * {@code progress} every {@code heartbeat} says who is being waited for.
 */
final class DeadlineExtractor implements InterestExtractor, AutoCloseable {
    private final InterestExtractor inner;
    private final Duration perUser;
    private final Duration perRun;
    private final long runEnds;
    private final Duration heartbeat;
    private final PrintStream progress;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "esim-deadline");
        t.setDaemon(true);
        return t;
    });

    DeadlineExtractor(InterestExtractor inner, Duration perUser, Duration perRun, Duration heartbeat, PrintStream progress) {
        this.inner = inner;
        this.perUser = perUser;
        this.perRun = perRun;
        this.runEnds = System.nanoTime() + perRun.toNanos();
        this.heartbeat = heartbeat;
        this.progress = progress;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public String modelName() {
        return inner.modelName();
    }

    @Override
    public ExtractionRequest prepare(UserHistory history) {
        return inner.prepare(history);
    }

    @Override
    public Extraction extract(ExtractionRequest request) throws IOException {
        long start = System.nanoTime();
        long userEnds = start + perUser.toNanos();
        long ends = Math.min(userEnds, runEnds);
        if (ends - start <= 0) {
            throw new IOException("not asked: the run's deadline (--esim-deadline " + seconds(perRun) + ") had passed");
        }
        Future<Extraction> f = pool.submit(() -> inner.extract(request));
        try {
            while (true) {
                long left = ends - System.nanoTime();
                if (left <= 0) break;
                try {
                    return f.get(Math.min(left, heartbeat.toNanos()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    long waited = (System.nanoTime() - start) / 1_000_000_000L;
                    progress.printf("esim: waiting for user %s: %d s so far (deadline %d s)%n", Terminal.safe(request.userId()),
                            waited, Math.max(0, (ends - start) / 1_000_000_000L));
                }
            }
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) throw io;
            if (c instanceof RuntimeException re) throw re;
            if (c instanceof Error err) throw err;
            throw new IOException(c);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the extraction", e);
        }
        f.cancel(true);
        throw new IOException(userEnds <= runEnds
                ? "no answer within the deadline per user (--llm-deadline " + seconds(perUser) + ")"
                : "no answer before the run's deadline (--esim-deadline " + seconds(perRun) + ") passed");
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
