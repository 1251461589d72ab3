package dev.eimf.eval;

import dev.eimf.data.Dataset;
import dev.eimf.data.ItemCatalog;
import dev.eimf.data.ItemInfo;

import java.util.ArrayList;
import java.util.List;

/** In-memory datasets for the evaluation tests. */
final class EvalFixtures {
    private EvalFixtures() {
    }

    static Dataset dataset(int numItems, int[][] sequences) {
        String[] users = new String[sequences.length];
        for (int u = 0; u < users.length; u++) users[u] = "u" + u;
        List<ItemInfo> items = new ArrayList<>();
        for (int i = 1; i <= numItems; i++) items.add(ItemInfo.idOnly("i" + i));
        return new Dataset("test", users, sequences, new ItemCatalog(items));
    }

    /** {@code numUsers} users; user u has {@code 5 + u % 17} items, cycling through 1..numItems. */
    static Dataset synthetic(int numUsers, int numItems) {
        int[][] seqs = new int[numUsers][];
        for (int u = 0; u < numUsers; u++) {
            seqs[u] = new int[5 + u % 17];
            for (int p = 0; p < seqs[u].length; p++) seqs[u][p] = 1 + (u * 7 + p * 3) % numItems;
        }
        return dataset(numItems, seqs);
    }
}
