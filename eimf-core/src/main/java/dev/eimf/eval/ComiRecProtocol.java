package dev.eimf.eval;

import dev.eimf.eval.UserShuffle;

import dev.eimf.data.Dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * ComiRec's strong-generalisation protocol (docs/METHOD.md, section 6.1): the users, not the interactions, are
 * split. Users are shuffled with the seed and cut 8:1:1 at {@code int(0.8 n)} and
 * {@code int(0.9 n)}; the first part are training users and keep their whole sequence. A validation
 * or test user with a sequence of length {@code L} gives one {@link EvalCase}: history = the first
 * {@code int(0.8 L)} items, targets = the rest (ComiRec's {@code k = int(len * 0.8)}).
 *
 * <p>The history is the whole prefix; ComiRec's data iterator then feeds only its last
 * {@code maxlen} items to the model, which is the model's input truncation, not the protocol's.
 *
 * <p>The users are shuffled in internal-id order {@code 0..n-1}. To reproduce a split made by the
 * ComiRec Python code, the dataset's internal user ids must follow the same order as the Python
 * user list (first appearance in the raw file) and the shuffle must be {@link UserShuffle#CPYTHON}.
 *
 * <p>Every user needs at least two items so that both history and targets are non-empty; a dataset
 * with a shorter sequence is rejected (apply a k-core filter first: ComiRec uses 5). The check is on
 * all users, so whether a dataset is accepted does not depend on the seed.
 *
 * <p>Immutable and thread-safe.
 */
public final class ComiRecProtocol implements Protocol {
    /** Protocol name written into {@link Split#protocol()}. */
    public static final String NAME = "comirec";

    private final double trainCut;
    private final double validCut;
    private final double historyFraction;
    private final UserShuffle shuffle;

    private ComiRecProtocol(Builder b) {
        this.trainCut = b.trainCut;
        this.validCut = b.validCut;
        this.historyFraction = b.historyFraction;
        this.shuffle = b.shuffle;
    }

    /** The protocol with ComiRec's fractions (0.8, 0.9, 0.8) and the {@link UserShuffle#JAVA} shuffle. */
    public static ComiRecProtocol defaults() {
        return builder().build();
    }

    /** A builder starting from ComiRec's fractions and the {@link UserShuffle#JAVA} shuffle. */
    public static Builder builder() {
        return new Builder();
    }

    /** Fraction of users (cumulative) before the first cut: training users. */
    public double trainCut() { return trainCut; }

    /** Fraction of users (cumulative) before the second cut: training plus validation users. */
    public double validCut() { return validCut; }

    /** Fraction of an evaluation user's sequence given as history. */
    public double historyFraction() { return historyFraction; }

    /** The shuffle used. */
    public UserShuffle shuffle() { return shuffle; }

    @Override
    public Split split(Dataset dataset, long seed) {
        int n = dataset.numUsers();
        for (int u = 0; u < n; u++) {
            if (dataset.sequence(u).length < 2) {
                throw new IllegalArgumentException("dataset " + dataset.name() + ": user " + dataset.userId(u)
                        + " has " + dataset.sequence(u).length + " item(s); the ComiRec protocol needs at least 2"
                        + " per user (apply a k-core filter first)");
            }
        }
        int[] order = new int[n];
        for (int u = 0; u < n; u++) {
            order[u] = u;
        }
        shuffle.shuffle(order, seed);
        // Same double arithmetic as Python's int(n * 0.8): multiply, then truncate.
        int cut1 = (int) (n * trainCut);
        int cut2 = (int) (n * validCut);

        int[] trainUsers = Arrays.copyOfRange(order, 0, cut1);
        int[][] train = new int[cut1][];
        for (int i = 0; i < cut1; i++) {
            train[i] = dataset.sequence(trainUsers[i]).clone();
        }
        List<EvalCase> valid = cases(dataset, order, cut1, cut2);
        List<EvalCase> test = cases(dataset, order, cut2, n);
        return new Split(NAME, dataset.numItems(), trainUsers, train, valid, test);
    }

    private List<EvalCase> cases(Dataset dataset, int[] order, int from, int to) {
        List<EvalCase> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            int user = order[i];
            int[] seq = dataset.sequence(user);
            int k = historyCut(seq.length);
            out.add(new EvalCase(user, Arrays.copyOfRange(seq, 0, k), Arrays.copyOfRange(seq, k, seq.length)));
        }
        return out;
    }

    /**
     * The history length for a sequence of {@code length} items: {@code int(length * historyFraction)},
     * kept within {@code [1, length - 1]} so that history and targets are never empty. With the
     * default 0.8 the clamp never acts for {@code length >= 2}, so the cut equals ComiRec's.
     *
     * @param length sequence length, at least 2
     * @return number of history items
     */
    public int historyCut(int length) {
        int k = (int) (length * historyFraction);
        return Math.max(1, Math.min(length - 1, k));
    }

    @Override
    public String toString() {
        return "ComiRecProtocol[trainCut=" + trainCut + ", validCut=" + validCut
                + ", historyFraction=" + historyFraction + ", shuffle=" + shuffle + "]";
    }

    /** Builder; validated by {@link #build()}. */
    public static final class Builder {
        private double trainCut = 0.8;
        private double validCut = 0.9;
        private double historyFraction = 0.8;
        private UserShuffle shuffle = UserShuffle.JAVA;

        private Builder() {
        }

        /** Cumulative fraction of users that are training users (default 0.8). */
        public Builder trainCut(double v) { this.trainCut = v; return this; }

        /** Cumulative fraction of users that are training or validation users (default 0.9). */
        public Builder validCut(double v) { this.validCut = v; return this; }

        /** Fraction of an evaluation user's sequence given as history (default 0.8). */
        public Builder historyFraction(double v) { this.historyFraction = v; return this; }

        /** The user shuffle (default {@link UserShuffle#JAVA}). */
        public Builder shuffle(UserShuffle v) { this.shuffle = Objects.requireNonNull(v, "shuffle"); return this; }

        /** Validates and builds. */
        public ComiRecProtocol build() {
            if (!(trainCut > 0 && trainCut <= validCut && validCut <= 1)) {
                throw new IllegalArgumentException("need 0 < trainCut <= validCut <= 1, got trainCut="
                        + trainCut + ", validCut=" + validCut);
            }
            if (!(historyFraction > 0 && historyFraction < 1)) {
                throw new IllegalArgumentException("historyFraction must be in (0, 1), got " + historyFraction);
            }
            return new ComiRecProtocol(this);
        }
    }
}
