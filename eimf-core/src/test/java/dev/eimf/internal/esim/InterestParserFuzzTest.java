package dev.eimf.internal.esim;

import dev.eimf.esim.ExplicitInterest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/**
 * Fuzzes {@link InterestParser#parse}: random bytes in several encodings, valid answers in fences and prose,
 * mutated answers, answers with a random node replaced or removed, huge fields, deep nesting and inputs built
 * to make a naive scanner quadratic. The only outcomes allowed are {@link ParseResult.Parsed} that satisfies the
 * schema (and equals the embedded answer where one is known) or {@link ParseResult.Invalid} with a message;
 * any exception, error or hang fails with the case number, which replays from the seed.
 */
class InterestParserFuzzTest {
    private static final long SEED = 0xF022_A11CEL;
    private static final int CASES = 4000;

    /** One generated input. {@code expected} is the parse it must give, or null when any valid outcome will do. */
    private record Case(String label, String text, int j, int historyLength, List<ExplicitInterest> expected) {}

    @Test
    void parserNeverThrowsAndNeverInvents() {
        assertTimeoutPreemptively(Duration.ofSeconds(300), () -> {
            SplittableRandom rnd = new SplittableRandom(SEED);
            InterestParser strict = new InterestParser();
            InterestParser lenient = new InterestParser(true);
            int parsed = 0;
            int invalid = 0;
            long slowestNanos = 0;
            String slowest = "";
            List<Supplier<Case>> fixed = adversarial();
            int total = CASES + fixed.size();
            for (int n = 0; n < total; n++) {
                Case c = n < fixed.size() ? fixed.get(n).get() : generate(new SplittableRandom(rnd.nextLong()));
                for (InterestParser p : List.of(strict, lenient)) {
                    long t0 = System.nanoTime();
                    ParseResult r;
                    try {
                        r = p.parse(c.text, c.j, c.historyLength);
                    } catch (Throwable e) {
                        throw new AssertionError("case " + n + " (" + c.label + ", " + (c.text == null ? 0 : c.text.length()) + " chars"
                                + (p.acceptsExtra() ? ", accepting extras" : "") + ") threw", e);
                    }
                    long took = System.nanoTime() - t0;
                    if (took > 100_000_000L) {
                        System.out.printf("InterestParser fuzz: case %d (%s) took %.0f ms%n", n, c.label, took / 1e6);
                    }
                    if (took > slowestNanos) {
                        slowestNanos = took;
                        slowest = c.label + " (" + (c.text == null ? 0 : c.text.length()) + " chars)";
                    }
                    if (r instanceof ParseResult.Parsed ok) {
                        parsed++;
                        check(ok, c, p.acceptsExtra(), n);
                    } else {
                        invalid++;
                        String error = ((ParseResult.Invalid) r).error();
                        assertTrue(error != null && !error.isBlank(), "case " + n + ": blank error");
                        if (c.expected != null) fail("case " + n + " (" + c.label + "): expected a parse, got " + error);
                    }
                }
            }
            System.out.printf("InterestParser fuzz: %d cases (%d parses), %d parsed, %d invalid; slowest %.0f ms: %s%n",
                    total, 2 * total, parsed, invalid, slowestNanos / 1e6, slowest);
        });
    }

    private static void check(ParseResult.Parsed ok, Case c, boolean acceptExtra, int n) {
        String at = "case " + n + " (" + c.label + ")";
        assertEquals(c.j, ok.interests().size(), at);
        assertTrue(ok.extraDropped() >= 0 && (acceptExtra || ok.extraDropped() == 0), at);
        Set<String> names = new HashSet<>();
        for (ExplicitInterest i : ok.interests()) {
            assertTrue(!i.name().isBlank() && i.name().equals(i.name().strip()), at + ": name '" + i.name() + "'");
            assertTrue(names.add(i.name().toLowerCase(Locale.ROOT)), at + ": repeated name");
            assertTrue(!i.evidence().isEmpty(), at);
            int prev = 0;
            for (int e : i.evidence()) {
                assertTrue(e > prev && e <= c.historyLength, at + ": evidence " + i.evidence());
                prev = e;
            }
        }
        if (c.expected != null) assertEquals(c.expected, ok.interests(), at);
    }

    // ---- generation ----

    /** Awkward but valid names; control characters, tab and line breaks included, are refused in names. */
    private static final String[] NAME_PARTS = {"Sci-fi", "{space}", "\"quoted\"", "back\\slash", "Caf\u00e9", "\u6f2b\u753b",
        "emoji \ud83c\udfac", "  padded  ", "}]", "```", "Drama", "x"};
    /** Descriptions are prose and may also hold tabs and line breaks. */
    private static final String[] DESCRIPTION_PARTS = {"Sci-fi", "{space}", "\"quoted\"", "back\\slash", "Caf\u00e9",
        "\u6f2b\u753b", "emoji \ud83c\udfac", "  padded  ", "new\nline", "tab\t", "}]", "```", "Drama", "x"};

    /** A valid answer: interests with awkward names, and the parse it must give. */
    private static Case validAnswer(SplittableRandom rnd, String label) {
        int j = rnd.nextInt(1, 6);
        int length = rnd.nextInt(1, 60);
        List<ExplicitInterest> expected = new ArrayList<>();
        JsonArray arr = new JsonArray();
        for (int k = 0; k < j; k++) {
            String name = NAME_PARTS[rnd.nextInt(NAME_PARTS.length)] + " " + k;
            String description = rnd.nextInt(4) == 0 ? "" : DESCRIPTION_PARTS[rnd.nextInt(DESCRIPTION_PARTS.length)] + " d" + k;
            TreeSet<Integer> ev = new TreeSet<>();
            JsonArray evidence = new JsonArray();
            for (int e = rnd.nextInt(1, 5); e > 0; e--) {
                int v = rnd.nextInt(1, length + 1);
                ev.add(v);
                evidence.add(rnd.nextInt(5) == 0 ? lazyNumber(v + ".0") : new JsonPrimitive(v));
            }
            JsonObject o = new JsonObject();
            o.addProperty("name", name);
            o.addProperty("description", description);
            o.add("evidence", evidence);
            arr.add(o);
            expected.add(new ExplicitInterest(name.strip(), description.strip(), List.copyOf(ev)));
        }
        JsonObject root = new JsonObject();
        root.add("interests", arr);
        if (rnd.nextBoolean()) root.addProperty("note", "extra keys are ignored {");
        return new Case(label, root.toString(), j, length, expected);
    }

    private static String wrap(SplittableRandom rnd, String json) {
        return switch (rnd.nextInt(7)) {
            case 0 -> json;
            case 1 -> "```json\n" + json + "\n```";
            case 2 -> "Here you go {as requested}: " + json + " -- hope it helps }{";
            case 3 -> "```\nnot json {x}\n```\nthen\n```JSON \r\n" + json + "```";
            case 4 -> "\ufeff" + json + "\n";
            case 5 -> "Thoughts: \"the user likes {films}\n" + json;  // an unbalanced quote before the answer
            default -> "{\"draft\": true}\n" + json;  // an object without interests first
        };
    }

    private static Case generate(SplittableRandom rnd) {
        int kind = rnd.nextInt(100);
        if (kind < 8) {
            byte[] b = new byte[rnd.nextInt(0, 3000)];
            rnd.nextBytes(b);
            return new Case("random bytes as UTF-8", new String(b, StandardCharsets.UTF_8), rnd.nextInt(1, 6), rnd.nextInt(1, 60), null);
        }
        if (kind < 12) {
            byte[] b = new byte[rnd.nextInt(0, 3000)];
            rnd.nextBytes(b);
            return new Case("random bytes as Latin-1", new String(b, StandardCharsets.ISO_8859_1), rnd.nextInt(1, 6), rnd.nextInt(1, 60), null);
        }
        Case valid = validAnswer(rnd, "valid");
        if (kind < 30) {
            return new Case("valid, wrapped", wrap(rnd, valid.text), valid.j, valid.historyLength, valid.expected);
        }
        if (kind < 36) {
            // Wrong encodings: UTF-16 read as UTF-8 or Latin-1, UTF-8 read as Latin-1 (mojibake).
            byte[] bytes = valid.text.getBytes(rnd.nextBoolean() ? StandardCharsets.UTF_16 : StandardCharsets.UTF_8);
            String text = new String(bytes, rnd.nextBoolean() ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
            return new Case("valid, wrong encoding", wrap(rnd, text), valid.j, valid.historyLength, null);
        }
        if (kind < 70) {
            return new Case("valid, mutated", wrap(rnd, mutate(rnd, valid.text)), valid.j, valid.historyLength, null);
        }
        if (kind < 95) {
            JsonObject root = JsonParser.parseString(valid.text).getAsJsonObject();
            String what = breakNode(rnd, root);
            return new Case("structure: " + what, wrap(rnd, root.toString()), valid.j, valid.historyLength, null);
        }
        // Wrong J or history length for an otherwise valid answer.
        int j = valid.j + (rnd.nextBoolean() ? 1 : -1);
        return new Case("valid, other J", valid.text, Math.max(1, j), valid.historyLength, null);
    }

    private static final String ALPHABET = "{}[]\",:0123456789-+.eE\\ntruefalsnul `\n\t\u00e9\u2028\ud83c";

    private static String mutate(SplittableRandom rnd, String s) {
        StringBuilder sb = new StringBuilder(s);
        for (int m = rnd.nextInt(1, 6); m > 0; m--) {
            int len = sb.length();
            int at = len == 0 ? 0 : rnd.nextInt(len);
            switch (rnd.nextInt(6)) {
                case 0 -> { if (len > 0) sb.deleteCharAt(at); }
                case 1 -> sb.insert(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                case 2 -> { if (len > 0) sb.setCharAt(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length()))); }
                case 3 -> { if (len > 0) sb.insert(at, sb.substring(at, Math.min(len, at + rnd.nextInt(1, 40)))); }
                case 4 -> sb.setLength(at);
                default -> { if (len > 0) sb.setCharAt(at, (char) rnd.nextInt(0, 0x10000)); }
            }
        }
        return sb.toString();
    }

    private static JsonElement randomValue(SplittableRandom rnd) {
        return switch (rnd.nextInt(14)) {
            case 0 -> JsonNull.INSTANCE;
            case 1 -> new JsonPrimitive(true);
            case 2 -> new JsonPrimitive("");
            case 3 -> new JsonPrimitive("   ");
            case 4 -> lazyNumber("1e999999");
            case 5 -> lazyNumber("-0");
            case 6 -> lazyNumber("1.5");
            case 7 -> lazyNumber("99999999999999999999999999");
            case 8 -> lazyNumber("-3");
            case 9 -> new JsonArray();
            case 10 -> new JsonObject();
            case 11 -> {
                JsonArray a = new JsonArray();
                a.add(new JsonPrimitive("1"));
                a.add(new JsonArray());
                yield a;
            }
            case 12 -> lazyNumber("1e-999999");
            default -> new JsonPrimitive("x".repeat(rnd.nextInt(1, 200)));
        };
    }

    /** Replaces, removes or renames one node of a valid answer; returns what it did. */
    private static String breakNode(SplittableRandom rnd, JsonObject root) {
        JsonArray arr = root.getAsJsonArray("interests");
        int which = rnd.nextInt(arr.size());
        JsonObject interest = arr.get(which).getAsJsonObject();
        String[] fields = {"name", "description", "evidence"};
        String field = fields[rnd.nextInt(fields.length)];
        switch (rnd.nextInt(7)) {
            case 0 -> { root.add("interests", randomValue(rnd)); return "interests replaced"; }
            case 1 -> { arr.set(which, randomValue(rnd)); return "interest replaced"; }
            case 2 -> { interest.add(field, randomValue(rnd)); return field + " replaced"; }
            case 3 -> { interest.remove(field); return field + " removed"; }
            case 4 -> {
                JsonArray ev = interest.getAsJsonArray("evidence");
                ev.set(rnd.nextInt(ev.size()), randomValue(rnd));
                return "evidence element replaced";
            }
            case 5 -> { root.remove("interests"); root.add("Interests", arr); return "key renamed"; }
            default -> { arr.add(arr.get(which).deepCopy()); return "interest repeated"; }
        }
    }

    // ---- fixed adversarial inputs (huge, deep, quadratic) ----

    private static List<Supplier<Case>> adversarial() {
        List<Supplier<Case>> out = new ArrayList<>();
        String small = InterestParserTest.json(2);
        out.add(() -> new Case("1M open braces", "{".repeat(1_000_000), 2, 5, null));
        out.add(() -> new Case("1M open braces, then the answer", "{".repeat(1_000_000) + small, 2, 5, null));
        out.add(() -> new Case("200k nested keys", "{\"a\":".repeat(200_000) + "1" + "}".repeat(200_000), 2, 5, null));
        out.add(() -> new Case("unclosed nesting before the answer", "{\"a\":[".repeat(100_000) + small, 2, 5, null));
        out.add(() -> new Case("1M brackets", "[".repeat(1_000_000), 2, 5, null));
        out.add(() -> new Case("500k brace-quote pairs", "{\"".repeat(500_000), 2, 5, null));
        out.add(() -> new Case("300k fences", "```".repeat(300_000), 2, 5, null));
        out.add(() -> new Case("unclosed fence, 2 MB", "```json\n" + "{\"x\":1} ".repeat(250_000), 2, 5, null));
        out.add(() -> new Case("100k fenced objects", "```\n{}\n```\n".repeat(100_000) + small, 2, 5, null));
        out.add(() -> new Case("5 MB prose then the answer", "lorem ipsum ".repeat(450_000) + small, 2, 5,
                List.of(new ExplicitInterest("Interest 1", "d1", List.of(1)), new ExplicitInterest("Interest 2", "d2", List.of(2)))));
        // Read in linear time, then refused: a name is at most InterestParser.MAX_NAME_LENGTH characters.
        out.add(() -> new Case("5 MB name", "{\"interests\":[{\"name\":\"" + "n".repeat(5_000_000)
                + "\",\"description\":\"\",\"evidence\":[1]}]}", 1, 1, null));
        out.add(() -> new Case("200k evidence numbers", "{\"interests\":[{\"name\":\"a\",\"description\":\"\",\"evidence\":["
                + "1,".repeat(200_000) + "2]}]}", 1, 2, List.of(new ExplicitInterest("a", "", List.of(1, 2)))));
        out.add(() -> new Case("200k interests", "{\"interests\":[" + "{\"name\":\"a\",\"description\":\"\",\"evidence\":[1]},".repeat(200_000)
                + "{}]}", 3, 2, null));
        out.add(() -> new Case("10k-deep extra field", "{\"interests\":[{\"name\":\"a\",\"description\":\"\",\"evidence\":[1]}],\"x\":"
                + "[".repeat(10_000) + "]".repeat(10_000) + "}", 1, 1, null));
        out.add(() -> new Case("100k-digit number", "{\"interests\":[{\"name\":\"a\",\"description\":\"\",\"evidence\":["
                + "9".repeat(100_000) + "]}]}", 1, 1, null));
        out.add(() -> new Case("huge exponent", "{\"interests\":[{\"name\":\"a\",\"description\":\"\",\"evidence\":[1e2147483647]}]}", 1, 1, null));
        out.add(() -> new Case("1M backslashes in a string", "{\"interests\":\"" + "\\".repeat(1_000_001), 1, 1, null));
        out.add(() -> new Case("null text", null, 1, 1, null));
        out.add(() -> new Case("NUL bytes", "\u0000".repeat(10_000), 1, 1, null));
        out.add(() -> new Case("lone surrogates", "{\"interests\":[{\"name\":\"\ud800\",\"description\":\"\udfff\",\"evidence\":[1]}]}",
                1, 1, List.of(new ExplicitInterest("\ud800", "\udfff", List.of(1)))));
        return out;
    }

    /** A number as Gson's parser keeps it: its text, not a double (so 1e999999 stays as written). */
    private static JsonPrimitive lazyNumber(String text) {
        return com.google.gson.JsonParser.parseString(text).getAsJsonPrimitive();
    }
}
