package dev.eimf.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OpenAiConfigTest {

    private static final String KEY = OpenAiChatClientTest.KEY;

    private static OpenAiConfig.Builder base() {
        return OpenAiConfig.builder().baseUrl("http://localhost:8000").model("m").environment(name -> null);
    }

    @Test
    void endpointsWithAndWithoutV1() {
        for (String url : new String[] {"http://localhost:8000", "http://localhost:8000/", "http://localhost:8000/v1",
                                        "http://localhost:8000/v1/"}) {
            OpenAiConfig c = base().baseUrl(url).build();
            assertEquals("http://localhost:8000/v1/chat/completions", c.endpoint("chat/completions").toString(), url);
            assertEquals("http://localhost:8000/v1/embeddings", c.endpoint("embeddings").toString(), url);
        }
        OpenAiConfig prefixed = base().baseUrl("https://gw.example.com/openai/v1").build();
        assertEquals("https://gw.example.com/openai/v1/chat/completions",
                prefixed.endpoint("chat/completions").toString());
    }

    @Test
    void defaults() {
        OpenAiConfig c = base().build();
        assertEquals(0.0, c.temperature());
        assertEquals(5, c.maxRetries());
        assertEquals(4, c.maxConcurrency());
        assertEquals(64L << 20, c.maxResponseBytes());
        assertEquals(0, c.maxTokens());
        assertFalse(c.jsonResponseFormat());
        assertEquals(Optional.empty(), c.apiKey());
    }

    @Test
    void apiKeyFallsBackToTheEnvironment() {
        OpenAiConfig fromEnv = base().environment(n -> n.equals("OPENAI_API_KEY") ? KEY : null).build();
        assertEquals(Optional.of(KEY), fromEnv.apiKey());

        OpenAiConfig explicit = base().environment(n -> "sk-other").apiKey(KEY).build();
        assertEquals(Optional.of(KEY), explicit.apiKey());

        OpenAiConfig none = base().environment(n -> KEY).noApiKey().build();
        assertEquals(Optional.empty(), none.apiKey());
    }

    @Test
    void toStringAndRedactHideSecrets() {
        OpenAiConfig c = base().apiKey(KEY).header("X-Api-Key", "secret-header-value").header("X-Trace", "visible")
                .build();
        String s = c.toString();
        assertFalse(s.contains(KEY), s);
        assertFalse(s.contains("secret-header-value"), s);
        assertTrue(s.contains("apiKey=***") && s.contains("X-Trace=visible"), s);
        assertEquals("key *** and ***", c.redact("key " + KEY + " and secret-header-value"));
        assertFalse(c.toBuilder().build().toString().contains(KEY));
        assertEquals(Optional.of(KEY), c.toBuilder().build().apiKey());

        OpenAiConfig bearer = base().header("Authorization", "Bearer " + KEY).build();
        assertFalse(bearer.toString().contains(KEY), bearer.toString());
        assertEquals("echo ***", bearer.redact("echo " + KEY));
        assertEquals(Map.of("Authorization", "Bearer " + KEY), bearer.extraHeaders());
    }

    @Test
    void validationNamesTheField() {
        assertMessage("baseUrl", () -> base().baseUrl(null).build());
        assertMessage("baseUrl", () -> base().baseUrl("localhost:8000").build());
        assertMessage("model", () -> base().model(" ").build());
        assertMessage("temperature", () -> base().temperature(-0.1).build());
        assertMessage("temperature", () -> base().temperature(Double.NaN).build());
        assertMessage("maxRetries", () -> base().maxRetries(-1).build());
        assertMessage("maxConcurrency", () -> base().maxConcurrency(0).build());
        assertMessage("maxResponseBytes", () -> base().maxResponseBytes(100).build());
        assertMessage("readTimeout", () -> base().readTimeout(Duration.ZERO).build());
        assertMessage("maxBackoff", () -> base().baseBackoff(Duration.ofSeconds(5)).maxBackoff(Duration.ofSeconds(1)).build());
        assertMessage("Authorization", () -> base().apiKey(KEY).header("Authorization", "Bearer x").build());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> base().apiKey("sk-with\nnewline").build());
        assertFalse(bad.getMessage().contains("sk-with"), bad.getMessage());
    }

    private static void assertMessage(String field, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(field), ex.getMessage());
    }

    @Test
    void retryAfterParsesSecondsAndHttpDatesAndIsCapped() {
        Instant now = Instant.parse("2025-01-01T12:00:00Z");
        Duration cap = Duration.ofSeconds(60);
        assertEquals(Duration.ofSeconds(7), OpenAiHttp.parseRetryAfter("7", now, cap));
        assertEquals(Duration.ofMillis(1500), OpenAiHttp.parseRetryAfter("1.5", now, cap));
        assertEquals(Duration.ofSeconds(30), OpenAiHttp.parseRetryAfter("Wed, 01 Jan 2025 12:00:30 GMT", now, cap));
        assertEquals(Duration.ZERO, OpenAiHttp.parseRetryAfter("Wed, 01 Jan 2025 11:00:00 GMT", now, cap));
        assertEquals(cap, OpenAiHttp.parseRetryAfter("Wed, 01 Jan 2025 13:00:00 GMT", now, cap));
        assertEquals(cap, OpenAiHttp.parseRetryAfter("100000", now, cap));
        assertEquals(Duration.ZERO, OpenAiHttp.parseRetryAfter("-3", now, cap));
        assertEquals(null, OpenAiHttp.parseRetryAfter("soon", now, cap));
        assertEquals(null, OpenAiHttp.parseRetryAfter(null, now, cap));
    }

    @Test
    void backoffGrowsIsCappedAndIsReproducibleFromTheSeed() {
        OpenAiConfig c = base().baseBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofMillis(1000)).jitterSeed(7)
                .build();
        try (OpenAiHttp a = new OpenAiHttp(c, Sleeper.SYSTEM); OpenAiHttp b = new OpenAiHttp(c, Sleeper.SYSTEM)) {
            Set<Duration> distinct = new HashSet<>();
            for (int retry = 1; retry <= 10; retry++) {
                Duration da = a.backoff(retry);
                assertEquals(da, b.backoff(retry), "same seed, same delays");
                long full = Math.min(1000, 100L << (retry - 1));
                assertTrue(da.toNanos() >= full * 1_000_000L / 2 && da.toNanos() <= full * 1_000_000L,
                        "retry " + retry + ": " + da);
                distinct.add(da);
            }
            assertTrue(distinct.size() > 5, "jitter varies the delays");
        }
    }
}
