package dev.eimf.eval;

import java.util.List;

/**
 * The output of a {@link Protocol}: training sequences and the validation and test cases.
 *
 * @param protocol   protocol name ({@code comirec} or {@code loo})
 * @param numItems   number of real items (item table size is this plus one)
 * @param trainUsers internal user ids whose sequences are in {@code train}, same order
 * @param train      training sequences, oldest first
 * @param valid      validation cases
 * @param test       test cases
 */
public record Split(String protocol, int numItems, int[] trainUsers, int[][] train,
                    List<EvalCase> valid, List<EvalCase> test) {
    public Split {
        if (trainUsers.length != train.length) {
            throw new IllegalArgumentException("trainUsers and train differ in length");
        }
        valid = List.copyOf(valid);
        test = List.copyOf(test);
    }
}
