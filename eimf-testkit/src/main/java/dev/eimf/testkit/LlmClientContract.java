package dev.eimf.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eimf.data.ItemInfo;
import dev.eimf.esim.Extraction;
import dev.eimf.esim.LlmClient;
import dev.eimf.esim.LlmInterestExtractor;
import dev.eimf.esim.UserHistory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LlmClient} must do for explicit-interest extraction. Extend it in your tests and return
 * your client from {@link #client()}; point it at a real model, or at a local server answering in your
 * provider's format:
 *
 * <pre>{@code
 * class MyClientTest extends LlmClientContract {
 *     protected LlmClient client() { return new MyClient(...); }
 * }
 * }</pre>
 *
 * Checks: a chat gets a non-null answer with non-negative token counts; a JSON-mode chat too; the model
 * name is stable and non-blank (it keys the interest store); and an extraction through
 * {@link LlmInterestExtractor} ends as {@link Extraction.Status#OK} or {@link Extraction.Status#FAILED} with
 * the answers kept, never with an unchecked exception.
 */
public abstract class LlmClientContract {

    /** The client under test; called once per test (close it in an {@code @AfterEach} if it holds resources). */
    protected abstract LlmClient client();

    @Test
    void answersAChat() throws IOException {
        LlmClient.ChatResponse r = client().chat(new LlmClient.ChatRequest(
                List.of(LlmClient.Message.system("You answer briefly."), LlmClient.Message.user("Name a colour.")),
                0.0, 32, false));
        assertNotNull(r, "chat returned null");
        assertNotNull(r.content(), "the answer's content is null");
        assertFalse(r.content().isBlank(), "the answer is blank");
        assertTrue(r.promptTokens() >= 0 && r.completionTokens() >= 0, "negative token counts");
    }

    @Test
    void answersAJsonModeChat() throws IOException {
        LlmClient.ChatResponse r = client().chat(new LlmClient.ChatRequest(
                List.of(LlmClient.Message.system("Reply with a JSON object."), LlmClient.Message.user("{\"ping\": true}")),
                0.0, 64, true));
        assertNotNull(r.content(), "the answer's content is null");
    }

    @Test
    void hasAStableModelName() {
        LlmClient c = client();
        String name = c.modelName();
        assertNotNull(name, "modelName()");
        assertFalse(name.isBlank(), "modelName() must not be blank: it keys the interest store");
        assertEquals(name, c.modelName(), "the model name must not change between calls");
    }

    @Test
    void extractionEndsOkOrFailedWithTheAnswersKept() throws IOException {
        List<ItemInfo> items = new ArrayList<>();
        String[][] films = {{"Alien", "Sci-Fi"}, {"Aliens", "Sci-Fi"}, {"Notting Hill", "Romance"},
                {"Love Actually", "Romance"}, {"Heat", "Crime"}, {"The Matrix", "Sci-Fi"}};
        for (int i = 0; i < films.length; i++) {
            items.add(new ItemInfo("m" + i, films[i][0], List.of(films[i][1]), "", ""));
        }
        Extraction x = new LlmInterestExtractor(client()).withInterests(2)
                .extract(new UserHistory("contract-user", items));
        assertNotNull(x.status());
        if (x.status() == Extraction.Status.OK) {
            assertFalse(x.interests().isEmpty(), "an OK extraction has interests");
        }
        assertFalse(x.responses().isEmpty(), "the model's answers are kept with the extraction");
    }
}
