package dev.eimf.internal.data;

import dev.eimf.data.DataFormatException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Text clean-up for item metadata: HTML entities and list-literal category paths. */
final class ItemText {
    private ItemText() {}

    private static final String[] LATIN1_NAMES = (
            "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 "
            + "acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde "
            + "Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute "
            + "Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde "
            + "auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute "
            + "ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml").split(" ");

    /** Windows-1252 characters for 0x80..0x9F, which HTML maps numeric references in that range to. */
    private static final String CP1252_80_9F =
            "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F"
            + "\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178";

    private static final Map<String, String> NAMED = new HashMap<>();

    static {
        for (int i = 0; i < LATIN1_NAMES.length; i++) NAMED.put(LATIN1_NAMES[i], String.valueOf((char) (160 + i)));
        // A non-breaking space becomes a plain space so that titles can be trimmed and tokenised.
        NAMED.put("nbsp", " ");
        String[][] more = {
            {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"},
            {"trade", "\u2122"}, {"bull", "\u2022"}, {"hellip", "\u2026"}, {"mdash", "\u2014"}, {"ndash", "\u2013"},
            {"lsquo", "\u2018"}, {"rsquo", "\u2019"}, {"ldquo", "\u201C"}, {"rdquo", "\u201D"}, {"sbquo", "\u201A"},
            {"bdquo", "\u201E"}, {"euro", "\u20AC"}, {"hearts", "\u2665"}, {"spades", "\u2660"}, {"clubs", "\u2663"},
            {"diams", "\u2666"}, {"star", "\u2606"}, {"dagger", "\u2020"}, {"Dagger", "\u2021"}, {"permil", "\u2030"},
            {"OElig", "\u0152"}, {"oelig", "\u0153"}, {"Scaron", "\u0160"}, {"scaron", "\u0161"}, {"Yuml", "\u0178"},
            {"fnof", "\u0192"}, {"circ", "\u02C6"}, {"tilde", "\u02DC"}, {"ensp", " "}, {"emsp", " "}, {"thinsp", " "},
            {"larr", "\u2190"}, {"rarr", "\u2192"}, {"uarr", "\u2191"}, {"darr", "\u2193"}, {"minus", "\u2212"},
            {"le", "\u2264"}, {"ge", "\u2265"}, {"ne", "\u2260"}, {"infin", "\u221E"}, {"alpha", "\u03B1"},
            {"beta", "\u03B2"}, {"mu", "\u03BC"}, {"pi", "\u03C0"}, {"Omega", "\u03A9"}, {"omega", "\u03C9"}
        };
        for (String[] kv : more) NAMED.put(kv[0], kv[1]);
    }

    /**
     * Decodes HTML character references once ({@code &amp;quot;} becomes {@code &quot;}): named ones from
     * Latin-1 and a set of common symbols, and numeric ones in decimal or hex, where 128..159 are read as
     * Windows-1252 like browsers do. Unknown or malformed references are left as they are.
     */
    static String decodeHtml(String s) {
        int amp = s.indexOf('&');
        if (amp < 0) return s;
        StringBuilder sb = new StringBuilder(s.length());
        int i = 0;
        while (amp >= 0) {
            sb.append(s, i, amp);
            // References are short: look for the ';' only nearby, or a text of many '&' takes quadratic time.
            int semi = -1;
            for (int k = amp + 1, end = Math.min(s.length(), amp + 13); k < end && semi < 0; k++) {
                if (s.charAt(k) == ';') semi = k;
            }
            String decoded = null;
            if (semi > amp + 1) decoded = reference(s.substring(amp + 1, semi));
            if (decoded != null) {
                sb.append(decoded);
                i = semi + 1;
            } else {
                sb.append('&');
                i = amp + 1;
            }
            amp = s.indexOf('&', i);
        }
        sb.append(s, i, s.length());
        return sb.toString();
    }

    private static String reference(String ref) {
        if (ref.charAt(0) != '#') return NAMED.get(ref);
        int cp;
        try {
            if (ref.length() > 1 && (ref.charAt(1) == 'x' || ref.charAt(1) == 'X')) {
                cp = Integer.parseInt(ref.substring(2), 16);
            } else {
                cp = Integer.parseInt(ref.substring(1));
            }
        } catch (NumberFormatException e) {
            return null;
        }
        if (cp >= 0x80 && cp <= 0x9F) return String.valueOf(CP1252_80_9F.charAt(cp - 0x80));
        if (cp <= 0 || cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp <= 0xDFFF)) return null;
        return new String(Character.toChars(cp));
    }

    /**
     * Splits a category field. A value that starts with a quote is a Python list literal without brackets,
     * as in Amazon metadata: {@code 'Beauty', 'Makeup', "Women's", 'Creams, Gels & Lotions'}; tokens are read
     * between their quotes, so commas inside them stay. Any other value is a RecBole token_seq and splits on
     * whitespace.
     */
    static List<String> splitCategories(Path file, long line, String field, String value) {
        String v = value.strip();
        List<String> out = new ArrayList<>();
        if (v.isEmpty()) return out;
        char first = v.charAt(0);
        if (first != '\'' && first != '"') {
            for (String t : v.split("\\s+")) out.add(t);
            return out;
        }
        int i = 0;
        int n = v.length();
        StringBuilder tok = new StringBuilder();
        while (i < n) {
            char q = v.charAt(i);
            if (q != '\'' && q != '"') {
                throw new DataFormatException(file, line, field, "expected a quoted token at position " + i
                        + " in " + abbreviate(v));
            }
            tok.setLength(0);
            i++;
            boolean closed = false;
            while (i < n) {
                char c = v.charAt(i++);
                if (c == '\\' && i < n) {
                    tok.append(v.charAt(i++));
                } else if (c == q) {
                    closed = true;
                    break;
                } else {
                    tok.append(c);
                }
            }
            if (!closed) throw new DataFormatException(file, line, field, "unclosed quote in " + abbreviate(v));
            out.add(decodeHtml(tok.toString()).strip());
            while (i < n && Character.isWhitespace(v.charAt(i))) i++;
            if (i < n) {
                if (v.charAt(i) != ',') {
                    throw new DataFormatException(file, line, field, "expected ',' at position " + i
                            + " in " + abbreviate(v));
                }
                i++;
                while (i < n && Character.isWhitespace(v.charAt(i))) i++;
            }
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? "'" + s + "'" : "'" + s.substring(0, 77) + "...'";
    }
}
