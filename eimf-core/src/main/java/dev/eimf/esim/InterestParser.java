package dev.eimf.esim;

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
 * of a balanced object (the brace matching skips string literals, so braces inside strings do not count),
 * and the first object with an {@code "interests"} key wins (else the first object found).
 *
 * <p>Strict: {@code interests} must be an array of exactly J objects, each with a non-blank string
 * {@code name} (distinct, ignoring case), a string {@code description} and a non-empty {@code evidence}
 * array of integers within {@code 1..historyLength}. Evidence numbers are returned sorted and distinct.
 * More than J interests is an error by default, so that the repair step asks for exactly J; with
 * {@code acceptExtra} the first J are kept and the number cut off is reported in the result. Fewer than J
 * is always an error: interests are never invented.
 */
public final class InterestParser {
    private static final Pattern FENCE = Pattern.compile("```[A-Za-z0-9_-]*[ \\t]*\\r?\\n?(.*?)```", Pattern.DOTALL);
    private static final int MAX_STARTS = 2000;

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
     * Parses and validates an answer.
     *
     * @param text          the model's reply
     * @param interests     J, the number of interests asked for
     * @param historyLength the number of items the prompt listed
     */
    public ParseResult parse(String text, int interests, int historyLength) {
        if (text == null || text.isBlank()) return new ParseResult.Invalid("the answer is empty");
        JsonObject root = findObject(text);
        if (root == null) return new ParseResult.Invalid("the answer contains no JSON object");
        return validate(root, interests, historyLength);
    }

    /** The first balanced JSON object in the text (fenced blocks first), or null when there is none. */
    static JsonObject findObject(String text) {
        Matcher m = FENCE.matcher(text);
        while (m.find()) {
            JsonObject o = firstObject(m.group(1));
            if (o != null) return o;
        }
        return firstObject(text);
    }

    private static JsonObject firstObject(String s) {
        JsonObject first = null;
        int starts = 0;
        for (int i = s.indexOf('{'); i >= 0 && starts < MAX_STARTS; i = s.indexOf('{', i + 1), starts++) {
            int end = balancedEnd(s, i);
            if (end < 0) continue;
            JsonObject o = tryParse(s.substring(i, end + 1));
            if (o == null) continue;
            if (o.has("interests")) return o;
            if (first == null) first = o;
        }
        return first;
    }

    /** Index of the brace that closes the object opened at {@code start}, or -1. */
    private static int balancedEnd(String s, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < s.length(); i++) {
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
            out.add(new ExplicitInterest(name, description.strip(), List.copyOf(evidence)));
        }
        return new ParseResult.Parsed(out, list.size() - j);
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
