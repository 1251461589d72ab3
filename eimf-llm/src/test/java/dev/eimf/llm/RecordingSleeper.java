package dev.eimf.llm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Records the requested delays instead of sleeping, so retry tests run at once. */
final class RecordingSleeper implements Sleeper {
    private final List<Duration> delays = new ArrayList<>();

    @Override
    public synchronized void sleep(Duration duration) {
        delays.add(duration);
    }

    synchronized List<Duration> delays() {
        return List.copyOf(delays);
    }
}
