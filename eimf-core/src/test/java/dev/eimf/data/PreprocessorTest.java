package dev.eimf.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PreprocessorTest {

    private static RawData raw(Object... rows) {
        List<Interaction> list = new ArrayList<>();
        for (int i = 0; i < rows.length; i += 3) {
            list.add(new Interaction((String) rows[i], (String) rows[i + 1], ((Number) rows[i + 2]).longValue(), Double.NaN));
        }
        return new RawData("t", list, Map.of(), LoadReport.empty());
    }

    private static List<String> externalSequence(Dataset d, int user) {
        return Arrays.stream(d.sequence(user)).mapToObj(i -> d.catalog().externalId(i)).toList();
    }

    @Test
    void kCoreIteratesUntilStable() {
        // With k = 2, removing items c and e leaves u3 and u4 with one interaction each; dropping them then
        // leaves d with none. A single pass would keep u3, u4 and d.
        RawData r = raw("u1", "a", 1, "u1", "b", 2, "u2", "a", 1, "u2", "b", 2,
                "u3", "c", 1, "u3", "d", 2, "u4", "d", 1, "u4", "e", 2);
        Dataset d = new Preprocessor(PreprocessConfig.builder().core(2).build()).process(r);
        assertEquals(2, d.numUsers());
        assertEquals(2, d.numItems());
        assertEquals(4, d.numInteractions());
        assertEquals("u1", d.userId(0));
        assertEquals(List.of("a", "b"), externalSequence(d, 0));

        Dataset none = new Preprocessor(PreprocessConfig.builder().core(1).build()).process(r);
        assertEquals(4, none.numUsers());
        assertEquals(5, none.numItems());
    }

    @Test
    void equalTimestampsKeepFileOrder() {
        RawData r = raw("u", "x", 5, "u", "y", 3, "u", "z", 5, "u", "w", 3, "u", "v", 4);
        Dataset d = new Preprocessor(PreprocessConfig.builder().core(0).build()).process(r);
        assertEquals(List.of("y", "w", "v", "x", "z"), externalSequence(d, 0));
    }

    @Test
    void itemsRankedByFrequencyTiesByFirstAppearance() {
        // first appearance: p, q, r, s; counts q=3, s=3, p=2, r=2, t=1
        RawData r = raw("u2", "p", 1, "u1", "q", 1, "u1", "r", 2, "u1", "s", 3, "u2", "q", 2, "u3", "s", 1,
                "u3", "q", 2, "u3", "s", 3, "u3", "p", 4, "u2", "r", 3, "u1", "t", 4);
        Dataset d = new Preprocessor(PreprocessConfig.builder().core(0).build()).process(r);
        List<String> order = d.catalog().items().stream().map(ItemInfo::externalId).toList();
        assertEquals(List.of("q", "s", "p", "r", "t"), order);
        assertArrayEquals(new int[] {0, 3, 3, 2, 2, 1}, d.itemCounts());
        assertEquals(List.of("u2", "u1", "u3"), List.of(d.userId(0), d.userId(1), d.userId(2)));
    }

    @Test
    void duplicatePairsStaySeparate() {
        RawData r = raw("u", "a", 1, "u", "a", 2, "u", "b", 3);
        Dataset d = new Preprocessor(PreprocessConfig.builder().core(0).build()).process(r);
        assertEquals(List.of("a", "a", "b"), externalSequence(d, 0));
    }

    @Test
    void minRatingDropsLowAndUnrated() {
        List<Interaction> rows = List.of(new Interaction("u", "a", 1, 5), new Interaction("u", "b", 2, 2),
                new Interaction("u", "c", 3, Double.NaN), new Interaction("u", "d", 4, 4));
        RawData r = new RawData("t", rows, Map.of("a", new ItemInfo("a", "Alpha", List.of(), "", "")), LoadReport.empty());
        Dataset d = new Preprocessor(PreprocessConfig.builder().core(0).minRating(4).build()).process(r);
        assertEquals(List.of("a", "d"), externalSequence(d, 0));
        assertEquals("Alpha", d.catalog().info(d.catalog().internalId("a").orElseThrow()).title());
        assertEquals(ItemInfo.idOnly("d"), d.catalog().info(d.catalog().internalId("d").orElseThrow()));
        Dataset all = new Preprocessor(PreprocessConfig.builder().core(0).build()).process(r);
        assertEquals(4, all.numInteractions());
    }

    @Test
    void nothingLeftIsAnError() {
        RawData r = raw("u", "a", 1);
        assertThrows(IllegalArgumentException.class, () -> new Preprocessor().process(r));
    }

    @Test
    void configValidation() {
        assertThrows(IllegalArgumentException.class, () -> PreprocessConfig.builder().userCore(-1).build());
        assertThrows(IllegalArgumentException.class, () -> PreprocessConfig.builder().itemCore(-2).build());
        assertThrows(IllegalArgumentException.class,
                () -> PreprocessConfig.builder().minRating(Double.POSITIVE_INFINITY).build());
        PreprocessConfig c = PreprocessConfig.defaults();
        assertEquals(5, c.userCore());
        assertEquals(5, c.itemCore());
        assertEquals(false, c.minRating().isPresent());
    }

    @Test
    void rawStatsCountBeforeFiltering() {
        RawData r = raw("u1", "a", 1, "u2", "a", 1, "u1", "b", 2, "u1", "a", 3, "u3", "c", 1, "u3", "d", 2);
        DatasetStats s = Preprocessor.rawStats(r);
        assertEquals(new DatasetStats(3, 4, 6, 1, 2.0, 3), s);
    }
}
