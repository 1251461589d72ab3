package dev.eimf.esim;

import java.util.List;
import java.util.Objects;

/**
 * One explicit semantic interest with its provenance.
 *
 * @param name        a short name, non-blank
 * @param description a sentence or two; may be empty
 * @param evidence    1-based numbers of the history items (as numbered in the prompt) that support it
 */
public record ExplicitInterest(String name, String description, List<Integer> evidence) {
    public ExplicitInterest {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) throw new IllegalArgumentException("interest name must not be blank");
        description = description == null ? "" : description;
        evidence = List.copyOf(evidence);
    }

    /** The text that the text encoder turns into this interest's vector: name, then description. */
    public String encoderText() {
        return description.isEmpty() ? name : name + ". " + description;
    }
}
