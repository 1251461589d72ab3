package dev.eimf.llm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eimf.esim.TextEncoder;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/** The LangChain4j embedding adapter over LangChain4j's own OpenAI model, against MockWebServer. */
class LangChain4jTextEncoderTest {

    private static final int DIM = 12;

    @StartStop
    final MockWebServer server = new MockWebServer();

    private void answerEmbeddings() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return OpenAiEmbeddingsMock.answer(OpenAiEmbeddingsMock.inputs(request), DIM, "embed-model");
            }
        });
    }

    private OpenAiEmbeddingModel openAi(String modelName) {
        return OpenAiEmbeddingModel.builder().baseUrl(server.url("/v1").toString()).apiKey("sk-test-lc4j")
                .modelName(modelName).maxRetries(0).timeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void dimensionFromAProbeAndVectorsInInputOrder() throws Exception {
        answerEmbeddings();
        TextEncoder enc = LangChain4jTextEncoder.of(openAi("embed-model"));
        assertEquals(DIM, enc.dimension());
        assertEquals(1, server.getRequestCount(), "one probe request for the dimension");
        assertEquals("langchain4j:embed-model:12", enc.name());

        List<String> texts = List.of("Sci-fi: space opera", "Comedy \u00e0 la \"carte\"", "Documentaries", "x");
        List<float[]> vectors = enc.encode(texts);
        assertEquals(texts.size(), vectors.size());
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(OpenAiEmbeddingsMock.vectorOf(texts.get(i), DIM), vectors.get(i), "texts[" + i + "]");
        }
        RecordedRequest probe = server.takeRequest();
        RecordedRequest batch = server.takeRequest();
        assertEquals("/v1/embeddings", batch.getUrl().encodedPath());
        assertEquals(texts, OpenAiEmbeddingsMock.inputs(batch), "one request with every text, in order");
        assertEquals(1, OpenAiEmbeddingsMock.inputs(probe).size());
        assertEquals(List.of(), enc.encode(List.of()));
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void givenDimensionMakesNoProbe() {
        TextEncoder enc = LangChain4jTextEncoder.of(openAi("embed-model"), "my-embedder", 7);
        assertEquals(7, enc.dimension());
        assertEquals("langchain4j:my-embedder:7", enc.name());
        assertEquals(0, server.getRequestCount());
        assertThrows(IllegalArgumentException.class, () -> LangChain4jTextEncoder.of(openAi("m"), "n", 0));
    }

    @Test
    void failedProbeNamesTheModel() {
        server.enqueue(OpenAiChatClientTest.status(500, "{\"error\":{\"message\":\"down\"}}"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LangChain4jTextEncoder.of(openAi("probe-model")));
        assertTrue(e.getMessage().contains("'probe-model'"), e.getMessage());
    }

    @Test
    void serverErrorsAndWrongSizesBecomeIoExceptions() {
        TextEncoder enc = LangChain4jTextEncoder.of(openAi("embed-model"), "embed-model", DIM);
        server.enqueue(OpenAiChatClientTest.status(503, "{\"error\":{\"message\":\"overloaded\"}}"));
        IOException e = assertThrows(IOException.class, () -> enc.encode(List.of("a", "b")));
        assertTrue(e.getMessage().contains("'embed-model'") && e.getMessage().contains("overloaded"), e.getMessage());

        server.enqueue(OpenAiEmbeddingsMock.answer(List.of("a"), DIM, "embed-model"));  // one vector for two texts
        e = assertThrows(IOException.class, () -> enc.encode(List.of("a", "b")));
        assertTrue(e.getMessage().contains("1 vectors for 2 texts"), e.getMessage());

        server.enqueue(OpenAiEmbeddingsMock.answer(List.of("a", "b"), DIM + 1, "embed-model"));
        e = assertThrows(IOException.class, () -> enc.encode(List.of("a", "b")));
        assertTrue(e.getMessage().contains("length 13"), e.getMessage());

        assertThrows(IllegalArgumentException.class, () -> enc.encode(List.of("a", " ")));
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void modelWithoutANameIsNamedAfterItsClass() {
        EmbeddingModel local = new EmbeddingModel() {
            @Override
            public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
                return Response.from(segments.stream().map(s -> Embedding.from(new float[] {s.text().length(), 1}))
                        .toList());
            }
        };
        LangChain4jTextEncoder enc = LangChain4jTextEncoder.of(local);
        assertEquals(2, enc.dimension());
        assertTrue(enc.name().startsWith("langchain4j:") && enc.name().endsWith(":2")
                && !enc.name().contains("unknown"), enc.name());
    }
}
