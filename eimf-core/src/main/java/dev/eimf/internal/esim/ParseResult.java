package dev.eimf.internal.esim;

import dev.eimf.esim.ExplicitInterest;

import java.util.List;

/** The outcome of {@link InterestParser#parse}: usable interests, or why the answer is unusable. */
public sealed interface ParseResult permits ParseResult.Parsed, ParseResult.Invalid {

    /** True for {@link Parsed}. */
    default boolean ok() {
        return this instanceof Parsed;
    }

    /**
     * A valid answer.
     *
     * @param interests    exactly J interests, in the model's order
     * @param extraDropped interests beyond J that were cut off (only when the parser accepts extras)
     */
    record Parsed(List<ExplicitInterest> interests, int extraDropped) implements ParseResult {
        public Parsed {
            interests = List.copyOf(interests);
        }
    }

    /**
     * An unusable answer.
     *
     * @param error what is wrong, phrased so that it can be quoted back to the model
     */
    record Invalid(String error) implements ParseResult {}
}
