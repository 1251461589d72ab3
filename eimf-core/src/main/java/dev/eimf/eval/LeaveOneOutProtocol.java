package dev.eimf.eval;

import dev.eimf.data.Dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Leave-one-out (weak generalisation, docs/METHOD.md, section 6.2): every user is a training user. For a
 * sequence {@code s} of length {@code L >= 3}:
 * <ul>
 *   <li>test case: history {@code s[0..L-2]}, target {@code s[L-1]} (the last item);</li>
 *   <li>validation case: history {@code s[0..L-3]}, target {@code s[L-2]};</li>
 *   <li>training sequence: {@code s[0..L-3]} (all but the last two).</li>
 * </ul>
 * Users with fewer than 3 items follow the SASRec convention: their whole sequence is training data
 * and they have no validation or test case. So {@code valid().size()} and {@code test().size()} equal
 * the number of users with at least 3 items, and {@code trainUsers} lists every user in id order.
 *
 * <p>Deterministic: the seed is not used. Immutable and thread-safe.
 */
public final class LeaveOneOutProtocol implements Protocol {
    /** Protocol name written into {@link Split#protocol()}. */
    public static final String NAME = "loo";

    /** Shortest sequence that gives validation and test cases. */
    public static final int MIN_EVAL_LENGTH = 3;

    @Override
    public Split split(Dataset dataset, long seed) {
        int n = dataset.numUsers();
        int[] trainUsers = new int[n];
        int[][] train = new int[n][];
        List<EvalCase> valid = new ArrayList<>(n);
        List<EvalCase> test = new ArrayList<>(n);
        for (int u = 0; u < n; u++) {
            int[] s = dataset.sequence(u);
            int len = s.length;
            trainUsers[u] = u;
            if (len < MIN_EVAL_LENGTH) {
                train[u] = s.clone();
                continue;
            }
            train[u] = Arrays.copyOfRange(s, 0, len - 2);
            valid.add(new EvalCase(u, Arrays.copyOfRange(s, 0, len - 2), new int[] {s[len - 2]}));
            test.add(new EvalCase(u, Arrays.copyOfRange(s, 0, len - 1), new int[] {s[len - 1]}));
        }
        return new Split(NAME, dataset.numItems(), trainUsers, train, valid, test);
    }

    @Override
    public String toString() {
        return "LeaveOneOutProtocol";
    }
}
