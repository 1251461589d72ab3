package dev.eimf.esim;

import dev.eimf.internal.esim.InterestParser;
import dev.eimf.internal.esim.ParseResult;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Asks a language model for a user's explicit interests: renders the prompt, sends it, parses and validates
 * the answer, and when the answer is unusable sends up to {@code maxRepairs} follow-up requests that quote
 * the validation error after the previous answer. If no answer validates, the result is
 * {@link Extraction.Status#FAILED} with the raw answers kept: interests are never invented.
 */
public final class LlmInterestExtractor implements InterestExtractor {
    private final LlmClient client;
    private final PromptBuilder prompts;
    private final InterestParser parser;
    private final int maxRepairs;

    /**
     * @param client     the chat service
     * @param prompts    the prompt builder (J, history cap, templates, sampling settings)
     * @param acceptExtra keep the first J interests when the model gives more than asked (default false: such an
     *                    answer is repaired or fails)
     * @param maxRepairs follow-up requests after an unusable answer (default 1; 0 disables repair)
     */
    public LlmInterestExtractor(LlmClient client, PromptBuilder prompts, boolean acceptExtra, int maxRepairs) {
        this(client, prompts, new InterestParser(acceptExtra), maxRepairs);
    }

    private LlmInterestExtractor(LlmClient client, PromptBuilder prompts, InterestParser parser, int maxRepairs) {
        this.client = Objects.requireNonNull(client, "client");
        this.prompts = Objects.requireNonNull(prompts, "prompts");
        this.parser = Objects.requireNonNull(parser, "parser");
        if (maxRepairs < 0) throw new IllegalArgumentException("maxRepairs must be >= 0, got " + maxRepairs);
        this.maxRepairs = maxRepairs;
    }

    /** Default prompts, a strict parser and one repair. */
    public LlmInterestExtractor(LlmClient client) {
        this(client, PromptBuilder.builder().build(), false, 1);
    }

    @Override
    public String name() {
        return "llm";
    }

    @Override
    public String modelName() {
        return client.modelName();
    }

    /** {@inheritDoc} Asks for {@code k} interests unless the prompt builder set J explicitly. */
    @Override
    public LlmInterestExtractor withInterests(int k) {
        PromptBuilder p = prompts.withInterests(k);
        return p == prompts ? this : new LlmInterestExtractor(client, p, parser, maxRepairs);
    }

    @Override
    public ExtractionRequest prepare(UserHistory history) {
        Prompt p = prompts.build(history);
        return new ExtractionRequest(history, p.messages(), p.historyLength(), p.interests(), p.hash());
    }

    @Override
    public Extraction extract(ExtractionRequest request) throws IOException {
        Prompt prompt = new Prompt(request.messages(), request.historyLength(), request.interests(), request.promptHash());
        List<LlmClient.Message> conversation = new ArrayList<>(request.messages());
        List<String> followUps = new ArrayList<>();
        List<String> responses = new ArrayList<>();
        long promptTokens = 0;
        long completionTokens = 0;
        String error = null;
        for (int attempt = 0; attempt <= maxRepairs; attempt++) {
            LlmClient.ChatResponse r = client.chat(prompts.request(conversation));
            String content = r.content() == null ? "" : r.content();
            responses.add(content);
            promptTokens += r.promptTokens();
            completionTokens += r.completionTokens();
            ParseResult parsed = parser.parse(content, request.interests(), request.historyLength());
            if (parsed instanceof ParseResult.Parsed ok) {
                String note = ok.extraDropped() > 0 ? ok.extraDropped() + " interests beyond " + request.interests() + " dropped" : "";
                return new Extraction(Extraction.Status.OK, note, ok.interests(), followUps, responses,
                        promptTokens, completionTokens, responses.size());
            }
            error = ((ParseResult.Invalid) parsed).error();
            if (attempt < maxRepairs) {
                LlmClient.Message repair = prompts.repairMessage(prompt, error);
                conversation.add(LlmClient.Message.assistant(content));
                conversation.add(repair);
                followUps.add(repair.content());
            }
        }
        return new Extraction(Extraction.Status.FAILED, "invalid answer after " + maxRepairs + " repair(s): " + error,
                List.of(), followUps, responses, promptTokens, completionTokens, responses.size());
    }
}
