package dev.eimf.internal.data;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Seeded byte-level and line-level mutations of small valid data files, for the loader fuzz tests. Each call
 * records what it did so that a failing case can be read and reproduced.
 */
final class Mutator {
    /** Bytes that matter to the parsers, tried more often than random ones. */
    private static final byte[] INTERESTING = "\n\r\t\",|:;-.0123456789eE+ '&#x\\".getBytes(StandardCharsets.US_ASCII);

    /** Malformed UTF-8: bad continuation, truncated sequences, lone continuation, surrogate, overlong, 0xFF. */
    private static final byte[][] BAD_UTF8 = {
        {(byte) 0xC3, 0x28}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF0, 0x28, (byte) 0x8C, 0x28}, {(byte) 0x80},
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xFF}, {(byte) 0xFE, (byte) 0xFF},
    };

    /** Values that break number, id and quote parsing. */
    static final String[] NASTY = {
        "", " ", "-1", "-0", "abc", "NaN", "Infinity", "-Infinity", "1e309", "-1e309", "1e-400", "0x1F", "1.5", "1,5",
        "99999999999999999999", "-9223372036854775808", "9223372036854775807", "9223372036854775808", "1e18", "1e19",
        "1e-999999999", "1e999999999", "0.0000000000000000000000001", "1.", ".5", "+5", "5 ", " 5", "\"", "\"open",
        "\"closed\"x", "\"\"", "\u00e9", "\u0000", "1" + "0".repeat(40), "-" + "9".repeat(30), "&#x110000;", "&#0;",
        "&amp", "'unclosed", "'a', 'b'", "'a' 'b'", "::", "|", "(no genres listed)", "\t", "\r", "\uFEFF1",
    };

    private final RandomGenerator rng;
    private final List<String> log = new ArrayList<>();
    private final boolean allowHuge;

    Mutator(RandomGenerator rng, boolean allowHuge) {
        this.rng = rng;
        this.allowHuge = allowHuge;
    }

    /** What was done so far, in order. */
    List<String> log() {
        return log;
    }

    /** Applies one random mutation to {@code in}, given the file's field delimiter. */
    byte[] mutate(byte[] in, String delimiter) {
        int kind = rng.nextInt(allowHuge ? 17 : 16);
        switch (kind) {
            case 0: return insertBytes(in);
            case 1: return replaceBytes(in);
            case 2: return deleteRange(in);
            case 3: {
                int at = in.length == 0 ? 0 : rng.nextInt(in.length + 1);
                log.add("truncate at " + at);
                return Arrays.copyOf(in, at);
            }
            case 4: {
                boolean le = rng.nextBoolean();
                log.add(le ? "re-encode UTF-16LE with BOM" : "re-encode UTF-16BE with BOM");
                String s = new String(in, StandardCharsets.UTF_8);
                byte[] bom = le ? new byte[] {(byte) 0xFF, (byte) 0xFE} : new byte[] {(byte) 0xFE, (byte) 0xFF};
                return concat(bom, s.getBytes(le ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE));
            }
            case 5: {
                byte[] bad = BAD_UTF8[rng.nextInt(BAD_UTF8.length)];
                int at = rng.nextInt(in.length + 1);
                log.add("invalid UTF-8 " + Arrays.toString(bad) + " at " + at);
                return splice(in, at, 0, bad);
            }
            case 6: {
                log.add("UTF-8 BOM prepended");
                return concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, in);
            }
            case 7: return lineOp(in, "drop first line (header)", lines -> { if (!lines.isEmpty()) lines.remove(0); });
            case 8: return lineOp(in, "duplicate a line", lines -> {
                if (!lines.isEmpty()) { int i = rng.nextInt(lines.size()); lines.add(i, lines.get(i)); } });
            case 9: return lineOp(in, "swap two lines", lines -> {
                if (lines.size() > 1) {
                    int i = rng.nextInt(lines.size());
                    int j = rng.nextInt(lines.size());
                    String t = lines.get(i); lines.set(i, lines.get(j)); lines.set(j, t);
                } });
            case 10: return lineOp(in, "extra column", lines -> {
                if (!lines.isEmpty()) { int i = rng.nextInt(lines.size()); lines.set(i, lines.get(i) + delimiter + nasty()); } });
            case 11: return fieldOp(in, delimiter, "drop a column", (fields, k) -> fields.remove(k));
            case 12: return fieldOp(in, delimiter, "nasty field value", (fields, k) -> fields.set(k, nasty()));
            case 13: {
                log.add("line ends -> CR only");
                return new String(in, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace('\n', '\r')
                        .getBytes(StandardCharsets.ISO_8859_1);
            }
            case 14: {
                log.add("line ends -> CRLF");
                return new String(in, StandardCharsets.ISO_8859_1).replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            }
            case 15: {
                log.add("emptied");
                return new byte[0];
            }
            default: return huge(in, delimiter);
        }
    }

    private String nasty() {
        return NASTY[rng.nextInt(NASTY.length)];
    }

    private byte[] insertBytes(byte[] in) {
        int n = 1 + rng.nextInt(8);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = randomByte();
        int at = rng.nextInt(in.length + 1);
        log.add("insert " + Arrays.toString(b) + " at " + at);
        return splice(in, at, 0, b);
    }

    private byte[] replaceBytes(byte[] in) {
        if (in.length == 0) return insertBytes(in);
        byte[] out = in.clone();
        int n = 1 + rng.nextInt(4);
        StringBuilder what = new StringBuilder("replace");
        for (int i = 0; i < n; i++) {
            int at = rng.nextInt(out.length);
            out[at] = randomByte();
            what.append(' ').append(at).append('=').append(out[at]);
        }
        log.add(what.toString());
        return out;
    }

    private byte[] deleteRange(byte[] in) {
        if (in.length == 0) return in;
        int at = rng.nextInt(in.length);
        int n = 1 + rng.nextInt(Math.min(16, in.length - at));
        log.add("delete " + n + " bytes at " + at);
        return splice(in, at, n, new byte[0]);
    }

    private byte randomByte() {
        return rng.nextInt(3) == 0 ? (byte) rng.nextInt(256) : INTERESTING[rng.nextInt(INTERESTING.length)];
    }

    /** A 5 MB field: text, digits, ampersands (HTML references), or an unterminated quote and text. */
    private byte[] huge(byte[] in, String delimiter) {
        int style = rng.nextInt(4);
        int size = 5 << 20;
        String body = switch (style) {
            case 0 -> "Very long title ".repeat(size / 16);
            case 1 -> "7".repeat(size);
            case 2 -> "&".repeat(size);
            default -> "\"" + "q".repeat(size);
        };
        log.add("5 MB field, style " + style);
        return fieldOp(in, delimiter, null, (fields, k) -> fields.set(k, body));
    }

    private interface LineEdit {
        void apply(List<String> lines);
    }

    private interface FieldEdit {
        void apply(List<String> fields, int k);
    }

    /** Edits the file as lines of Latin-1 text, which maps bytes one to one, so any byte survives. */
    private byte[] lineOp(byte[] in, String what, LineEdit edit) {
        log.add(what);
        String s = new String(in, StandardCharsets.ISO_8859_1);
        boolean trailing = s.endsWith("\n");
        List<String> lines = new ArrayList<>(Arrays.asList(s.split("\n", -1)));
        if (trailing) lines.remove(lines.size() - 1);
        edit.apply(lines);
        String out = String.join("\n", lines) + (trailing ? "\n" : "");
        return latin1OrUtf8(out);
    }

    private byte[] fieldOp(byte[] in, String delimiter, String what, FieldEdit edit) {
        return lineOp(in, what == null ? "field edit" : what, lines -> {
            if (lines.isEmpty()) lines.add("");
            int i = rng.nextInt(lines.size());
            List<String> fields = new ArrayList<>(Arrays.asList(lines.get(i).split(java.util.regex.Pattern.quote(delimiter), -1)));
            int k = rng.nextInt(fields.size());
            edit.apply(fields, k);
            lines.set(i, String.join(delimiter, fields));
            log.add("  on line " + (i + 1) + ", field " + (k + 1));
        });
    }

    /** Latin-1 where every char fits (the original bytes), else UTF-8 for inserted non-Latin-1 values. */
    private static byte[] latin1OrUtf8(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xFF) return s.getBytes(StandardCharsets.UTF_8);
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] splice(byte[] in, int at, int remove, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + insert.length);
        out.write(in, 0, at);
        out.write(insert, 0, insert.length);
        out.write(in, at + remove, in.length - at - remove);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return splice(b, 0, 0, a);
    }
}
