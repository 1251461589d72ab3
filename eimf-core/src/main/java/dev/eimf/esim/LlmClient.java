package dev.eimf.esim;

import java.io.IOException;
import java.util.List;

/**
 * A chat-completion service. The core depends only on this interface; {@code eimf-llm} provides the
 * OpenAI-compatible implementation and users may plug in their own.
 */
@FunctionalInterface
public interface LlmClient {
    /**
     * Sends one chat request.
     *
     * @param request the messages and sampling settings
     * @return the reply text and token usage
     * @throws IOException when the call fails after the client's own retries
     */
    ChatResponse chat(ChatRequest request) throws IOException;

    /** A stable name of the model behind this client, used in cache keys. */
    default String modelName() {
        return getClass().getSimpleName();
    }

    /** One message of a chat. */
    record Message(String role, String content) {
        /** A system message. */
        public static Message system(String content) { return new Message("system", content); }
        /** A user message. */
        public static Message user(String content) { return new Message("user", content); }
        /** An assistant message. */
        public static Message assistant(String content) { return new Message("assistant", content); }
    }

    /**
     * A chat request.
     *
     * @param messages    the conversation, system message first
     * @param temperature sampling temperature (0 for deterministic answers)
     * @param maxTokens   upper bound on reply tokens, or 0 for the server default
     * @param jsonMode    ask the server for a JSON object reply where it supports it
     */
    record ChatRequest(List<Message> messages, double temperature, int maxTokens, boolean jsonMode) {
        public ChatRequest {
            messages = List.copyOf(messages);
        }
    }

    /**
     * A chat reply.
     *
     * @param content          the assistant's text
     * @param promptTokens     prompt tokens reported by the server, or 0 when not reported
     * @param completionTokens completion tokens reported by the server, or 0 when not reported
     */
    record ChatResponse(String content, long promptTokens, long completionTokens) {
        /** Prompt plus completion tokens. */
        public long totalTokens() { return promptTokens + completionTokens; }
    }
}
