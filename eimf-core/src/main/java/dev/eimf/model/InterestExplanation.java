package dev.eimf.model;

import java.util.List;

/**
 * One of a user's K interests, named by the nearest explicit-interest phrase learned in training (no
 * language model is called).
 *
 * @param interest index k of the interest
 * @param label    the nearest phrase
 * @param cosine   cosine between the interest and the projected phrase (both centred on the phrases' mean)
 * @param items    ids of the history items this interest scores highest, strongest first (at most 5)
 */
public record InterestExplanation(int interest, String label, double cosine, List<String> items) {
    /** Copies. */
    public InterestExplanation {
        items = List.copyOf(items);
    }
}
