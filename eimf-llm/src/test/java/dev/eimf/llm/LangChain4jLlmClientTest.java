package dev.eimf.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.eimf.esim.LlmClient;
import dev.eimf.esim.LlmClient.ChatRequest;
import dev.eimf.esim.LlmClient.ChatResponse;
import dev.eimf.esim.LlmClient.Message;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.output.TokenUsage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/** The LangChain4j chat adapter over LangChain4j's own OpenAI model, against MockWebServer. */
class LangChain4jLlmClientTest {

    @StartStop
    final MockWebServer server = new MockWebServer();

    private OpenAiChatModel openAi(String modelName) {
        // No retries: LangChain4j's backoff sleeps for real, and each test enqueues exactly what it expects.
        return OpenAiChatModel.builder().baseUrl(server.url("/v1").toString()).apiKey("sk-test-lc4j")
                .modelName(modelName).maxRetries(0).timeout(Duration.ofSeconds(10)).build();
    }

    private static JsonObject body(RecordedRequest r) {
        return JsonParser.parseString(r.getBody().utf8()).getAsJsonObject();
    }

    @Test
    void mapsMessagesAndSettingsAndReadsUsage() throws Exception {
        server.enqueue(OpenAiChatClientTest.ok("{\"interests\":[]}", 123, 45));
        LlmClient client = LangChain4jLlmClient.of(openAi("chat-model-a"));
        ChatResponse r = client.chat(new ChatRequest(List.of(Message.system("be brief"), Message.user("hello"),
                Message.assistant("not JSON"), Message.user("again, as JSON")), 0.25, 77, true));

        assertEquals("{\"interests\":[]}", r.content());
        assertEquals(123, r.promptTokens());
        assertEquals(45, r.completionTokens());

        RecordedRequest rec = server.takeRequest();
        assertEquals("/v1/chat/completions", rec.getUrl().encodedPath());
        assertEquals("Bearer sk-test-lc4j", rec.getHeaders().get("Authorization"));
        JsonObject b = body(rec);
        assertEquals("chat-model-a", b.get("model").getAsString());
        JsonArray messages = b.getAsJsonArray("messages");
        List<String> seen = new ArrayList<>();
        for (var m : messages) {
            JsonObject o = m.getAsJsonObject();
            seen.add(o.get("role").getAsString() + ":" + o.get("content").getAsString());
        }
        assertEquals(List.of("system:be brief", "user:hello", "assistant:not JSON", "user:again, as JSON"), seen);
        assertEquals(0.25, b.get("temperature").getAsDouble(), 0.0);
        int limit = b.has("max_tokens") ? b.get("max_tokens").getAsInt() : b.get("max_completion_tokens").getAsInt();
        assertEquals(77, limit);
        assertEquals("json_object", b.getAsJsonObject("response_format").get("type").getAsString());
    }

    @Test
    void noTokenLimitAndNoResponseFormatUnlessAsked() throws Exception {
        server.enqueue(OpenAiChatClientTest.ok("plain", 1, 2));
        LangChain4jLlmClient.of(openAi("m")).chat(new ChatRequest(List.of(Message.user("hi")), 0, 0, false));
        JsonObject b = body(server.takeRequest());
        assertFalse(b.has("max_tokens") || b.has("max_completion_tokens"), b.toString());
        assertFalse(b.has("response_format"), b.toString());
        assertEquals(0.0, b.get("temperature").getAsDouble(), 0.0);
    }

    @Test
    void modelNameFromDefaultParametersOrArgument() {
        assertEquals("chat-model-b", LangChain4jLlmClient.of(openAi("chat-model-b")).modelName());
        assertEquals("my-label", LangChain4jLlmClient.of(openAi("chat-model-b"), "my-label").modelName());
        ChatModel bare = new ChatModel() { };
        assertFalse(LangChain4jLlmClient.of(bare).modelName().isBlank());
        assertThrows(IllegalArgumentException.class, () -> LangChain4jLlmClient.of(bare, " "));
    }

    @Test
    void missingUsageCountsZero() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body("{\"id\":\"c\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":"
                        + "{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}").build());
        ChatResponse r = LangChain4jLlmClient.of(openAi("m")).chat(new ChatRequest(List.of(Message.user("x")), 0, 0, false));
        assertEquals("ok", r.content());
        assertEquals(0, r.totalTokens());
    }

    @Test
    void serverErrorsBecomeIoExceptionsNamingTheModel() {
        server.enqueue(OpenAiChatClientTest.status(500, "{\"error\":{\"message\":\"internal boom\"}}"));
        server.enqueue(OpenAiChatClientTest.status(401, "{\"error\":{\"message\":\"bad key\"}}"));
        server.enqueue(OpenAiChatClientTest.status(200, "{\"choices\":[{\"message\":"));  // truncated body
        LlmClient client = LangChain4jLlmClient.of(openAi("failing-model"));
        ChatRequest req = new ChatRequest(List.of(Message.user("x")), 0, 0, false);
        for (String expected : List.of("internal boom", "bad key", "")) {
            IOException e = assertThrows(IOException.class, () -> client.chat(req));
            assertTrue(e.getMessage().contains("'failing-model'"), e.getMessage());
            assertTrue(e.getMessage().contains(expected), e.getMessage());
            assertTrue(e.getCause() instanceof RuntimeException, String.valueOf(e.getCause()));
        }
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void unreachableServerIsAnIoException() throws Exception {
        String url = server.url("/v1").toString();
        server.close();
        ChatModel model = OpenAiChatModel.builder().baseUrl(url).apiKey("k").modelName("gone").maxRetries(0)
                .timeout(Duration.ofSeconds(5)).build();
        IOException e = assertThrows(IOException.class, () -> LangChain4jLlmClient.of(model)
                .chat(new ChatRequest(List.of(Message.user("x")), 0, 0, false)));
        assertTrue(e.getMessage().contains("'gone'"), e.getMessage());
    }

    @Test
    void unknownRoleIsRejected() {
        LlmClient client = LangChain4jLlmClient.of(openAi("m"));
        assertThrows(IllegalArgumentException.class,
                () -> client.chat(new ChatRequest(List.of(new Message("tool", "x")), 0, 0, false)));
        assertEquals(0, server.getRequestCount());
    }

    /** A model that refuses ResponseFormat.JSON, as some providers' LangChain4j modules do. */
    private static final class NoJsonModel implements ChatModel {
        final List<ResponseFormat> formats = new ArrayList<>();

        @Override
        public dev.langchain4j.model.chat.response.ChatResponse doChat(
                dev.langchain4j.model.chat.request.ChatRequest request) {
            formats.add(request.responseFormat());
            if (ResponseFormat.JSON.equals(request.responseFormat())) {
                throw new UnsupportedFeatureException("JSON response format is not supported");
            }
            return dev.langchain4j.model.chat.response.ChatResponse.builder().aiMessage(AiMessage.from("text"))
                    .tokenUsage(new TokenUsage(3, 4)).build();
        }
    }

    @Test
    void jsonModeFallsBackToPlainTextWhereUnsupported() throws Exception {
        NoJsonModel model = new NoJsonModel();
        LlmClient client = LangChain4jLlmClient.of(model, "no-json");
        ChatRequest json = new ChatRequest(List.of(Message.user("x")), 0, 0, true);
        assertEquals(new ChatResponse("text", 3, 4), client.chat(json));
        assertEquals(new ChatResponse("text", 3, 4), client.chat(json));
        // One refused attempt, then plain requests only: the refusal is remembered.
        assertEquals(3, model.formats.size());
        assertEquals(ResponseFormat.JSON, model.formats.get(0));
        assertTrue(model.formats.subList(1, 3).stream().noneMatch(ResponseFormat.JSON::equals), model.formats.toString());
    }

    @Test
    void replyWithoutTextIsAnIoException() {
        ChatModel noText = new ChatModel() {
            @Override
            public dev.langchain4j.model.chat.response.ChatResponse doChat(
                    dev.langchain4j.model.chat.request.ChatRequest request) {
                return dev.langchain4j.model.chat.response.ChatResponse.builder()
                        .aiMessage(AiMessage.from(List.of(dev.langchain4j.agent.tool.ToolExecutionRequest.builder()
                                .name("f").arguments("{}").build()))).build();
            }
        };
        IOException e = assertThrows(IOException.class, () -> LangChain4jLlmClient.of(noText, "tools")
                .chat(new ChatRequest(List.of(Message.user("x")), 0, 0, false)));
        assertTrue(e.getMessage().contains("no text"), e.getMessage());
    }
}
