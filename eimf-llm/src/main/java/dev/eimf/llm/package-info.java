/**
 * Clients that talk to language models: OpenAI-compatible chat and embeddings, adapters over LangChain4j's
 * chat and embedding models, and the in-JVM text encoder.
 *
 * <pre>{@code
 * OpenAiConfig cfg = OpenAiConfig.builder()
 *         .baseUrl("http://localhost:8000")      // or https://api.openai.com; a trailing /v1 is fine
 *         .model("gpt-4o-mini")
 *         .jsonResponseFormat(true)              // key: apiKey(...) or the OPENAI_API_KEY variable
 *         .build();
 * try (OpenAiChatClient llm = new OpenAiChatClient(cfg)) {
 *     List<BatchResult<ChatResponse>> replies = llm.chatAll(requests);   // input order, per-item errors
 *     Usage usage = llm.usage();                                         // calls, retries, tokens
 * }
 * TextEncoder local = new MiniLmTextEncoder();                           // 384-d, no network (optional artifact)
 * LlmClient any = LangChain4jLlmClient.of(chatModel);                    // any LangChain4j ChatModel
 * TextEncoder anyEnc = LangChain4jTextEncoder.of(embeddingModel);        // any LangChain4j EmbeddingModel
 * TextEncoder remote = OpenAiEmbeddingClient.builder(
 *         cfg.toBuilder().model("text-embedding-3-small").build()).batchSize(128).build();
 * }</pre>
 *
 * <p>Both HTTP clients share one retry policy ({@link dev.eimf.llm.OpenAiConfig}): exponential backoff with
 * seeded jitter on 408, 429, 5xx and I/O failures, {@code Retry-After} honoured up to a cap, a bounded
 * number of retries for unparseable 2xx bodies, and immediate {@link dev.eimf.llm.LlmException}s for other
 * 4xx. The API key never appears in logs, messages or {@code toString()}.
 */
package dev.eimf.llm;
