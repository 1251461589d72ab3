package dev.eimf.llm;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import okhttp3.HttpUrl;

/**
 * Connection settings for an OpenAI-compatible server (OpenAI, vLLM, Ollama, llama.cpp server, ...).
 * Immutable; create with {@link #builder()}, validated on {@link Builder#build()}.
 *
 * <p>The API key is a secret: it never appears in {@link #toString()}, in log lines or in exception
 * messages (it is written as {@code ***}); the same holds for the values of credential-like extra headers
 * ({@code Authorization}, {@code Proxy-Authorization}, and any header whose name contains "key", "token" or
 * "secret"), and of credentials written into the base URL ({@code http://user:password@host}): those are taken
 * out of the URL, sent as HTTP basic authentication, and shown as {@code ***}.
 */
public final class OpenAiConfig {

    /** Environment variable read when no API key is configured. */
    public static final String API_KEY_ENV = "OPENAI_API_KEY";

    private final HttpUrl baseUrl;
    private final String model;
    private final String apiKey;
    private final double temperature;
    private final int maxTokens;
    private final boolean jsonResponseFormat;
    private final Map<String, String> extraHeaders;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration callTimeout;
    private final int maxRetries;
    private final int maxMalformedRetries;
    private final Duration baseBackoff;
    private final Duration maxBackoff;
    private final Duration maxRetryAfter;
    private final long jitterSeed;
    private final int maxConcurrency;
    private final long maxResponseBytes;
    private final String urlUser;
    private final String urlPassword;
    private final java.util.function.Consumer<String> retryListener;

    private OpenAiConfig(Builder b, HttpUrl baseUrl, String apiKey, String urlUser, String urlPassword) {
        this.baseUrl = baseUrl;
        this.urlUser = urlUser;
        this.urlPassword = urlPassword;
        this.retryListener = b.retryListener;
        this.model = b.model;
        this.apiKey = apiKey;
        this.temperature = b.temperature;
        this.maxTokens = b.maxTokens;
        this.jsonResponseFormat = b.jsonResponseFormat;
        this.extraHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(b.extraHeaders));
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.callTimeout = b.callTimeout;
        this.maxRetries = b.maxRetries;
        this.maxMalformedRetries = b.maxMalformedRetries;
        this.baseBackoff = b.baseBackoff;
        this.maxBackoff = b.maxBackoff;
        this.maxRetryAfter = b.maxRetryAfter;
        this.jitterSeed = b.jitterSeed;
        this.maxConcurrency = b.maxConcurrency;
        this.maxResponseBytes = b.maxResponseBytes;
    }

    /** A builder with the defaults: temperature 0, 5 retries, concurrency 4, key from {@value #API_KEY_ENV}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised with this configuration's values (the resolved API key included). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.baseUrl = urlUser == null ? baseUrl.toString()
                : baseUrl.newBuilder().username(urlUser).password(urlPassword).build().toString();
        b.retryListener = retryListener;
        b.model = model;
        b.apiKey = apiKey;
        b.readEnvironment = false;
        b.temperature = temperature;
        b.maxTokens = maxTokens;
        b.jsonResponseFormat = jsonResponseFormat;
        b.extraHeaders.putAll(extraHeaders);
        b.connectTimeout = connectTimeout;
        b.readTimeout = readTimeout;
        b.callTimeout = callTimeout;
        b.maxRetries = maxRetries;
        b.maxMalformedRetries = maxMalformedRetries;
        b.baseBackoff = baseBackoff;
        b.maxBackoff = maxBackoff;
        b.maxRetryAfter = maxRetryAfter;
        b.jitterSeed = jitterSeed;
        b.maxConcurrency = maxConcurrency;
        b.maxResponseBytes = maxResponseBytes;
        return b;
    }

    /** The server root, without a trailing {@code /v1} and without the credentials the given URL may have had. */
    public HttpUrl baseUrl() { return baseUrl; }

    /**
     * The {@code Authorization} value for credentials given in the base URL ({@code Basic ...}), if any. A
     * secret: never log it.
     */
    public Optional<String> urlAuthorization() {
        return urlUser == null ? Optional.empty() : Optional.of(okhttp3.Credentials.basic(urlUser, urlPassword,
                java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Called with each retry warning (already redacted), e.g. to show it to the user; the warning also goes to
     * SLF4J. Called from the thread that made the request.
     */
    public java.util.function.Consumer<String> retryListener() { return retryListener; }

    /**
     * The URL of an API endpoint.
     *
     * @param endpoint a path below {@code /v1}, e.g. {@code "chat/completions"}
     */
    public HttpUrl endpoint(String endpoint) {
        return baseUrl.newBuilder().addPathSegment("v1").addPathSegments(endpoint).build();
    }

    /** The model name sent with every request. */
    public String model() { return model; }

    /** The API key, if any (absent for local servers that need none). Never log it. */
    public Optional<String> apiKey() { return Optional.ofNullable(apiKey); }

    /** Default sampling temperature for requests built from this configuration. */
    public double temperature() { return temperature; }

    /** Default reply-token limit; 0 leaves it to the server. */
    public int maxTokens() { return maxTokens; }

    /** Whether every chat request asks for {@code response_format: {"type":"json_object"}}. */
    public boolean jsonResponseFormat() { return jsonResponseFormat; }

    /** Headers added to every request, in insertion order. */
    public Map<String, String> extraHeaders() { return extraHeaders; }

    /** TCP connect timeout. */
    public Duration connectTimeout() { return connectTimeout; }

    /** Timeout between two reads of the response (time to first byte included). */
    public Duration readTimeout() { return readTimeout; }

    /** Timeout of one whole HTTP attempt (not of all retries together). */
    public Duration callTimeout() { return callTimeout; }

    /** Retries after the first attempt on 408, 429, 5xx and I/O failures. */
    public int maxRetries() { return maxRetries; }

    /** Of those retries, how many may follow a 2xx reply whose body could not be parsed. */
    public int maxMalformedRetries() { return maxMalformedRetries; }

    /** Backoff before the first retry; doubles for each further retry. */
    public Duration baseBackoff() { return baseBackoff; }

    /** Upper bound on a computed backoff. */
    public Duration maxBackoff() { return maxBackoff; }

    /** Upper bound on a server's {@code Retry-After}. */
    public Duration maxRetryAfter() { return maxRetryAfter; }

    /** Seed of the backoff jitter. */
    public long jitterSeed() { return jitterSeed; }

    /** How many requests a client has in flight at once. */
    public int maxConcurrency() { return maxConcurrency; }

    /** The longest successful reply body read, in bytes; a longer one fails the call instead of filling memory. */
    public long maxResponseBytes() { return maxResponseBytes; }

    /**
     * Replaces every occurrence of a secret (the API key, credential-like header values) in a text by
     * {@code ***}. Used on everything that goes into log lines and exception messages.
     */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = redactUserInfo(text);
        if (apiKey != null) {
            out = out.replace(apiKey, "***");
        }
        if (urlPassword != null && !urlPassword.isEmpty()) {
            out = out.replace(urlPassword, "***");
            String encoded = HttpUrl.get("http://h/").newBuilder().password(urlPassword).build().encodedPassword();
            out = out.replace(encoded, "***");
            String basic = urlAuthorization().orElseThrow();
            out = out.replace(basic.substring(basic.indexOf(' ') + 1), "***");
        }
        for (Map.Entry<String, String> h : extraHeaders.entrySet()) {
            if (isSensitiveHeader(h.getKey()) && !h.getValue().isEmpty()) {
                out = out.replace(h.getValue(), "***");
                // "Bearer xyz": also hide the bare token should the server echo it.
                int space = h.getValue().indexOf(' ');
                if (space > 0 && space < h.getValue().length() - 1) {
                    out = out.replace(h.getValue().substring(space + 1), "***");
                }
            }
        }
        return out;
    }

    /**
     * The text with the credentials of every URL in it ({@code scheme://user:password@}) written as
     * {@code scheme://***@}; used where the text may quote a URL that was never parsed (a malformed base URL).
     */
    public static String redactUserInfo(String text) {
        // A scan instead of a regular expression: this runs on server replies of up to 64 KiB, and a pattern
        // with a repeated scheme part backtracks quadratically on long runs of letters.
        if (text == null) return null;
        int i = text.indexOf("://");
        if (i < 0) return text;
        StringBuilder sb = null;
        int copied = 0;
        while (i >= 0) {
            int start = i + 3;
            int j = start;
            while (j < text.length() && "/?#@".indexOf(text.charAt(j)) < 0 && !Character.isWhitespace(text.charAt(j))) j++;
            if (j < text.length() && text.charAt(j) == '@' && j > start) {
                if (sb == null) sb = new StringBuilder(text.length());
                sb.append(text, copied, start).append("***");
                copied = j;
            }
            // One character back, so that a "://" whose ':' ended the scan is still found.
            i = text.indexOf("://", Math.max(start, j - 1));
        }
        return sb == null ? text : sb.append(text, copied, text.length()).toString();
    }

    static boolean isSensitiveHeader(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals("authorization") || n.equals("proxy-authorization")
                || n.contains("key") || n.contains("token") || n.contains("secret") || n.contains("cookie");
    }

    @Override
    public String toString() {
        StringBuilder headers = new StringBuilder("{");
        for (Map.Entry<String, String> h : extraHeaders.entrySet()) {
            if (headers.length() > 1) {
                headers.append(", ");
            }
            headers.append(h.getKey()).append('=').append(isSensitiveHeader(h.getKey()) ? "***" : h.getValue());
        }
        headers.append('}');
        return "OpenAiConfig{baseUrl=" + baseUrl + (urlUser == null ? "" : ", urlCredentials=***") + ", model=" + model
                + ", apiKey=" + (apiKey == null ? "none" : "***")
                + ", temperature=" + temperature + ", maxTokens=" + maxTokens
                + ", jsonResponseFormat=" + jsonResponseFormat + ", extraHeaders=" + headers
                + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout
                + ", callTimeout=" + callTimeout + ", maxRetries=" + maxRetries
                + ", maxMalformedRetries=" + maxMalformedRetries + ", baseBackoff=" + baseBackoff
                + ", maxBackoff=" + maxBackoff + ", maxRetryAfter=" + maxRetryAfter
                + ", jitterSeed=" + jitterSeed + ", maxConcurrency=" + maxConcurrency
                + ", maxResponseBytes=" + maxResponseBytes + '}';
    }

    /** Builder of {@link OpenAiConfig}. Not thread-safe. */
    public static final class Builder {
        private String baseUrl;
        private String model;
        private String apiKey;
        private boolean readEnvironment = true;
        private UnaryOperator<String> environment = System::getenv;
        private double temperature = 0.0;
        private int maxTokens = 0;
        private boolean jsonResponseFormat = false;
        private final Map<String, String> extraHeaders = new LinkedHashMap<>();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(120);
        private Duration callTimeout = Duration.ofSeconds(300);
        private int maxRetries = 5;
        private int maxMalformedRetries = 2;
        private Duration baseBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration maxRetryAfter = Duration.ofSeconds(60);
        private long jitterSeed = 42L;
        private int maxConcurrency = 4;
        private long maxResponseBytes = 64L << 20;
        private java.util.function.Consumer<String> retryListener = message -> { };

        private Builder() { }

        /**
         * Called with each retry warning, already redacted (default: none; the warning goes to SLF4J anyway).
         * Lets a program without an SLF4J backend show that a server is being retried.
         */
        public Builder retryListener(java.util.function.Consumer<String> listener) {
            this.retryListener = Objects.requireNonNull(listener, "retryListener");
            return this;
        }

        /** Server root such as {@code http://localhost:8000}; a trailing {@code /v1} is accepted. Required. */
        public Builder baseUrl(String baseUrl) { this.baseUrl = baseUrl; return this; }

        /** Model name, e.g. {@code gpt-4o-mini} or {@code text-embedding-3-small}. Required. */
        public Builder model(String model) { this.model = model; return this; }

        /** API key; when never set (or set to null) the {@value #API_KEY_ENV} environment variable is used. */
        public Builder apiKey(String apiKey) { this.apiKey = apiKey; this.readEnvironment = apiKey == null; return this; }

        /** Sends no API key at all, even if {@value #API_KEY_ENV} is set (local servers). */
        public Builder noApiKey() { this.apiKey = null; this.readEnvironment = false; return this; }

        /** Where environment variables are looked up (default {@link System#getenv(String)}); for tests. */
        public Builder environment(UnaryOperator<String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** Default temperature, in [0, 2]. */
        public Builder temperature(double temperature) { this.temperature = temperature; return this; }

        /** Default reply-token limit; 0 (default) leaves it to the server. */
        public Builder maxTokens(int maxTokens) { this.maxTokens = maxTokens; return this; }

        /** Ask every chat request for a JSON object reply. */
        public Builder jsonResponseFormat(boolean json) { this.jsonResponseFormat = json; return this; }

        /** Adds a header sent with every request (e.g. {@code OpenAI-Organization}). */
        public Builder header(String name, String value) {
            extraHeaders.put(Objects.requireNonNull(name, "header name"), Objects.requireNonNull(value, "header value"));
            return this;
        }

        /** TCP connect timeout, default 10 s. */
        public Builder connectTimeout(Duration d) { this.connectTimeout = d; return this; }

        /** Read timeout, default 120 s (large models can take long to answer). */
        public Builder readTimeout(Duration d) { this.readTimeout = d; return this; }

        /** Timeout of one HTTP attempt, default 300 s. */
        public Builder callTimeout(Duration d) { this.callTimeout = d; return this; }

        /** Retries after the first attempt, default 5. */
        public Builder maxRetries(int n) { this.maxRetries = n; return this; }

        /** Retries allowed after unparseable 2xx bodies (within {@link #maxRetries}), default 2. */
        public Builder maxMalformedRetries(int n) { this.maxMalformedRetries = n; return this; }

        /** First backoff, default 500 ms. */
        public Builder baseBackoff(Duration d) { this.baseBackoff = d; return this; }

        /** Largest computed backoff, default 30 s. */
        public Builder maxBackoff(Duration d) { this.maxBackoff = d; return this; }

        /** Largest {@code Retry-After} honoured, default 60 s. */
        public Builder maxRetryAfter(Duration d) { this.maxRetryAfter = d; return this; }

        /** Seed of the backoff jitter, default 42. */
        public Builder jitterSeed(long seed) { this.jitterSeed = seed; return this; }

        /** Requests in flight at once per client, default 4. */
        public Builder maxConcurrency(int n) { this.maxConcurrency = n; return this; }

        /**
         * Longest successful reply body read, default 64 MiB (far above any chat answer, and an embeddings
         * batch of 64 vectors of 3,072 dimensions is about 4 MiB); a longer body fails the call without a retry.
         */
        public Builder maxResponseBytes(long n) { this.maxResponseBytes = n; return this; }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the first invalid field
         */
        public OpenAiConfig build() {
            if (baseUrl == null || baseUrl.isBlank()) {
                throw new IllegalArgumentException("OpenAiConfig.baseUrl is required (e.g. http://localhost:8000)");
            }
            HttpUrl url = HttpUrl.parse(baseUrl.trim());
            if (url == null) {
                throw new IllegalArgumentException("OpenAiConfig.baseUrl is not an http(s) URL: " + redactUserInfo(baseUrl));
            }
            if (url.query() != null || url.fragment() != null) {
                throw new IllegalArgumentException("OpenAiConfig.baseUrl must have no query or fragment: "
                        + redactUserInfo(baseUrl));
            }
            String user = url.username().isEmpty() && url.password().isEmpty() ? null : url.username();
            String password = user == null ? null : url.password();
            url = url.newBuilder().username("").password("").build();
            url = stripV1(url);
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("OpenAiConfig.model is required");
            }
            if (!(temperature >= 0.0 && temperature <= 2.0)) {
                throw new IllegalArgumentException("OpenAiConfig.temperature must be in [0, 2], got " + temperature);
            }
            requireNonNegative("maxTokens", maxTokens);
            requireNonNegative("maxRetries", maxRetries);
            requireNonNegative("maxMalformedRetries", maxMalformedRetries);
            if (maxConcurrency < 1) {
                throw new IllegalArgumentException("OpenAiConfig.maxConcurrency must be >= 1, got " + maxConcurrency);
            }
            if (maxResponseBytes < 1024) {
                throw new IllegalArgumentException("OpenAiConfig.maxResponseBytes must be >= 1024, got " + maxResponseBytes);
            }
            requirePositive("connectTimeout", connectTimeout);
            requirePositive("readTimeout", readTimeout);
            requirePositive("callTimeout", callTimeout);
            requireNonNegativeDuration("baseBackoff", baseBackoff);
            requireNonNegativeDuration("maxBackoff", maxBackoff);
            requireNonNegativeDuration("maxRetryAfter", maxRetryAfter);
            if (maxBackoff.compareTo(baseBackoff) < 0) {
                throw new IllegalArgumentException("OpenAiConfig.maxBackoff (" + maxBackoff
                        + ") must be >= baseBackoff (" + baseBackoff + ")");
            }
            boolean authHeader = false;
            for (Map.Entry<String, String> h : extraHeaders.entrySet()) {
                if (h.getKey().isBlank()) {
                    throw new IllegalArgumentException("OpenAiConfig.extraHeaders has a blank header name");
                }
                authHeader |= h.getKey().equalsIgnoreCase("Authorization");
            }
            String key = apiKey;
            if (user != null && authHeader) {
                throw new IllegalArgumentException("OpenAiConfig: the baseUrl has credentials (" + redactUserInfo(baseUrl)
                        + ") and an Authorization extra header is set too; keep one");
            }
            if (key == null && readEnvironment && !authHeader && user == null) {
                key = environment.apply(API_KEY_ENV);
            }
            if (key != null && key.isBlank()) {
                key = null;
            }
            if (key != null) {
                key = key.strip();
                if (user != null) {
                    throw new IllegalArgumentException("OpenAiConfig: the baseUrl has credentials ("
                            + redactUserInfo(baseUrl) + ") and an API key is set too; keep one");
                }
                if (authHeader) {
                    throw new IllegalArgumentException(
                            "OpenAiConfig: both apiKey and an Authorization extra header are set; keep one");
                }
                for (int i = 0; i < key.length(); i++) {
                    char c = key.charAt(i);
                    if (c < 0x21 || c > 0x7e) {
                        // The key itself must not appear in the message.
                        throw new IllegalArgumentException("OpenAiConfig.apiKey contains a character not allowed in"
                                + " an HTTP header at position " + i);
                    }
                }
            }
            return new OpenAiConfig(this, url, key, user, password);
        }

        private static HttpUrl stripV1(HttpUrl url) {
            java.util.List<String> segments = new java.util.ArrayList<>(url.pathSegments());
            // "http://h/" has one empty segment, "http://h/v1/" ends with an empty one.
            while (!segments.isEmpty() && segments.get(segments.size() - 1).isEmpty()) {
                segments.remove(segments.size() - 1);
            }
            if (!segments.isEmpty() && segments.get(segments.size() - 1).equals("v1")) {
                segments.remove(segments.size() - 1);
            }
            HttpUrl.Builder b = url.newBuilder().encodedPath("/");
            for (String s : segments) {
                b.addPathSegment(s);
            }
            HttpUrl out = b.build();
            // Keep the root without a trailing slash so that endpoint() appends cleanly.
            return out;
        }

        private static void requireNonNegative(String field, int value) {
            if (value < 0) {
                throw new IllegalArgumentException("OpenAiConfig." + field + " must be >= 0, got " + value);
            }
        }

        private static void requirePositive(String field, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("OpenAiConfig." + field + " must be a positive duration, got " + d);
            }
        }

        private static void requireNonNegativeDuration(String field, Duration d) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("OpenAiConfig." + field + " must be >= 0, got " + d);
            }
        }
    }
}
