package dev.eimf.esim;

import dev.eimf.internal.esim.InterestParser;
import dev.eimf.internal.esim.InterestParserTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class LlmInterestExtractorTest {
    static final UserHistory HISTORY = new UserHistory("u1", List.of(
            PromptTest.item("a", "Toy Story", "", "Animation", "Comedy"),
            PromptTest.item("b", "Heat", "", "Action", "Thriller"),
            PromptTest.item("c", "Clueless", "", "Comedy")));

    /** A fake model that answers from a script and records every request. */
    static final class ScriptedClient implements LlmClient {
        final List<String> answers;
        final List<ChatRequest> requests = new ArrayList<>();
        final AtomicInteger calls = new AtomicInteger();

        ScriptedClient(String... answers) {
            this.answers = List.of(answers);
        }

        @Override
        public synchronized ChatResponse chat(ChatRequest request) {
            requests.add(request);
            int i = calls.getAndIncrement();
            return new ChatResponse(answers.get(Math.min(i, answers.size() - 1)), 100, 20);
        }

        @Override
        public String modelName() {
            return "scripted";
        }
    }

    private static LlmInterestExtractor extractor(LlmClient client) {
        return new LlmInterestExtractor(client, PromptBuilder.builder().interests(2).build(), false, 1);
    }

    @Test
    void goodAnswerNeedsOneCall() throws IOException {
        ScriptedClient client = new ScriptedClient(InterestParserTest.json(2));
        Extraction x = extractor(client).extract(HISTORY);
        assertTrue(x.ok());
        assertEquals(1, x.llmCalls());
        assertEquals(120, x.totalTokens());
        assertEquals(0.0, client.requests.get(0).temperature());
        assertTrue(client.requests.get(0).jsonMode());
    }

    @Test
    void badThenGoodIsRepaired() throws IOException {
        String bad = "Here are the interests: " + InterestParserTest.json(1);
        ScriptedClient client = new ScriptedClient(bad, "```json\n" + InterestParserTest.json(2) + "\n```");
        LlmInterestExtractor ex = extractor(client);
        Extraction x = ex.extract(HISTORY);
        assertTrue(x.ok(), x.reason());
        assertEquals(2, x.interests().size());
        assertEquals(2, x.llmCalls());
        assertEquals(240, x.totalTokens());
        assertEquals(2, x.responses().size());
        // The repair request = original messages + previous answer + a message quoting the error.
        List<LlmClient.Message> second = client.requests.get(1).messages();
        assertEquals(4, second.size());
        assertEquals(ex.prepare(HISTORY).messages(), second.subList(0, 2));
        assertEquals(LlmClient.Message.assistant(bad), second.get(2));
        assertTrue(second.get(3).content().contains("expected exactly 2 interests but got 1"), second.get(3).content());
        assertEquals(List.of(second.get(3).content()), x.followUps());
    }

    @Test
    void badTwiceFailsWithRawText() throws IOException {
        ScriptedClient client = new ScriptedClient("I think they like movies.", "{\"interests\": \"comedy\"}");
        Extraction x = extractor(client).extract(HISTORY);
        assertEquals(Extraction.Status.FAILED, x.status());
        assertTrue(x.interests().isEmpty(), "nothing invented");
        assertEquals(List.of("I think they like movies.", "{\"interests\": \"comedy\"}"), x.responses());
        assertTrue(x.reason().contains("\"interests\" must be an array"), x.reason());
        assertEquals(2, x.llmCalls());
    }

    @Test
    void lambdaClientAndNoRepair() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        LlmClient lambda = req -> {
            calls.incrementAndGet();
            return new LlmClient.ChatResponse("nope", 0, 0);
        };
        LlmInterestExtractor ex = new LlmInterestExtractor(lambda, PromptBuilder.builder().build(), false, 0);
        Extraction x = ex.extract(HISTORY);
        assertEquals(Extraction.Status.FAILED, x.status());
        assertEquals(1, calls.get());
        assertEquals("llm", ex.name());
    }
}
