package dev.eimf.esim;

import java.util.List;
import java.util.Objects;

/**
 * What an extractor will work from, prepared before any expensive call so that the store can be
 * consulted first.
 *
 * @param history       the user's history
 * @param messages      the exact input: the chat messages for an LLM extractor, the rendered history for an
 *                      offline one
 * @param historyLength how many (most recent) history items the input lists; evidence numbers refer to these
 * @param interests     J, the number of interests asked for
 * @param promptHash    {@link Prompt#hashOf} of {@code messages}
 */
public record ExtractionRequest(UserHistory history, List<LlmClient.Message> messages, int historyLength,
                                int interests, String promptHash) {
    public ExtractionRequest {
        Objects.requireNonNull(history, "history");
        messages = List.copyOf(messages);
        Objects.requireNonNull(promptHash, "promptHash");
    }

    /** The user's id. */
    public String userId() {
        return history.userId();
    }
}
