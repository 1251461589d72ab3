package dev.eimf.internal.esim;

import dev.eimf.esim.ExplicitInterest;
import dev.eimf.esim.Extraction;
import dev.eimf.esim.ExtractionRequest;
import dev.eimf.esim.InterestExtractor;
import dev.eimf.esim.UserHistory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interest phrases are checked on their way into the store (issue #23, class 6): a control character in a name
 * or description, or an over-long name, makes the answer invalid (so the repair step asks again), and whatever
 * the extractor, such an interest is never stored as usable.
 */
class InterestTextTest {
    @TempDir
    Path dir;

    private static String answer(String name, String description) {
        return "{\"interests\":[{\"name\":" + new com.google.gson.JsonPrimitive(name) + ",\"description\":"
                + new com.google.gson.JsonPrimitive(description) + ",\"evidence\":[1]}]}";
    }

    private static String invalid(String name, String description) {
        ParseResult r = new InterestParser().parse(answer(name, description), 1, 3);
        return assertInstanceOf(ParseResult.Invalid.class, r, String.valueOf(r)).error();
    }

    @Test
    void controlCharactersAndOverLongNamesAreRejected() {
        assertEquals("interests[0].name holds the control character U+001B at position 5",
                invalid("Jazz\u001b[2J", "music"));
        assertEquals("interests[0].name holds the control character U+0000 at position 2", invalid("A\u0000B", "d"));
        assertEquals("interests[0].description holds the control character U+009B at position 3",
                invalid("Jazz", "ab\u009bcd"));
        assertEquals("interests[0].name holds the control character U+202E at position 1", invalid("\u202eevil", "d"));
        assertEquals("interests[0].name is 101 characters long, more than 100", invalid("n".repeat(101), "d"));
        assertEquals("interests[0].description is 1001 characters long, more than 1000", invalid("Jazz", "d".repeat(1001)));
        // Within the limits, any printable text is fine.
        ParseResult ok = new InterestParser().parse(answer("n".repeat(100) , "Ünïcode — “quoted”"), 1, 3);
        assertInstanceOf(ParseResult.Parsed.class, ok);
    }

    /** Gives one interest whose name holds an escape sequence, as a metadata extractor fed hostile titles could. */
    private static final class HostileExtractor implements InterestExtractor {
        @Override public String name() { return "hostile"; }
        @Override public String modelName() { return "none"; }

        @Override
        public ExtractionRequest prepare(UserHistory history) {
            return new ExtractionRequest(history, List.of(), history.items().size(), 1, "h-" + history.userId());
        }

        @Override
        public Extraction extract(ExtractionRequest request) {
            return new Extraction(Extraction.Status.OK, "", List.of(new ExplicitInterest("Evil\u001b]0;t\u0007", "", List.of(1))),
                    List.of(), List.of(), 0, 0, 0);
        }
    }

    @Test
    void theRunnerStoresAnUnfitInterestAsAFailure() throws IOException {
        List<UserHistory> users = EsimRunnerTest.users().subList(0, 1);
        try (InterestStore store = InterestStore.open(dir)) {
            EsimResult r = EsimRunner.builder().extractor(new HostileExtractor()).store(store).build().run(users);
            assertEquals(1, r.stats().failed());
            assertFalse(r.users().get(0).ok());
            assertEquals("interests[0].name holds the control character U+001B at position 5", r.users().get(0).reason());
            assertFalse(store.get(r.users().get(0).key()).orElseThrow().ok());
        }
        assertFalse(Files.readString(dir.resolve(InterestStore.FILE_NAME)).contains("Evil"),
                "the interest itself is not stored");
        assertTrue(Files.readString(dir.resolve(InterestStore.FILE_NAME)).contains("control character"));
    }
}
