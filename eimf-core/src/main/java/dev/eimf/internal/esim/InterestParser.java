package dev.eimf.internal.esim;

import dev.eimf.esim.ExplicitInterest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/**
 * Reads a model's answer tolerantly and validates it strictly.
 *
 * <p>Tolerant: the JSON object may sit inside a {@code ```json} fence or be surrounded by prose. Fenced
 * blocks are tried first, then the whole text; within each, every opening brace is tried in order as the start
 * of a balanced object (the brace matching skips string literals, so braces inside strings do not count).
 * The first object with an {@code "interests"} key wins, from a fence before the whole text (a fence that a
 * {@code ```} inside a string cut short does not hide the answer); failing that, the first object found. The
 * search examines at most {@value #MAX_SCAN} characters in all, so no input makes it slow.
 *
 * <p>Strict: {@code interests} must be an array of exactly J objects, each with a non-blank string
 * {@code name} (distinct, ignoring case), a string {@code description} and a non-empty {@code evidence}
 * array of integers within {@code 1..historyLength}. Evidence numbers are returned sorted and distinct.
 * More than J interests is an error by default, so that the repair step asks for exactly J; with
 * {@code acceptExtra} the first J are kept and the number cut off is reported in the result. Fewer than J
 * is always an error: interests are never invented.
 *
 * <p>Names and descriptions are printed on terminals and stored, so a name that holds a control character (C0,
 * DEL, C1, or a bidirectional override), or a description that holds one other than tab, line feed and carriage
 * return (a description is prose and may be wrapped), is rejected, never stripped: the answer is invalid and the
 * repair step asks again. A name may be at most {@value #MAX_NAME_LENGTH} characters and a description at most
 * {@value #MAX_DESCRIPTION_LENGTH}; {@link #problem(ExplicitInterest)} applies the same rules to interests from
 * any extractor.
 */
public final class InterestParser {
    private static final Pattern FENCE = Pattern.compile("```[A-Za-z0-9_-]*[ \\t]*\\r?\\n?(.*?)```", Pattern.DOTALL);
    private static final int MAX_STARTS = 2000;
    /** Characters examined (scanned or parsed) while looking for the object, at most; real answers need far fewer. */
    static final long MAX_SCAN = 20_000_000L;

    /** Longest interest name accepted, in characters: a name is a short phrase. */
    public static final int MAX_NAME_LENGTH = 100;
    /** Longest interest description accepted, in characters: a sentence or two. */
    public static final int MAX_DESCRIPTION_LENGTH = 1000;

    private final boolean acceptExtra;

    /** A parser that rejects more than J interests. */
    public InterestParser() {
        this(false);
    }

    /**
     * @param acceptExtra keep the first J interests when the model gives more (and report how many were cut)
     */
    public InterestParser(boolean acceptExtra) {
        this.acceptExtra = acceptExtra;
    }

    /** Whether answers with more than J interests are truncated instead of rejected. */
    public boolean acceptsExtra() {
        return acceptExtra;
    }

    /**
     * Parses and validates an answer. Never throws: whatever the text, the result is a valid parse or an
     * {@link ParseResult.Invalid} saying what is wrong.
     *
     * @param text          the model's reply (null is treated as empty)
     * @param interests     J, the number of interests asked for
     * @param historyLength the number of items the prompt listed
     */
    public ParseResult parse(String text, int interests, int historyLength) {
        if (text == null || text.isBlank()) return new ParseResult.Invalid("the answer is empty");
        Search search = new Search();
        JsonObject root = findObject(text, search);
        if (root == null) {
            return new ParseResult.Invalid("the answer contains no JSON object" + (search.budget > 0 ? ""
                    : " (the search stopped after " + MAX_SCAN + " characters)"));
        }
        return validate(root, interests, historyLength);
    }

    /** The work left for one answer's search, so that no text makes it quadratic. */
    private static final class Search {
        long budget = MAX_SCAN;
    }

    /**
     * The first object with an {@code "interests"} key in a fenced block, else in the whole text; failing that,
     * the first object found (fenced blocks first); null when there is none.
     */
    static JsonObject findObject(String text) {
        return findObject(text, new Search());
    }

    private static JsonObject findObject(String text, Search search) {
        JsonObject fallback = null;
        Matcher m = FENCE.matcher(text);
        while (search.budget > 0 && m.find()) {
            search.budget -= m.end() - m.start();
            JsonObject o = firstObject(m.group(1), search);
            if (o != null && o.has("interests")) return o;
            if (fallback == null) fallback = o;
        }
        JsonObject o = firstObject(text, search);
        if (o != null && o.has("interests")) return o;
        return fallback != null ? fallback : o;
    }

    private static JsonObject firstObject(String s, Search search) {
        JsonObject first = null;
        int starts = 0;
        for (int i = s.indexOf('{'); i >= 0 && starts < MAX_STARTS && search.budget > 0; i = s.indexOf('{', i + 1), starts++) {
            int end = balancedEnd(s, i, search);
            if (end < 0) continue;
            search.budget -= end + 1 - i;  // what parsing the candidate costs
            JsonObject o = tryParse(s.substring(i, end + 1));
            if (o == null) continue;
            if (o.has("interests")) return o;
            if (first == null) first = o;
        }
        return first;
    }

    /** Index of the brace that closes the object opened at {@code start}, or -1 (also when the budget runs out). */
    private static int balancedEnd(String s, int start, Search search) {
        int depth = 0;
        boolean inString = false;
        int limit = (int) Math.min(s.length(), start + search.budget);
        int i = start;
        try {
            for (; i < limit; i++) {
                char c = s.charAt(i);
                if (inString) {
                    if (c == '\\') i++;
                    else if (c == '"') inString = false;
                } else if (c == '"') {
                    inString = true;
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                    if (depth == 0) return c == '}' ? i : -1;
                    if (depth < 0) return -1;
                }
            }
            return -1;
        } finally {
            search.budget -= Math.min(i, s.length()) - start;
        }
    }

    private static JsonObject tryParse(String candidate) {
        try {
            JsonElement e = JsonParser.parseString(candidate);
            return e.isJsonObject() ? e.getAsJsonObject() : null;
        } catch (JsonParseException | IllegalStateException e) {
            return null;
        }
    }

    private ParseResult validate(JsonObject root, int j, int historyLength) {
        JsonElement arr = root.get("interests");
        if (arr == null) return invalid("the JSON object has no \"interests\" field");
        if (!arr.isJsonArray()) return invalid("\"interests\" must be an array");
        JsonArray list = arr.getAsJsonArray();
        if (list.size() < j) {
            return invalid("expected exactly " + j + " interests but got " + list.size());
        }
        if (list.size() > j && !acceptExtra) {
            return invalid("expected exactly " + j + " interests but got " + list.size());
        }
        List<ExplicitInterest> out = new ArrayList<>(j);
        Set<String> names = new HashSet<>();
        for (int k = 0; k < j; k++) {
            String at = "interests[" + k + "]";
            JsonElement e = list.get(k);
            if (!e.isJsonObject()) return invalid(at + " must be an object");
            JsonObject o = e.getAsJsonObject();
            String name = string(o, "name");
            if (name == null) return invalid(at + ".name is missing or not a string");
            name = name.strip();
            if (name.isEmpty()) return invalid(at + ".name is empty");
            if (!names.add(name.toLowerCase(Locale.ROOT))) return invalid(at + ".name \"" + name + "\" repeats an earlier interest");
            String description = string(o, "description");
            if (description == null) return invalid(at + ".description is missing or not a string");
            JsonElement ev = o.get("evidence");
            if (ev == null || !ev.isJsonArray()) return invalid(at + ".evidence is missing or not an array");
            if (ev.getAsJsonArray().isEmpty()) return invalid(at + ".evidence is empty");
            TreeSet<Integer> evidence = new TreeSet<>();
            int idx = 0;
            for (JsonElement n : ev.getAsJsonArray()) {
                Integer number = integer(n);
                if (number == null) return invalid(at + ".evidence[" + idx + "] is not an integer item number");
                if (number < 1 || number > historyLength) {
                    return invalid(at + ".evidence[" + idx + "] = " + number + " is outside 1.." + historyLength);
                }
                evidence.add(number);
                idx++;
            }
            ExplicitInterest interest = new ExplicitInterest(name, description.strip(), List.copyOf(evidence));
            String problem = problem(interest);
            if (problem != null) return invalid(at + "." + problem);
            out.add(interest);
        }
        return new ParseResult.Parsed(out, list.size() - j);
    }

    /**
     * What makes an interest unfit to store and print, or null when it is fit: a control character (C0, DEL,
     * C1, bidirectional override) in its name, or one other than tab, LF and CR in its description, or a name longer than {@value #MAX_NAME_LENGTH} or
     * a description longer than {@value #MAX_DESCRIPTION_LENGTH} characters. The text starts with the field,
     * e.g. {@code name holds the control character U+001B at position 3}.
     */
    public static String problem(ExplicitInterest interest) {
        String p = problem("name", interest.name(), MAX_NAME_LENGTH, false);
        return p != null ? p : problem("description", interest.description(), MAX_DESCRIPTION_LENGTH, true);
    }

    private static String problem(String field, String text, int maxLength, boolean prose) {
        if (text.length() > maxLength) {
            return field + " is " + text.length() + " characters long, more than " + maxLength;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isControl(c) && !(prose && (c == '\t' || c == '\n' || c == '\r'))) {
                return String.format(Locale.ROOT, "%s holds the control character U+%04X at position %d", field, (int) c, i + 1);
            }
        }
        return null;
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
                || c == 0x200e || c == 0x200f || c == 0x061c;
    }

    private static String string(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) return null;
        return e.getAsString();
    }

    private static Integer integer(JsonElement e) {
        if (!e.isJsonPrimitive()) return null;
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (!p.isNumber()) return null;
        double d = p.getAsDouble();
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) return null;
        return (int) d;
    }

    private static ParseResult invalid(String error) {
        return new ParseResult.Invalid(error);
    }
}
