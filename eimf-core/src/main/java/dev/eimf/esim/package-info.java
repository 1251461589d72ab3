/**
 * Explicit interests: the interfaces through which training asks for and embeds a user's explicit
 * interests, and their ready implementations. An {@link dev.eimf.esim.InterestExtractor} turns a typical
 * user's history into interest phrases: {@link dev.eimf.esim.LlmInterestExtractor} asks a language model
 * through any {@link dev.eimf.esim.LlmClient} (a lambda will do; prompts from {@link dev.eimf.esim.PromptBuilder}),
 * {@link dev.eimf.esim.MetadataInterestExtractor} works offline from titles and categories. A
 * {@link dev.eimf.esim.TextEncoder} embeds the phrases ({@link dev.eimf.esim.HashingTextEncoder} offline;
 * {@code eimf-llm} has MiniLM, OpenAI-compatible and LangChain4j encoders). Training runs them through
 * {@link dev.eimf.train.ExplicitInterestsConfig}; serving never calls them.
 *
 * <p>Exceptions: the methods you implement ({@code LlmClient.chat}, {@code TextEncoder.encode},
 * {@code InterestExtractor.extract}) may throw {@link java.io.IOException} for a failed remote call: the
 * library retries or records the user as failed, and the run goes on. The rest of the API follows the policy
 * of {@link dev.eimf.train}.
 */
package dev.eimf.esim;
