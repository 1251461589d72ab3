package dev.eimf.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model directories written before the public model API load and answer as they did then. */
class LegacyModelFilesTest {
    private static final List<String> HISTORY = List.of("i1", "i5", "i9", "i2");

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(LegacyModelFilesTest.class.getResource("/fixtures/" + name).toURI());
    }

    private static JsonObject expected(String name) throws IOException, URISyntaxException {
        return JsonParser.parseString(Files.readString(fixture(name + ".expected.json"))).getAsJsonObject();
    }

    private static void sameRecommendations(InterestModel model, JsonObject expected) {
        List<Recommendation> got = model.recommend(HISTORY, 5);
        JsonArray want = expected.getAsJsonArray("recommendations");
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            JsonObject w = want.get(i).getAsJsonObject();
            Recommendation g = got.get(i);
            assertEquals(w.get("rank").getAsInt(), g.rank());
            assertEquals(w.get("item_id").getAsString(), g.itemId());
            assertEquals(w.get("title").getAsString(), g.title());
            assertEquals(w.get("score").getAsFloat(), g.score(), 1e-5f);
            assertEquals(w.get("interest").getAsInt(), g.interest());
        }
    }

    @Test
    void aComiRecSaModelLoadsAndRecommendsAsBefore() throws Exception {
        InterestModel model = InterestModel.load(fixture("comirec-sa-v1"));
        assertEquals("comirec-sa", model.backbone().name());
        assertEquals(2, model.numInterests());
        assertFalse(model.hasSemantics());
        assertEquals("unknown", model.provenance().libraryVersion(), "no provenance was recorded then");
        assertEquals(3, model.provenance().seed());
        sameRecommendations(model, expected("comirec-sa-v1"));
    }

    @Test
    void aMindModelWithSemanticsLoadsRecommendsAndExplainsAsBefore() throws Exception {
        InterestModel model = InterestModel.load(fixture("mind-eimf-v1"));
        assertEquals("mind", model.backbone().name());
        assertTrue(model.hasSemantics());
        JsonObject want = expected("mind-eimf-v1");
        sameRecommendations(model, want);
        List<InterestExplanation> got = model.explain(HISTORY);
        JsonArray interests = want.getAsJsonArray("interests");
        assertEquals(interests.size(), got.size());
        for (int k = 0; k < interests.size(); k++) {
            JsonObject w = interests.get(k).getAsJsonObject();
            assertEquals(w.get("name").getAsString(), got.get(k).label());
            assertEquals(w.get("cosine").getAsDouble(), got.get(k).cosine(), 1e-5);
            List<String> items = new java.util.ArrayList<>();
            for (JsonElement e : w.getAsJsonArray("driven_by")) items.add(e.getAsJsonObject().get("item_id").getAsString());
            assertEquals(items, got.get(k).items());
        }
    }

    @Test
    void aLegacyModelSavedAgainLoadsTheSame(@TempDir Path dir) throws Exception {
        InterestModel model = InterestModel.load(fixture("mind-eimf-v1"));
        model.save(dir.resolve("again"));
        InterestModel again = InterestModel.load(dir.resolve("again"));
        assertEquals(model.recommend(HISTORY, 10), again.recommend(HISTORY, 10));
        assertEquals(model.explain(HISTORY), again.explain(HISTORY));
    }

    @Test
    void aSemanticsFileReplacedByALinkIsRefusedUnread(@TempDir Path dir) throws Exception {
        InterestModel.load(fixture("mind-eimf-v1")).save(dir.resolve("m"));
        Path semantics = dir.resolve("m").resolve("semantics.eimf");
        Files.delete(semantics);
        Files.createSymbolicLink(semantics, Path.of("/dev/zero"));
        java.io.UncheckedIOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class,
                () -> InterestModel.load(dir.resolve("m")));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    }
}
