/**
 * ESIM, the explicit semantic interest module (method spec §3): choose typical users
 * ({@link dev.eimf.internal.esim.TypicalSampleSelector}), ask an {@link dev.eimf.esim.InterestExtractor} for their
 * explicit interests (an LLM through {@link dev.eimf.esim.LlmClient} with
 * {@link dev.eimf.esim.PromptBuilder}, {@link dev.eimf.internal.esim.InterestParser} and one repair request; or the
 * offline {@link dev.eimf.esim.MetadataInterestExtractor}), turn them into vectors with a
 * {@link dev.eimf.esim.TextEncoder} ({@link dev.eimf.esim.HashingTextEncoder} offline), and keep everything in
 * the crash-safe {@link dev.eimf.internal.esim.InterestStore}. {@link dev.eimf.internal.esim.EsimRunner} runs these steps with
 * bounded concurrency and reuses the store on reruns.
 */
package dev.eimf.esim;

import dev.eimf.internal.esim.EsimRunner;
import dev.eimf.internal.esim.InterestParser;
import dev.eimf.internal.esim.InterestStore;
import dev.eimf.internal.esim.TypicalSampleSelector;
