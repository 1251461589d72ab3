package dev.eimf.eval;

import dev.eimf.internal.eval.TopN;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Item-based k-nearest-neighbour baseline on co-occurrence in training sequences.
 *
 * <p>Model. Two items co-occur for a user when both are in the user's training sequence, or, with a
 * {@linkplain ItemKnnConfig#window() window} {@code w > 0}, when they occur at most {@code w}
 * positions apart. A pair counts at most once per user. With {@code c(i,j)} the number of users in
 * whom i and j co-occur and {@code n(i)} the number of users whose sequence contains i, the
 * similarity is the cosine of binary user vectors: {@code sim(i,j) = c(i,j) / sqrt(n(i) n(j))}. Each
 * item keeps its {@linkplain ItemKnnConfig#neighbours() k} most similar items (ties: lower id).
 *
 * <p>Scoring. For a history {@code h_0..h_{L-1}} (oldest first),
 * {@code score(i) = sum_t decay^(L-1-t) * sim(h_t, i)} over the neighbour lists of the history items;
 * {@code decay = 1} (default) weighs all positions equally, smaller values favour recent items.
 * Items reached by no neighbour list score 0; since ids are ranked by frequency and ties rank the
 * lower id first, they fall back to popularity order.
 *
 * <p>Cost. Built row by row with a dense scratch row and a touched list, so memory is
 * O(items + interactions + items·k), never items². Work is the sum over users of L² (whole sequence)
 * or of L·2w (window). Immutable and thread-safe once built.
 */
public final class ItemKnn implements ItemScorer {
    /** One neighbour of an item. */
    public record Neighbour(int item, float similarity) {
    }

    private final ItemKnnConfig config;
    private final int numItems;
    private final int[] start;   // neighbours of item i: [start[i], start[i+1])
    private final int[] nbrItem;
    private final float[] nbrSim;

    private ItemKnn(ItemKnnConfig config, int numItems, int[] start, int[] nbrItem, float[] nbrSim) {
        this.config = config;
        this.numItems = numItems;
        this.start = start;
        this.nbrItem = nbrItem;
        this.nbrSim = nbrSim;
    }

    /** Builds from the training sequences of a split. */
    public static ItemKnn fit(Split split, ItemKnnConfig config) {
        return fit(split.numItems(), split.train(), config);
    }

    /**
     * Builds from training sequences.
     *
     * @param numItems number of real items
     * @param train    sequences of item ids in {@code 1..numItems}, oldest first
     * @param config   neighbours, window and decay
     */
    public static ItemKnn fit(int numItems, int[][] train, ItemKnnConfig config) {
        Objects.requireNonNull(config, "config");
        // Occurrences per item as (user, position), grouped by item, users ascending.
        int[] occCount = new int[numItems + 2];
        for (int u = 0; u < train.length; u++) {
            for (int item : train[u]) {
                if (item < 1 || item > numItems) {
                    throw new IllegalArgumentException("training sequence " + u + " has item id " + item
                            + " outside 1.." + numItems);
                }
                occCount[item + 1]++;
            }
        }
        int[] occStart = new int[numItems + 2];
        for (int i = 1; i <= numItems + 1; i++) {
            occStart[i] = occStart[i - 1] + occCount[i];
        }
        int[] fill = Arrays.copyOf(occStart, numItems + 1);
        int total = occStart[numItems + 1];
        int[] occUser = new int[total];
        int[] occPos = new int[total];
        int[] users = new int[numItems + 1]; // n(i): distinct users containing i
        int[] lastUser = new int[numItems + 1];
        Arrays.fill(lastUser, -1);
        for (int u = 0; u < train.length; u++) {
            int[] s = train[u];
            for (int p = 0; p < s.length; p++) {
                int item = s[p];
                int k = fill[item]++;
                occUser[k] = u;
                occPos[k] = p;
                if (lastUser[item] != u) {
                    lastUser[item] = u;
                    users[item]++;
                }
            }
        }

        int window = config.window();
        int k = config.neighbours();
        int[] co = new int[numItems + 1];
        int[] mark = new int[numItems + 1]; // stamp of the (row, user) pair that last counted j
        int[] touched = new int[numItems];
        float[] sim = new float[numItems + 1];
        int stamp = 0;
        int[] start = new int[numItems + 2];
        int[][] rows = new int[numItems + 1][];
        float[][] rowSims = new float[numItems + 1][];
        for (int i = 1; i <= numItems; i++) {
            int nTouched = 0;
            int prevUser = -1;
            for (int o = occStart[i]; o < occStart[i + 1]; o++) {
                int u = occUser[o];
                if (u != prevUser) {
                    stamp++;
                    prevUser = u;
                } else if (window == 0) {
                    continue; // a repeat of i in the same user adds no new pairs
                }
                int[] s = train[u];
                int p = occPos[o];
                int from = window == 0 ? 0 : Math.max(0, p - window);
                int to = window == 0 ? s.length : Math.min(s.length, p + window + 1);
                for (int q = from; q < to; q++) {
                    int j = s[q];
                    if (j == i || mark[j] == stamp) {
                        continue;
                    }
                    mark[j] = stamp;
                    if (co[j]++ == 0) {
                        touched[nTouched++] = j;
                    }
                }
            }
            for (int t = 0; t < nTouched; t++) {
                int j = touched[t];
                sim[j] = (float) (co[j] / Math.sqrt((double) users[i] * users[j]));
            }
            int[] best = TopN.select(sim, touched, nTouched, k);
            float[] bestSim = new float[best.length];
            for (int t = 0; t < best.length; t++) {
                bestSim[t] = sim[best[t]];
            }
            rows[i] = best;
            rowSims[i] = bestSim;
            for (int t = 0; t < nTouched; t++) {
                co[touched[t]] = 0;
                sim[touched[t]] = 0f;
            }
            start[i + 1] = start[i] + best.length;
        }
        int nnz = start[numItems + 1];
        int[] nbrItem = new int[nnz];
        float[] nbrSim = new float[nnz];
        for (int i = 1; i <= numItems; i++) {
            System.arraycopy(rows[i], 0, nbrItem, start[i], rows[i].length);
            System.arraycopy(rowSims[i], 0, nbrSim, start[i], rowSims[i].length);
        }
        return new ItemKnn(config, numItems, start, nbrItem, nbrSim);
    }

    /** The settings this model was built with. */
    public ItemKnnConfig config() {
        return config;
    }

    /** Number of real items. */
    public int numItems() {
        return numItems;
    }

    /**
     * The kept neighbours of an item, most similar first.
     *
     * @param item an id in {@code 1..numItems}
     */
    public List<Neighbour> neighbours(int item) {
        if (item < 1 || item > numItems) {
            throw new IndexOutOfBoundsException("item id " + item + " not in 1.." + numItems);
        }
        List<Neighbour> out = new ArrayList<>(start[item + 1] - start[item]);
        for (int t = start[item]; t < start[item + 1]; t++) {
            out.add(new Neighbour(nbrItem[t], nbrSim[t]));
        }
        return out;
    }

    @Override
    public void score(int[] history, float[] out) {
        if (out.length != numItems + 1) {
            throw new IllegalArgumentException("score row has length " + out.length + ", expected " + (numItems + 1));
        }
        Arrays.fill(out, 0f);
        double decay = config.recencyDecay();
        double w = 1.0;
        for (int t = history.length - 1; t >= 0; t--) {
            int h = history[t];
            if (h < 1 || h > numItems) {
                throw new IllegalArgumentException("history has item id " + h + " outside 1.." + numItems);
            }
            float wf = (float) w;
            for (int x = start[h]; x < start[h + 1]; x++) {
                out[nbrItem[x]] += wf * nbrSim[x];
            }
            w *= decay;
        }
    }
}
