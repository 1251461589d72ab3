package dev.eimf.eval;

import dev.eimf.data.Dataset;

/**
 * Splits a dataset into training sequences and evaluation cases.
 */
@FunctionalInterface
public interface Protocol {
    /**
     * @param dataset the preprocessed dataset
     * @param seed    seed for every random choice the protocol makes
     * @return the split
     */
    Split split(Dataset dataset, long seed);
}
