package dev.eimf.internal.synth;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The item side of a synthetic dataset: each item's topic and Zipf popularity, and samplers that draw an item
 * by popularity from the whole catalogue or from one topic. Primitive arrays only (about 28 bytes per item),
 * so a catalogue of millions of items stays small.
 */
final class Catalogue {
    private final int items;
    private final int topics;
    /** Item index at each popularity rank (rank 0 is the most popular); a seeded shuffle, so ids carry no rank. */
    private final int[] itemAtRank;
    private final int[] topicOfItem;
    /** Cumulative popularity over ranks. */
    private final double[] globalCum;
    /** Ranks of each topic's items, ascending, topic t at [topicStart[t], topicStart[t+1]). */
    private final int[] topicStart;
    private final int[] topicRanks;
    private final double[] topicCum;
    /** Cumulative popularity mass of topics, used to pick users' topics so the item marginal stays Zipf-like. */
    private final double[] topicMassCum;

    Catalogue(SyntheticConfig config) {
        this.items = config.items();
        this.topics = config.topics();
        RandomGenerator rng = new SplittableRandom(SyntheticGenerator.mix(config.seed(), -1));
        itemAtRank = new int[items];
        for (int i = 0; i < items; i++) itemAtRank[i] = i;
        for (int i = items - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = itemAtRank[i];
            itemAtRank[i] = itemAtRank[j];
            itemAtRank[j] = tmp;
        }
        // The first `topics` ranks go one to each topic so that every topic has an item and a head item.
        int[] topicAtRank = new int[items];
        int[] counts = new int[topics];
        for (int r = 0; r < items; r++) {
            topicAtRank[r] = r < topics ? r : rng.nextInt(topics);
            counts[topicAtRank[r]]++;
        }
        topicOfItem = new int[items];
        for (int r = 0; r < items; r++) topicOfItem[itemAtRank[r]] = topicAtRank[r];

        double s = config.popularityExponent();
        globalCum = new double[items];
        double acc = 0;
        for (int r = 0; r < items; r++) {
            acc += weight(r, s);
            globalCum[r] = acc;
        }
        topicStart = new int[topics + 1];
        for (int t = 0; t < topics; t++) topicStart[t + 1] = topicStart[t] + counts[t];
        topicRanks = new int[items];
        topicCum = new double[items];
        int[] fill = new int[topics];
        double[] mass = new double[topics];
        for (int r = 0; r < items; r++) {
            int t = topicAtRank[r];
            int k = topicStart[t] + fill[t]++;
            mass[t] += weight(r, s);
            topicRanks[k] = r;
            topicCum[k] = mass[t];
        }
        topicMassCum = new double[topics];
        acc = 0;
        for (int t = 0; t < topics; t++) {
            acc += mass[t];
            topicMassCum[t] = acc;
        }
    }

    private static double weight(int rank, double s) {
        return s == 0 ? 1.0 : Math.pow(rank + 1.0, -s);
    }

    int items() {
        return items;
    }

    int topics() {
        return topics;
    }

    int topicOf(int item) {
        return topicOfItem[item];
    }

    /** An item drawn by popularity from the whole catalogue. */
    int sampleGlobal(RandomGenerator rng) {
        return itemAtRank[search(globalCum, 0, items, rng.nextDouble() * globalCum[items - 1])];
    }

    /** An item of topic {@code t}, drawn by popularity. */
    int sampleTopic(int t, RandomGenerator rng) {
        int from = topicStart[t];
        int to = topicStart[t + 1];
        int k = search(topicCum, from, to, rng.nextDouble() * topicCum[to - 1]);
        return itemAtRank[topicRanks[k]];
    }

    /** Number of items in topic {@code t}. */
    int topicSize(int t) {
        return topicStart[t + 1] - topicStart[t];
    }

    /** The {@code k}-th item of topic {@code t} in popularity order. */
    int topicItem(int t, int k) {
        return itemAtRank[topicRanks[topicStart[t] + k]];
    }

    /** A topic drawn in proportion to its popularity mass. */
    int sampleTopicByMass(RandomGenerator rng) {
        return search(topicMassCum, 0, topics, rng.nextDouble() * topicMassCum[topics - 1]);
    }

    /** First index in [from, to) whose cumulative value exceeds {@code x}; the last index if none does. */
    private static int search(double[] cum, int from, int to, double x) {
        int lo = from;
        int hi = to - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cum[mid] > x) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }
}
