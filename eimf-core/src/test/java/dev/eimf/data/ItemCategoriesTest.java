package dev.eimf.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ItemCategoriesTest {
    private static ItemInfo item(String id, String... categories) {
        return new ItemInfo(id, "", List.of(categories), "", "");
    }

    @Test
    void aCommonRootIsSkipped() {
        ItemCategories c = ItemCategories.of(new ItemCatalog(List.of(item("a", "Beauty", "Skin Care", "Face"),
                item("b", "Beauty", "Makeup"), item("c", "Beauty"), item("d"), item("e", "Beauty", "Makeup", "Eyes"))));
        assertEquals(Optional.of("Skin Care"), c.category(1));
        assertEquals(Optional.of("Makeup"), c.category(2));
        assertEquals(Optional.empty(), c.category(3), "nothing below the root");
        assertEquals(Optional.empty(), c.category(4));
        assertEquals(c.id(2), c.id(5));
        assertNotEquals(c.id(3), c.id(4), "items without a category differ from each other");
        assertNotEquals(c.id(1), c.id(3));
        assertEquals(2, c.namedCategories());
        assertEquals(List.of("Skin Care", "Makeup"), c.names());
    }

    @Test
    void withoutACommonRootTheFirstEntryCounts() {
        ItemCategories c = ItemCategories.of(new ItemCatalog(List.of(item("a", "Action", "Comedy"), item("b", "Comedy"),
                item("c", "Action"))));
        assertEquals(Optional.of("Action"), c.category(1));
        assertEquals(Optional.of("Comedy"), c.category(2));
        assertEquals(c.id(1), c.id(3));
        // One level everywhere: nothing to skip even when all agree.
        ItemCategories single = ItemCategories.of(new ItemCatalog(List.of(item("a", "Drama"), item("b", "Drama"))));
        assertEquals(Optional.of("Drama"), single.category(2));
    }

    private static Dataset fiveCore(Path dir) {
        return new Preprocessor(PreprocessConfig.builder().core(5).build())
                .process(DatasetLoaders.load(dir, new LoadOptions(false)));
    }

    @Test
    void amazonBeautyGetsItsTopLevelCategoriesAndMovieLensItsFirstGenre() {
        Optional<Path> beauty = DataPaths.dataset("amazon-beauty");
        assumeTrue(beauty.isPresent(), "no Amazon Beauty data");
        ItemCategories c = ItemCategories.of(fiveCore(beauty.get()).catalog());
        List<String> names = c.names();
        assertTrue(names.containsAll(List.of("Skin Care", "Hair Care", "Makeup", "Tools & Accessories", "Bath & Body",
                "Fragrance")), names.toString());
        assertTrue(!names.contains("Beauty") && names.size() < 20, names.toString());
        Optional<Path> ml = DataPaths.dataset("ml-100k");
        assumeTrue(ml.isPresent(), "no MovieLens data");
        Dataset movies = fiveCore(ml.get());
        ItemCategories g = ItemCategories.of(movies.catalog());
        int toy = movies.catalog().internalId("1").orElseThrow(); // Toy Story: Animation|Children's|Comedy
        assertEquals(Optional.of("Animation"), g.category(toy));
    }
}
