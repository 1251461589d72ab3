package dev.eimf.esim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.eimf.data.ItemInfo;

class MetadataInterestExtractorTest {
    private static ItemInfo movie(String title, String... genres) {
        return PromptTest.item(title, title, "", genres);
    }

    private static List<String> names(Extraction x) {
        return x.interests().stream().map(ExplicitInterest::name).toList();
    }

    @Test
    void genresRankedByRecencyWeightedFrequency() {
        // Oldest first. Comedy 3 old items, Drama 3 recent items, Romance 2 recent, Horror 1 (rare).
        UserHistory h = new UserHistory("u", List.of(
                movie("Airplane! (1980)", "Comedy"),
                movie("Clueless (1995)", "Comedy"),
                movie("Big (1988)", "Comedy", "Fantasy"),
                movie("Scream (1996)", "Horror"),
                movie("Titanic (1997)", "Drama", "Romance"),
                movie("The Notebook (2004)", "Drama", "Romance"),
                movie("Heat (1995)", "Drama")));
        MetadataInterestExtractor ex = MetadataInterestExtractor.builder().interests(3).halfLife(2).build();
        Extraction x = ex.extract(h);
        assertTrue(x.ok());
        assertEquals(List.of("Drama", "Romance", "Comedy"), names(x));
        assertEquals(List.of(5, 6, 7), x.interests().get(0).evidence());
        assertEquals(List.of(1, 2, 3), x.interests().get(2).evidence());
        assertTrue(x.interests().get(0).description().startsWith("Category Drama in 3 of the 7 most recent items, e.g. Heat (1995)"),
                x.interests().get(0).description());
        assertEquals(0, x.llmCalls());
        assertEquals("metadata", ex.name());
        // Without recency decay (very long half-life) frequency decides and Comedy = Drama on count; ties go to
        // the more recent feature.
        Extraction flat = MetadataInterestExtractor.builder().interests(2).halfLife(1e9).build().extract(h);
        assertEquals(List.of("Drama", "Comedy"), names(flat));
        // Deterministic.
        assertEquals(x, ex.extract(h));
    }

    @Test
    void categoryPathsBrandsAndKeywords() {
        UserHistory h = new UserHistory("u", List.of(
                PromptTest.item("1", "Matte Lipstick Ruby", "Revlon", "Beauty", "Makeup", "Lips", "Lipstick"),
                PromptTest.item("2", "Hydrating Face Cream", "Olay", "Beauty", "Skin Care", "Face", "Creams"),
                PromptTest.item("3", "Gloss Lipstick Coral", "Revlon", "Beauty", "Makeup", "Lips", "Lip Gloss"),
                PromptTest.item("4", "Lip Liner Ruby", "NYX", "Beauty", "Makeup", "Lips", "Lip Liners"),
                PromptTest.item("5", "Night Face Cream", "Olay", "Beauty", "Skin Care", "Face", "Creams")));
        assertEquals(CategoryMode.PATH, CategoryMode.detect(h.items()));
        Extraction x = MetadataInterestExtractor.builder().interests(4).build().extract(h);
        // Makeup > Lips: 3 items (1,3,4); Skin Care > Face: 2 recent items; Brand: Olay 0.8*(2 recent);
        // Brand: Revlon 0.8*(2 older); keywords "ruby"/"cream" (x0.5) come after.
        assertEquals(List.of("Makeup > Lips", "Skin Care > Face", "Brand: Olay", "Brand: Revlon"), names(x));
        assertEquals(List.of(1, 3, 4), x.interests().get(0).evidence());
        Extraction words = MetadataInterestExtractor.builder().interests(2).categoryWeight(0).brandWeight(0).build().extract(h);
        // "cream" (items 2, 5) beats "ruby" (items 1, 4) on recency; "face" and "lip" are category words, excluded.
        assertEquals(List.of("Keyword: cream", "Keyword: ruby"), names(words));
    }

    @Test
    void genresAreTags() {
        List<ItemInfo> ml = List.of(movie("A", "Action", "Thriller"), movie("B", "Comedy"), movie("C", "Animation", "Comedy"));
        assertEquals(CategoryMode.TAGS, CategoryMode.detect(ml));
    }

    @Test
    void fewerFeaturesThanJAndNoMetadata() {
        UserHistory one = new UserHistory("u", List.of(movie("", "Comedy"), movie("", "Comedy")));
        Extraction x = MetadataInterestExtractor.builder().interests(4).build().extract(one);
        assertTrue(x.ok());
        assertEquals(List.of("Comedy"), names(x));
        assertTrue(x.reason().contains("only 1"));
        UserHistory bare = new UserHistory("u", List.of(ItemInfo.idOnly("1"), ItemInfo.idOnly("2")));
        assertEquals(Extraction.Status.FAILED, MetadataInterestExtractor.builder().build().extract(bare).status());
        assertThrows(IllegalArgumentException.class, () -> MetadataInterestExtractor.builder().build().prepare(new UserHistory("u", List.of())));
    }

    @Test
    void settingsArePartOfTheModelName() {
        assertNotEquals(MetadataInterestExtractor.builder().build().modelName(),
                MetadataInterestExtractor.builder().halfLife(5).build().modelName());
        assertThrows(IllegalArgumentException.class, () -> MetadataInterestExtractor.builder().halfLife(0).build());
        assertThrows(IllegalArgumentException.class,
                () -> MetadataInterestExtractor.builder().categoryWeight(0).brandWeight(0).wordWeight(0).build());
    }
}
