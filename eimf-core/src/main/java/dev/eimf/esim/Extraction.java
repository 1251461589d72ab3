package dev.eimf.esim;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one extraction, with everything needed to audit it later.
 *
 * @param status           {@link Status#OK} when {@code interests} are usable
 * @param reason           for a failure, why; for a success, an optional note (e.g. fewer interests than asked);
 *                         {@code ""} when there is nothing to say
 * @param interests        the interests (empty on failure)
 * @param followUps        repair messages sent after the original prompt, in order
 * @param responses        every raw model answer, in order (the original answer, then repairs)
 * @param promptTokens     prompt tokens over all calls
 * @param completionTokens completion tokens over all calls
 * @param llmCalls         chat requests made (0 for offline extractors)
 */
public record Extraction(Status status, String reason, List<ExplicitInterest> interests, List<String> followUps,
                         List<String> responses, long promptTokens, long completionTokens, int llmCalls) {

    /** Whether an extraction produced usable interests. */
    public enum Status {
        /** Usable interests. */
        OK,
        /** No usable interests; {@code reason} and {@code responses} say why. */
        FAILED
    }

    public Extraction {
        Objects.requireNonNull(status, "status");
        reason = reason == null ? "" : reason;
        interests = List.copyOf(interests);
        followUps = List.copyOf(followUps);
        responses = List.copyOf(responses);
        if (status == Status.OK && interests.isEmpty()) throw new IllegalArgumentException("an OK extraction needs interests");
        if (status == Status.FAILED && !interests.isEmpty()) throw new IllegalArgumentException("a failed extraction has no interests");
    }

    /** True when the interests are usable. */
    public boolean ok() {
        return status == Status.OK;
    }

    /** Prompt plus completion tokens. */
    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
