package dev.eimf.llm;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.eimf.esim.LlmClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link LlmClient} for any OpenAI-compatible {@code /v1/chat/completions} endpoint (OpenAI, vLLM, Ollama,
 * llama.cpp server, ...). Thread-safe: share one instance. Failed attempts are retried with exponential
 * backoff and jitter on 408, 429, 5xx, I/O failures and (a bounded number of times) unparseable replies;
 * other 4xx fail at once with an {@link LlmException} that names the status and the server's message.
 * At most {@link OpenAiConfig#maxConcurrency()} requests of this client are in flight at once.
 *
 * <p>How a {@link ChatRequest} maps to the wire: its temperature is sent as is; its {@code maxTokens} when
 * positive, else the configuration's when positive, else none; {@code response_format: json_object} when
 * the request or the configuration asks for JSON. {@link #request(List)} builds a request from the
 * configuration's defaults.
 */
public final class OpenAiChatClient implements LlmClient, AutoCloseable {

    private final OpenAiHttp http;
    private final ThreadPoolExecutor batchExecutor;

    /** A client that sleeps for real between retries. */
    public OpenAiChatClient(OpenAiConfig config) {
        this(config, Sleeper.SYSTEM);
    }

    /**
     * A client with its own way of waiting between retries (tests pass a recorder).
     *
     * @param config  server, model and retry settings
     * @param sleeper waits between retries
     */
    public OpenAiChatClient(OpenAiConfig config, Sleeper sleeper) {
        this.http = new OpenAiHttp(Objects.requireNonNull(config, "config"), Objects.requireNonNull(sleeper, "sleeper"));
        int n = config.maxConcurrency();
        this.batchExecutor = new ThreadPoolExecutor(n, n, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemonThreads("eimf-llm-chat-"));
        // Idle workers die, so a client that is never closed does not keep threads alive.
        this.batchExecutor.allowCoreThreadTimeOut(true);
    }

    /** The configuration (its toString hides the key). */
    public OpenAiConfig config() {
        return http.config;
    }

    /** The configured model name. */
    @Override
    public String modelName() {
        return http.config.model();
    }

    /** A request with the configuration's temperature, token limit and JSON setting. */
    public ChatRequest request(List<Message> messages) {
        return new ChatRequest(messages, http.config.temperature(), http.config.maxTokens(),
                http.config.jsonResponseFormat());
    }

    /**
     * Sends one chat request, retrying transient failures. The reply's content has any secret of the
     * configuration replaced by {@code ***} (see {@link OpenAiConfig#redact}).
     *
     * @throws LlmException when the server refuses the request, or a transient failure persists after the
     *                      configured retries
     * @throws IllegalArgumentException when the request has no messages or a message lacks role or content
     */
    @Override
    public ChatResponse chat(ChatRequest request) throws LlmException {
        JsonObject body = toJson(request);
        ChatResponse r = http.post("chat/completions", body, OpenAiChatClient::parse);
        http.addTokens(r.promptTokens(), r.completionTokens());
        String content = http.config.redact(r.content());
        // A server that echoes the request headers into its answer must not put the key into the interest store.
        return content.equals(r.content()) ? r : new ChatResponse(content, r.promptTokens(), r.completionTokens());
    }

    /**
     * Starts all requests on this client's pool ({@link OpenAiConfig#maxConcurrency()} at a time) and
     * returns their futures in input order. A future that fails completes with the item's
     * {@link LlmException}.
     */
    public List<CompletableFuture<ChatResponse>> submitAll(List<ChatRequest> requests) {
        List<CompletableFuture<ChatResponse>> out = new ArrayList<>(requests.size());
        for (ChatRequest r : requests) {
            Objects.requireNonNull(r, "request");
            out.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return chat(r);
                } catch (LlmException e) {
                    throw new CompletionException(e);
                }
            }, batchExecutor));
        }
        return out;
    }

    /**
     * Runs all requests with bounded concurrency and waits for them. The results are in input order; each
     * holds either the reply or that item's failure, so one failure does not lose the others.
     *
     * @throws InterruptedException when the waiting thread is interrupted (the remaining items are cancelled)
     */
    public List<BatchResult<ChatResponse>> chatAll(List<ChatRequest> requests) throws InterruptedException {
        List<CompletableFuture<ChatResponse>> futures = submitAll(requests);
        List<BatchResult<ChatResponse>> out = new ArrayList<>(futures.size());
        try {
            for (int i = 0; i < futures.size(); i++) {
                try {
                    out.add(BatchResult.success(i, futures.get(i).get()));
                } catch (ExecutionException | CancellationException e) {
                    out.add(BatchResult.failure(i, asIoException(i, e instanceof ExecutionException ? e.getCause() : e)));
                }
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
        return out;
    }

    private static IOException asIoException(int index, Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return c instanceof IOException io ? io : new IOException("batch item " + index + " failed: " + c, c);
    }

    /** Calls, retries, tokens and failures since this client was created. */
    public Usage usage() {
        return http.usage();
    }

    private JsonObject toJson(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.messages().isEmpty()) {
            throw new IllegalArgumentException("ChatRequest.messages is empty");
        }
        if (!(request.temperature() >= 0.0 && request.temperature() <= 2.0)) {
            throw new IllegalArgumentException("ChatRequest.temperature must be in [0, 2], got " + request.temperature());
        }
        if (request.maxTokens() < 0) {
            throw new IllegalArgumentException("ChatRequest.maxTokens must be >= 0, got " + request.maxTokens());
        }
        JsonObject body = new JsonObject();
        body.addProperty("model", http.config.model());
        JsonArray messages = new JsonArray();
        for (int i = 0; i < request.messages().size(); i++) {
            Message m = request.messages().get(i);
            if (m == null || m.role() == null || m.role().isBlank() || m.content() == null) {
                throw new IllegalArgumentException("ChatRequest.messages[" + i + "] needs a role and a content");
            }
            JsonObject jm = new JsonObject();
            jm.addProperty("role", m.role());
            jm.addProperty("content", m.content());
            messages.add(jm);
        }
        body.add("messages", messages);
        body.addProperty("temperature", request.temperature());
        int maxTokens = request.maxTokens() > 0 ? request.maxTokens() : http.config.maxTokens();
        if (maxTokens > 0) {
            body.addProperty("max_tokens", maxTokens);
        }
        if (request.jsonMode() || http.config.jsonResponseFormat()) {
            JsonObject format = new JsonObject();
            format.addProperty("type", "json_object");
            body.add("response_format", format);
        }
        return body;
    }

    private static ChatResponse parse(JsonElement root) throws OpenAiHttp.MalformedBodyException {
        if (!root.isJsonObject()) {
            throw new OpenAiHttp.MalformedBodyException("expected a JSON object");
        }
        JsonObject o = root.getAsJsonObject();
        JsonElement choices = o.get("choices");
        if (choices == null || !choices.isJsonArray() || choices.getAsJsonArray().isEmpty()) {
            JsonElement error = o.get("error");
            throw new OpenAiHttp.MalformedBodyException("no choices in the reply"
                    + (error != null && !error.isJsonNull() ? " (error: " + error + ")" : ""));
        }
        JsonElement first = choices.getAsJsonArray().get(0);
        JsonElement message = first.isJsonObject() ? first.getAsJsonObject().get("message") : null;
        if (message == null || !message.isJsonObject()) {
            throw new OpenAiHttp.MalformedBodyException("choices[0].message is missing");
        }
        JsonElement content = message.getAsJsonObject().get("content");
        if (content == null || content.isJsonNull() || !content.isJsonPrimitive()) {
            throw new OpenAiHttp.MalformedBodyException("choices[0].message.content is missing or not a string");
        }
        long prompt = 0;
        long completion = 0;
        JsonElement usage = o.get("usage");
        if (usage != null && usage.isJsonObject()) {
            prompt = longOrZero(usage.getAsJsonObject().get("prompt_tokens"));
            completion = longOrZero(usage.getAsJsonObject().get("completion_tokens"));
        }
        return new ChatResponse(content.getAsString(), prompt, completion);
    }

    /**
     * A token count, or 0 when it is missing, not a number, negative or absurd: usage is optional
     * bookkeeping and never makes a usable reply fail. Read through double because Gson's
     * {@code getAsLong()} throws on numbers such as {@code 1e99999} and wraps around on {@code 1e19}.
     */
    static long longOrZero(JsonElement e) {
        if (e == null || e.isJsonNull() || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            return 0;
        }
        double d = e.getAsDouble();
        return d >= 0 && d <= 9.007199254740992E15 ? (long) d : 0;
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Stops the batch pool and releases pooled connections. */
    @Override
    public void close() {
        batchExecutor.shutdownNow();
        http.close();
    }

    @Override
    public String toString() {
        return "OpenAiChatClient{" + http.config + '}';
    }
}
