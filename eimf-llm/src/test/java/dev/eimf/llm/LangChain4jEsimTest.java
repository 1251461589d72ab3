package dev.eimf.llm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eimf.internal.esim.EsimResult;
import dev.eimf.internal.esim.EsimRunner;
import dev.eimf.esim.ExplicitInterest;
import dev.eimf.internal.esim.InterestStore;
import dev.eimf.esim.LlmInterestExtractor;
import dev.eimf.esim.PromptBuilder;
import dev.eimf.internal.esim.StoreEntry;
import dev.eimf.esim.UserHistory;
import dev.eimf.internal.esim.UserInterests;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ESIM end to end through the LangChain4j adapters: LangChain4j's OpenAI chat and embedding models, wrapped
 * in {@link LangChain4jLlmClient} and {@link LangChain4jTextEncoder}, against a MockWebServer on loopback that
 * speaks the OpenAI format. Every stored interest must be the mock's answer to the user's prompt, and every
 * stored vector the mock's vector of that interest's text.
 */
class LangChain4jEsimTest {

    private static final int J = 3;
    private static final int DIM = 16;
    private static final int USERS = 30;

    @StartStop
    final MockWebServer server = NoDelayServerSockets.server();

    @TempDir
    Path storeDir;

    /** Chat completions answered as {@link FaultyLlmDispatcher} does without faults; embeddings by the mock. */
    private static final class OpenAiMock extends Dispatcher {
        final FaultyLlmDispatcher chat = new FaultyLlmDispatcher(1L, 0.0, J, Duration.ofSeconds(1));
        final AtomicLong embeddingRequests = new AtomicLong();
        final AtomicLong other = new AtomicLong();

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getUrl().encodedPath();
            if (path.equals("/v1/embeddings")) {
                embeddingRequests.incrementAndGet();
                return OpenAiEmbeddingsMock.answer(OpenAiEmbeddingsMock.inputs(request), DIM, "mock-embed");
            }
            if (path.equals("/v1/chat/completions")) {
                return chat.dispatch(request);
            }
            other.incrementAndGet();
            return OpenAiChatClientTest.status(404, "{\"error\":{\"message\":\"no route " + path + "\"}}");
        }
    }

    @Test
    void esimRunsOnTheLangChain4jAdapters() throws Exception {
        OpenAiMock mock = new OpenAiMock();
        server.setDispatcher(mock);
        String baseUrl = server.url("/v1").toString();
        assertTrue(server.getHostName().equals("localhost") || server.getHostName().startsWith("127."),
                "the mock listens on loopback: " + server.getHostName());

        LangChain4jLlmClient llm = LangChain4jLlmClient.of(OpenAiChatModel.builder().baseUrl(baseUrl)
                .apiKey("sk-test-lc4j-esim").modelName("mock-chat").maxRetries(0).timeout(Duration.ofSeconds(20))
                .build());
        LangChain4jTextEncoder encoder = LangChain4jTextEncoder.of(OpenAiEmbeddingModel.builder().baseUrl(baseUrl)
                .apiKey("sk-test-lc4j-esim").modelName("mock-embed").maxRetries(0).timeout(Duration.ofSeconds(20))
                .build());
        assertEquals("mock-chat", llm.modelName());
        assertEquals(DIM, encoder.dimension());
        assertEquals("langchain4j:mock-embed:16", encoder.name());

        List<UserHistory> users = FaultInjectedEsimTest.users(USERS, 5L);
        PromptBuilder prompts = PromptBuilder.builder().interests(J).domain("movies").jsonMode(true).build();
        Map<String, String> promptOf = new HashMap<>();
        Set<String> distinctPrompts = new LinkedHashSet<>();
        for (UserHistory h : users) {
            String user = prompts.build(h).messages().get(1).content();
            promptOf.put(h.userId(), user);
            distinctPrompts.add(user);
        }
        LlmInterestExtractor extractor = new LlmInterestExtractor(llm, prompts, false, 1);

        EsimResult first;
        try (InterestStore store = InterestStore.open(storeDir)) {
            first = EsimRunner.builder().extractor(extractor).encoder(encoder).store(store).concurrency(4).build()
                    .run(users);
        }
        assertEquals(USERS, first.users().size());
        assertEquals(0, first.stats().failed());
        assertEquals(distinctPrompts.size(), first.stats().llmCalls(), "one chat call per distinct prompt");
        assertEquals(40L * distinctPrompts.size(), first.stats().completionTokens(), "usage from the replies");
        assertTrue(first.stats().promptTokens() >= 100L * distinctPrompts.size());
        for (UserInterests u : first.users()) {
            assertTrue(u.ok(), u.userId() + ": " + u.reason());
            List<ExplicitInterest> expected = FaultyLlmDispatcher.expectedInterests(promptOf.get(u.userId()), J);
            assertEquals(expected, u.interests(), "interests of " + u.userId() + " are the mock's answer");
            assertEquals(J, u.vectors().size());
            for (int k = 0; k < J; k++) {
                assertArrayEquals(OpenAiEmbeddingsMock.vectorOf(expected.get(k).encoderText(), DIM), u.vectors().get(k),
                        "vector " + k + " of " + u.userId() + " is the mock's");
            }
        }
        assertEquals(distinctPrompts.size(), mock.chat.validAnswers());
        assertEquals(0, mock.chat.badRequests(), "every chat request was well formed");
        assertEquals(0, mock.other.get());
        // One probe for the dimension, then one embeddings request per distinct prompt.
        assertEquals(1 + distinctPrompts.size(), mock.embeddingRequests.get());

        // What the store holds: the mock's interests and vectors, under the adapters' names.
        try (InterestStore store = InterestStore.open(storeDir)) {
            assertEquals(distinctPrompts.size(), store.entries().size());
            for (StoreEntry e : store.entries()) {
                assertTrue(e.ok());
                assertEquals("mock-chat", e.key().model(), "the chat adapter's model name keys the entry");
                List<ExplicitInterest> expected = FaultyLlmDispatcher.expectedInterests(e.messages().get(1).content(), J);
                assertEquals(expected, e.extraction().interests());
                List<float[]> vectors = store.vectors(e.key(), encoder.name()).orElseThrow();
                for (int k = 0; k < J; k++) {
                    assertArrayEquals(OpenAiEmbeddingsMock.vectorOf(expected.get(k).encoderText(), DIM), vectors.get(k));
                }
            }
        }

        // A rerun over the same store asks the server nothing.
        int requests = server.getRequestCount();
        EsimResult second;
        try (InterestStore store = InterestStore.open(storeDir)) {
            second = EsimRunner.builder().extractor(extractor).encoder(encoder).store(store).build().run(users);
        }
        assertEquals(requests, server.getRequestCount());
        assertEquals(USERS, second.stats().cached());
        for (int i = 0; i < USERS; i++) {
            assertEquals(first.users().get(i).interests(), second.users().get(i).interests());
            assertFalse(second.users().get(i).vectors().isEmpty());
        }
    }
}
