package dev.eimf.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.internal.LazilyParsedNumber;
import dev.eimf.esim.LlmClient.ChatRequest;
import dev.eimf.esim.LlmClient.ChatResponse;
import dev.eimf.esim.LlmClient.Message;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the clients' handling of reply bodies over real HTTP: random bytes, mutated and restructured chat
 * completions and embeddings replies, wrong encodings and charsets, huge fields and bodies, deep nesting, odd
 * status codes with odd bodies and {@code Retry-After} values, and bodies cut off mid-transfer. The only
 * outcomes allowed are a reply (equal to the one sent, where it was well-formed) or an {@link LlmException}
 * whose reason fits the status; never another exception or a hang. Each case replays from the seed.
 */
class ResponseBodyFuzzTest {
    private static final long SEED = 0xB0D1_F022L;
    private static final int CHAT_CASES = 1500;
    private static final int EMBEDDING_CASES = 300;
    private static final String KEY = "sk-test-FUZZKEY-0123456789";
    private static final long MAX_BODY = 2L << 20;

    @StartStop
    final MockWebServer server = NoDelayServerSockets.server();

    private OpenAiConfig config() {
        return OpenAiConfig.builder().baseUrl(server.url("/").toString()).model("fuzz").apiKey(KEY).maxRetries(0)
                .maxMalformedRetries(0).readTimeout(Duration.ofSeconds(20)).maxResponseBytes(MAX_BODY).build();
    }

    private static final ChatRequest REQUEST = new ChatRequest(List.of(Message.system("s"), Message.user("u")), 0, 0, false);

    /** What a case sends and what must come of it. */
    private record Case(String label, MockResponse response, int code, String expectedContent, boolean mayCut) {}

    @Test
    void chatRepliesParseOrFailWithTheDocumentedError() {
        assertTimeoutPreemptively(Duration.ofSeconds(300), () -> {
            SplittableRandom rnd = new SplittableRandom(SEED);
            Map<LlmException.Reason, Integer> reasons = new EnumMap<>(LlmException.Reason.class);
            int ok = 0;
            try (OpenAiChatClient client = new OpenAiChatClient(config(), d -> { })) {
                for (int n = 0; n < CHAT_CASES; n++) {
                    Case c = chatCase(new SplittableRandom(rnd.nextLong()), n);
                    server.enqueue(c.response);
                    long t0 = System.nanoTime();
                    try {
                        ChatResponse r = client.chat(REQUEST);
                        assertTrue(c.code >= 200 && c.code < 300, "case " + n + " (" + c.label + "): HTTP " + c.code + " accepted");
                        assertTrue(r.promptTokens() >= 0 && r.completionTokens() >= 0, "case " + n);
                        if (c.expectedContent != null) assertEquals(c.expectedContent, r.content(), "case " + n + " (" + c.label + ")");
                        ok++;
                    } catch (LlmException e) {
                        checkFailure(e, c, n);
                        if (c.expectedContent != null) fail("case " + n + " (" + c.label + "): expected a reply, got " + e);
                        reasons.merge(e.reason(), 1, Integer::sum);
                    } catch (Throwable t) {
                        throw new AssertionError("case " + n + " (" + c.label + ") threw " + t, t);
                    } finally {
                        long ms = (System.nanoTime() - t0) / 1_000_000;
                        if (ms > 500) System.out.printf("case %d (%s) took %d ms%n", n, c.label, ms);
                    }
                }
            }
            System.out.printf("chat response fuzz: %d cases, %d replies, failures %s%n", CHAT_CASES, ok, reasons);
        });
    }

    @Test
    void embeddingRepliesParseOrFailWithTheDocumentedError() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            SplittableRandom rnd = new SplittableRandom(SEED + 1);
            int ok = 0;
            int failed = 0;
            for (int n = 0; n < EMBEDDING_CASES; n++) {
                SplittableRandom r = new SplittableRandom(rnd.nextLong());
                JsonObject root = embeddingReply(3, 4);
                String label;
                String body;
                int kind = r.nextInt(4);
                if (kind == 0) {
                    label = "valid";
                    body = root.toString();
                } else if (kind == 1) {
                    label = "mutated";
                    body = mutate(r, root.toString());
                } else if (kind == 2) {
                    label = "structure";
                    JsonArray data = root.getAsJsonArray("data");
                    JsonObject item = data.get(r.nextInt(data.size())).getAsJsonObject();
                    switch (r.nextInt(4)) {
                        case 0 -> item.add("index", randomValue(r));
                        case 1 -> item.add("embedding", randomValue(r));
                        case 2 -> item.getAsJsonArray("embedding").set(r.nextInt(4), randomValue(r));
                        default -> root.add("data", randomValue(r));
                    }
                    body = root.toString();
                } else {
                    label = "random bytes";
                    byte[] b = new byte[r.nextInt(0, 2000)];
                    r.nextBytes(b);
                    body = new String(b, StandardCharsets.ISO_8859_1);
                }
                server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                        .body(body).build());
                try (OpenAiEmbeddingClient client = OpenAiEmbeddingClient.builder(config()).dimension(4)
                        .sleeper(d -> { }).build()) {
                    List<float[]> v = client.encode(List.of("a", "b", "c"));
                    assertEquals(3, v.size(), "case " + n);
                    for (float[] f : v) {
                        assertEquals(4, f.length, "case " + n);
                        for (float x : f) assertTrue(Float.isFinite(x), "case " + n + " (" + label + "): non-finite value");
                    }
                    ok++;
                } catch (LlmException e) {
                    assertEquals(LlmException.Reason.MALFORMED_RESPONSE, e.reason(), "case " + n + " (" + label + "): " + e);
                    assertFalse(e.getMessage().contains(KEY));
                    if (label.equals("valid")) fail("case " + n + ": valid reply refused: " + e);
                    failed++;
                } catch (Throwable t) {
                    throw new AssertionError("embeddings case " + n + " (" + label + ") threw " + t, t);
                }
            }
            System.out.printf("embeddings response fuzz: %d cases, %d replies, %d malformed%n", EMBEDDING_CASES, ok, failed);
        });
    }

    private static void checkFailure(LlmException e, Case c, int n) {
        String at = "case " + n + " (" + c.label + ", HTTP " + c.code + "): " + e.getMessage();
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), at);
        assertFalse(e.getMessage().contains(KEY), at);
        assertTrue(e.getMessage().length() < 4000,
                () -> "message of " + e.getMessage().length() + " chars: " + at.substring(0, Math.min(at.length(), 400)));
        assertEquals(1, e.attempts(), at);
        Set<LlmException.Reason> allowed;
        int code = c.code;
        if (code >= 200 && code < 300) {
            allowed = Set.of(LlmException.Reason.MALFORMED_RESPONSE);
        } else if (code == 401 || code == 403) {
            allowed = Set.of(LlmException.Reason.AUTHENTICATION);
        } else if (code == 404) {
            allowed = Set.of(LlmException.Reason.NOT_FOUND);
        } else if (code == 400 || code == 422) {
            allowed = Set.of(LlmException.Reason.BAD_REQUEST);
        } else if (code == 429) {
            allowed = Set.of(LlmException.Reason.RATE_LIMITED);
        } else if (code == 408 || code >= 500) {
            allowed = Set.of(LlmException.Reason.SERVER_ERROR);
        } else {
            allowed = Set.of(LlmException.Reason.CLIENT_ERROR);
        }
        if (c.mayCut) {
            allowed = Set.of(LlmException.Reason.IO, allowed.iterator().next());
        }
        assertTrue(allowed.contains(e.reason()), "reason " + e.reason() + " not in " + allowed + ": " + at);
        if (e.reason() != LlmException.Reason.IO) assertEquals(code, e.statusCode(), at);
    }

    // ---- chat cases ----

    static JsonObject chatReply(String content) {
        return JsonParser.parseString(OpenAiChatClientTest.reply(content, 12, 5)).getAsJsonObject();
    }

    private static MockResponse response(int code, String contentType, byte[] body) {
        MockResponse.Builder b = new MockResponse.Builder().code(code).body(new Buffer().write(body));
        if (contentType != null) b.addHeader("Content-Type", contentType);
        return b.build();
    }

    private static MockResponse json(int code, String body) {
        return response(code, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static Case chatCase(SplittableRandom rnd, int n) {
        String content = "{\"interests\":[{\"name\":\"Caf\u00e9 \ud83c\udfac \\\"x\\\"\",\"evidence\":[1]}]} " + n;
        JsonObject valid = chatReply(content);
        int kind = rnd.nextInt(100);
        if (kind < 10) {
            byte[] b = new byte[rnd.nextInt(0, 3000)];
            rnd.nextBytes(b);
            return new Case("random bytes", response(200, rnd.nextBoolean() ? "application/json" : null, b), 200, null, false);
        }
        if (kind < 35) {
            return new Case("mutated", json(200, mutate(rnd, valid.toString())), 200, null, false);
        }
        if (kind < 55) {
            String what = breakNode(rnd, valid);
            boolean usageOnly = what.startsWith("usage");
            return new Case("structure: " + what, json(200, valid.toString()), 200, usageOnly ? content : null, false);
        }
        if (kind < 65) {
            // Encodings: declared right (must parse), declared wrong or not at all (parse or malformed).
            String text = valid.toString();
            return switch (rnd.nextInt(6)) {
                case 0 -> new Case("utf-16 declared", response(200, "application/json; charset=utf-16",
                        text.getBytes(StandardCharsets.UTF_16)), 200, content, false);
                case 1 -> new Case("utf-16 with bom, undeclared", response(200, "application/json",
                        text.getBytes(StandardCharsets.UTF_16)), 200, content, false);
                case 2 -> new Case("utf-8 bom", response(200, "application/json", concat(new byte[] {(byte) 0xef,
                        (byte) 0xbb, (byte) 0xbf}, text.getBytes(StandardCharsets.UTF_8))), 200, content, false);
                case 3 -> new Case("latin-1 declared utf-8", response(200, "application/json; charset=utf-8",
                        text.getBytes(StandardCharsets.ISO_8859_1)), 200, null, false);
                case 4 -> new Case("unknown charset", response(200, "application/json; charset=x-nonsense",
                        text.getBytes(StandardCharsets.UTF_8)), 200, content, false);
                default -> new Case("utf-16le without bom", response(200, "application/json",
                        text.getBytes(Charset.forName("UTF-16LE"))), 200, null, false);
            };
        }
        if (kind < 70) {
            return hugeOrDeep(rnd);
        }
        if (kind < 75) {
            return new Case("cut mid-body", new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                    .body(valid.toString()).onResponseBody(new SocketEffect.CloseSocket()).build(), 200, null, true);
        }
        if (kind < 80) {
            return new Case("valid", json(200, valid.toString()), 200, content, false);
        }
        // Error statuses with odd bodies and Retry-After values.
        int[] codes = {201, 202, 302, 400, 401, 403, 404, 408, 409, 413, 418, 422, 429, 500, 502, 503, 504, 520, 599};
        int code = codes[rnd.nextInt(codes.length)];
        String[] bodies = {"", "<html>error</html>", "{\"error\":{\"message\":" + randomValue(rnd) + ",\"code\":" + randomValue(rnd) + "}}",
            "{\"error\":" + randomValue(rnd) + "}", "{\"detail\":" + randomValue(rnd) + "}", "{\"message\":[1,{\"a\":2}]}",
            "x".repeat(200_000), "{\"error\":{\"message\":\"" + "m".repeat(100_000) + "\"}}", mutate(rnd, valid.toString()),
            "{\"error\":{\"message\":\"bad key " + KEY + "\"}}"};
        String[] retryAfter = {null, "0", "-5", "1e400", "NaN", "abc", "Wed, 21 Oct 2015 07:28:00 GMT",
            "Fri, 31 Dec 9999 23:59:59 GMT", "99999999999999999999", " 3 "};
        int body = rnd.nextInt(bodies.length);
        MockResponse.Builder b = new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json")
                .body(bodies[body]);
        String ra = retryAfter[rnd.nextInt(retryAfter.length)];
        String header = rnd.nextBoolean() ? "Retry-After" : "retry-after-ms";
        if (ra != null) b.addHeader(header, ra);
        return new Case("status " + code + ", body " + body + (ra == null ? "" : ", " + header + ": " + ra), b.build(),
                code, null, false);
    }

    private static Case hugeOrDeep(SplittableRandom rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> {
                String big = "\u00e9".repeat(rnd.nextInt(100_000, 900_000));
                yield new Case("huge content", json(200, chatReply(big).toString()), 200, big, false);
            }
            case 1 -> new Case("body over the limit", json(200, chatReply("x".repeat((int) MAX_BODY)).toString()), 200, null, false);
            case 2 -> new Case("deep nesting", json(200, "{\"choices\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"),
                    200, null, false);
            case 3 -> new Case("deep nesting in usage", json(200, chatReply("c").toString().replace("\"usage\":{",
                    "\"usage\":{\"x\":" + "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000) + ",")), 200, null, false);
            case 4 -> new Case("huge number", json(200, chatReply("c").toString().replace("\"prompt_tokens\":12",
                    "\"prompt_tokens\":" + "9".repeat(200_000))), 200, "c", false);
            default -> new Case("many choices", json(200, "{\"choices\":[" + "{\"message\":{\"content\":\"a\"}},".repeat(50_000)
                    + "{}]}"), 200, "a", false);
        };
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static final String ALPHABET = "{}[]\",:0123456789-+.eE\\ntruefalsnul \n\u00e9\ud83c";

    static String mutate(SplittableRandom rnd, String s) {
        StringBuilder sb = new StringBuilder(s);
        for (int m = rnd.nextInt(1, 6); m > 0; m--) {
            int len = sb.length();
            int at = len == 0 ? 0 : rnd.nextInt(len);
            switch (rnd.nextInt(6)) {
                case 0 -> { if (len > 0) sb.deleteCharAt(at); }
                case 1 -> sb.insert(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                case 2 -> { if (len > 0) sb.setCharAt(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length()))); }
                case 3 -> { if (len > 0) sb.insert(at, sb.substring(at, Math.min(len, at + rnd.nextInt(1, 40)))); }
                case 4 -> sb.setLength(at);
                default -> { if (len > 0) sb.setCharAt(at, (char) rnd.nextInt(0, 0x10000)); }
            }
        }
        return sb.toString();
    }

    static JsonElement randomValue(SplittableRandom rnd) {
        return switch (rnd.nextInt(13)) {
            case 0 -> JsonNull.INSTANCE;
            case 1 -> new JsonPrimitive(false);
            case 2 -> new JsonPrimitive("");
            case 3 -> new JsonPrimitive(new LazilyParsedNumber("1e999999"));
            case 4 -> new JsonPrimitive(new LazilyParsedNumber("-1"));
            case 5 -> new JsonPrimitive(new LazilyParsedNumber("1.5"));
            case 6 -> new JsonPrimitive(new LazilyParsedNumber("1e19"));
            case 7 -> new JsonPrimitive(new LazilyParsedNumber("99999999999999999999999999"));
            case 8 -> new JsonArray();
            case 9 -> new JsonObject();
            case 10 -> new JsonPrimitive(new LazilyParsedNumber("1e-999999"));
            case 11 -> new JsonPrimitive("12");
            default -> new JsonPrimitive("s".repeat(rnd.nextInt(1, 100)));
        };
    }

    /** Replaces or removes one node of a chat reply; returns what it did ("usage..." when only usage changed). */
    private static String breakNode(SplittableRandom rnd, JsonObject root) {
        JsonObject choice = root.getAsJsonArray("choices").get(0).getAsJsonObject();
        JsonObject message = choice.getAsJsonObject("message");
        JsonObject usage = root.getAsJsonObject("usage");
        return switch (rnd.nextInt(9)) {
            case 0 -> { root.add("choices", randomValue(rnd)); yield "choices replaced"; }
            case 1 -> { root.getAsJsonArray("choices").set(0, randomValue(rnd)); yield "choice replaced"; }
            case 2 -> { choice.add("message", randomValue(rnd)); yield "message replaced"; }
            case 3 -> { message.add("content", randomValue(rnd)); yield "content replaced"; }
            case 4 -> { message.remove("content"); yield "content removed"; }
            case 5 -> { root.remove("choices"); yield "choices removed"; }
            case 6 -> { usage.add("prompt_tokens", randomValue(rnd)); yield "usage.prompt_tokens replaced"; }
            case 7 -> { usage.add("completion_tokens", randomValue(rnd)); yield "usage.completion_tokens replaced"; }
            default -> { root.add("usage", randomValue(rnd)); yield "usage replaced"; }
        };
    }

    static JsonObject embeddingReply(int n, int dim) {
        JsonArray data = new JsonArray();
        for (int i = 0; i < n; i++) {
            JsonObject item = new JsonObject();
            item.addProperty("object", "embedding");
            item.addProperty("index", i);
            JsonArray e = new JsonArray();
            for (int k = 0; k < dim; k++) e.add(0.5f * (i + 1) - k);
            item.add("embedding", e);
            data.add(item);
        }
        JsonObject root = new JsonObject();
        root.add("data", data);
        JsonObject usage = new JsonObject();
        usage.addProperty("prompt_tokens", 3);
        root.add("usage", usage);
        return root;
    }
}
