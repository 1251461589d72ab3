package dev.eimf.internal.model;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.eimf.data.ItemCatalog;
import dev.eimf.data.ItemInfo;
import dev.eimf.internal.io.ModelFormatException;
import dev.eimf.internal.io.SafeFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The item text of a saved model: UTF-8 JSON Lines, one object per item in internal-id order,
 * {@code {"id":..,"title":..,"categories":[..],"brand":..,"description":..}}, {@code \n} line ends.
 */
final class ItemsFile {
    /** File name inside a model directory. */
    static final String NAME = "items.jsonl";

    /** Without a declared size, the most bytes of text one item may have. */
    static final long MAX_BYTES_PER_ITEM = 1L << 20;

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private ItemsFile() {
    }

    static byte[] encode(ItemCatalog catalog) {
        StringBuilder sb = new StringBuilder();
        for (ItemInfo it : catalog.items()) {
            JsonObject o = new JsonObject();
            o.addProperty("id", it.externalId());
            o.addProperty("title", it.title());
            JsonArray cats = new JsonArray();
            it.categories().forEach(cats::add);
            o.add("categories", cats);
            o.addProperty("brand", it.brand());
            o.addProperty("description", it.description());
            sb.append(GSON.toJson(o)).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * Reads and checks the item file.
     *
     * @param ids    the external ids the model archive lists, in internal order
     * @param sha256 the digest the archive records
     * @param bytes  the size the archive records, or -1 when it records none (then at most
     *               {@value #MAX_BYTES_PER_ITEM} bytes per item)
     */
    static ItemCatalog read(Path file, List<String> ids, String sha256, long declared) throws IOException {
        long limit = declared >= 0 ? declared : MAX_BYTES_PER_ITEM * (ids.size() + 1L);
        byte[] bytes;
        try {
            SafeFiles.regularFile(file, "item file");
            long size = Files.size(file);
            if (declared >= 0 && size != declared) {
                throw new ModelFormatException(file, "has " + size + " bytes, but " + ModelStore.MODEL_FILE
                        + " declares " + declared + ": the item file is damaged or belongs to another model");
            }
            bytes = SafeFiles.readAll(file, limit, "item file");
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(file, "missing: a saved model needs its item file " + NAME
                    + " beside " + ModelStore.MODEL_FILE);
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new ModelFormatException(file, e.getMessage().startsWith(file.toString())
                    ? e.getMessage().substring(file.toString().length() + 2) : e.getMessage());
        }
        String actual = sha256(bytes);
        if (!actual.equals(sha256)) {
            throw new ModelFormatException(file, "SHA-256 " + actual + " differs from " + sha256 + " recorded in "
                    + ModelStore.MODEL_FILE + ": the item file is damaged or belongs to another model");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ModelFormatException(file, "not valid UTF-8");
        }
        String[] lines = text.split("\n", -1);
        int n = lines.length - 1; // the text ends with a line break
        if (!lines[n].isEmpty() || n != ids.size()) {
            throw new ModelFormatException(file, "has " + (lines[n].isEmpty() ? n : n + 1) + " lines, expected one per item ("
                    + ids.size() + ")");
        }
        List<ItemInfo> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String where = "line " + (i + 1);
            try {
                JsonObject o = JsonParser.parseString(lines[i]).getAsJsonObject();
                String id = string(o, "id");
                if (!id.equals(ids.get(i))) {
                    throw new ModelFormatException(file, where + ": item id '" + id + "' but the model has '" + ids.get(i)
                            + "' at internal id " + (i + 1));
                }
                List<String> cats = new ArrayList<>();
                JsonElement c = o.get("categories");
                if (c != null && !c.isJsonNull()) {
                    for (JsonElement e : c.getAsJsonArray()) cats.add(e.getAsString());
                }
                items.add(new ItemInfo(id, string(o, "title"), cats, string(o, "brand"), string(o, "description")));
            } catch (ModelFormatException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ModelFormatException(file, where + ": not an item object: " + e.getMessage());
            }
        }
        return new ItemCatalog(items);
    }

    private static String string(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() ? "" : e.getAsString();
    }
}
