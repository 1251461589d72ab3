package dev.eimf.data;

import dev.eimf.internal.data.CsvLoader;
import dev.eimf.internal.data.DatasetLoader;
import dev.eimf.internal.data.MovieLensLoader;
import dev.eimf.internal.data.RecBoleLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/** The on-disk formats the SDK reads, each with its loader. */
public enum DatasetFormat {
    /** GroupLens MovieLens, any release . */
    MOVIELENS,
    /** RecBole atomic files {@code NAME.inter} / {@code NAME.item} . */
    RECBOLE,
    /** Plain {@code interactions.csv} / {@code items.csv} . */
    CSV;

    /** A new loader for this format (the loaders are the engine's; {@link DatasetLoaders} is the way in). */
    DatasetLoader loader() {
        return switch (this) {
            case MOVIELENS -> new MovieLensLoader();
            case RECBOLE -> new RecBoleLoader();
            case CSV -> new CsvLoader();
        };
    }

    /**
     * Detects the format from the files in {@code dir}, trying in this order: MovieLens ({@code u.data},
     * {@code ratings.dat}, {@code ratings.csv}), RecBole ({@code *.inter}), CSV ({@code interactions.csv}).
     *
     * @throws NotDirectoryException if {@code dir} is not a directory
     * @throws DataFormatException   if none of those files is present; the message lists what was looked for
     */
    public static DatasetFormat detect(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new NotDirectoryException(dir.toString());
        if (MovieLensLoader.detect(dir).isPresent()) return MOVIELENS;
        if (RecBoleLoader.findName(dir).isPresent()) return RECBOLE;
        if (Files.isRegularFile(dir.resolve(CsvLoader.INTERACTIONS))) return CSV;
        throw new DataFormatException(dir, 0, null, "no known dataset layout; looked for u.data (MovieLens 100K), "
                + "ratings.dat (MovieLens 1M/10M), ratings.csv (MovieLens 20M and later), NAME.inter (RecBole) "
                + "and interactions.csv (CSV)");
    }
}
