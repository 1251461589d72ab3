package dev.eimf.internal.synth;

/**
 * One user's generated sequence in reusable primitive arrays, so that streaming millions of users allocates
 * almost nothing per user. Not thread-safe.
 */
final class UserDraw {
    int user;
    int topicCount;
    final int[] topics;
    final double[] weights;
    int length;
    final int[] items;
    final long[] timestamps;
    final int[] ratings;
    /** Open-addressing set of the user's items (value + 1, 0 = empty), cleared through the slots it used. */
    private final int[] seen;
    private final int[] usedSlots;
    private int used;
    private final int shift;

    UserDraw(SyntheticConfig config) {
        topics = new int[config.maxTopicsPerUser()];
        weights = new double[config.maxTopicsPerUser()];
        int n = config.maxSequenceLength();
        items = new int[n];
        timestamps = new long[n];
        ratings = new int[n];
        // At most a quarter full, so probes stay short.
        int bits = 64 - Long.numberOfLeadingZeros(Math.max(2L, n) * 4 - 1);
        seen = new int[1 << bits];
        shift = 32 - bits;
        usedSlots = new int[n];
    }

    void clear() {
        for (int i = 0; i < used; i++) seen[usedSlots[i]] = 0;
        used = 0;
        length = 0;
        topicCount = 0;
    }

    boolean contains(int item) {
        return seen[find(item)] != 0;
    }

    /** Adds {@code item} unless present; returns whether it was added. */
    boolean add(int item) {
        int s = find(item);
        if (seen[s] != 0) return false;
        seen[s] = item + 1;
        usedSlots[used++] = s;
        return true;
    }

    private int slot(int item) {
        return (item * 0x9E3779B9) >>> shift;
    }

    private int find(int item) {
        int mask = seen.length - 1;
        int s = slot(item);
        while (seen[s] != 0 && seen[s] != item + 1) s = (s + 1) & mask;
        return s;
    }
}
