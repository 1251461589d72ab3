package dev.eimf.llm;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.eimf.esim.ExplicitInterest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;

/**
 * An OpenAI-compatible "LLM" for MockWebServer that fails a share of requests at random.
 *
 * <p>Every fault decision is a function of the seed, the conversation (the request's messages) and how
 * often that conversation was sent before, so a run injects the same faults whatever the thread interleaving.
 * A request that is not failed gets the one valid answer of its prompt ({@link #expectedInterests}), derived
 * from the user message alone: repair requests of the same prompt get the same answer.
 *
 * <p>Counted: requests, faults by kind, valid answers per prompt (a prompt is the first two messages) and
 * requests that arrive for a prompt that already got its valid answer.
 */
final class FaultyLlmDispatcher extends Dispatcher {

    /** What a failed request gets. */
    enum Fault {
        /** 429 with {@code Retry-After: 0} or {@code 1}. */
        RATE_LIMIT_RETRY_AFTER,
        /** 429 without {@code Retry-After}: the client's own backoff. */
        RATE_LIMIT,
        HTTP_500,
        HTTP_502,
        /** 503, half of them with {@code Retry-After: 0} or {@code 1} (after which OkHttp would re-send by itself). */
        HTTP_503,
        /** The connection is closed instead of a response. */
        RESET,
        /** Headers and half the body, then the connection closes. */
        BODY_CUT,
        /** No response within the client's read timeout. */
        READ_TIMEOUT,
        /** A complete HTTP 200 whose JSON body is cut short (a proxy's doing). */
        TRUNCATED_BODY,
        /** HTTP 200 with valid JSON that is not a chat completion. */
        WRONG_SHAPE,
        /** A valid chat completion whose content breaks the interest schema. */
        SCHEMA_BREAK
    }

    private static final Pattern HISTORY_LENGTH = Pattern.compile("\\((\\d+) items");

    private final long seed;
    private final int interests;
    private final Duration timeoutDelay;
    private volatile double faultRate;

    private final AtomicLong requests = new AtomicLong();
    private final Map<Fault, AtomicLong> faults = new EnumMap<>(Fault.class);
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> validAnswers = new ConcurrentHashMap<>();
    private final AtomicLong requestsAfterSuccess = new AtomicLong();
    private final AtomicLong badRequests = new AtomicLong();
    private final AtomicLong retryAfterHeaders = new AtomicLong();

    /**
     * @param seed         fault seed
     * @param faultRate    share of requests that fail, in [0, 1]
     * @param interests    J, the interests every valid answer has
     * @param timeoutDelay how long a {@link Fault#READ_TIMEOUT} response is held back (beyond the client's read timeout)
     */
    FaultyLlmDispatcher(long seed, double faultRate, int interests, Duration timeoutDelay) {
        this.seed = seed;
        this.faultRate = faultRate;
        this.interests = interests;
        this.timeoutDelay = timeoutDelay;
        for (Fault f : Fault.values()) {
            faults.put(f, new AtomicLong());
        }
    }

    void faultRate(double rate) {
        this.faultRate = rate;
    }

    long requests() {
        return requests.get();
    }

    Map<Fault, Long> faults() {
        Map<Fault, Long> out = new EnumMap<>(Fault.class);
        faults.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    long faultsTotal() {
        return faults.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Faults that the HTTP client sees as a failed attempt (everything but schema breaks, which are valid HTTP). */
    long transportFaults() {
        return faultsTotal() - faults.get(Fault.SCHEMA_BREAK).get();
    }

    /** Valid answers sent, over all prompts. */
    long validAnswers() {
        return validAnswers.values().stream().mapToLong(AtomicInteger::get).sum();
    }

    /** Prompts that got a valid answer. */
    int promptsAnswered() {
        return validAnswers.size();
    }

    /** Valid answers beyond the first per prompt. */
    long duplicateAnswers() {
        return validAnswers.values().stream().mapToLong(a -> Math.max(0, a.get() - 1)).sum();
    }

    /** Requests for a prompt whose valid answer had already been sent. */
    long requestsAfterSuccess() {
        return requestsAfterSuccess.get();
    }

    /** Faults sent with a {@code Retry-After} of 0 or 1 s (429 and half the 503s). */
    long retryAfterHeaders() {
        return retryAfterHeaders.get();
    }

    /** Requests that were not a well-formed chat request (must stay 0). */
    long badRequests() {
        return badRequests.get();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.incrementAndGet();
        List<String> messages = new ArrayList<>();
        try {
            JsonObject body = JsonParser.parseString(request.getBody().utf8()).getAsJsonObject();
            for (var m : body.getAsJsonArray("messages")) {
                JsonObject o = m.getAsJsonObject();
                messages.add(o.get("role").getAsString() + ":" + o.get("content").getAsString());
            }
        } catch (RuntimeException e) {
            badRequests.incrementAndGet();
            return status(400, "{\"error\":{\"message\":\"bad request: " + e + "\"}}");
        }
        if (messages.size() < 2 || !request.getUrl().encodedPath().equals("/v1/chat/completions")) {
            badRequests.incrementAndGet();
            return status(400, "{\"error\":{\"message\":\"expected system and user messages\"}}");
        }
        String user = messages.get(1).substring("user:".length());
        String prompt = sha256(messages.get(0) + "\u0000" + messages.get(1));
        if (validAnswers.containsKey(prompt)) {
            requestsAfterSuccess.incrementAndGet();
        }
        String conversation = sha256(String.join("\u0000", messages));
        int attempt = attempts.computeIfAbsent(conversation, k -> new AtomicInteger()).getAndIncrement();
        SplittableRandom rnd = new SplittableRandom(seed ^ Long.parseUnsignedLong(conversation.substring(0, 15), 16)
                ^ (attempt * 0x9E3779B97F4A7C15L));
        if (rnd.nextDouble() < faultRate) {
            Fault f = Fault.values()[rnd.nextInt(Fault.values().length)];
            faults.get(f).incrementAndGet();
            return fault(f, rnd, user);
        }
        validAnswers.computeIfAbsent(prompt, k -> new AtomicInteger()).incrementAndGet();
        return ok(wrap(answerJson(user, interests), rnd), 100 + user.length() / 4, 40);
    }

    // ---- valid answers ----

    /** The number of history items a prompt lists, read from the default user template. */
    static int historyLength(String userMessage) {
        Matcher m = HISTORY_LENGTH.matcher(userMessage);
        if (!m.find()) {
            throw new IllegalArgumentException("no history length in the prompt");
        }
        return Integer.parseInt(m.group(1));
    }

    /** The interests of the one valid answer to a prompt, as the parser returns them. */
    static List<ExplicitInterest> expectedInterests(String userMessage, int j) {
        int length = historyLength(userMessage);
        byte[] h = sha256Bytes(userMessage);
        List<ExplicitInterest> out = new ArrayList<>(j);
        for (int k = 0; k < j; k++) {
            String tag = String.format("%02x%02x%02x", h[3 * k] & 0xff, h[3 * k + 1] & 0xff, h[3 * k + 2] & 0xff);
            TreeSet<Integer> evidence = new TreeSet<>();
            evidence.add(1 + Math.floorMod(h[10 + k], length));
            evidence.add(1 + Math.floorMod(h[20 + k] * 7 + k, length));
            out.add(new ExplicitInterest("Theme " + tag + " " + (k + 1), "Recurring theme " + (k + 1) + " of \u00e9"
                    + " \"history\" " + tag, List.copyOf(evidence)));
        }
        return out;
    }

    static String answerJson(String userMessage, int j) {
        return interestsJson(expectedInterests(userMessage, j));
    }

    private static String interestsJson(List<ExplicitInterest> list) {
        JsonArray arr = new JsonArray();
        for (ExplicitInterest i : list) {
            JsonObject o = new JsonObject();
            o.addProperty("name", i.name());
            o.addProperty("description", i.description());
            JsonArray ev = new JsonArray();
            i.evidence().forEach(ev::add);
            o.add("evidence", ev);
            arr.add(o);
        }
        JsonObject root = new JsonObject();
        root.add("interests", arr);
        return root.toString();
    }

    /** The valid JSON as models give it: bare, fenced, or inside prose. */
    private static String wrap(String json, SplittableRandom rnd) {
        return switch (rnd.nextInt(3)) {
            case 0 -> json;
            case 1 -> "```json\n" + json + "\n```";
            default -> "Here are the interests {as asked}:\n" + json + "\nI hope this helps.";
        };
    }

    // ---- faults ----

    private MockResponse fault(Fault f, SplittableRandom rnd, String user) {
        String answer = OpenAiChatClientTest.reply(answerJson(user, interests), 10, 10);
        return switch (f) {
            case RATE_LIMIT_RETRY_AFTER -> retryAfter(new MockResponse.Builder().code(429)
                    .addHeader("Retry-After", Integer.toString(rnd.nextInt(2)))
                    .addHeader("Content-Type", "application/json")
                    .body("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}").build());
            case RATE_LIMIT -> status(429, "{\"error\":{\"message\":\"Too many requests\"}}");
            case HTTP_500 -> status(500, "{\"error\":{\"message\":\"internal error\"}}");
            case HTTP_502 -> new MockResponse.Builder().code(502).addHeader("Content-Type", "text/html")
                    .body("<html><body>502 Bad Gateway</body></html>").build();
            case HTTP_503 -> {
                MockResponse.Builder b = new MockResponse.Builder().code(503).addHeader("Content-Type", "application/json")
                        .body("{\"error\":{\"message\":\"overloaded\"}}");
                if (rnd.nextBoolean()) {
                    retryAfterHeaders.incrementAndGet();
                    b.addHeader("Retry-After", Integer.toString(rnd.nextInt(2)));
                }
                yield b.build();
            }
            case RESET -> new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build();
            case BODY_CUT -> new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                    .body(answer).onResponseBody(new SocketEffect.CloseSocket()).build();
            case READ_TIMEOUT -> new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                    .body(answer).headersDelay(timeoutDelay.toMillis(), TimeUnit.MILLISECONDS).build();
            case TRUNCATED_BODY -> status(200, answer.substring(0, 1 + rnd.nextInt(answer.length() - 1)));
            case WRONG_SHAPE -> status(200, wrongShape(rnd, user));
            case SCHEMA_BREAK -> ok(schemaBreak(rnd, user), 100, 20);
        };
    }

    private String wrongShape(SplittableRandom rnd, String user) {
        String json = answerJson(user, interests);
        return switch (rnd.nextInt(9)) {
            case 0 -> json;  // the model's answer without the chat envelope
            case 1 -> "{\"object\":\"chat.completion\",\"choices\":[]}";
            case 2 -> "{\"choices\":[{\"text\":" + quote(json) + "}]}";  // completions API shape
            case 3 -> "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":null}}]}";
            case 4 -> "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":" + json + "}}]}";
            case 5 -> "{\"error\":{\"message\":\"The server had an error while processing your request\"}}";
            case 6 -> "[" + json + "]";
            case 7 -> "null";
            default -> "{\"choices\":\"" + "x".repeat(rnd.nextInt(1, 100)) + "\"}";
        };
    }

    private String schemaBreak(SplittableRandom rnd, String user) {
        List<ExplicitInterest> good = expectedInterests(user, interests);
        int length = historyLength(user);
        JsonObject root = JsonParser.parseString(interestsJson(good)).getAsJsonObject();
        JsonArray arr = root.getAsJsonArray("interests");
        JsonObject first = arr.get(0).getAsJsonObject();
        switch (rnd.nextInt(10)) {
            case 0 -> arr.remove(arr.size() - 1);                                // fewer than J
            case 1 -> arr.add(arr.get(0).deepCopy());                            // more than J (and a repeat)
            case 2 -> first.getAsJsonArray("evidence").add(length + 1);          // evidence out of range
            case 3 -> first.addProperty("name", "  ");                           // blank name
            case 4 -> arr.get(arr.size() - 1).getAsJsonObject().addProperty("name",
                    first.get("name").getAsString().toUpperCase(java.util.Locale.ROOT));  // repeated name
            case 5 -> first.addProperty("evidence", "1, 2");                    // evidence not an array
            case 6 -> first.remove("description");                              // missing key
            case 7 -> {
                return "I am sorry, but I cannot determine this user's interests from the history.";
            }
            case 8 -> {
                return "```json\n" + root.toString().substring(0, root.toString().length() / 2) + "\n```";
            }
            default -> {
                JsonObject other = new JsonObject();
                other.add("topics", arr);                                          // wrong key
                return other.toString();
            }
        }
        return root.toString();
    }

    // ---- helpers ----

    private MockResponse retryAfter(MockResponse r) {
        retryAfterHeaders.incrementAndGet();
        return r;
    }

    static MockResponse ok(String content, long prompt, long completion) {
        return OpenAiChatClientTest.ok(content, prompt, completion);
    }

    static MockResponse status(int code, String body) {
        return OpenAiChatClientTest.status(code, body);
    }

    private static String quote(String s) {
        return new com.google.gson.JsonPrimitive(s).toString();
    }

    static String sha256(String s) {
        return java.util.HexFormat.of().formatHex(sha256Bytes(s));
    }

    private static byte[] sha256Bytes(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
