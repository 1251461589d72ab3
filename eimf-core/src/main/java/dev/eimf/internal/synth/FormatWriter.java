package dev.eimf.internal.synth;

import dev.eimf.internal.data.CsvLoader;
import dev.eimf.data.DatasetFormat;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes interaction and item lines in one on-disk format, line by line. One line buffer is reused, so
 * writing tens of millions of lines allocates next to nothing.
 */
abstract class FormatWriter implements Closeable {
    private final Path interactionsFile;
    private final Path itemsFile;
    private final Writer interactions;
    private final Writer items;
    protected final StringBuilder line = new StringBuilder(128);

    private FormatWriter(Path dir, String interactionsName, String itemsName) throws IOException {
        this.interactionsFile = dir.resolve(interactionsName);
        this.itemsFile = dir.resolve(itemsName);
        this.interactions = open(interactionsFile);
        Writer it;
        try {
            it = open(itemsFile);
        } catch (IOException e) {
            interactions.close();
            throw e;
        }
        this.items = it;
    }

    private static Writer open(Path p) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(p), StandardCharsets.UTF_8), 1 << 16);
    }

    static FormatWriter open(Path dir, DatasetFormat format, String name) throws IOException {
        FormatWriter w = switch (format) {
            case CSV -> new Csv(dir);
            case RECBOLE -> new RecBole(dir, name);
            case MOVIELENS -> new MovieLensDat(dir);
        };
        w.header();
        return w;
    }

    List<Path> files() {
        return List.of(interactionsFile, itemsFile);
    }

    /** Writes the header lines, if the format has them. */
    void header() throws IOException {
    }

    abstract void interaction(int user, int item, long timestamp, int rating) throws IOException;

    abstract void item(String id, String title, List<String> categories) throws IOException;

    protected void interactionLine() throws IOException {
        line.append('\n');
        interactions.append(line);
        line.setLength(0);
    }

    protected void itemLine() throws IOException {
        line.append('\n');
        items.append(line);
        line.setLength(0);
    }

    @Override
    public void close() throws IOException {
        try {
            interactions.close();
        } finally {
            items.close();
        }
    }

    /** {@code interactions.csv} and {@code items.csv}. */
    private static final class Csv extends FormatWriter {
        Csv(Path dir) throws IOException {
            super(dir, CsvLoader.INTERACTIONS, CsvLoader.ITEMS);
        }

        @Override
        void header() throws IOException {
            line.append("user,item,timestamp,rating");
            interactionLine();
            line.append("item,title,categories");
            itemLine();
        }

        @Override
        void interaction(int user, int item, long timestamp, int rating) throws IOException {
            line.append(user).append(',').append(item).append(',').append(timestamp).append(',').append(rating);
            interactionLine();
        }

        @Override
        void item(String id, String title, List<String> categories) throws IOException {
            quoted(id);
            line.append(',');
            quoted(title);
            line.append(',');
            quoted(String.join("|", categories));
            itemLine();
        }

        /** RFC 4180 quoting when the value needs it. */
        private void quoted(String s) {
            boolean needs = false;
            for (int i = 0; i < s.length() && !needs; i++) {
                char c = s.charAt(i);
                needs = c == ',' || c == '"' || c == '\n' || c == '\r';
            }
            if (!needs) {
                line.append(s);
                return;
            }
            line.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"') line.append('"');
                line.append(c);
            }
            line.append('"');
        }
    }

    /** RecBole atomic {@code NAME.inter} and {@code NAME.item}. */
    private static final class RecBole extends FormatWriter {
        RecBole(Path dir, String name) throws IOException {
            super(dir, name + ".inter", name + ".item");
        }

        @Override
        void header() throws IOException {
            line.append("user_id:token\titem_id:token\ttimestamp:float");
            interactionLine();
            line.append("item_id:token\ttitle:token\tcategories:token_seq");
            itemLine();
        }

        @Override
        void interaction(int user, int item, long timestamp, int rating) throws IOException {
            line.append(user).append('\t').append(item).append('\t').append(timestamp);
            interactionLine();
        }

        @Override
        void item(String id, String title, List<String> categories) throws IOException {
            // Topic words hold no whitespace, TAB or quote, so the fields need no quoting.
            line.append(id).append('\t').append(title).append('\t').append(String.join(" ", categories));
            itemLine();
        }
    }

    /** MovieLens 1M {@code ratings.dat} and {@code movies.dat}. */
    private static final class MovieLensDat extends FormatWriter {
        MovieLensDat(Path dir) throws IOException {
            super(dir, "ratings.dat", "movies.dat");
        }

        @Override
        void interaction(int user, int item, long timestamp, int rating) throws IOException {
            line.append(user).append("::").append(item).append("::").append(rating).append("::").append(timestamp);
            interactionLine();
        }

        @Override
        void item(String id, String title, List<String> categories) throws IOException {
            line.append(id).append("::").append(title).append("::").append(String.join("|", categories));
            itemLine();
        }
    }
}
