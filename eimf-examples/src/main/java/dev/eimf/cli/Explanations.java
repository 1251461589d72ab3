package dev.eimf.cli;

import dev.eimf.data.ItemCatalog;
import dev.eimf.internal.pipeline.InterestExplainer;
import dev.eimf.internal.serve.Recommendation;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Prints named interests and the recommendations they produce ({@code recommend --explain}, {@code quickstart}). */
final class Explanations {
    /** Longest label shown in a column before it is shortened. */
    private static final int LABEL_WIDTH = 32;

    private Explanations() {}

    /** One line per interest: index, name, cosine, and the history items that drive it. */
    static void interests(PrintStream out, String indent, List<InterestExplainer.Explained> ex, ItemCatalog catalog) {
        int w = 4;
        for (InterestExplainer.Explained e : ex) w = Math.max(w, label(e.label()).length());
        out.printf(Locale.ROOT, "%s%2s  %-" + w + "s  %6s  %s%n", indent, "#", "name", "cosine", "driven by (history items)");
        for (InterestExplainer.Explained e : ex) {
            List<String> items = new ArrayList<>();
            for (int id : e.items()) items.add(Terminal.safe(catalog.info(id).label()));
            out.printf(Locale.ROOT, "%s%2d  %-" + w + "s  %6.3f  %s%n", indent, e.interest(), label(e.label()),
                    e.cosine(), items.isEmpty() ? "(no history item is closest to this interest)" : String.join("; ", items));
        }
    }

    /**
     * The ranked recommendations with the named interest behind each.
     *
     * @param hits internal ids to mark with {@code *} (held-out targets), or an empty set
     */
    static void recommendations(PrintStream out, String indent, List<Recommendation> recs,
                                List<InterestExplainer.Explained> ex, Set<Integer> hits) {
        int idWidth = "item".length();
        int w = "interest".length();
        for (Recommendation r : recs) {
            idWidth = Math.max(idWidth, Terminal.safe(r.externalId()).length());
            w = Math.max(w, interestName(ex, r.interest()).length());
        }
        out.printf(Locale.ROOT, "%s%4s  %-" + idWidth + "s  %8s  %-" + w + "s  %s%n", indent, "rank", "item", "score",
                "interest", "title");
        int rank = 1;
        for (Recommendation r : recs) {
            String mark = hits.contains(r.itemId()) ? "* " : "";
            out.printf(Locale.ROOT, "%s%4d  %-" + idWidth + "s  %8.4f  %-" + w + "s  %s%s%n", indent, rank++,
                    Terminal.safe(r.externalId()), r.score(), interestName(ex, r.interest()), mark, Terminal.safe(r.label()));
        }
    }

    /** {@code k name} for interest k, safe to print. */
    static String interestName(List<InterestExplainer.Explained> ex, int k) {
        for (InterestExplainer.Explained e : ex) {
            if (e.interest() == k) return k + " " + label(e.label());
        }
        return String.valueOf(k);
    }

    /** The named interests as JSON objects. */
    static List<Map<String, Object>> json(List<InterestExplainer.Explained> ex, ItemCatalog catalog) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (InterestExplainer.Explained e : ex) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("interest", e.interest());
            m.put("name", e.label());
            m.put("cosine", e.cosine());
            List<Map<String, Object>> items = new ArrayList<>();
            for (int id : e.items()) {
                Map<String, Object> it = new LinkedHashMap<>();
                it.put("item_id", catalog.externalId(id));
                it.put("title", catalog.info(id).label());
                items.add(it);
            }
            m.put("driven_by", items);
            list.add(m);
        }
        return list;
    }

    /** An interest name (an LLM's or an item's words) shortened for a column and safe to print. */
    private static String label(String s) {
        return Terminal.safe(shorten(s, LABEL_WIDTH));
    }

    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
