package dev.eimf.internal.serve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * A bounded min-heap of the best items seen so far, worst at the root. "Better" means higher score,
 * then lower id, so the final order is total and does not depend on the order items are offered in.
 * NaN scores count as negative infinity. One instance per call: not thread-safe, never shared.
 */
final class TopNHeap {
    private final int capacity;
    private final int[] ids;
    private final float[] scores;
    private final int[] interests;
    private int size;

    TopNHeap(int capacity) {
        this.capacity = capacity;
        ids = new int[capacity];
        scores = new float[capacity];
        interests = new int[capacity];
    }

    /**
     * A score below which nothing can enter: the worst score once the heap is full, else negative
     * infinity. Scans compare against it first and call {@link #offer} only for scores at or above it
     * (or NaN), which keeps the heap off the hot path.
     */
    float threshold() {
        return size < capacity ? Float.NEGATIVE_INFINITY : scores[0];
    }

    /** True when the heap is full and (score, id) would not displace its worst entry. */
    boolean rejects(int id, float score) {
        if (size < capacity) return false;
        float worst = scores[0];
        return !(score > worst || (score == worst && id < ids[0]));
    }

    /**
     * Offers an item. The exclusion test runs only for items good enough to enter, which keeps a
     * costly predicate off the hot path.
     */
    void offer(int id, float score, int interest, IntPredicate excluded) {
        if (capacity == 0) return;
        if (score != score) score = Float.NEGATIVE_INFINITY;
        if (rejects(id, score)) return;
        if (excluded != null && excluded.test(id)) return;
        if (size < capacity) {
            int i = size++;
            ids[i] = id;
            scores[i] = score;
            interests[i] = interest;
            siftUp(i);
        } else {
            ids[0] = id;
            scores[0] = score;
            interests[0] = interest;
            siftDown(0);
        }
    }

    /** Offers every entry of {@code other} (already filtered); leaves {@code other} unchanged. */
    void offerAll(TopNHeap other) {
        for (int i = 0; i < other.size; i++) {
            offer(other.ids[i], other.scores[i], other.interests[i], null);
        }
    }

    /** The contents, best first. Empties the heap. */
    List<ScoredItem> drainBestFirst() {
        ScoredItem[] out = new ScoredItem[size];
        for (int i = size - 1; i >= 0; i--) {
            out[i] = new ScoredItem(ids[0], scores[0], interests[0]);
            size--;
            if (size > 0) {
                move(size, 0);
                siftDown(0);
            }
        }
        return new ArrayList<>(Arrays.asList(out));
    }

    private boolean worse(int a, int b) {
        return scores[a] < scores[b] || (scores[a] == scores[b] && ids[a] > ids[b]);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!worse(i, p)) break;
            swap(i, p);
            i = p;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) return;
            int w = l;
            int r = l + 1;
            if (r < size && worse(r, l)) w = r;
            if (!worse(w, i)) return;
            swap(i, w);
            i = w;
        }
    }

    private void move(int from, int to) {
        ids[to] = ids[from];
        scores[to] = scores[from];
        interests[to] = interests[from];
    }

    private void swap(int a, int b) {
        int id = ids[a];
        float s = scores[a];
        int k = interests[a];
        move(b, a);
        ids[b] = id;
        scores[b] = s;
        interests[b] = k;
    }
}
