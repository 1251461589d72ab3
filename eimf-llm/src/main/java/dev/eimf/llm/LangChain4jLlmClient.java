package dev.eimf.llm;

import dev.eimf.esim.LlmClient;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.output.TokenUsage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link LlmClient} over any LangChain4j {@link ChatModel} (OpenAI, Anthropic, Ollama, Azure, Bedrock, ...):
 * ESIM then talks to whatever provider the application has already configured in LangChain4j.
 *
 * <pre>{@code LlmClient llm = LangChain4jLlmClient.of(OpenAiChatModel.builder().apiKey(key).modelName("gpt-4o-mini").build());}</pre>
 *
 * <p>How a {@link ChatRequest} maps: roles {@code system}, {@code user} and {@code assistant} become
 * {@link SystemMessage}, {@link UserMessage} and {@link AiMessage}; the temperature is sent as is; the token
 * limit when positive (else the model's default); JSON mode as {@link ResponseFormat#JSON}, and when the model
 * answers that it does not support a response format, the request is sent again without it and later
 * requests leave it out (the parser finds JSON in plain text too). Token counts come from the reply's
 * {@link TokenUsage}, 0 where the provider reports none.
 *
 * <p>Retries, timeouts and concurrency limits are the chat model's own (LangChain4j's builders configure
 * them). Any runtime exception the model throws, LangChain4j's exceptions as well as parse or transport
 * failures its provider module lets through, becomes an {@link IOException} naming the model, so that ESIM
 * records the user as failed and a rerun asks again. Thread-safe when the chat model is.
 *
 * <p>LangChain4j is an optional dependency of eimf-llm: the application brings {@code langchain4j-core}
 * with the module of its provider.
 */
public final class LangChain4jLlmClient implements LlmClient {

    private final ChatModel model;
    private final String modelName;
    /** Set once the model refused {@link ResponseFormat#JSON}; read by concurrent requests. */
    private volatile boolean jsonFormatUnsupported;

    private LangChain4jLlmClient(ChatModel model, String modelName) {
        this.model = model;
        this.modelName = modelName;
    }

    /**
     * A client whose {@link #modelName()} is the model name in the chat model's default request parameters,
     * or the chat model's class name when it declares none.
     *
     * @param model the LangChain4j chat model
     * @return the client
     */
    public static LangChain4jLlmClient of(ChatModel model) {
        Objects.requireNonNull(model, "model");
        return new LangChain4jLlmClient(model, defaultName(model));
    }

    /**
     * A client with an explicit {@link #modelName()}. The name labels the store's cache keys only; the chat
     * model decides which model it calls.
     *
     * @param model     the LangChain4j chat model
     * @param modelName a stable, non-blank name of the model behind it
     * @return the client
     */
    public static LangChain4jLlmClient of(ChatModel model, String modelName) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(modelName, "modelName");
        if (modelName.isBlank()) {
            throw new IllegalArgumentException("modelName is blank");
        }
        return new LangChain4jLlmClient(model, modelName);
    }

    private static String defaultName(ChatModel model) {
        ChatRequestParameters p = model.defaultRequestParameters();
        String name = p == null ? null : p.modelName();
        return name == null || name.isBlank() ? className(model) : name;
    }

    /** The simple class name, or the full one for anonymous classes (whose simple name is empty). */
    static String className(Object o) {
        String simple = o.getClass().getSimpleName();
        return simple.isEmpty() ? o.getClass().getName() : simple;
    }

    /** The chat model this client sends to. */
    public ChatModel chatModel() {
        return model;
    }

    @Override
    public String modelName() {
        return modelName;
    }

    /**
     * Sends one request through the chat model.
     *
     * @throws IOException              when the chat model fails, or its reply has no text
     * @throws IllegalArgumentException when a message has a role other than system, user or assistant
     */
    @Override
    public ChatResponse chat(ChatRequest request) throws IOException {
        Objects.requireNonNull(request, "request");
        List<ChatMessage> messages = new ArrayList<>(request.messages().size());
        for (Message m : request.messages()) {
            messages.add(toLangChain4j(m));
        }
        boolean json = request.jsonMode() && !jsonFormatUnsupported;
        dev.langchain4j.model.chat.response.ChatResponse response;
        try {
            response = send(messages, request, json);
        } catch (UnsupportedFeatureException e) {
            if (!json) {
                throw failure(e);
            }
            jsonFormatUnsupported = true;
            try {
                response = send(messages, request, false);
            } catch (RuntimeException again) {
                throw failure(again);
            }
        } catch (RuntimeException e) {
            throw failure(e);
        }
        AiMessage ai = response == null ? null : response.aiMessage();
        if (ai == null || ai.text() == null) {
            throw new IOException("LangChain4j chat model '" + modelName + "' returned no text"
                    + (ai != null && ai.hasToolExecutionRequests() ? " (it asked for a tool call)" : ""));
        }
        TokenUsage usage = response.tokenUsage();
        return new ChatResponse(ai.text(), usage == null ? 0 : count(usage.inputTokenCount()),
                usage == null ? 0 : count(usage.outputTokenCount()));
    }

    private dev.langchain4j.model.chat.response.ChatResponse send(List<ChatMessage> messages, ChatRequest request,
                                                                  boolean json) {
        var b = dev.langchain4j.model.chat.request.ChatRequest.builder().messages(messages)
                .temperature(request.temperature());
        if (request.maxTokens() > 0) {
            b.maxOutputTokens(request.maxTokens());
        }
        if (json) {
            b.responseFormat(ResponseFormat.JSON);
        }
        return model.chat(b.build());
    }

    private IOException failure(RuntimeException e) {
        return new IOException("LangChain4j chat model '" + modelName + "' failed: " + e, e);
    }

    private static long count(Integer n) {
        return n == null ? 0 : Math.max(0, n);
    }

    private static ChatMessage toLangChain4j(Message m) {
        Objects.requireNonNull(m, "message");
        String content = Objects.requireNonNull(m.content(), "message content");
        return switch (m.role()) {
            case "system" -> SystemMessage.from(content);
            case "user" -> UserMessage.from(content);
            case "assistant" -> AiMessage.from(content);
            default -> throw new IllegalArgumentException("unsupported message role '" + m.role()
                    + "' (expected system, user or assistant)");
        };
    }

    @Override
    public String toString() {
        return "LangChain4jLlmClient{" + modelName + '}';
    }
}
