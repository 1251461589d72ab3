package dev.eimf.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.eimf.esim.LlmClient.ChatRequest;
import dev.eimf.esim.LlmClient.ChatResponse;
import dev.eimf.esim.LlmClient.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The chat client against a real HTTP server (MockWebServer). */
class OpenAiChatClientTest {

    /** A recognisable fake key: no message, log line or toString may contain it. */
    static final String KEY = "sk-test-FAKEKEY-0123456789abcdef";

    @StartStop
    final MockWebServer server = new MockWebServer();

    private final RecordingSleeper sleeper = new RecordingSleeper();
    private final List<OpenAiChatClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(OpenAiChatClient::close);
    }

    private OpenAiConfig.Builder config() {
        return OpenAiConfig.builder().baseUrl(server.url("/").toString()).model("test-model").apiKey(KEY)
                .baseBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(2));
    }

    private OpenAiChatClient client(OpenAiConfig.Builder b) {
        OpenAiChatClient c = new OpenAiChatClient(b.build(), sleeper);
        clients.add(c);
        return c;
    }

    static String reply(String content, long prompt, long completion) {
        JsonObject message = new JsonObject();
        message.addProperty("role", "assistant");
        message.addProperty("content", content);
        JsonObject choice = new JsonObject();
        choice.addProperty("index", 0);
        choice.add("message", message);
        choice.addProperty("finish_reason", "stop");
        com.google.gson.JsonArray choices = new com.google.gson.JsonArray();
        choices.add(choice);
        JsonObject usage = new JsonObject();
        usage.addProperty("prompt_tokens", prompt);
        usage.addProperty("completion_tokens", completion);
        usage.addProperty("total_tokens", prompt + completion);
        JsonObject root = new JsonObject();
        root.addProperty("id", "chatcmpl-1");
        root.addProperty("object", "chat.completion");
        root.add("choices", choices);
        root.add("usage", usage);
        return root.toString();
    }

    static MockResponse ok(String content, long prompt, long completion) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body(reply(content, prompt, completion)).build();
    }

    static MockResponse status(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }

    private static ChatRequest req(String user) {
        return new ChatRequest(List.of(Message.system("You extract interests."), Message.user(user)), 0.0, 0, false);
    }

    private static JsonObject body(RecordedRequest r) {
        return JsonParser.parseString(r.getBody().utf8()).getAsJsonObject();
    }

    @Test
    void sendsTheOpenAiRequestShapeAndHeaders() throws Exception {
        server.enqueue(ok("{\"interests\":[]}", 12, 5));
        OpenAiChatClient c = client(config().maxTokens(77).header("X-Trace", "trace-1"));

        ChatResponse r = c.chat(new ChatRequest(List.of(Message.system("sys"), Message.user("hello")), 0.3, 0, true));

        assertEquals("{\"interests\":[]}", r.content());
        assertEquals(12, r.promptTokens());
        assertEquals(5, r.completionTokens());
        RecordedRequest rec = server.takeRequest();
        assertEquals("POST", rec.getMethod());
        assertEquals("/v1/chat/completions", rec.getUrl().encodedPath());
        assertEquals("Bearer " + KEY, rec.getHeaders().get("Authorization"));
        assertEquals("trace-1", rec.getHeaders().get("X-Trace"));
        assertTrue(rec.getHeaders().get("Content-Type").startsWith("application/json"));
        JsonObject b = body(rec);
        assertEquals("test-model", b.get("model").getAsString());
        assertEquals(0.3, b.get("temperature").getAsDouble(), 0.0);
        assertEquals(77, b.get("max_tokens").getAsInt(), "config maxTokens used when the request has none");
        assertEquals("json_object", b.getAsJsonObject("response_format").get("type").getAsString());
        assertEquals(2, b.getAsJsonArray("messages").size());
        JsonObject m0 = b.getAsJsonArray("messages").get(0).getAsJsonObject();
        JsonObject m1 = b.getAsJsonArray("messages").get(1).getAsJsonObject();
        assertEquals("system", m0.get("role").getAsString());
        assertEquals("sys", m0.get("content").getAsString());
        assertEquals("user", m1.get("role").getAsString());
        assertEquals("hello", m1.get("content").getAsString());
    }

    @Test
    void localServerWithoutKeyAndBaseUrlEndingInV1() throws Exception {
        server.enqueue(ok("hi", 1, 1));
        OpenAiConfig cfg = OpenAiConfig.builder().baseUrl(server.url("/v1/").toString()).model("llama")
                .noApiKey().build();
        OpenAiChatClient c = new OpenAiChatClient(cfg, sleeper);
        clients.add(c);

        c.chat(new ChatRequest(List.of(Message.user("x")), 0.0, 12, false));

        RecordedRequest rec = server.takeRequest();
        assertEquals("/v1/chat/completions", rec.getUrl().encodedPath());
        assertNull(rec.getHeaders().get("Authorization"));
        JsonObject b = body(rec);
        assertEquals(12, b.get("max_tokens").getAsInt());
        assertFalse(b.has("response_format"));
        assertEquals(0.0, b.get("temperature").getAsDouble(), 0.0);
    }

    @Test
    void requestFromConfigDefaults() throws Exception {
        server.enqueue(ok("hi", 1, 1));
        OpenAiChatClient c = client(config().temperature(0.7).maxTokens(30).jsonResponseFormat(true));

        c.chat(c.request(List.of(Message.user("x"))));

        JsonObject b = body(server.takeRequest());
        assertEquals(0.7, b.get("temperature").getAsDouble(), 0.0);
        assertEquals(30, b.get("max_tokens").getAsInt());
        assertEquals("json_object", b.getAsJsonObject("response_format").get("type").getAsString());
    }

    @Test
    void usageIsSummedOverCalls() throws Exception {
        server.enqueue(ok("a", 10, 3));
        server.enqueue(ok("b", 20, 4));
        OpenAiChatClient c = client(config());

        c.chat(req("one"));
        c.chat(req("two"));

        assertEquals(new Usage(2, 0, 30, 7, 0), c.usage());
    }

    @Test
    void rateLimitedThenSuccessHonoursRetryAfterSeconds() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "7")
                .body("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}").build());
        server.enqueue(ok("done", 3, 2));
        OpenAiChatClient c = client(config().maxRetryAfter(Duration.ofSeconds(60)));

        assertEquals("done", c.chat(req("x")).content());

        assertEquals(List.of(Duration.ofSeconds(7)), sleeper.delays());
        assertEquals(new Usage(1, 1, 3, 2, 0), c.usage());
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void unavailableWithRetryAfterZeroIsRetriedByUsNotSilentlyByOkHttp() throws Exception {
        // OkHttp's own follow-up logic re-sends after "503, Retry-After: 0"; that retry must be ours: counted,
        // limited by maxRetries and waited for.
        server.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "0").build());
        server.enqueue(ok("not asked for", 1, 1));
        OpenAiChatClient noRetries = client(config().maxRetries(0));

        LlmException e = assertThrows(LlmException.class, () -> noRetries.chat(req("x")));
        assertEquals(LlmException.Reason.SERVER_ERROR, e.reason());
        assertEquals(1, server.getRequestCount());
        assertEquals("not asked for", noRetries.chat(req("drain")).content());

        server.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "0").build());
        server.enqueue(ok("second", 1, 1));
        OpenAiChatClient c = client(config());
        assertEquals("second", c.chat(req("y")).content());
        assertEquals(List.of(Duration.ZERO), sleeper.delays());
        assertEquals(1, c.usage().retries());
        assertEquals(4, server.getRequestCount());
    }

    @Test
    void retryAfterIsCapped() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "3600").build());
        server.enqueue(ok("done", 1, 1));
        OpenAiChatClient c = client(config().maxRetryAfter(Duration.ofSeconds(20)));

        c.chat(req("x"));

        assertEquals(List.of(Duration.ofSeconds(20)), sleeper.delays());
    }

    @Test
    void serviceUnavailableThenSuccessUsesJitteredBackoff() throws Exception {
        server.enqueue(status(503, "{\"error\":{\"message\":\"overloaded\"}}"));
        server.enqueue(ok("done", 1, 1));
        OpenAiChatClient c = client(config());

        assertEquals("done", c.chat(req("x")).content());

        assertEquals(1, sleeper.delays().size());
        Duration d = sleeper.delays().get(0);
        assertTrue(d.compareTo(Duration.ofMillis(50)) >= 0 && d.compareTo(Duration.ofMillis(100)) <= 0,
                "first backoff in [base/2, base], was " + d);
        assertEquals(1, c.usage().retries());
    }

    @Test
    void droppedConnectionThenSuccess() throws Exception {
        server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
        server.enqueue(ok("after drop", 1, 1));
        OpenAiChatClient c = client(config());

        assertEquals("after drop", c.chat(req("x")).content());

        assertEquals(2, server.getRequestCount());
        assertEquals(1, c.usage().retries());
        assertEquals(1, sleeper.delays().size());
    }

    @Test
    void droppedConnectionWithoutRetriesIsAnIoFailure() {
        server.enqueue(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
        OpenAiChatClient c = client(config().maxRetries(0));

        LlmException e = assertThrows(LlmException.class, () -> c.chat(req("x")));

        assertEquals(LlmException.Reason.IO, e.reason());
        assertEquals(1, e.attempts());
        assertEquals(1, server.getRequestCount(), "OkHttp must not retry silently");
    }

    @Test
    void readTimeoutThenSuccess() throws Exception {
        server.enqueue(ok("too late", 1, 1).newBuilder().headersDelay(2, TimeUnit.SECONDS).build());
        server.enqueue(ok("in time", 1, 1));
        OpenAiChatClient c = client(config().readTimeout(Duration.ofMillis(300)));

        assertEquals("in time", c.chat(req("x")).content());

        assertEquals(1, c.usage().retries());
    }

    @Test
    void unauthorizedIsNotRetriedAndNeverLeaksTheKey() {
        // The server echoes the key, as some do: it must still not reach the message.
        server.enqueue(status(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY
                + "\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));
        OpenAiChatClient c = client(config());

        LlmException e = assertThrows(LlmException.class, () -> c.chat(req("x")));

        assertEquals(LlmException.Reason.AUTHENTICATION, e.reason());
        assertEquals(401, e.statusCode());
        assertEquals(1, e.attempts());
        assertTrue(e.getMessage().contains("401"), e.getMessage());
        assertTrue(e.getMessage().contains("Incorrect API key provided"), e.getMessage());
        assertTrue(e.getMessage().contains("after 1 attempt"), e.getMessage());
        assertFalse(e.getMessage().contains(KEY), e.getMessage());
        assertFalse(e.serverMessage().contains(KEY));
        assertFalse(c.toString().contains(KEY));
        assertFalse(c.config().toString().contains(KEY));
        assertTrue(sleeper.delays().isEmpty());
        assertEquals(1, server.getRequestCount());
        assertEquals(new Usage(1, 0, 0, 0, 1), c.usage());
    }

    @Test
    void unknownModelAndBadRequestNameTheProblem() {
        server.enqueue(status(404, "{\"error\":{\"message\":\"The model `nope` does not exist\",\"code\":\"model_not_found\"}}"));
        server.enqueue(status(400, "{\"error\":{\"message\":\"maximum context length is 8192 tokens\"}}"));
        OpenAiChatClient c = client(config().model("nope"));

        LlmException notFound = assertThrows(LlmException.class, () -> c.chat(req("x")));
        LlmException bad = assertThrows(LlmException.class, () -> c.chat(req("y")));

        assertEquals(LlmException.Reason.NOT_FOUND, notFound.reason());
        assertTrue(notFound.getMessage().contains("404") && notFound.getMessage().contains("'nope'")
                && notFound.getMessage().contains("does not exist"), notFound.getMessage());
        assertEquals(LlmException.Reason.BAD_REQUEST, bad.reason());
        assertTrue(bad.getMessage().contains("400") && bad.getMessage().contains("maximum context length"),
                bad.getMessage());
        assertEquals(2, server.getRequestCount());
        assertTrue(sleeper.delays().isEmpty());
    }

    @Test
    void quotaExhaustedIsNotRetried() {
        server.enqueue(status(429, "{\"error\":{\"message\":\"You exceeded your current quota\",\"code\":\"insufficient_quota\"}}"));
        OpenAiChatClient c = client(config());

        LlmException e = assertThrows(LlmException.class, () -> c.chat(req("x")));

        assertEquals(LlmException.Reason.RATE_LIMITED, e.reason());
        assertEquals(1, e.attempts());
        assertTrue(e.getMessage().contains("exceeded your current quota"), e.getMessage());
    }

    @Test
    void retriesExhaustedReportsTheAttemptCount() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(status(500, "{\"error\":{\"message\":\"internal error " + i + "\"}}"));
        }
        OpenAiChatClient c = client(config().maxRetries(2));

        LlmException e = assertThrows(LlmException.class, () -> c.chat(req("x")));

        assertEquals(LlmException.Reason.SERVER_ERROR, e.reason());
        assertEquals(3, e.attempts());
        assertEquals(500, e.statusCode());
        assertTrue(e.getMessage().contains("after 3 attempts"), e.getMessage());
        assertTrue(e.getMessage().contains("internal error 2"), e.getMessage());
        assertFalse(e.getMessage().contains(KEY));
        assertEquals(3, server.getRequestCount());
        List<Duration> d = sleeper.delays();
        assertEquals(2, d.size());
        assertTrue(d.get(1).compareTo(Duration.ofMillis(100)) >= 0 && d.get(1).compareTo(Duration.ofMillis(200)) <= 0,
                "second backoff in [base, 2 base], was " + d.get(1));
        assertEquals(new Usage(1, 2, 0, 0, 1), c.usage());
    }

    @Test
    void ioFailuresExhaustedAreReportedAsIo() throws Exception {
        OpenAiConfig.Builder b = config().maxRetries(1);
        server.close();  // nothing listens any more: connection refused
        OpenAiChatClient c = client(b);

        LlmException e = assertThrows(LlmException.class, () -> c.chat(req("x")));

        assertEquals(LlmException.Reason.IO, e.reason());
        assertEquals(-1, e.statusCode());
        assertEquals(2, e.attempts());
        assertTrue(e.getMessage().contains("I/O failure"), e.getMessage());
    }

    @Test
    void malformedBodyIsRetriedABoundedNumberOfTimes() throws Exception {
        server.enqueue(status(200, "{\"choices\":[{\"message\":{\"role\":\"assis"));  // cut short
        server.enqueue(ok("whole", 1, 1));
        server.enqueue(status(200, "<html>proxy page</html>"));
        server.enqueue(status(200, "{\"object\":\"chat.completion\"}"));
        server.enqueue(ok("never reached", 1, 1));
        OpenAiChatClient c = client(config().maxMalformedRetries(1));

        assertEquals("whole", c.chat(req("x")).content());
        LlmException e = assertThrows(LlmException.class, () -> c.chat(req("y")));

        assertEquals(LlmException.Reason.MALFORMED_RESPONSE, e.reason());
        assertEquals(2, e.attempts());
        assertTrue(e.getMessage().contains("no choices"), e.getMessage());
        assertEquals(4, server.getRequestCount());
    }

    @Test
    void missingContentIsMalformed() {
        server.enqueue(status(200, "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":null}}]}"));
        OpenAiChatClient c = client(config().maxMalformedRetries(0));

        LlmException e = assertThrows(LlmException.class, () -> c.chat(req("x")));

        assertEquals(LlmException.Reason.MALFORMED_RESPONSE, e.reason());
        assertTrue(e.getMessage().contains("choices[0].message.content"), e.getMessage());
    }

    @Test
    void invalidRequestsFailBeforeSending() {
        OpenAiChatClient c = client(config());
        assertThrows(IllegalArgumentException.class, () -> c.chat(new ChatRequest(List.of(), 0, 0, false)));
        assertThrows(IllegalArgumentException.class,
                () -> c.chat(new ChatRequest(List.of(new Message("user", null)), 0, 0, false)));
        assertThrows(IllegalArgumentException.class, () -> c.chat(new ChatRequest(List.of(Message.user("x")), 3.0, 0, false)));
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void batchKeepsInputOrderBoundsConcurrencyAndIsolatesFailures() throws Exception {
        int n = 10;
        int maxConcurrency = 3;
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CountDownLatch twoAtOnce = new CountDownLatch(2);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                int now = inFlight.incrementAndGet();
                peak.accumulateAndGet(now, Math::max);
                try {
                    // Hold the first requests until two are in flight together: proves the batch runs them
                    // concurrently without any timing assumption.
                    twoAtOnce.countDown();
                    twoAtOnce.await(10, TimeUnit.SECONDS);
                    String user = body(request).getAsJsonArray("messages").get(1).getAsJsonObject()
                            .get("content").getAsString();
                    int i = Integer.parseInt(user.substring("item ".length()));
                    // Later items answer sooner, so completion order differs from input order.
                    Thread.sleep((n - i) * 5L);
                    if (i == 4) {
                        return status(400, "{\"error\":{\"message\":\"item four is bad\"}}");
                    }
                    return ok("answer " + i, i, 1);
                } finally {
                    inFlight.decrementAndGet();
                }
            }
        });
        OpenAiChatClient c = client(config().maxConcurrency(maxConcurrency));
        List<ChatRequest> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            requests.add(req("item " + i));
        }

        List<BatchResult<ChatResponse>> results = c.chatAll(requests);

        assertEquals(n, results.size());
        for (int i = 0; i < n; i++) {
            BatchResult<ChatResponse> r = results.get(i);
            assertEquals(i, r.index());
            if (i == 4) {
                assertFalse(r.isSuccess());
                LlmException e = assertInstanceOf(LlmException.class, r.error());
                assertEquals(LlmException.Reason.BAD_REQUEST, e.reason());
                assertTrue(e.getMessage().contains("item four is bad"));
            } else {
                assertEquals("answer " + i, r.getOrThrow().content());
            }
        }
        assertTrue(twoAtOnce.await(0, TimeUnit.SECONDS), "requests ran concurrently");
        assertTrue(peak.get() <= maxConcurrency, "peak in flight " + peak.get() + " > " + maxConcurrency);
        Usage u = c.usage();
        assertEquals(n, u.calls());
        assertEquals(1, u.failures());
        assertEquals(45 - 4, u.promptTokens());
    }
}
