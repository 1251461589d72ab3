package dev.eimf.spark;

import dev.eimf.data.Dataset;
import dev.eimf.data.ItemCatalog;
import dev.eimf.data.ItemInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Row;

/**
 * A preprocessed dataset as two Spark tables, the distributed form of {@link Dataset}.
 *
 * <ul>
 *   <li>{@code sequences}: {@code user} (int, internal id {@code 0..numUsers-1}), {@code userId} (string,
 *       the id in the input), {@code items} (array of int, internal item ids in time order);</li>
 *   <li>{@code items}: {@code item} (int, internal id {@code 1..numItems}), {@code itemId} (string),
 *       {@code count} (long, interactions after filtering).</li>
 * </ul>
 *
 * @param name      dataset name
 * @param sequences one row per kept user
 * @param items     one row per kept item
 * @param numUsers  rows of {@code sequences}
 * @param numItems  rows of {@code items}
 */
public record SparkData(String name, org.apache.spark.sql.Dataset<Row> sequences,
                        org.apache.spark.sql.Dataset<Row> items, long numUsers, long numItems) {
    public SparkData {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sequences, "sequences");
        Objects.requireNonNull(items, "items");
    }

    /**
     * Collects the tables onto the driver as a single-machine {@link Dataset} (items carry their id only),
     * for training with {@link dev.eimf.train.Trainer} or checking against {@link dev.eimf.data.Preprocessor}.
     *
     * @throws IllegalArgumentException when the dataset has more than {@code Integer.MAX_VALUE - 1} users or items
     */
    public Dataset toDataset() {
        if (numUsers >= Integer.MAX_VALUE || numItems >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": too large for one machine (" + numUsers + " users, "
                    + numItems + " items)");
        }
        String[] users = new String[(int) numUsers];
        int[][] seqs = new int[(int) numUsers][];
        for (Row r : sequences.collectAsList()) {
            int u = r.getInt(r.fieldIndex("user"));
            users[u] = r.getString(r.fieldIndex("userId"));
            List<Integer> it = r.getList(r.fieldIndex("items"));
            int[] s = new int[it.size()];
            for (int j = 0; j < s.length; j++) s[j] = it.get(j);
            seqs[u] = s;
        }
        ItemInfo[] infos = new ItemInfo[(int) numItems];
        for (Row r : items.select("item", "itemId").collectAsList()) {
            infos[r.getInt(0) - 1] = ItemInfo.idOnly(r.getString(1));
        }
        return new Dataset(name, users, seqs, new ItemCatalog(new ArrayList<>(List.of(infos))));
    }
}
