package dev.eimf.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eimf.esim.LlmClient.ChatRequest;
import dev.eimf.esim.LlmClient.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's handling of credentials in the base URL, of redirects and of retry warnings (issue #23, class 7),
 * against real HTTP servers on loopback.
 */
class ClientHardeningTest {
    private static final String SECRET = "S3cretPw-q7";

    @StartStop
    final MockWebServer server = new MockWebServer();
    @StartStop
    final MockWebServer elsewhere = new MockWebServer();

    private final List<OpenAiChatClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(OpenAiChatClient::close);
    }

    private OpenAiChatClient client(OpenAiConfig.Builder b) {
        OpenAiChatClient c = new OpenAiChatClient(b.build(), new RecordingSleeper());
        clients.add(c);
        return c;
    }

    private OpenAiConfig.Builder config(String baseUrl) {
        return OpenAiConfig.builder().baseUrl(baseUrl).model("m").noApiKey().maxRetries(1)
                .baseBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(1));
    }

    private static ChatRequest hello() {
        return new ChatRequest(List.of(Message.user("my history: item 1, item 2")), 0, 0, false);
    }

    private static MockResponse ok() {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body(OpenAiChatClientTest.reply("hi", 1, 1)).build();
    }

    @Test
    void credentialsInTheBaseUrlAreSentAsBasicAuthAndNeverShown() throws Exception {
        String url = "http://alice:" + SECRET + "@" + server.getHostName() + ":" + server.getPort() + "/v1";
        server.enqueue(new MockResponse.Builder().code(400).body("{\"error\":{\"message\":\"bad model\"}}").build());
        OpenAiChatClient c = client(config(url));
        LlmException e = assertThrows(LlmException.class, () -> c.chat(hello()));
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        assertFalse(e.getMessage().contains("alice:"), e.getMessage());
        assertTrue(e.getMessage().contains("POST http://" + server.getHostName() + ":" + server.getPort()
                + "/v1/chat/completions"), e.getMessage());
        assertFalse(c.toString().contains(SECRET), c.toString());
        assertTrue(c.toString().contains("urlCredentials=***"), c.toString());
        RecordedRequest r = server.takeRequest();
        assertEquals(okhttp3.Credentials.basic("alice", SECRET), r.getHeaders().get("Authorization"));
        String basic = okhttp3.Credentials.basic("alice", SECRET);
        assertEquals("echo *** and ***", c.config().redact("echo " + SECRET + " and " + basic.substring(6)));

        // A base URL that does not parse is quoted in the error, without its credentials.
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> config("http://alice:" + SECRET + "@host:notaport/v1").build());
        assertFalse(bad.getMessage().contains(SECRET), bad.getMessage());
        assertTrue(bad.getMessage().contains("http://***@host:notaport/v1"), bad.getMessage());
        // Two ways of authenticating are one too many.
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> config(url).apiKey("sk-other").build());
        assertFalse(both.getMessage().contains(SECRET), both.getMessage());
    }

    @Test
    void aRedirectToAnotherOriginIsNotFollowed() {
        elsewhere.enqueue(ok());
        server.enqueue(new MockResponse.Builder().code(307)
                .addHeader("Location", elsewhere.url("/v1/chat/completions").toString()).build());
        OpenAiChatClient c = client(config(server.url("/").toString()));
        LlmException e = assertThrows(LlmException.class, () -> c.chat(hello()));
        assertEquals(0, elsewhere.getRequestCount(), "the history must not reach the other server");
        assertEquals(1, server.getRequestCount(), "a refused redirect is not retried");
        assertEquals(LlmException.Reason.CLIENT_ERROR, e.reason());
        assertTrue(e.getMessage().contains("HTTP 307 redirect to " + elsewhere.url("/v1/chat/completions")
                + " not followed: it leaves"), e.getMessage());
    }

    @Test
    void aRedirectOnTheSameOriginIsFollowedWithTheBody() throws Exception {
        server.enqueue(new MockResponse.Builder().code(308).addHeader("Location", "/v2/chat/completions").build());
        server.enqueue(ok());
        OpenAiChatClient c = client(config(server.url("/").toString()));
        assertEquals("hi", c.chat(hello()).content());
        server.takeRequest();
        RecordedRequest second = server.takeRequest();
        assertEquals("/v2/chat/completions", second.getUrl().encodedPath());
        assertEquals("POST", second.getMethod());
        assertTrue(second.getBody().utf8().contains("item 1, item 2"));
    }

    @Test
    void retryWarningsReachTheListener() throws Exception {
        List<String> warnings = new CopyOnWriteArrayList<>();
        server.enqueue(new MockResponse.Builder().code(503).body("busy").build());
        server.enqueue(ok());
        OpenAiChatClient c = client(config(server.url("/").toString()).retryListener(warnings::add));
        assertEquals("hi", c.chat(hello()).content());
        assertEquals(1, warnings.size(), String.valueOf(warnings));
        assertTrue(warnings.get(0).contains("attempt 1 of 2 failed: HTTP 503"), warnings.get(0));
    }
}
