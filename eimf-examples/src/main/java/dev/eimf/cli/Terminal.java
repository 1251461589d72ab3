package dev.eimf.cli;

/**
 * Makes text from data files, saved models and LLM answers safe to print. Such text may hold escape sequences
 * that move the cursor, rewrite earlier lines, set the window title or worse; a NUL or a carriage return can
 * hide what precedes it. Every printed value that did not come from this program goes through {@link #safe}.
 */
final class Terminal {
    private Terminal() {}

    /**
     * The text with every C0 control (U+0000-U+001F, tab and line breaks included, since one value is one
     * table cell), DEL, C1 control (U+0080-U+009F) and bidirectional override (which reorders what is shown)
     * written as a Java-style escape such as {@code \u001b}; a backslash that already starts such an escape is
     * doubled so that the output is never ambiguous. {@code null} prints as {@code null}.
     */
    static String safe(String s) {
        if (s == null) return "null";
        int i = 0;
        while (i < s.length() && !needsEscape(s, i)) i++;
        if (i == s.length()) return s;
        StringBuilder sb = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (needsEscape(s, i)) {
                if (c == '\\') {
                    sb.append("\\\\");
                } else {
                    sb.append(String.format("\\u%04x", (int) c));
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean needsEscape(String s, int i) {
        char c = s.charAt(i);
        if (c == '\\') return i + 1 < s.length() && s.charAt(i + 1) == 'u';
        return isControl(c);
    }

    /** C0, DEL, C1 and the bidirectional embedding, override and isolate controls. */
    static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
                || c == 0x200e || c == 0x200f || c == 0x061c;
    }
}
