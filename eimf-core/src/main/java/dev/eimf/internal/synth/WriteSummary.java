package dev.eimf.internal.synth;

import dev.eimf.data.DatasetFormat;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link SyntheticGenerator#write} wrote.
 *
 * @param format       the format
 * @param files        the files written: interactions first, then items
 * @param users        number of users
 * @param items        number of items
 * @param interactions number of interactions
 */
public record WriteSummary(DatasetFormat format, List<Path> files, int users, int items, long interactions) {
    public WriteSummary {
        files = List.copyOf(files);
    }
}
