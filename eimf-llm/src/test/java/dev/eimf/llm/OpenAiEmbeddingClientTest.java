package dev.eimf.llm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/** The embeddings client against a real HTTP server (MockWebServer). */
class OpenAiEmbeddingClientTest {

    private static final String KEY = OpenAiChatClientTest.KEY;

    @StartStop
    final MockWebServer server = new MockWebServer();

    private final RecordingSleeper sleeper = new RecordingSleeper();

    private OpenAiEmbeddingClient.Builder client(int batchSize) {
        OpenAiConfig cfg = OpenAiConfig.builder().baseUrl(server.url("/").toString()).model("embed-model").apiKey(KEY)
                .baseBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(100)).build();
        return OpenAiEmbeddingClient.builder(cfg).batchSize(batchSize).sleeper(sleeper);
    }

    /** The vector the fake server gives a text: [length, first char, dims...]. */
    private static float[] vectorOf(String text, int dim) {
        float[] v = new float[dim];
        v[0] = text.length();
        v[1] = text.charAt(0);
        for (int j = 2; j < dim; j++) {
            v[j] = j * 0.5f;
        }
        return v;
    }

    /** Answers with the vectors in reverse order, each tagged with its index, as servers may. */
    private static MockResponse reversed(List<String> inputs, int dim) {
        JsonArray data = new JsonArray();
        for (int i = inputs.size() - 1; i >= 0; i--) {
            JsonObject item = new JsonObject();
            item.addProperty("object", "embedding");
            item.addProperty("index", i);
            JsonArray emb = new JsonArray();
            for (float x : vectorOf(inputs.get(i), dim)) {
                emb.add(x);
            }
            item.add("embedding", emb);
            data.add(item);
        }
        JsonObject usage = new JsonObject();
        usage.addProperty("prompt_tokens", inputs.size() * 2);
        usage.addProperty("total_tokens", inputs.size() * 2);
        JsonObject root = new JsonObject();
        root.addProperty("object", "list");
        root.add("data", data);
        root.add("usage", usage);
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body(root.toString()).build();
    }

    private static List<String> inputsOf(RecordedRequest r) {
        JsonArray input = JsonParser.parseString(r.getBody().utf8()).getAsJsonObject().getAsJsonArray("input");
        List<String> out = new ArrayList<>();
        input.forEach(e -> out.add(e.getAsString()));
        return out;
    }

    private void serveReversed(int dim) {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return reversed(inputsOf(request), dim);
            }
        });
    }

    @Test
    void batchesAndRestoresInputOrderByIndex() throws Exception {
        serveReversed(4);
        List<String> texts = List.of("alpha", "bb", "charlie", "d", "echo!", "foxtrot", "golf");
        try (OpenAiEmbeddingClient c = client(3).build()) {
            List<float[]> vectors = c.encode(texts);

            assertEquals(texts.size(), vectors.size());
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(vectorOf(texts.get(i), 4), vectors.get(i), texts.get(i));
            }
            assertEquals(4, c.dimension());
            assertEquals("openai:embed-model", c.name());
            assertEquals(3, server.getRequestCount());
            RecordedRequest first = server.takeRequest();
            assertEquals("/v1/embeddings", first.getUrl().encodedPath());
            assertEquals("Bearer " + KEY, first.getHeaders().get("Authorization"));
            assertEquals("embed-model", JsonParser.parseString(first.getBody().utf8()).getAsJsonObject()
                    .get("model").getAsString());
            assertEquals(List.of("alpha", "bb", "charlie"), inputsOf(first));
            assertEquals(List.of("d", "echo!", "foxtrot"), inputsOf(server.takeRequest()));
            assertEquals(List.of("golf"), inputsOf(server.takeRequest()));
            assertEquals(new Usage(3, 0, 14, 0, 0), c.usage());
            assertFalse(c.toString().contains(KEY));
        }
    }

    @Test
    void emptyInputMakesNoCall() throws Exception {
        try (OpenAiEmbeddingClient c = client(3).build()) {
            assertTrue(c.encode(List.of()).isEmpty());
            assertEquals(0, server.getRequestCount());
        }
    }

    @Test
    void dimensionIsProbedWhenUnknown() {
        serveReversed(6);
        try (OpenAiEmbeddingClient c = client(8).build()) {
            assertEquals(6, c.dimension());
            assertEquals(6, c.dimension());
            assertEquals(1, server.getRequestCount());
        }
    }

    @Test
    void configuredDimensionMismatchFailsWithoutRetry() {
        serveReversed(5);
        try (OpenAiEmbeddingClient c = client(8).dimension(384).build()) {
            assertEquals(384, c.dimension());
            LlmException e = assertThrows(LlmException.class, () -> c.encode(List.of("x", "y")));
            assertEquals(LlmException.Reason.MALFORMED_RESPONSE, e.reason());
            assertTrue(e.getMessage().contains("dimension 5") && e.getMessage().contains("384 was configured"),
                    e.getMessage());
            assertEquals(1, server.getRequestCount());
        }
    }

    @Test
    void sharesTheRetryMachinery() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "2").build());
        server.enqueue(new MockResponse.Builder().code(502).body("Bad Gateway").build());
        server.enqueue(reversed(List.of("a", "bcd"), 3));
        try (OpenAiEmbeddingClient c = client(8).build()) {
            List<float[]> v = c.encode(List.of("a", "bcd"));

            assertArrayEquals(vectorOf("bcd", 3), v.get(1));
            assertEquals(2, sleeper.delays().size());
            assertEquals(Duration.ofSeconds(2), sleeper.delays().get(0));
            assertEquals(2, c.usage().retries());
        }
    }

    @Test
    void unauthorizedFailsAtOnceWithoutTheKey() {
        server.enqueue(new MockResponse.Builder().code(401)
                .body("{\"error\":{\"message\":\"Invalid token " + KEY + "\"}}").build());
        try (OpenAiEmbeddingClient c = client(8).build()) {
            LlmException e = assertThrows(LlmException.class, () -> c.encode(List.of("a")));
            assertEquals(401, e.statusCode());
            assertTrue(e.getMessage().contains("Invalid token ***"), e.getMessage());
            assertFalse(e.getMessage().contains(KEY));
        }
    }

    @Test
    void duplicateOrMissingIndicesAreMalformed() {
        String dup = "{\"data\":[{\"index\":0,\"embedding\":[1,2]},{\"index\":0,\"embedding\":[3,4]}]}";
        String few = "{\"data\":[{\"index\":0,\"embedding\":[1,2]}]}";
        for (String body : new String[] {dup, few}) {
            for (int i = 0; i < 3; i++) {  // the first try and maxMalformedRetries (2)
                server.enqueue(new MockResponse.Builder().code(200).body(body).build());
            }
        }
        try (OpenAiEmbeddingClient c = client(8).build()) {
            LlmException e1 = assertThrows(LlmException.class, () -> c.encode(List.of("a", "b")));
            assertTrue(e1.getMessage().contains("appears twice"), e1.getMessage());
            assertEquals(3, e1.attempts());
            LlmException e2 = assertThrows(LlmException.class, () -> c.encode(List.of("a", "b")));
            assertTrue(e2.getMessage().contains("sent 2 texts but got 1"), e2.getMessage());
        }
    }

    @Test
    void builderValidates() {
        assertThrows(IllegalArgumentException.class, () -> client(0).build());
        assertThrows(IllegalArgumentException.class, () -> client(1).dimension(-1).build());
    }
}
