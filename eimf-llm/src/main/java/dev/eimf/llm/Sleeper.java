package dev.eimf.llm;

import java.time.Duration;

/**
 * Waits between retries. Injected into the clients so that tests can record the delays instead of
 * sleeping.
 */
@FunctionalInterface
public interface Sleeper {
    /** Sleeps on the calling thread with {@link Thread#sleep(long)}. */
    Sleeper SYSTEM = d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);

    /**
     * Waits for the given time.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    void sleep(Duration duration) throws InterruptedException;
}
