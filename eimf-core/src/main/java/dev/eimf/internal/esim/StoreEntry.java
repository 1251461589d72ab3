package dev.eimf.internal.esim;

import dev.eimf.esim.Extraction;
import dev.eimf.esim.LlmClient;

import java.util.List;
import java.util.Objects;

/**
 * One extraction as the {@link InterestStore} keeps it.
 *
 * @param key        extractor, model and prompt hash
 * @param userId     the user whose history produced the prompt (another user with the same prompt reuses it)
 * @param messages   the exact input messages
 * @param extraction status, interests, raw answers, follow-ups and token usage
 */
public record StoreEntry(StoreKey key, String userId, List<LlmClient.Message> messages, Extraction extraction) {
    public StoreEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(userId, "userId");
        messages = List.copyOf(messages);
        Objects.requireNonNull(extraction, "extraction");
    }

    /** True when the extraction produced usable interests. */
    public boolean ok() {
        return extraction.ok();
    }
}
