package dev.eimf.esim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.eimf.data.ItemInfo;

public class PromptTest {
    public static ItemInfo item(String id, String title, String brand, String... cats) {
        return new ItemInfo(id, title, List.of(cats), brand, "");
    }

    @Test
    void templateRendersNamedPlaceholders() {
        PromptTemplate t = PromptTemplate.of("t", "Hello {{name}}, {{ count }} items; again {{name}}.");
        assertEquals(List.of("name", "count"), new ArrayList<>(t.placeholders()));
        assertEquals("Hello Ann, 3 items; again Ann.", t.render(Map.of("name", "Ann", "count", "3")));
        // Values are inserted verbatim, never expanded again.
        assertEquals("Hello {{count}}, 1 items; again {{count}}.", t.render(Map.of("name", "{{count}}", "count", "1")));
    }

    @Test
    void templateErrorsAreClear() {
        PromptTemplate t = PromptTemplate.of("mine.txt", "a {{x}} b");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> t.render(Map.of()));
        assertTrue(missing.getMessage().contains("mine.txt") && missing.getMessage().contains("{{x}}"), missing.getMessage());
        IllegalArgumentException malformed = assertThrows(IllegalArgumentException.class,
                () -> PromptTemplate.of("bad.txt", "line one\nhere {{ not closed"));
        assertTrue(malformed.getMessage().contains("bad.txt, line 2"), malformed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PromptTemplate.of("bad", "{{1abc}}"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> PromptBuilder.builder().userTemplate(PromptTemplate.of("u.txt", "{{history}} {{histroy_length}}")).build());
        assertTrue(unknown.getMessage().contains("{{histroy_length}}") && unknown.getMessage().contains("history_length"),
                unknown.getMessage());
        IllegalArgumentException noHistory = assertThrows(IllegalArgumentException.class,
                () -> PromptBuilder.builder().userTemplate(PromptTemplate.of("u.txt", "list {{j}} interests")).build());
        assertTrue(noHistory.getMessage().contains("{{history}}"));
        assertThrows(IllegalArgumentException.class, () -> PromptTemplate.fromResource("no-such-template.txt"));
    }

    @Test
    void bundledTemplatesUseOnlyKnownPlaceholders() {
        assertTrue(PromptBuilder.PROMPT_PLACEHOLDERS.containsAll(PromptTemplate.fromResource("system.txt").placeholders()));
        assertEquals(Set.of("history", "history_length", "j"), PromptTemplate.fromResource("user.txt").placeholders());
        assertTrue(PromptBuilder.REPAIR_PLACEHOLDERS.containsAll(PromptTemplate.fromResource("repair.txt").placeholders()));
    }

    @Test
    void historyIsNumberedOldestFirstAndCapped() {
        List<ItemInfo> items = new ArrayList<>();
        for (int i = 1; i <= 60; i++) items.add(item("i" + i, "Title " + i, "", "Cat"));
        items.set(59, item("i60", "Red\nLipstick", "Revlon", "Makeup", "Lips"));
        items.set(58, item("i59", "", "", "Skin"));
        items.set(57, item("i58", "Plain", ""));
        PromptBuilder pb = PromptBuilder.builder().interests(3).maxHistory(50).domain("beauty products")
                .categoryMode(CategoryMode.PATH).build();
        Prompt p = pb.build(new UserHistory("u1", items));
        assertEquals(50, p.historyLength());
        assertEquals(2, p.messages().size());
        assertEquals("system", p.messages().get(0).role());
        assertTrue(p.messages().get(0).content().contains("beauty products"));
        assertTrue(p.messages().get(0).content().contains("exactly 3 interests"));
        String user = p.messages().get(1).content();
        assertTrue(user.contains("1. Title 11 (Cat)\n2. Title 12 (Cat)\n"), user);
        assertTrue(user.contains("\n48. Plain\n49. item i59 (Skin)\n50. Red Lipstick (Makeup > Lips; Revlon)\n"), user);
        assertFalse(user.contains("Title 10 "));
        assertTrue(user.contains("between 1 and 50"));
        assertEquals("Title (Brand)", PromptBuilder.itemLine(item("x", "Title", "Brand"), CategoryMode.AUTO));
        assertEquals("Heat (Action, Thriller)", PromptBuilder.itemLine(item("h", "Heat", "", "Action", "Thriller"), CategoryMode.TAGS));
        // AUTO: genres in varying first positions read as tags, a shared root as a path.
        List<ItemInfo> movies = List.of(item("a", "Heat", "", "Action", "Thriller"), item("b", "Big", "", "Comedy", "Fantasy"));
        assertEquals("1. Heat (Action, Thriller)\n2. Big (Comedy, Fantasy)", PromptBuilder.renderHistory(movies, CategoryMode.AUTO));
        List<ItemInfo> beauty = List.of(item("a", "Gloss", "NYX", "Beauty", "Makeup", "Lips"), item("b", "Cream", "", "Beauty", "Skin Care"));
        assertEquals("1. Gloss (Beauty > Makeup > Lips; NYX)\n2. Cream (Beauty > Skin Care)", PromptBuilder.renderHistory(beauty, CategoryMode.AUTO));
    }

    @Test
    void promptHashIsStableAndSensitive() {
        List<ItemInfo> items = List.of(item("a", "A", "", "X"), item("b", "B", "", "Y"));
        PromptBuilder pb = PromptBuilder.builder().build();
        Prompt p1 = pb.build(new UserHistory("u1", items));
        Prompt p2 = pb.build(new UserHistory("u2", items));
        assertEquals(p1.hash(), p2.hash(), "the user id is not part of the prompt");
        assertEquals(64, p1.hash().length());
        assertEquals(p1.hash(), Prompt.hashOf(p1.messages()));
        assertNotEquals(p1.hash(), PromptBuilder.builder().interests(5).build().build(new UserHistory("u1", items)).hash());
        // Length prefixes: moving text across the role/content boundary changes the hash.
        assertNotEquals(Prompt.hashOf(List.of(new LlmClient.Message("ab", "c"))), Prompt.hashOf(List.of(new LlmClient.Message("a", "bc"))));
        // Pinned (computed independently in Python): stored caches stay valid only if the encoding never drifts.
        assertEquals("b9725b53e04d9396fecb317d6fbf0c343d35c950a0038e93d1f56d43b556149e",
                Prompt.hashOf(List.of(LlmClient.Message.user("x"))));
    }

    @Test
    void userTemplatesFromStringAndPath(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("user.txt");
        Files.writeString(f, "Items:\n{{history}}\nGive {{j}}.");
        PromptBuilder pb = PromptBuilder.builder().interests(2)
                .systemTemplate(PromptTemplate.of("sys", "You rank {{domain}}."))
                .userTemplate(PromptTemplate.fromPath(f)).build();
        Prompt p = pb.build(new UserHistory("u", List.of(item("a", "A", "", "X"))));
        assertEquals("You rank items.", p.messages().get(0).content());
        assertEquals("Items:\n1. A (X)\nGive 2.", p.messages().get(1).content());
        assertThrows(IllegalArgumentException.class, () -> pb.build(new UserHistory("u", List.of())));
        LlmClient.Message repair = pb.repairMessage(p, "expected exactly 2 interests but got 1");
        assertTrue(repair.content().contains("expected exactly 2 interests but got 1"));
        assertTrue(repair.content().contains("between 1 and 1"));
    }
}
