package dev.eimf.internal.serve;

/**
 * One retrieved item: its internal id, its score {@code max_k <v_k, e_item>} and the interest that
 * attained the maximum (the lowest index when several interests tie).
 *
 * @param itemId   internal item id, {@code 1..catalogue size}
 * @param score    the item's score under the user's best-matching interest
 * @param interest index {@code 0..K-1} of that interest
 */
public record ScoredItem(int itemId, float score, int interest) {
}
