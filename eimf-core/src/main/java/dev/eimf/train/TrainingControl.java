package dev.eimf.train;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stops a training run from any thread: after {@link #cancel()} the run ends at its next step, keeps its
 * best validated weights, writes its checkpoint (with a work directory, so a later run can continue) and
 * returns normally with {@link StopReason#CANCELLED}. Interrupting the training thread does the same (the
 * thread's interrupt status is restored before {@code train} returns), so {@code Future.cancel(true)}
 * works for runs submitted to an executor. One control per run; thread-safe.
 */
public final class TrainingControl {
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean interrupted = new AtomicBoolean();

    /** Asks the run to stop at its next step. */
    public void cancel() {
        cancelled.set(true);
    }

    /** Whether {@link #cancel()} was called or the training thread was interrupted. */
    public boolean isCancelled() {
        return cancelled.get();
    }

    /** Polled by the trainer after every step; clears and remembers an interrupt so that saves still work. */
    boolean poll() {
        if (Thread.interrupted()) {
            interrupted.set(true);
            cancelled.set(true);
        }
        return cancelled.get();
    }

    /** Puts back an interrupt the run consumed. */
    void restoreInterrupt() {
        if (interrupted.get()) {
            Thread.currentThread().interrupt();
        }
    }
}
