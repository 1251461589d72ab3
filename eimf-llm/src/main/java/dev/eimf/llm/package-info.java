/** Clients that talk to language models: OpenAI-compatible chat and embeddings, and the in-JVM text encoder. */
package dev.eimf.llm;
