package dev.eimf.llm;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import okio.ByteString;
import okio.Options;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP and retry machinery shared by the chat and embeddings clients: one OkHttp client, JSON POSTs
 * with auth and extra headers, exponential backoff with seeded jitter, {@code Retry-After}, a concurrency
 * bound, usage counters and redacted errors.
 *
 * <p>Retried: 408, 429 (except {@code insufficient_quota}), 5xx, I/O failures (refused or dropped
 * connections, timeouts) and, at most {@link OpenAiConfig#maxMalformedRetries()} times, 2xx replies whose
 * body is not the expected JSON (a proxy or server that cut the body short is the usual cause; a server
 * that always answers with something else fails fast after those few tries). Everything else fails at once.
 * OkHttp's own silent connection retry is off, so every attempt is counted here.
 *
 * <p>Redirects: the request body is a user's history, so it is never sent to another origin. OkHttp's own
 * redirect following is off; a 307 or 308 to the same scheme, host and port is followed here (at most
 * {@value #MAX_REDIRECTS} times, body and headers kept), and any other redirect fails the call at once, naming
 * where it pointed.
 */
final class OpenAiHttp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiHttp.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final int MAX_SERVER_MESSAGE = 500;
    /** Bytes of an error reply read: enough for any server's message, not a whole runaway body. */
    private static final long MAX_ERROR_BODY = 64 * 1024;
    private static final String HIDDEN_RETRY_AFTER = "X-Eimf-Retry-After";
    /** Same-origin 307/308 redirects followed for one attempt. */
    static final int MAX_REDIRECTS = 5;
    private static final Options BOMS = Options.of(ByteString.decodeHex("efbbbf"), ByteString.decodeHex("feff"),
            ByteString.decodeHex("fffe"));

    /** Turns a parsed 2xx body into a result; throws {@link MalformedBodyException} when it does not fit. */
    @FunctionalInterface
    interface BodyParser<T> {
        T parse(JsonElement body) throws MalformedBodyException;
    }

    /** A 2xx body without the fields a client needs. */
    static final class MalformedBodyException extends Exception {
        private final boolean retryable;

        /** A body that another attempt may get right (cut short, garbled). */
        MalformedBodyException(String message) {
            this(message, true);
        }

        /** @param retryable false when the server would answer the same way again (e.g. wrong dimension) */
        MalformedBodyException(String message, boolean retryable) {
            super(message);
            this.retryable = retryable;
        }
    }

    final OpenAiConfig config;
    final Gson gson = new Gson();
    private final OkHttpClient http;
    private final Sleeper sleeper;
    private final Random jitter;
    private final Semaphore inFlight;

    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong promptTokens = new AtomicLong();
    private final AtomicLong completionTokens = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    OpenAiHttp(OpenAiConfig config, Sleeper sleeper) {
        this.config = config;
        this.sleeper = sleeper;
        this.jitter = new Random(config.jitterSeed());
        this.inFlight = new Semaphore(config.maxConcurrency(), true);
        this.http = new OkHttpClient.Builder()
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.readTimeout())
                .writeTimeout(config.readTimeout())
                .callTimeout(config.callTimeout())
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .followSslRedirects(false)
                .addNetworkInterceptor(chain -> hideRetryAfterFromOkHttp(chain.proceed(chain.request())))
                .build();
    }

    /**
     * OkHttp re-sends a request by itself after "503 with {@code Retry-After: 0}" (its follow-up logic, which
     * {@code retryOnConnectionFailure(false)} does not switch off), unseen by our attempt count, retry limit
     * and backoff. Below that logic, a 503's {@code Retry-After} is moved to a header of ours, which
     * {@link #retryAfter} reads.
     */
    private static Response hideRetryAfterFromOkHttp(Response response) {
        String value = response.header("Retry-After");
        if (response.code() != 503 || value == null) {
            return response;
        }
        return response.newBuilder().removeHeader("Retry-After").header(HIDDEN_RETRY_AFTER, value).build();
    }

    Usage usage() {
        return new Usage(calls.get(), retries.get(), promptTokens.get(), completionTokens.get(), failures.get());
    }

    void addTokens(long prompt, long completion) {
        promptTokens.addAndGet(Math.max(0, prompt));
        completionTokens.addAndGet(Math.max(0, completion));
    }

    /**
     * POSTs a JSON body to {@code {baseUrl}/v1/{endpoint}} and parses the reply, retrying as described on
     * the class.
     */
    <T> T post(String endpoint, JsonObject body, BodyParser<T> parser) throws LlmException {
        HttpUrl url = config.endpoint(endpoint);
        Request request = buildRequest(url, gson.toJson(body));
        String what = "POST " + url;
        calls.incrementAndGet();
        int attempt = 0;
        int malformed = 0;
        while (true) {
            attempt++;
            Failure failure;
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw fail(what, attempt - 1, new Failure(LlmException.Reason.INTERRUPTED, -1, null,
                        "interrupted while waiting for a free connection slot", null, false, null), e);
            }
            try (Response response = execute(request)) {
                int code = response.code();
                boolean success = code >= 200 && code < 300;
                if (code >= 300 && code < 400) {
                    throw fail(what, attempt, redirectRefused(response, code), null);
                }
                String text = success ? readBody(response.body(), config.maxResponseBytes(), false)
                        : readBody(response.body(), MAX_ERROR_BODY, true);
                if (success && text == null) {
                    failure = new Failure(LlmException.Reason.MALFORMED_RESPONSE, code, null, "HTTP " + code
                            + " with a body longer than maxResponseBytes (" + config.maxResponseBytes() + " bytes)",
                            null, false, null);
                } else if (success) {
                    try {
                        return parser.parse(JsonParser.parseString(text));
                    } catch (MalformedBodyException | JsonParseException | IllegalStateException
                             | UnsupportedOperationException | ClassCastException | NumberFormatException e) {
                        malformed++;
                        boolean again = !(e instanceof MalformedBodyException m) || m.retryable;
                        // Redact before cutting: a cut through the key would leave part of it unredacted.
                        String detail = e instanceof MalformedBodyException ? truncate(config.redact(e.getMessage()))
                                : "body is not valid JSON of the expected shape (" + e.getClass().getSimpleName() + ")";
                        failure = new Failure(LlmException.Reason.MALFORMED_RESPONSE, code, null,
                                "HTTP " + code + " with an unusable body: " + detail + "; body starts with: "
                                        + snippet(config.redact(text)), null, again && malformed <= config.maxMalformedRetries(), e);
                    }
                } else {
                    failure = classify(response, code, text == null ? "" : text);
                }
            } catch (LlmException e) {
                throw e;  // a refused redirect: final, not an I/O failure to retry
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()
                        || (e instanceof InterruptedIOException && !isTimeout(e))) {
                    throw fail(what, attempt, new Failure(LlmException.Reason.INTERRUPTED, -1, null,
                            "interrupted during the request", null, false, e), e);
                }
                failure = new Failure(LlmException.Reason.IO, -1, null,
                        "I/O failure: " + e.getClass().getSimpleName()
                                + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), null, true, e);
            } finally {
                inFlight.release();
            }

            if (!failure.retryable || attempt > config.maxRetries()) {
                throw fail(what, attempt, failure, failure.cause);
            }
            Duration delay = failure.retryAfter != null ? failure.retryAfter : backoff(attempt);
            retries.incrementAndGet();
            String warning = config.redact(what + " attempt " + attempt + " of " + (config.maxRetries() + 1) + " failed: "
                    + failure.description + "; retrying in " + delay.toMillis() + " ms");
            LOG.warn("{}", warning);
            config.retryListener().accept(warning);
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw fail(what, attempt, new Failure(LlmException.Reason.INTERRUPTED, failure.statusCode,
                        failure.serverMessage, "interrupted while waiting to retry after: " + failure.description,
                        null, false, failure.cause), e);
            }
        }
    }

    /**
     * The body as text, decoded like OkHttp's {@code ResponseBody.string()} (byte order mark, else the
     * content type's charset, else UTF-8), having read at most about {@code limit + 1} bytes.
     *
     * @param cut what to do with a body longer than {@code limit}: true keeps its first {@code limit} bytes
     *            (error replies, read only for their message), false returns null
     */
    private static String readBody(ResponseBody body, long limit, boolean cut) throws IOException {
        BufferedSource source = body.source();
        boolean tooLong = source.request(limit + 1);
        if (tooLong && !cut) {
            return null;
        }
        MediaType type = body.contentType();
        Charset charset = type == null ? null : type.charset(null);
        switch (source.select(BOMS)) {
            case 0 -> charset = StandardCharsets.UTF_8;
            case 1 -> charset = StandardCharsets.UTF_16BE;
            case 2 -> charset = StandardCharsets.UTF_16LE;
            default -> {
                // no byte order mark
            }
        }
        Charset cs = charset == null ? StandardCharsets.UTF_8 : charset;
        return tooLong ? source.readString(Math.min(limit, source.getBuffer().size()), cs) : source.readString(cs);
    }

    /** Executes a request, following 307 and 308 redirects that stay on the request's origin. */
    private Response execute(Request request) throws IOException {
        Request current = request;
        for (int hop = 0; ; hop++) {
            Response r = http.newCall(current).execute();
            if ((r.code() == 307 || r.code() == 308) && hop < MAX_REDIRECTS) {
                HttpUrl next = location(r);
                if (next != null && sameOrigin(next, current.url())) {
                    r.close();
                    current = current.newBuilder().url(next).build();
                    continue;
                }
            }
            return r;
        }
    }

    private static HttpUrl location(Response r) {
        String location = r.header("Location");
        return location == null ? null : r.request().url().resolve(location);
    }

    private static boolean sameOrigin(HttpUrl a, HttpUrl b) {
        return a.scheme().equals(b.scheme()) && a.host().equals(b.host()) && a.port() == b.port();
    }

    /** Why a redirect that {@link #execute} returned was not followed; retrying cannot help. */
    private Failure redirectRefused(Response response, int code) {
        HttpUrl to = location(response);
        String where = to == null ? "no usable Location" : config.redact(to.toString());
        String why;
        if (to == null) {
            why = "the reply names no valid Location";
        } else if (!sameOrigin(to, response.request().url())) {
            why = "it leaves " + response.request().url().scheme() + "://" + response.request().url().host() + ":"
                    + response.request().url().port() + ", and the request body (users' histories) would go with it;"
                    + " point the base URL at the server that answers";
        } else if (code == 307 || code == 308) {
            why = "more than " + MAX_REDIRECTS + " redirects";
        } else {
            why = "a " + code + " turns the POST into a GET, which the API does not answer";
        }
        return new Failure(LlmException.Reason.CLIENT_ERROR, code, null,
                "HTTP " + code + " redirect to " + where + " not followed: " + why, null, false, null);
    }

    private Request buildRequest(HttpUrl url, String json) {
        Request.Builder b = new Request.Builder().url(url).post(RequestBody.create(json, JSON))
                .header("Accept", "application/json");
        config.apiKey().ifPresent(k -> b.header("Authorization", "Bearer " + k));
        config.urlAuthorization().ifPresent(a -> b.header("Authorization", a));
        for (Map.Entry<String, String> h : config.extraHeaders().entrySet()) {
            b.header(h.getKey(), h.getValue());
        }
        return b.build();
    }

    private static boolean isTimeout(IOException e) {
        // OkHttp reports call and read timeouts as InterruptedIOException subclasses or with "timeout".
        return e instanceof java.net.SocketTimeoutException
                || (e.getMessage() != null && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("timeout"))
                || (e.getMessage() != null && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("timed out"));
    }

    private Failure classify(Response response, int code, String text) {
        ServerError err = serverError(text);
        String serverMessage = err.message == null ? null : truncate(config.redact(err.message));
        Duration retryAfter = retryAfter(response, Instant.now(), config.maxRetryAfter());
        if (code == 429) {
            boolean quota = "insufficient_quota".equals(err.code);
            return new Failure(LlmException.Reason.RATE_LIMITED, code, serverMessage,
                    quota ? "HTTP 429 (quota exhausted: retrying cannot help)" : "HTTP 429 (rate limited)",
                    retryAfter, !quota, null);
        }
        if (code == 408 || code >= 500) {
            return new Failure(LlmException.Reason.SERVER_ERROR, code, serverMessage,
                    "HTTP " + code + " (server error)", retryAfter, true, null);
        }
        if (code == 401 || code == 403) {
            return new Failure(LlmException.Reason.AUTHENTICATION, code, serverMessage,
                    "HTTP " + code + (code == 401 ? " (authentication failed: check the API key)"
                            : " (forbidden: the API key lacks permission for this model or endpoint)"),
                    null, false, null);
        }
        if (code == 404) {
            return new Failure(LlmException.Reason.NOT_FOUND, code, serverMessage,
                    "HTTP 404 (not found: unknown model '" + config.model() + "' or wrong base URL)",
                    null, false, null);
        }
        if (code == 400 || code == 422) {
            return new Failure(LlmException.Reason.BAD_REQUEST, code, serverMessage,
                    "HTTP " + code + " (bad request: the server rejected the request)", null, false, null);
        }
        return new Failure(LlmException.Reason.CLIENT_ERROR, code, serverMessage,
                "HTTP " + code + " (unexpected status)", null, false, null);
    }

    private LlmException fail(String what, int attempts, Failure f, Throwable cause) {
        failures.incrementAndGet();
        StringBuilder m = new StringBuilder(what).append(" failed after ").append(attempts)
                .append(attempts == 1 ? " attempt: " : " attempts: ").append(f.description);
        if (f.serverMessage != null) {
            m.append("; server said: ").append(f.serverMessage);
        }
        String message = config.redact(m.toString());
        return new LlmException(message, f.reason, f.statusCode, attempts, f.serverMessage, redacted(cause, 0));
    }

    /**
     * A cause whose messages hold no secret: the cause itself when none of its chain mentions one, else a
     * stand-in with the same class name (in its message), redacted message and stack trace. Third-party
     * exceptions quote what the server sent (a status line, a field that should have been a number), and a
     * server may echo the key.
     */
    private Throwable redacted(Throwable t, int depth) {
        if (t == null || depth > 20 || mentionsNoSecret(t, 0)) {
            return t;
        }
        RedactedCause r = new RedactedCause(t.getClass().getName()
                + (t.getMessage() == null ? "" : ": " + config.redact(t.getMessage())), redacted(t.getCause(), depth + 1));
        r.setStackTrace(t.getStackTrace());
        for (Throwable s : t.getSuppressed()) {
            r.addSuppressed(redacted(s, depth + 1));
        }
        return r;
    }

    private boolean mentionsNoSecret(Throwable t, int depth) {
        if (t == null || depth > 20) {
            return true;
        }
        String m = t.getMessage();
        if (m != null && !m.equals(config.redact(m))) {
            return false;
        }
        for (Throwable s : t.getSuppressed()) {
            if (!mentionsNoSecret(s, depth + 1)) {
                return false;
            }
        }
        return mentionsNoSecret(t.getCause(), depth + 1);
    }

    /** Stands in for a cause whose message mentioned a secret; its message starts with the original class. */
    static final class RedactedCause extends IOException {
        RedactedCause(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Exponential backoff for retry number {@code retry} (1-based), with "equal jitter" in [d/2, d]. */
    Duration backoff(int retry) {
        double base = config.baseBackoff().toNanos();
        double cap = config.maxBackoff().toNanos();
        double d = Math.min(cap, base * Math.pow(2, Math.min(62, retry - 1)));
        double u;
        synchronized (jitter) {
            u = jitter.nextDouble();
        }
        return Duration.ofNanos((long) (d / 2 + u * d / 2));
    }

    /**
     * The server's requested wait: {@code retry-after-ms} (OpenAI), else {@code Retry-After} as seconds or
     * an HTTP date; capped at {@code cap}, never negative; null when absent or unparseable.
     */
    static Duration retryAfter(Response response, Instant now, Duration cap) {
        String ms = response.header("retry-after-ms");
        if (ms != null) {
            try {
                double v = Double.parseDouble(ms.trim());
                if (Double.isFinite(v)) {
                    return clamp(Duration.ofNanos((long) (v * 1e6)), cap);
                }
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        String value = response.header("Retry-After");
        return parseRetryAfter(value != null ? value : response.header(HIDDEN_RETRY_AFTER), now, cap);
    }

    static Duration parseRetryAfter(String value, Instant now, Duration cap) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            double seconds = Double.parseDouble(v);
            if (!Double.isFinite(seconds)) {
                return null;
            }
            return clamp(Duration.ofNanos((long) Math.min(seconds * 1e9, Long.MAX_VALUE / 2.0)), cap);
        } catch (NumberFormatException notSeconds) {
            try {
                Instant when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return clamp(Duration.between(now, when), cap);
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    private static Duration clamp(Duration d, Duration cap) {
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(cap) > 0 ? cap : d;
    }

    private record ServerError(String message, String code) { }

    /**
     * Reads {@code error.message} / {@code error.code} and the shapes other servers use; uncut, so that the
     * caller can redact before it cuts.
     */
    private static ServerError serverError(String text) {
        if (text == null || text.isBlank()) {
            return new ServerError(null, null);
        }
        try {
            JsonElement root = JsonParser.parseString(text);
            if (root.isJsonObject()) {
                JsonObject o = root.getAsJsonObject();
                JsonElement e = o.get("error");
                if (e != null && e.isJsonObject()) {
                    JsonObject eo = e.getAsJsonObject();
                    return new ServerError(string(eo.get("message")), string(eo.get("code")));
                }
                if (e != null && e.isJsonPrimitive()) {
                    return new ServerError(e.getAsString(), null);  // Ollama
                }
                for (String field : new String[] {"message", "detail"}) {  // vLLM / FastAPI
                    JsonElement m = o.get(field);
                    if (m != null && !m.isJsonNull()) {
                        return new ServerError(m.isJsonPrimitive() ? m.getAsString() : m.toString(), null);
                    }
                }
                return new ServerError(null, null);
            }
        } catch (JsonParseException | IllegalStateException notJson) {
            // plain-text error page: fall through
        }
        return new ServerError(text.strip(), null);
    }

    private static String string(JsonElement e) {
        return e == null || e.isJsonNull() ? null : e.isJsonPrimitive() ? e.getAsString() : e.toString();
    }

    /** At most {@value #MAX_SERVER_MESSAGE} characters of a server's text, for messages. */
    static String truncate(String s) {
        if (s == null) {
            return null;
        }
        return s.length() <= MAX_SERVER_MESSAGE ? s : s.substring(0, MAX_SERVER_MESSAGE) + "...";
    }

    private static String snippet(String text) {
        if (text == null || text.isEmpty()) {
            return "(empty)";
        }
        String s = text.length() <= 120 ? text : text.substring(0, 120) + "...";
        return '"' + s.replace('\n', ' ').replace('\r', ' ') + '"';
    }

    /** One failed attempt. */
    private record Failure(LlmException.Reason reason, int statusCode, String serverMessage, String description,
                           Duration retryAfter, boolean retryable, Throwable cause) { }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
